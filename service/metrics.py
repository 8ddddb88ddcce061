"""/metrics: the service's counters in the Prometheus text exposition format (version 0.0.4).

Requests are counted per endpoint (the Flask URL rule, e.g. "/cases/<case>", never the raw path,
so the number of series stays bounded), method and status, with a latency histogram per endpoint
and method. Registering the blueprint is all it takes: the hooks are application-wide. Beside
them: the query backends' timeouts, worker restarts and memory kills, the time of the last
change of the data directory (ingest or index) and the paragraphs of the loaded index.
"""

from __future__ import annotations

import os
import threading
import time
from bisect import bisect_left
from pathlib import Path

from flask import Blueprint, Response, current_app, g, request

from kkr import generation

bp = Blueprint("metrics", __name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
UNMATCHED = "<unmatched>"  # requests that no URL rule matched (404, 405), under one label
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
# (key in app.extensions["kkr"], label: the lane of kkr.service.query_pool); looked up, never created here
BACKENDS = (("query_pool", "public"), ("internal_pool", "internal"))
BACKEND_STATS = (
    ("timeouts", "kkr_query_timeouts_total", "SPARQL queries stopped at the time limit."),
    ("restarts", "kkr_query_worker_restarts_total", "Query worker processes started in place of others."),
    ("memory_kills", "kkr_query_memory_kills_total", "Query workers ended for using too much memory."),
)


class RequestMetrics:
    """Request counts and latency histograms, safe to update from many threads."""

    def __init__(self, buckets: tuple[float, ...] = BUCKETS):
        self.buckets = buckets
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str, str], int] = {}
        # (endpoint, method) -> [count per bucket (not cumulative) ..., count above the last, sum]
        self._latency: dict[tuple[str, str], list[float]] = {}

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        """Count one request and its latency."""
        key = (endpoint, method)
        with self._lock:
            self._counts[(endpoint, method, str(status))] = self._counts.get((endpoint, method, str(status)), 0) + 1
            row = self._latency.setdefault(key, [0.0] * (len(self.buckets) + 2))
            row[bisect_left(self.buckets, seconds)] += 1
            row[-1] += seconds

    def render(self) -> list[str]:
        """Exposition lines of the request counter and the latency histogram."""
        with self._lock:
            counts = sorted(self._counts.items())
            latency = sorted((k, list(v)) for k, v in self._latency.items())
        lines = _header(
            "kkr_http_requests_total", "counter", "HTTP requests by endpoint (URL rule), method and status."
        )
        lines += [
            _sample("kkr_http_requests_total", {"endpoint": e, "method": m, "status": s}, n) for (e, m, s), n in counts
        ]
        name = "kkr_http_request_duration_seconds"
        lines += _header(name, "histogram", "HTTP request latency by endpoint (URL rule) and method.")
        for (endpoint, method), row in latency:
            labels = {"endpoint": endpoint, "method": method}
            cumulative: float = 0
            for bound, n in zip((*self.buckets, float("inf")), row[:-1], strict=False):
                cumulative += n
                lines.append(_sample(name + "_bucket", {**labels, "le": _number(bound)}, cumulative))
            lines.append(_sample(name + "_sum", labels, row[-1]))
            lines.append(_sample(name + "_count", labels, cumulative))
        return lines


def _start_timer() -> None:
    g.kkr_request_started = time.perf_counter()


@bp.record_once
def _install(state) -> None:
    state.app.extensions.setdefault("kkr", {})["request_metrics"] = RequestMetrics()
    # First of the before-request functions registered so far, so that the latency includes them
    # (the reload after an ingest among them) and requests that one of them answers are counted.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)


@bp.after_app_request
def _note_status(response):
    g.kkr_response_status = response.status_code
    return response


@bp.teardown_app_request
def _count_request(exc) -> None:
    # Counted at teardown, which runs even when no response was made (after_request then is not).
    started = g.pop("kkr_request_started", None)
    metrics = current_app.extensions.get("kkr", {}).get("request_metrics")
    if started is None or metrics is None:
        return
    status = g.pop("kkr_response_status", 500)
    endpoint = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "OTHER"
    metrics.observe(endpoint, method, status, time.perf_counter() - started)


@bp.get("/metrics")
def metrics():
    """Every metric of this process in the Prometheus text format."""
    kkr = current_app.extensions.get("kkr", {})
    lines: list[str] = []
    if kkr.get("request_metrics") is not None:
        lines += kkr["request_metrics"].render()
    lines += _backend_lines(kkr)
    lines += _data_lines(Path(current_app.config["DATA_DIR"]), kkr)
    return Response("\n".join(lines) + "\n", content_type=CONTENT_TYPE)


def _backend_lines(kkr: dict) -> list[str]:
    backends = [(label, kkr.get(key)) for key, label in BACKENDS]
    lines: list[str] = []
    for key, name, help_text in BACKEND_STATS:
        lines += _header(name, "counter", help_text)
        for label, backend in backends:
            if backend is None and label != "public":
                continue
            # the clients' pool is listed before its first query too (with 0), so the series exists
            value = (getattr(backend, "stats", None) or {}).get(key, 0) if backend is not None else 0
            if isinstance(value, (int, float)):
                lines.append(_sample(name, {"pool": label}, value))
    return lines


def _data_lines(data_dir: Path, kkr: dict) -> list[str]:
    lines = _header(
        "kkr_last_ingest_timestamp_seconds",
        "gauge",
        "When kkr ingest or kkr index last changed the data directory (Unix time).",
    )
    try:
        lines.append(_sample("kkr_last_ingest_timestamp_seconds", {}, os.stat(data_dir / generation.MARKER).st_mtime))
    except OSError:
        pass  # no ingest yet: no sample
    lines += _header("kkr_index_paragraphs", "gauge", "Paragraphs in the loaded search index.")
    searcher = kkr.get("searcher")
    if searcher is not None:
        lines.append(_sample("kkr_index_paragraphs", {}, len(searcher.index.records)))
    return lines


def _header(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text.replace(chr(92), chr(92) * 2)}", f"# TYPE {name} {kind}"]


def _sample(name: str, labels: dict[str, str], value: float) -> str:
    if not labels:
        return f"{name} {_number(value)}"
    text = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items())
    return f"{name}{{{text}}} {_number(value)}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))

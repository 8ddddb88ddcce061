"""/metrics: Prometheus text format, request counts per URL rule, query backend events, data freshness."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kkr import generation
from kkr.service import metrics, readiness


def scrape(client) -> dict:
    """The families of /metrics, parsed by prometheus_client: name → {(sample name, labels): value}."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    families = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        families[family.name] = {(s.name, tuple(sorted(s.labels.items()))): s.value for s in family.samples}
    return families


def key(name: str, **labels) -> tuple:
    return name, tuple(sorted(labels.items()))


class FakeBackend:
    def __init__(self, **stats):
        self.stats = stats


@pytest.fixture
def data(search_data, tmp_path):
    """A copy of the search corpus with a GENERATION marker, as `kkr ingest` leaves it."""
    copy = tmp_path / "data"
    shutil.copytree(search_data, copy)
    generation.mark_changed(copy)
    return copy


@pytest.fixture
def app(make_app, data):
    """Each test counts from zero: an app of its own over its copy of the data, not the module's
    (the `client` of tests/conftest.py is this app's)."""
    return make_app(data)


def test_requests_by_url_rule_status_and_latency(client, data):
    assert client.get("/cases/SAG-2025-03802").status_code == 200
    assert client.get("/cases/SAG-2025-00964").status_code == 200
    client.get("/search", query_string={"q": "kontingent", "k": "2"})
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/search").status_code == 400

    families = scrape(client)
    requests = families["kkr_http_requests"]
    endpoints = {dict(labels)["endpoint"] for _name, labels in requests}
    assert "/cases/<case>" in endpoints and metrics.UNMATCHED in endpoints
    assert not any("SAG-2025" in e or "/no/such" in e for e in endpoints)  # rules, not raw paths
    cases = {
        dict(labels)["status"]: value
        for (_n, labels), value in requests.items()
        if dict(labels)["endpoint"] == "/cases/<case>"
    }
    assert cases == {"200": 2}
    search = {
        dict(labels)["status"]: v for (_n, labels), v in requests.items() if dict(labels)["endpoint"] == "/search"
    }
    assert search == {"200": 1, "400": 1}
    assert (
        requests[("kkr_http_requests_total", (("endpoint", metrics.UNMATCHED), ("method", "GET"), ("status", "404")))]
        == 1
    )

    latency = families["kkr_http_request_duration_seconds"]
    rule = {"endpoint": "/cases/<case>", "method": "GET"}
    assert latency[key("kkr_http_request_duration_seconds_count", **rule)] == 2
    assert latency[key("kkr_http_request_duration_seconds_bucket", le="+Inf", **rule)] == 2
    assert latency[key("kkr_http_request_duration_seconds_sum", **rule)] > 0
    buckets = [
        latency[key("kkr_http_request_duration_seconds_bucket", le=metrics._number(b), **rule)] for b in metrics.BUCKETS
    ]
    assert buckets == sorted(buckets)  # cumulative

    # the loaded index and the last ingest
    paragraphs = client.get("/healthz").json["index"]["paragraphs"]
    assert families["kkr_index_paragraphs"][("kkr_index_paragraphs", ())] == paragraphs
    mtime = os.stat(data / "GENERATION").st_mtime
    assert families["kkr_last_ingest_timestamp_seconds"][("kkr_last_ingest_timestamp_seconds", ())] == pytest.approx(
        mtime
    )


def test_query_backend_events_are_read_not_created(app, client):
    families = scrape(client)
    assert not {"query_pool", "internal_pool"} & set(app.extensions["kkr"])  # /metrics started no workers
    assert families["kkr_query_timeouts"] == {("kkr_query_timeouts_total", (("pool", "public"),)): 0}
    assert "kkr_index_paragraphs" in families and not families["kkr_index_paragraphs"]  # not loaded yet

    app.extensions["kkr"]["query_pool"] = FakeBackend(timeouts=3, restarts=4, memory_kills=1)
    app.extensions["kkr"]["internal_pool"] = FakeBackend(timeouts=7)
    families = scrape(client)
    assert families["kkr_query_timeouts"] == {
        ("kkr_query_timeouts_total", (("pool", "public"),)): 3,
        ("kkr_query_timeouts_total", (("pool", "internal"),)): 7,
    }
    assert families["kkr_query_worker_restarts"][("kkr_query_worker_restarts_total", (("pool", "public"),))] == 4
    assert families["kkr_query_worker_restarts"][("kkr_query_worker_restarts_total", (("pool", "internal"),))] == 0
    assert families["kkr_query_memory_kills"][("kkr_query_memory_kills_total", (("pool", "public"),))] == 1


def test_real_query_pool_is_read(app, client):
    """The pool the service made for SPARQL is read (its `stats`, where it has them)."""
    assert (
        client.get(
            "/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
        ).status_code
        == 200
    )
    pool = app.extensions["kkr"]["query_pool"]
    assert pool.stats["timeouts"] == 0
    pool.stats["timeouts"] += 5  # as if five queries had run too long
    assert scrape(client)["kkr_query_timeouts"][("kkr_query_timeouts_total", (("pool", "public"),))] == 5


def test_counts_are_exact_under_concurrent_requests(make_app, tmp_path):
    app = make_app(tmp_path)
    threads, per_thread = 8, 25

    def hammer():
        client = app.test_client()
        for _ in range(per_thread):
            client.get("/openapi.json")

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    families = scrape(app.test_client())
    labels = (("endpoint", "/openapi.json"), ("method", "GET"))
    assert (
        families["kkr_http_requests"][("kkr_http_requests_total", labels + (("status", "200"),))]
        == threads * per_thread
    )
    assert (
        families["kkr_http_request_duration_seconds"][("kkr_http_request_duration_seconds_count", labels)]
        == threads * per_thread
    )
    # no ingest yet: the gauge has no sample
    assert not families["kkr_last_ingest_timestamp_seconds"]


def test_label_values_are_escaped():
    m = metrics.RequestMetrics()
    m.observe('/a"b\\c\nd', "GET", 200, 0.2)
    [family] = [
        f for f in text_string_to_metric_families("\n".join(m.render()) + "\n") if f.name == "kkr_http_requests"
    ]
    assert family.samples[0].labels["endpoint"] == '/a"b\\c\nd'


def test_a_readiness_probe_answered_early_is_counted(make_app, tmp_path):
    """Register readiness before metrics (create_app's order): the 503 a probe gets at once while a
    reload runs is still counted, since the timer is the first before-request function."""
    app = make_app(tmp_path)
    client = app.test_client()
    with readiness.loading(app):
        assert client.get("/readyz").status_code == 503
    families = scrape(client)
    assert (
        families["kkr_http_requests"][key("kkr_http_requests_total", endpoint="/readyz", method="GET", status="503")]
        == 1
    )

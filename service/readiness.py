"""/readyz, and the flag behind it: can the service answer now, or is it (re)loading?

Code that reloads wraps the reload in `loading(app)` (or a factory in `while_loading`); while any
such block runs, /readyz answers 503 at once, without waiting for the application's reload lock.
It answers 200 when the search index is loaded, or when there is no index yet and the graph store
answers. An index on disk that is not loaded yet (after a data
change the index is dropped and loads again on first use) is loaded in the background, so that a
load balancer that waits for readiness does not wait for a search that never comes.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify, request

from kkr import generation
from kkr.index import files
from kkr.index.paragraph_index import index_dir_of
from kkr.service.backends import pool_for
from kkr.service.loading import _lock, _state, is_loading, loading, while_loading
from kkr.service.query_errors import QueryError
from kkr.service.searcher import searcher

__all__ = ["LOADING", "bp", "is_loading", "loading", "readyz", "while_loading"]  # loading & co. for callers

bp = Blueprint("readiness", __name__)
STORE_CHECK_TIMEOUT = 5.0
LOADING = "the search index is loading after a change of the data directory"


def _answer_at_once_while_loading():
    if request.endpoint == "readiness.readyz" and is_loading(current_app._get_current_object()):  # type: ignore[attr-defined]
        return _answer(False, LOADING)
    return None


@bp.record_once
def _install(state) -> None:
    # First of the application's before-request functions, ahead of its reload check (which
    # waits for a running reload): a readiness probe should hear "not ready" now, not queue.
    state.app.before_request_funcs.setdefault(None, []).insert(0, _answer_at_once_while_loading)


@bp.get("/readyz")
def readyz():
    """{"ready": true|false, "reason": ...}: 200 when the service can answer, else 503."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if is_loading(app):
        return _answer(False, LOADING)
    loaded = app.extensions.get("kkr", {}).get("searcher")
    if loaded is not None:
        return _answer(True, f"the search index is loaded ({len(loaded.index.records)} paragraphs)")
    if files.current_generation(index_dir_of(Path(app.config["DATA_DIR"]))) is not None:
        failed = _state(app)["failed"]
        if failed and failed[0] == generation.current(app.config["DATA_DIR"]):
            current_app.logger.warning("the search index cannot be loaded: %s", failed[1])
            return _answer(False, "the search index cannot be loaded; see the service's log")
        _warm_up_in_background(app)
        return _answer(False, "the search index is loading")
    problem = _store_problem(app)
    if problem:
        current_app.logger.warning("the graph store does not answer: %s", problem)
        return _answer(False, "the graph store does not answer; see the service's log")
    return _answer(True, "no search index yet; the graph store answers")


def _answer(ready: bool, reason: str):
    return jsonify({"ready": ready, "reason": reason}), 200 if ready else 503


def _store_problem(app: Flask) -> str | None:
    try:
        pool_for(app).run(
            "ASK {}", accept_kind={"boolean": "application/sparql-results+json"}, timeout=STORE_CHECK_TIMEOUT
        )
    except QueryError as exc:
        return str(exc)
    return None


def _warm_up_in_background(app: Flask) -> None:
    """Load the searcher in a thread of its own (one at a time); remember why it failed."""
    state = _state(app)
    with _lock:
        if state["warming"]:
            return
        state["warming"] = True
    marker = generation.current(app.config["DATA_DIR"])

    def warm() -> None:
        try:
            with loading(app):
                searcher(app)
        except Exception as exc:  # noqa: BLE001 - reported by /readyz until the data changes
            app.logger.warning("the search index cannot be loaded: %s", exc)
            state["failed"] = (marker, str(exc))
        finally:
            with _lock:
                state["warming"] = False

    threading.Thread(target=warm, name="kkr-index-warm-up", daemon=True).start()

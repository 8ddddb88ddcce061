"""The Flask application factory: one blueprint per concern, shared resources created lazily."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from kkr import config, generation


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application.

    Settings (app.config): DATA_DIR, STORE_URL (a remote SPARQL 1.1 server instead of the local
    store), QUERY_TIMEOUT (seconds, default 30), ROW_LIMIT (default 10000), UPDATE_TOKEN (SPARQL
    updates only with this bearer token; none by default), MODEL (sentence-transformers model),
    BASE (instance IRI base), QUERY_WORKERS (default 2).
    """
    app = Flask(__name__)
    app.config.from_mapping(
        DATA_DIR=str(config.data_dir()),
        STORE_URL=os.environ.get("KKR_STORE") or None,
        QUERY_TIMEOUT=30.0,
        ROW_LIMIT=10_000,
        UPDATE_TOKEN=os.environ.get("KKR_UPDATE_TOKEN") or None,
        MODEL=os.environ.get("KKR_MODEL") or None,
        BASE=config.base_iri(),
        QUERY_WORKERS=2,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = str(Path(app.config["DATA_DIR"]))

    from kkr.service import ask, meta, pages, resources, search, sparql, tracing

    for module in (meta, sparql, search, resources, tracing, ask, pages):
        app.register_blueprint(module.bp)
    app.before_request(_reload_after_ingest)
    app.extensions.setdefault("kkr", {})["generation"] = generation.current(app.config["DATA_DIR"])
    return app


def _reload_after_ingest() -> None:
    """After `kkr ingest` or `kkr index` changed the data directory, the query workers restart (they
    read a snapshot of the store) and the index, model labels and answerer load again, once."""
    from flask import current_app

    from kkr.service.shared import _lock, forget

    app = current_app._get_current_object()
    seen = app.extensions["kkr"].get("generation")
    now = generation.current(app.config["DATA_DIR"])
    if now == seen:
        return
    with _lock:
        if app.extensions["kkr"].get("generation") == now:
            return
        pool = app.extensions["kkr"].get("query_pool")
        if pool is not None and hasattr(pool, "restart"):
            pool.restart()
        forget(app, "searcher", "answerer")
        app.extensions["kkr"]["generation"] = now
        app.logger.info("the data directory changed: workers restarted, index reloaded")


def warm_up(app: Flask) -> None:
    """Load the model and the index now, not on the first request (kkr serve calls this)."""
    from kkr.errors import KkrError
    from kkr.service.search import searcher

    try:
        searcher(app).search("opvarmning", k=1)
    except KkrError as exc:
        app.logger.warning("search is unavailable until an index exists: %s", exc)

"""The Flask application factory: one blueprint per concern, shared resources created lazily."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kkr import config, generation
from kkr.service import limits
from kkr.service.backends import LANES


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application.

    Settings (app.config): DATA_DIR, STORE_URL (a remote SPARQL 1.1 server instead of the local
    store), QUERY_TIMEOUT (seconds, default 30), ROW_LIMIT (default 10000), UPDATE_TOKEN (SPARQL
    updates only with this bearer token; none by default), MODEL (sentence-transformers model),
    BASE (instance IRI base), QUERY_WORKERS (default 4), PUBLIC_URL (the service's public base URL,
    e.g. https://kkr.example.org, used in /openapi.json and the service description instead of
    the request's Host header; default http://127.0.0.1:8000 when unset).

    Limits (README, "Limits"): INTERNAL_WORKERS (workers for the service's own queries, default 1),
    MAX_QUERY_MEMORY_MB (a query worker past it is stopped and replaced, default 1024),
    MAX_QUERY_LENGTH (characters of a client's SPARQL, default 100000), MAX_QUERY_DEPTH (nesting,
    default 64), MAX_CONTENT_LENGTH (request body bytes, default 1 MiB), MAX_PARAM_LENGTH
    (characters of any other URL parameter, such as a search, default 2000), HEAVY_PER_CLIENT
    (SPARQL queries one client address may run at once, default 1), PROXY_HOPS (trusted reverse
    proxies in front, whose X-Forwarded-For names the client; default 0).
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
        QUERY_WORKERS=4,
        PUBLIC_URL=os.environ.get("KKR_PUBLIC_URL") or None,
        INTERNAL_WORKERS=1,
        MAX_QUERY_MEMORY_MB=1024,
        MAX_QUERY_LENGTH=100_000,
        MAX_QUERY_DEPTH=64,
        MAX_CONTENT_LENGTH=1024 * 1024,
        MAX_PARAM_LENGTH=2000,
        HEAVY_PER_CLIENT=1,
        PROXY_HOPS=0,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = str(Path(app.config["DATA_DIR"]))
    if app.config.get("PROXY_HOPS"):
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    from kkr.service import ask, meta, metrics, pages, readiness, resources, search, sparql, tracing

    for module in (meta, sparql, search, resources, tracing, ask, pages, readiness, metrics):
        app.register_blueprint(module.bp)
    limits.register(app)
    app.before_request(_reload_after_ingest)
    app.extensions.setdefault("kkr", {})["generation"] = generation.current(app.config["DATA_DIR"])
    return app


def _reload_after_ingest() -> None:
    """After `kkr ingest` or `kkr index` changed the data directory, the query workers restart (they
    read a snapshot of the store) and the index, model labels and answerer load again, once."""
    from flask import current_app

    from kkr.service.readiness import loading
    from kkr.service.shared import _lock, forget

    app = current_app._get_current_object()
    seen = app.extensions["kkr"].get("generation")
    now = generation.current(app.config["DATA_DIR"])
    if now == seen:
        return
    with loading(app), _lock:
        if app.extensions["kkr"].get("generation") == now:
            return
        for name in LANES.values():
            pool = app.extensions["kkr"].get(name)
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

"""The Flask application factory: one blueprint per resource (service/views/) or concern, shared
resources created lazily."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from kkr import generation
from kkr.errors import KkrError
from kkr.service import errors, limits, meta, metrics, readiness, render, sparql
from kkr.service.backends import LANES
from kkr.service.loading import loading
from kkr.service.searcher import searcher
from kkr.service.shared import _lock, forget
from kkr.service.views import ask, cases, deadlines, entities, home, resources, search, thread
from kkr.settings import Settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application.

    Its config is `Settings.from_env().to_flask_config()` (kkr/settings.py: every key, its default
    and environment variable; the README lists them), then `test_config` over it. The keys:
    DATA_DIR, STORE_URL (a remote SPARQL 1.1 server instead of the local store), QUERY_TIMEOUT,
    ROW_LIMIT, UPDATE_TOKEN (SPARQL updates only with this bearer token), MODEL, BASE (instance
    IRI base), QUERY_WORKERS, PUBLIC_URL (the service's public base URL, used in /openapi.json and
    the service description instead of the request's Host header; http://127.0.0.1:8000 when
    unset), and the limits (README, "Limits"): INTERNAL_WORKERS, MAX_QUERY_MEMORY_MB,
    MAX_QUERY_LENGTH, MAX_QUERY_DEPTH, MAX_CONTENT_LENGTH, MAX_PARAM_LENGTH, HEAVY_PER_CLIENT,
    PROXY_HOPS.
    """
    app = Flask(__name__)
    app.config.from_mapping(Settings.from_env().to_flask_config(), JSON_SORT_KEYS=False)
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATA_DIR"] = str(Path(app.config["DATA_DIR"]))
    if app.config.get("PROXY_HOPS"):
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    for module in (meta, sparql, search, resources, cases, thread, deadlines, entities, ask, home, readiness, metrics):
        app.register_blueprint(module.bp)
    render.register(app)
    errors.register(app)
    limits.register(app)
    app.before_request(_reload_after_ingest)
    app.extensions.setdefault("kkr", {})["generation"] = generation.current(app.config["DATA_DIR"])
    return app


def _reload_after_ingest() -> None:
    """After `kkr ingest` or `kkr index` changed the data directory, the query workers restart (they
    read a snapshot of the store) and the index, model labels and answerer load again, once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
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
        forget(app, "searcher", "answerer", "agendas")
        app.extensions["kkr"]["generation"] = now
        app.logger.info("the data directory changed: workers restarted, index reloaded")


def warm_up(app: Flask) -> None:
    """Load the model and the index now, not on the first request (kkr serve calls this)."""
    try:
        searcher(app).search("opvarmning", k=1)
    except KkrError as exc:
        app.logger.warning("search is unavailable until an index exists: %s", exc)

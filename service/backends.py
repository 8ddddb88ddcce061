"""The application's query backends, one per lane: worker pools over the local store
(service/query_pool.py), or a remote SPARQL server (service/remote_backend.py) with --store."""

from __future__ import annotations

from kkr.service.query_errors import QueryBackend
from kkr.service.query_pool import QueryPool
from kkr.service.remote_backend import RemoteBackend
from kkr.service.shared import shared
from kkr.settings import DEFAULTS


def _make_pool(app, lane: str) -> QueryBackend:
    config = app.config
    if config.get("STORE_URL"):
        return RemoteBackend(
            config["STORE_URL"], timeout=config.get("QUERY_TIMEOUT"), row_limit=config.get("ROW_LIMIT")
        )
    public = lane == "public"
    workers = (
        config.get("QUERY_WORKERS") or DEFAULTS.query_workers
        if public
        else config.get("INTERNAL_WORKERS") or DEFAULTS.internal_workers
    )
    return QueryPool(
        config["DATA_DIR"],
        workers=workers,
        timeout=config.get("QUERY_TIMEOUT"),
        row_limit=config.get("ROW_LIMIT"),
        memory_limit_mb=config.get("MAX_QUERY_MEMORY_MB"),
        max_waiting=workers * 2 if public else None,
        start=True,
    )


LANES = {"public": "query_pool", "internal": "internal_pool"}


def pool_for(app=None, lane: str = "internal") -> QueryBackend:
    """The application's query backend for a lane, created (and its workers started) on first use.

    "public" runs the clients' own SPARQL (/sparql, the SPARQL page); "internal" runs the queries
    the service builds itself (pages, /id/, tracing, questions), so a client's heavy queries never
    make those wait. With a remote store both lanes are one RemoteBackend each.
    """
    return shared(LANES[lane], lambda a: _make_pool(a, lane), app)


def update_store(app, sparql: str, timeout: float | None = None) -> None:
    """Apply a client's update through the public lane, with every lane's workers paused."""
    public = pool_for(app, lane="public")
    if isinstance(public, QueryPool):
        others = [p for p in (app.extensions["kkr"].get(name) for name in LANES.values()) if isinstance(p, QueryPool)]
        public.update(sparql, timeout=timeout, also_pause=others)
    else:
        public.update(sparql, timeout=timeout)


def close_pools(app) -> None:
    """Stop the workers of every lane of the application (tests and shutdown)."""
    for name in LANES.values():
        pool = app.extensions.get("kkr", {}).pop(name, None)
        if hasattr(pool, "close"):
            pool.close()

"""What a failed graph query of the service's own tells the client: status, message and headers,
never the engine's text (that goes to the log: it describes the service's query, not the request)."""

from __future__ import annotations

from flask import current_app

from kkr.service.query_errors import PoolBusy, QueryError, QueryMemoryExceeded, QueryTimeout, StoreUnavailable


def query_error_reply(exc: QueryError) -> tuple[int, str, str, dict]:
    """(status, English message, Danish message, headers) for a graph query that failed. The
    engine's own text goes to the log only: it describes the service's query, not the request."""
    headers = dict(getattr(exc, "headers", None) or {})
    if isinstance(exc, QueryTimeout):
        return (
            503,
            f"the graph store could not answer (timeout after {exc.timeout:g} s)",
            f"Grafen kunne ikke svare (stoppet efter {exc.timeout:g} s).",
            headers,
        )
    if exc.status == 429:
        return (
            429,
            "too many queries from this client at once; try again shortly",
            "For mange forespørgsler på én gang; prøv igen om lidt.",
            headers,
        )
    if exc.status == 503:
        current_app.logger.warning("the graph store could not answer (%s): %s", type(exc).__name__, exc)
        if isinstance(exc, PoolBusy):
            headers.setdefault("Retry-After", "1")
        return (
            503,
            f"the graph store could not answer ({_reason(exc)}); try again shortly",
            "Grafen kunne ikke svare lige nu; prøv igen om lidt.",
            headers,
        )
    # a query the service built was refused or did not parse: the service's bug, not the client's
    current_app.logger.error("a graph query of the service failed (%s): %s", type(exc).__name__, exc)
    return (
        500,
        "internal error: the graph store could not run the service's query",
        "Intern fejl: grafen kunne ikke køre tjenestens forespørgsel.",
        {},
    )


def _reason(exc: QueryError) -> str:
    if isinstance(exc, PoolBusy):
        return "all query workers are busy"
    if isinstance(exc, StoreUnavailable):
        return "unavailable"
    if isinstance(exc, QueryMemoryExceeded):
        return f"memory limit of {exc.limit_mb} MB"
    return "overloaded"

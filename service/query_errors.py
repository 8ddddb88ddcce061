"""The errors of the query backends (each with the HTTP status the service answers with), the
result they return and the interface they share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kkr.errors import KkrError


class QueryError(KkrError):
    """Anything a query backend refuses or fails at; `status` is the HTTP status to answer with."""

    status = 500
    headers: dict = {}


class QuerySyntaxError(QueryError):
    """The query or update does not parse; the message is the parser's."""

    status = 400


class QueryTimeout(QueryError):
    status = 503

    def __init__(self, timeout: float | None, what: str = "query"):
        timeout = float(timeout or 0)
        self.timeout = timeout
        super().__init__(
            f"The {what} was stopped after running longer than the limit of {timeout:g} s. "
            f"Narrow it down (more specific patterns, LIMIT) and try again."
        )


class PoolBusy(QueryError):
    status = 503
    headers = {"Retry-After": "1"}


class QueryMemoryExceeded(QueryError):
    """The worker running the query grew past its memory limit and was stopped."""

    status = 503

    def __init__(self, limit_mb: int):
        self.limit_mb = limit_mb
        super().__init__(
            f"The query was stopped after using more than the limit of {limit_mb} MB of memory. "
            "Narrow it down (more specific patterns, LIMIT, no ORDER BY over large results)."
        )


class TooManyQueries(QueryError):
    """The client already runs as many SPARQL queries at once as it may."""

    status = 429
    headers = {"Retry-After": "1"}


class NotAcceptable(QueryError):
    """The result is of a kind (solutions, boolean, graph) for which no format was acceptable."""

    status = 406

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


class StoreUnavailable(QueryError):
    status = 503


class QueryFailed(QueryError):
    status = 500


@dataclass
class QueryResult:
    body: bytes
    media_type: str  # Content-Type of body
    truncated: bool  # more rows/triples than row_limit were left out
    kind: str  # "solutions", "boolean" or "graph"
    count: int  # rows or triples in body (1 for ASK)


class QueryBackend(Protocol):
    """What the service needs from a query engine (the local pool now, a remote store later)."""

    def run(
        self,
        query: str,
        *,
        accept_kind: Mapping[str, str | None],
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
        row_limit: int | None = None,
        guard: Any = None,  # a sparql_guard.Limits (not imported here: the guard imports these errors)
    ) -> QueryResult: ...

    def update(self, sparql: str, *, timeout: float | None = None) -> None: ...

    def close(self) -> None: ...

"""The service's query backend when the graph lives on a remote SPARQL 1.1 server (--store URL):
the same interface as the local worker pool (run, update, close).

Its errors reach HTTP clients, so they never name the server's URL, host or port: the store is
made with `public_errors=True`, and the full messages go to the log (logger `kkr.remote_store`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from kkr.errors import StoreError
from kkr.remote_http import StoreUnreachable
from kkr.remote_store import RemoteStore
from kkr.service.query_errors import (
    NotAcceptable,
    QueryFailed,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    StoreUnavailable,
)
from kkr.service.query_worker import execute
from kkr.service.sparql_guard import Limits
from kkr.settings import DEFAULTS

log = logging.getLogger("kkr.remote_store")
UNREACHABLE = f"{StoreUnreachable.__name__}: "  # how _execute reports that the server is not there


class RemoteBackend:
    """Queries go to the server with the query timeout as the HTTP timeout; the answer is parsed
    and re-serialised in the client's format, capped at the row limit, as locally. (A server keeps
    running a query the service has given up on unless it has a timeout of its own, such as
    `oxigraph serve --timeout-s`.)"""

    def __init__(self, url: str, *, timeout: float | None = DEFAULTS.query_timeout, row_limit: int | None = None):
        self.timeout = timeout
        self.row_limit = row_limit
        self.url = url

    def _store(self, timeout: float | None) -> RemoteStore:
        """A store on the server whose errors are fit for clients; StoreUnavailable for a bad URL."""
        try:
            return RemoteStore(self.url, timeout=timeout or 3600, public_errors=True)
        except StoreError as exc:
            log.error("%s", exc)
            raise StoreUnavailable("the SPARQL store is not configured correctly; see the service's log") from None

    def run(
        self,
        query: str,
        *,
        accept_kind: Mapping[str, str | None],
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
        row_limit: int | None = None,
        guard: Limits | None = None,
    ) -> QueryResult:
        """As QueryPool.run; `guard` is checked here, before the query leaves for the server."""
        timeout = self.timeout if timeout is None else timeout
        job = {
            "query": query,
            "accept_kind": dict(accept_kind),
            "default_graphs": default_graphs,
            "named_graphs": named_graphs,
            "row_limit": self.row_limit if row_limit is None else row_limit,
            "guard": guard,
        }
        status, payload = execute(self._store(timeout), job)
        if status == "ok":
            return QueryResult(*payload)
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "refused":
            raise payload
        if status == "not_acceptable":
            raise NotAcceptable(payload)
        if status == "timeout":  # the store raised StoreTimeout
            raise QueryTimeout(timeout)
        if payload.startswith(UNREACHABLE):  # 503, as when the local store cannot be opened
            raise StoreUnavailable(payload[len(UNREACHABLE) :])
        raise QueryFailed(payload)

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        try:
            self._store(timeout or self.timeout).update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except StoreUnreachable as exc:
            raise StoreUnavailable(str(exc)) from None
        except StoreError as exc:
            raise QueryFailed(str(exc)) from None

    def close(self) -> None:
        """Nothing to release: each call is one HTTP request."""

"""The service's query backend when the graph lives on a remote SPARQL 1.1 server (--store URL):
the same interface as the local worker pool (run, update, close)."""
from __future__ import annotations

from typing import Mapping, Sequence

from kkr.errors import StoreError
from kkr.remote_store import RemoteStore
from kkr.service.query_pool import (NotAcceptable, QueryFailed, QueryResult, QuerySyntaxError, QueryTimeout,
                                    StoreUnavailable, _execute)


class RemoteBackend:
    """Queries go to the server with the query timeout as the HTTP timeout; the answer is parsed
    and re-serialised in the client's format, capped at the row limit, as locally. (A server keeps
    running a query the service has given up on unless it has a timeout of its own, such as
    `oxigraph serve --timeout-s`.)"""

    def __init__(self, url: str, *, timeout: float | None = 30.0, row_limit: int | None = None):
        self.timeout = timeout
        self.row_limit = row_limit
        self.url = url

    def _store(self, timeout: float | None) -> RemoteStore:
        return RemoteStore(self.url, timeout=timeout or 3600)

    def run(self, query: str, *, accept_kind: Mapping[str, str | None],
            default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            timeout: float | None = None, row_limit: int | None = None) -> QueryResult:
        timeout = self.timeout if timeout is None else timeout
        job = {"query": query, "accept_kind": dict(accept_kind), "default_graphs": default_graphs,
               "named_graphs": named_graphs, "row_limit": self.row_limit if row_limit is None else row_limit}
        try:
            status, payload = _execute(self._store(timeout), job)
        except StoreError as exc:
            raise StoreUnavailable(str(exc)) from None
        if status == "ok":
            return QueryResult(*payload)
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "not_acceptable":
            raise NotAcceptable(payload)
        if "did not answer within" in payload:
            raise QueryTimeout(timeout)
        raise QueryFailed(payload)

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        try:
            self._store(timeout or self.timeout).update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        except StoreError as exc:
            raise QueryFailed(str(exc)) from None

    def close(self) -> None:
        """Nothing to release: each call is one HTTP request."""

"""Running the SPARQL a client wrote (the /sparql endpoint and the SPARQL page): in the public lane
of query workers, judged by service/sparql_guard.py first, and at most HEAVY_PER_CLIENT at once per
client address, so one client cannot occupy every worker (the next one gets 429)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from flask import Flask, current_app, request

from kkr.service.backends import pool_for
from kkr.service.query_errors import QueryResult, TooManyQueries
from kkr.service.shared import shared
from kkr.service.sparql_guard import Limits


class ClientSlots:
    """How many queries each client runs now, with a ceiling per client."""

    def __init__(self, per_client: int):
        self.per_client = per_client
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of the client's slots while the block runs; TooManyQueries when none is free."""
        with self._lock:
            if self.per_client > 0 and self._running[client] >= self.per_client:
                raise TooManyQueries(
                    f"This client already runs {self._running[client]} SPARQL "
                    f"quer{'y' if self._running[client] == 1 else 'ies'} at once, the most "
                    "allowed; wait for it to finish, then try again."
                )
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]


def guard_limits(config: Mapping) -> Limits:
    """The guard's limits from the application's settings."""
    return Limits(
        max_length=int(config.get("MAX_QUERY_LENGTH") or Limits.max_length),
        max_depth=int(config.get("MAX_QUERY_DEPTH") or Limits.max_depth),
    )


def _slots(app: Flask) -> ClientSlots:
    return ClientSlots(int(app.config.get("HEAVY_PER_CLIENT") or 0))


def run_client_query(
    text: str,
    *,
    accept_kind: Mapping[str, str | None],
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> QueryResult:
    """Run a client's query with the application's timeout, row limit and guard (QueryError on
    refusal or failure; TooManyQueries when the client has no free slot)."""
    config = current_app.config
    client = request.remote_addr or "unknown"
    with shared("client_slots", _slots).slot(client):
        return pool_for(lane="public").run(
            text,
            accept_kind=accept_kind,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            timeout=config.get("QUERY_TIMEOUT"),
            row_limit=config.get("ROW_LIMIT"),
            guard=guard_limits(config),
        )

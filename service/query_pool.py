"""A pool of worker processes that answer SPARQL queries over the read-only graph store.

Why processes: Oxigraph cannot cancel a running query, and a runaway query (a cross product, a
property path over everything) can hold a CPU and grow memory without bound. Each worker is a
separate process (multiprocessing 'spawn' context: no fork of a parent that holds threads; its code
is service/query_worker.py, the parent's handle on it service/worker_process.py) that opens the store read-only once, cuts itself off from the network
and then runs queries sent over a pipe, answering with the serialised result bytes. While a query
runs the parent watches its worker: past the query's timeout (`QueryTimeout`), or once the worker's
resident memory passes `memory_limit_mb` (`QueryMemoryExceeded`), it SIGKILLs that worker (which
really stops the query and gives its memory back to the system), reaps it and starts a fresh one in
its place; the other workers keep answering meanwhile. A request waits for a free worker (at most as
long as its own timeout, then `PoolBusy`); when `max_waiting` requests already wait, the next one is
refused at once, so queries queued behind slow ones cannot hold every thread of the web server.

Updates need a writable store, which must not coexist with the workers' read-only handles (a
read-only RocksDB handle does not see later writes and may lose files that a writer compacts
away). `update()` therefore pauses the pool (new queries wait), lets the running queries finish,
stops every worker, applies the update in one transaction in a short-lived writable process (so it
can be bounded by the timeout too: killing it before the commit leaves the store as it was), and
starts fresh workers, which see the new state. `restart()` does the same without an update, for
after a `kkr ingest` into the same data directory.

`stats` counts timeouts, memory kills and worker restarts (for /metrics). The interface the
service uses is small (`run`, `update`, `close`; see `QueryBackend`), so a remote SPARQL store
(service/remote_backend.py) stands in for the pool with `--store`.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path

from kkr.service.query_errors import (
    NotAcceptable,
    PoolBusy,
    QueryBackend,
    QueryError,
    QueryFailed,
    QueryMemoryExceeded,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    StoreUnavailable,
    TooManyQueries,
)
from kkr.service.query_worker import update_main
from kkr.service.sparql_guard import Limits
from kkr.service.worker_process import WorkerProcess
from kkr.settings import DEFAULTS

__all__ = [
    "NotAcceptable",
    "PoolBusy",
    "QueryBackend",
    "QueryError",
    "QueryFailed",
    "QueryMemoryExceeded",
    "QueryPool",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "StoreUnavailable",
    "TooManyQueries",
]


class QueryPool:
    """QUERY_WORKERS worker processes over the store in `data_dir` (see the module docstring)."""

    def __init__(
        self,
        data_dir,
        workers: int = 2,
        *,
        timeout: float | None = DEFAULTS.query_timeout,
        row_limit: int | None = DEFAULTS.row_limit,
        start: bool = False,
        startup_timeout: float = 60.0,
        memory_limit_mb: int | None = None,
        max_waiting: int | None = None,
    ):
        self.data_dir = str(Path(data_dir))
        self.size = max(1, int(workers))
        self.timeout = timeout
        self.row_limit = row_limit
        self.memory_limit_mb = memory_limit_mb if memory_limit_mb and memory_limit_mb > 0 else None
        self.max_waiting = max_waiting
        self.stats = {"timeouts": 0, "memory_kills": 0, "restarts": 0}
        self._waiting = 0
        self.startup_timeout = startup_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._update_lock = threading.Lock()
        self._workers: list[WorkerProcess] = []  # all live workers, busy or idle
        self._idle: list[WorkerProcess] = []
        self._busy = 0
        self._paused = False
        self._started = False
        self._closed = False
        atexit.register(_close_at_exit, weakref.ref(self))
        if start:
            self.start()

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers now (else on the first query)."""
        with self._cond:
            self._start_locked()

    def _start_locked(self) -> None:
        if self._closed:
            raise StoreUnavailable("the query pool is closed")
        self._started = True
        self._top_up_locked()

    def _top_up_locked(self) -> None:
        while len(self._workers) < self.size and self._started and not self._closed and not self._paused:
            worker = WorkerProcess(self._ctx, self.data_dir)
            self._workers.append(worker)
            self._idle.append(worker)
            self._cond.notify_all()

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers."""
        with self._cond:
            return [w.pid for w in self._workers]

    def close(self) -> None:
        """Stop every worker (running queries are killed). Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            workers, self._workers, self._idle = self._workers, [], []
            self._cond.notify_all()
        for worker in workers:
            worker.stop(grace=1.0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- queries ------------------------------------------------------------------------------

    def _acquire(self, deadline: float | None) -> WorkerProcess:
        with self._cond:
            if not self._started:
                self._start_locked()
            while True:
                if self._closed:
                    raise StoreUnavailable("the query pool is closed")
                if not self._paused and self._idle:
                    worker = self._idle.pop(0)
                    self._busy += 1
                    return worker
                remaining = None if deadline is None else deadline - time.monotonic()
                if (remaining is not None and remaining <= 0) or (
                    self.max_waiting is not None and self._waiting >= self.max_waiting
                ):
                    raise PoolBusy("All query workers are busy; try again shortly.")
                self._waiting += 1
                try:
                    self._cond.wait(remaining)
                finally:
                    self._waiting -= 1

    def _release(self, worker: WorkerProcess, dead: bool) -> None:
        with self._cond:
            self._busy -= 1
            if dead or self._closed:
                if worker in self._workers:
                    self._workers.remove(worker)
                if dead:
                    self.stats["restarts"] += 1
                self._top_up_locked()  # the replacement starts now
            elif worker in self._workers:
                self._idle.append(worker)
            self._cond.notify_all()
        if dead:
            worker.kill()

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
        """Run a SPARQL query in a worker.

        `accept_kind` maps each result kind ("solutions", "boolean", "graph") to the media type to
        serialise it in (see results.FORMATS), or None when the client accepts no format of that
        kind (NotAcceptable then). `default_graphs`/`named_graphs` (IRIs) replace the query's dataset
        when given (SPARQL protocol default-graph-uri/named-graph-uri). At most `row_limit` rows
        or triples are returned (`truncated` says whether more were left). A client's query comes
        with `guard` (service/sparql_guard.py), which the worker checks before running it.
        Raises a sparql_guard.GuardError, QuerySyntaxError, QueryTimeout, QueryMemoryExceeded, PoolBusy,
        NotAcceptable, StoreUnavailable or QueryFailed.
        """
        timeout = self.timeout if timeout is None else timeout
        timeout = timeout if timeout and timeout > 0 else None
        row_limit = self.row_limit if row_limit is None else row_limit
        job = {
            "query": query,
            "accept_kind": dict(accept_kind),
            "default_graphs": list(default_graphs) if default_graphs is not None else None,
            "named_graphs": list(named_graphs) if named_graphs is not None else None,
            "row_limit": row_limit,
            "guard": guard,
        }
        worker = self._acquire(None if timeout is None else time.monotonic() + timeout)
        dead = False
        try:
            worker.wait_ready(self.startup_timeout)
            worker.conn.send(job)
            status, payload = worker.answer(timeout, self.memory_limit_mb)
        except (QueryTimeout, QueryMemoryExceeded) as exc:
            dead = True
            self._count("timeouts" if isinstance(exc, QueryTimeout) else "memory_kills")
            raise
        except StoreUnavailable:
            dead = True
            raise
        except (EOFError, OSError):
            dead = True
            if self._closed:
                raise StoreUnavailable("the query pool was closed while the query ran") from None
            raise QueryFailed("The query worker stopped unexpectedly (out of memory?); it has been replaced.") from None
        finally:
            self._release(worker, dead)
        if status == "ok":
            body, media_type, truncated, kind, count = payload
            return QueryResult(body, media_type, truncated, kind, count)
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "refused":
            raise payload
        if status == "not_acceptable":
            raise NotAcceptable(payload)
        raise QueryFailed(payload)

    def _count(self, name: str) -> None:
        with self._cond:
            self.stats[name] += 1

    # -- updates and restarts -----------------------------------------------------------------

    def _pause(self) -> list[WorkerProcess]:
        """Stop handing out workers, wait for the running queries, take the workers out."""
        with self._cond:
            self._paused = True
            while self._busy:
                self._cond.wait()
            workers, self._workers, self._idle = self._workers, [], []
        return workers

    def _resume(self) -> None:
        with self._cond:
            self._paused = False
            if self._started:
                self._top_up_locked()
            self._cond.notify_all()

    def restart(self) -> None:
        """Replace every worker by a fresh one (they then see the store as it is now)."""
        with self._update_lock:
            for worker in self._pause():
                worker.stop()
            self._resume()

    def update(self, sparql: str, *, timeout: float | None = None, also_pause: Sequence[QueryPool] = ()) -> None:
        """Apply a SPARQL update as one transaction (see the module docstring). The pools in
        `also_pause` (other lanes over the same store) are paused and restarted with this one."""
        timeout = self.timeout if timeout is None else timeout
        timeout = timeout if timeout and timeout > 0 else None
        pools = [self, *(p for p in also_pause if p is not self)]
        with self._update_lock:
            if self._closed:
                raise StoreUnavailable("the query pool is closed")
            try:
                for pool in pools:
                    for worker in pool._pause():
                        worker.stop()
                self._apply_update(sparql, timeout)
            finally:
                for pool in pools:
                    pool._resume()

    def _apply_update(self, sparql: str, timeout: float | None) -> None:
        conn, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=update_main, args=(child, self.data_dir, sparql, os.getpid()), name="kkr-update", daemon=True
        )
        process.start()
        child.close()
        try:
            # The writer's start-up (a fresh interpreter, opening the store) is not the update's time.
            if not conn.poll(self.startup_timeout):
                process.kill()
                raise StoreUnavailable(f"the update process did not start within {self.startup_timeout:g} s")
            status, payload = conn.recv()
            if status == "ready":
                if not conn.poll(timeout):
                    process.kill()  # the transaction is all or nothing: killed before its commit, nothing changes
                    raise QueryTimeout(timeout, "update")
                status, payload = conn.recv()
        except (EOFError, OSError):
            raise QueryFailed(
                "the update process stopped unexpectedly (an update is applied entirely or not at all)"
            ) from None
        finally:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join(10)
            conn.close()
        if status == "ok":
            return
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "fatal":
            raise StoreUnavailable(payload)
        raise QueryFailed(payload)


def _close_at_exit(ref) -> None:
    pool = ref()
    if pool is not None:
        pool.close()

"""A pool of worker processes that answer SPARQL queries over the read-only graph store.

Why processes: Oxigraph cannot cancel a running query, and a runaway query (a cross product, a
property path over everything) can hold a CPU and grow memory without bound. Each worker is a
separate process (multiprocessing 'spawn' context: no fork of a parent that holds threads) that
opens the store read-only once (`GraphStore.in_data_dir(data_dir, read_only=True)`) and then runs
queries sent over a pipe, answering with the serialised result bytes. When a query runs longer than
its timeout the parent SIGKILLs that worker (which really stops the query and gives its memory back
to the system), reaps it, starts a fresh one in its place and raises `QueryTimeout`; the other
workers keep answering meanwhile. A request waits for a free worker (at most as long as its own
timeout, then `PoolBusy`).

Updates need a writable store, which must not coexist with the workers' read-only handles (a
read-only RocksDB handle does not see later writes and may lose files that a writer compacts
away). `update()` therefore pauses the pool (new queries wait), lets the running queries finish,
stops every worker, applies the update in one transaction in a short-lived writable process (so it
can be bounded by the timeout too: killing it before the commit leaves the store as it was), and
starts fresh workers, which see the new state. `restart()` does the same without an update, for
after a `kkr ingest` into the same data directory.

The interface the service uses is small (`run`, `update`, `close`; see `QueryBackend`), so a
remote SPARQL store can stand in for the pool later.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Protocol, Sequence

# ---------------------------------------------------------------------------------------------
# Errors (each with the HTTP status the service answers with)


class QueryError(Exception):
    status = 500


class QuerySyntaxError(QueryError):
    """The query or update does not parse; the message is the parser's."""
    status = 400


class QueryTimeout(QueryError):
    status = 503

    def __init__(self, timeout: float, what: str = "query"):
        self.timeout = timeout
        super().__init__(f"The {what} was stopped after running longer than the limit of {timeout:g} s. "
                         f"Narrow it down (more specific patterns, LIMIT) and try again.")


class PoolBusy(QueryError):
    status = 503


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
    media_type: str     # Content-Type of body
    truncated: bool     # more rows/triples than row_limit were left out
    kind: str           # "solutions", "boolean" or "graph"
    count: int          # rows or triples in body (1 for ASK)


class QueryBackend(Protocol):
    """What the service needs from a query engine (the local pool now, a remote store later)."""

    def run(self, query: str, *, accept_kind: Mapping[str, str | None],
            default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            timeout: float | None = None, row_limit: int | None = None) -> QueryResult: ...

    def update(self, sparql: str, *, timeout: float | None = None) -> None: ...

    def close(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# The worker side (runs in the child processes)


def _watch_parent(parent_pid: int) -> None:
    """Exit when the parent is gone (even killed), rather than finish a long query for nobody."""
    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(0)
    threading.Thread(target=watch, name="kkr-parent-watch", daemon=True).start()


def _worker_main(conn, data_dir: str, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _watch_parent(parent_pid)
    try:
        from kkr.store import GraphStore

        store = GraphStore.in_data_dir(Path(data_dir), read_only=True)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("fatal", f"cannot open the graph store in {data_dir}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(_execute(store, job))


def _execute(store, job: dict) -> tuple:
    import pyoxigraph as ox

    from kkr.service import results as res

    try:
        kwargs = {}
        if job.get("default_graphs") is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        if job.get("named_graphs") is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        results = store.query(job["query"], **kwargs)
        kind = res.result_kind(results)
        media_type = (job.get("accept_kind") or {}).get(kind)
        fmt = res.format_by_media_type(kind, media_type) if media_type else None
        if fmt is None:
            return ("not_acceptable", kind)
        out = res.serialize(results, fmt, job.get("row_limit"))
        return ("ok", (out.body, out.media_type, out.truncated, out.kind, out.count))
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except Exception as exc:  # noqa: BLE001 - evaluation errors go back to the caller
        return ("error", f"{type(exc).__name__}: {exc}")


def _update_main(conn, data_dir: str, sparql: str, parent_pid: int) -> None:
    """Apply one SPARQL update to the store opened writable, as one transaction, then exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent_pid)
    try:
        from kkr.store import GraphStore

        store = GraphStore.in_data_dir(Path(data_dir))
    except Exception as exc:  # noqa: BLE001
        conn.send(("fatal", f"cannot open the graph store in {data_dir} for writing: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    try:
        # One Store.update call is one transaction in Oxigraph (all operations or none).
        store._store.update(sparql)
        store.flush()
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    del store
    conn.send(("ok", None))


# ---------------------------------------------------------------------------------------------
# The parent side


class _Worker:
    def __init__(self, ctx, data_dir: str):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, data_dir, os.getpid()),
                                   name="kkr-query-worker", daemon=True)
        self.process.start()
        child.close()
        self.pid = self.process.pid
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        """Block until the worker has opened the store; StoreUnavailable if it could not."""
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise StoreUnavailable(f"the query worker did not start within {timeout:g} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            raise StoreUnavailable("the query worker exited while starting") from None
        if status != "ready":
            raise StoreUnavailable(payload)
        self.ready = True

    def kill(self) -> None:
        """SIGKILL and reap (the pid is gone when this returns)."""
        try:
            self.process.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.process.join(10)
        self.conn.close()

    def stop(self, grace: float = 2.0) -> None:
        """Ask the worker to exit; kill it if it does not within `grace` seconds."""
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(grace)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


class QueryPool:
    """QUERY_WORKERS worker processes over the store in `data_dir` (see the module docstring)."""

    def __init__(self, data_dir, workers: int = 2, *, timeout: float | None = 30.0,
                 row_limit: int | None = 10_000, start: bool = False, startup_timeout: float = 60.0):
        self.data_dir = str(Path(data_dir))
        self.size = max(1, int(workers))
        self.timeout = timeout
        self.row_limit = row_limit
        self.startup_timeout = startup_timeout
        self._ctx = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._update_lock = threading.Lock()
        self._workers: list[_Worker] = []   # all live workers, busy or idle
        self._idle: list[_Worker] = []
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
            worker = _Worker(self._ctx, self.data_dir)
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

    def _acquire(self, deadline: float | None) -> _Worker:
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
                if remaining is not None and remaining <= 0:
                    raise PoolBusy("All query workers are busy; try again shortly.")
                self._cond.wait(remaining)

    def _release(self, worker: _Worker, dead: bool) -> None:
        with self._cond:
            self._busy -= 1
            if dead or self._closed:
                if worker in self._workers:
                    self._workers.remove(worker)
                self._top_up_locked()  # the replacement starts now
            elif worker in self._workers:
                self._idle.append(worker)
            self._cond.notify_all()
        if dead:
            worker.kill()

    def run(self, query: str, *, accept_kind: Mapping[str, str | None],
            default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            timeout: float | None = None, row_limit: int | None = None) -> QueryResult:
        """Run a SPARQL query in a worker.

        `accept_kind` maps each result kind ("solutions", "boolean", "graph") to the media type to
        serialise it in (see results.FORMATS), or None when the client accepts no format of that
        kind (NotAcceptable then). `default_graphs`/`named_graphs` (IRIs) replace the query's dataset
        when given (SPARQL protocol default-graph-uri/named-graph-uri). At most `row_limit` rows
        or triples are returned (`truncated` says whether more were left). Raises QuerySyntaxError,
        QueryTimeout, PoolBusy, NotAcceptable, StoreUnavailable or QueryFailed.
        """
        timeout = self.timeout if timeout is None else timeout
        timeout = timeout if timeout and timeout > 0 else None
        row_limit = self.row_limit if row_limit is None else row_limit
        job = {"query": query, "accept_kind": dict(accept_kind),
               "default_graphs": list(default_graphs) if default_graphs is not None else None,
               "named_graphs": list(named_graphs) if named_graphs is not None else None,
               "row_limit": row_limit}
        worker = self._acquire(None if timeout is None else time.monotonic() + timeout)
        dead = False
        try:
            worker.wait_ready(self.startup_timeout)
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                dead = True
                raise QueryTimeout(timeout)
            status, payload = worker.conn.recv()
        except StoreUnavailable:
            dead = True
            raise
        except (EOFError, OSError):
            dead = True
            if self._closed:
                raise StoreUnavailable("the query pool was closed while the query ran") from None
            raise QueryFailed("The query worker stopped unexpectedly (out of memory?); "
                              "it has been replaced.") from None
        finally:
            self._release(worker, dead)
        if status == "ok":
            body, media_type, truncated, kind, count = payload
            return QueryResult(body, media_type, truncated, kind, count)
        if status == "syntax":
            raise QuerySyntaxError(payload)
        if status == "not_acceptable":
            raise NotAcceptable(payload)
        raise QueryFailed(payload)

    # -- updates and restarts -----------------------------------------------------------------

    def _pause(self) -> list[_Worker]:
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

    def update(self, sparql: str, *, timeout: float | None = None) -> None:
        """Apply a SPARQL update as one transaction (see the module docstring)."""
        timeout = self.timeout if timeout is None else timeout
        timeout = timeout if timeout and timeout > 0 else None
        with self._update_lock:
            if self._closed:
                raise StoreUnavailable("the query pool is closed")
            try:
                for worker in self._pause():
                    worker.stop()
                self._apply_update(sparql, timeout)
            finally:
                self._resume()

    def _apply_update(self, sparql: str, timeout: float | None) -> None:
        conn, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_update_main, args=(child, self.data_dir, sparql, os.getpid()),
                                    name="kkr-update", daemon=True)
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
            raise QueryFailed("the update process stopped unexpectedly (an update is applied entirely or not at all)") from None
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


# ---------------------------------------------------------------------------------------------
# The application's pool


def _make_pool(app) -> QueryBackend:
    if app.config.get("STORE_URL"):
        from kkr.service.remote_backend import RemoteBackend

        return RemoteBackend(app.config["STORE_URL"], timeout=app.config.get("QUERY_TIMEOUT"),
                             row_limit=app.config.get("ROW_LIMIT"))
    return QueryPool(app.config["DATA_DIR"], workers=app.config.get("QUERY_WORKERS") or 2,
                     timeout=app.config.get("QUERY_TIMEOUT"), row_limit=app.config.get("ROW_LIMIT"),
                     start=True)


def pool_for(app=None) -> QueryBackend:
    """The application's query backend, created (and its workers started) on first use."""
    from kkr.service.shared import shared

    return shared("query_pool", _make_pool, app)

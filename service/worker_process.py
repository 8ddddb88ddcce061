"""One query worker process as the pool (service/query_pool.py) sees it: starting it, waiting
until it has opened the store, watching it answer a query, stopping and killing it. The code that
runs inside the process is service/query_worker.py.

While a query runs, its worker is watched against the query's timeout (`QueryTimeout`) and, when
the pool has a memory limit, against that limit by the worker's resident memory as Linux reports
it in /proc/<pid>/statm (`QueryMemoryExceeded`); the pool then kills the worker, which really
stops the query and gives its memory back to the system.
"""

from __future__ import annotations

import logging
import os
import time

from kkr.service.query_errors import QueryMemoryExceeded, QueryTimeout, StoreUnavailable
from kkr.service.query_worker import worker_main

# The pool's logger: the workers are the pool's, and operators find its messages under that name.
log = logging.getLogger("kkr.service.query_pool")
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_WATCH_INTERVAL = 0.05  # seconds between two looks at a running worker's memory


def resident_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc), 0 where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


class WorkerProcess:
    """A query worker process over the store in `data_dir`, started at once, and its pipe."""

    def __init__(self, ctx, data_dir: str):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=worker_main, args=(child, data_dir, os.getpid()), name="kkr-query-worker", daemon=True
        )
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
            log.error("a query worker could not start: %s", payload)
            raise StoreUnavailable("the graph store cannot be opened")
        self.ready = True
        _pid, sandboxed = payload
        if not sandboxed:
            _warn_unsandboxed()

    def answer(self, timeout: float | None, memory_limit_mb: int | None) -> tuple:
        """The worker's answer, watching its time and memory meanwhile."""
        deadline = None if timeout is None else time.monotonic() + timeout
        limit = None if memory_limit_mb is None else memory_limit_mb * 1024 * 1024
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise QueryTimeout(timeout)
            wait = remaining if limit is None else min(_WATCH_INTERVAL, remaining or _WATCH_INTERVAL)
            if self.conn.poll(wait):
                return self.conn.recv()
            if limit is not None and resident_bytes(self.pid) > limit:
                raise QueryMemoryExceeded(memory_limit_mb or 0)

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


_warned_unsandboxed = False


def _warn_unsandboxed() -> None:
    global _warned_unsandboxed
    if not _warned_unsandboxed:
        _warned_unsandboxed = True
        log.warning(
            "the query workers could not be cut off from the network (no seccomp here): only the "
            "parse-level refusal of SERVICE and LOAD stands; run the service in a network namespace "
            "or behind an egress firewall"
        )

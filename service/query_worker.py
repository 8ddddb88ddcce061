"""The side of the query pool that runs in the worker processes (service/query_pool.py starts them).

A worker opens the store read-only, closes itself off from the network (service/sandbox.py), says
"ready" and then answers jobs from its pipe: each job is a query, with its dataset, the media type
to serialise each kind of result in, a row limit and, for a client's query, the limits of
service/sparql_guard.py, which the worker checks before the engine sees the text (the parse costs
CPU and memory, which belong in the worker, under its timeout and memory limit, rather than in the
web server). Answers are tuples `(status, payload)`.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from kkr.service import results as res
from kkr.service import sandbox, sparql_guard
from kkr.store import GraphStore


def _watch_parent(parent_pid: int) -> None:
    """Exit when the parent is gone (even killed), rather than finish a long query for nobody."""

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch, name="kkr-parent-watch", daemon=True).start()


def worker_main(conn, data_dir: str, parent_pid: int) -> None:
    """The loop of one query worker: open the store, then answer jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _watch_parent(parent_pid)
    try:
        store = GraphStore.in_data_dir(Path(data_dir), read_only=True)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("fatal", f"cannot open the graph store: {type(exc).__name__}"))
        return
    conn.send(("ready", (os.getpid(), sandbox.deny_network())))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(execute(store, job))


def execute(store, job: dict) -> tuple:
    """Run one job on `store`; never raises."""
    try:
        limits = job.get("guard")
        if limits is not None:
            sparql_guard.check(job["query"], "query", limits)
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
    except sparql_guard.GuardError as exc:
        return ("refused", exc)
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except TimeoutError as exc:  # a remote store's StoreTimeout (the local pool treats it as "error")
        return ("timeout", f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - evaluation errors go back to the caller
        return ("error", f"{type(exc).__name__}: {exc}")


def update_main(conn, data_dir: str, sparql: str, parent_pid: int) -> None:
    """Apply one SPARQL update to the store opened writable, as one transaction, then exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent_pid)
    try:
        store = GraphStore.in_data_dir(Path(data_dir))
    except Exception as exc:  # noqa: BLE001
        conn.send(("fatal", f"cannot open the graph store for writing: {type(exc).__name__}"))
        return
    sandbox.deny_network()
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

"""Process-tree memory for the load benchmark (bench/load_bench.py): VmRSS of a process and all its
descendants (psutil if installed, else /proc walking), a sampler thread keeping peaks, and reaping
of workers a killed server left behind (only pids whose cmdline is unchanged, so never a reused pid)."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path


def tree_rss(pid: int) -> tuple[int, dict[int, int]]:
    """(VmRSS kB of pid, {descendant pid: VmRSS kB})."""
    try:
        import psutil

        p = psutil.Process(pid)  # (a child exiting mid-walk just drops this sample)
        return p.memory_info().rss // 1024, {c.pid: c.memory_info().rss // 1024 for c in p.children(recursive=True)}
    except ImportError:
        pass
    except Exception:
        return 0, {}
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            stat = _read(f"/proc/{d}/stat")
            if b")" in stat:
                parent[int(d)] = int(stat[stat.rindex(b")") + 2 :].split()[1])
    tree, frontier = [], [pid]
    while frontier:
        frontier = [c for c, pp in parent.items() if pp in frontier]
        tree += frontier

    def vmrss(p: int) -> int:
        m = re.search(rb"VmRSS:\s+(\d+)", _read(f"/proc/{p}/status"))
        return int(m.group(1)) if m else 0

    return vmrss(pid), {c: vmrss(c) for c in tree}


def snapshot(pid: int) -> dict[int, bytes]:
    """{descendant pid: its cmdline}, to reap workers left behind without hitting a reused pid."""
    return {c: cmd for c in tree_rss(pid)[1] if (cmd := _read(f"/proc/{c}/cmdline"))}


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def reap(pids: dict[int, bytes]) -> None:
    for pid, cmdline in pids.items():
        if _read(f"/proc/{pid}/cmdline") == cmdline:
            try:
                os.kill(pid, 9)
            except OSError:
                pass


class RssSampler(threading.Thread):
    def __init__(self, pid: int, abort_kb: int, on_abort):
        super().__init__(daemon=True)
        self.pid, self.abort_kb, self.on_abort = pid, abort_kb, on_abort
        self.stop_evt = threading.Event()
        self.reset()

    def reset(self) -> None:
        self.peak_server = self.peak_children = self.peak_child = self.max_children = 0

    def run(self) -> None:
        while not self.stop_evt.wait(0.2):
            server, tree = tree_rss(self.pid)
            kids = list(tree.values())
            self.peak_server = max(self.peak_server, server)
            self.peak_children = max(self.peak_children, sum(kids))
            self.peak_child = max([self.peak_child] + kids)
            self.max_children = max(self.max_children, len(kids))
            if server + sum(kids) > self.abort_kb:
                self.on_abort(server + sum(kids))

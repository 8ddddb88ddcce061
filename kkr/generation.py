"""A marker of the data directory's content: written after every ingest or index change, read by
the service to notice new data (its query workers and index then reload)."""
from __future__ import annotations

import os
import time
from pathlib import Path

MARKER = "GENERATION"


def mark_changed(data_dir: Path) -> None:
    """Record that the store or the index of `data_dir` changed (atomically)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f"{MARKER}.{os.getpid()}.tmp"
    tmp.write_text(str(time.time_ns()), encoding="utf-8")
    os.replace(tmp, data_dir / MARKER)


def current(data_dir: Path) -> str | None:
    """The marker's content, or None before the first change."""
    try:
        return (Path(data_dir) / MARKER).read_text(encoding="utf-8")
    except OSError:
        return None

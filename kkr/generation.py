"""A marker of the data directory's content: written after every ingest or index change, read by
the service to notice new data (its query workers and index then reload)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = "GENERATION"
PENDING = "GENERATION.pending"


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


class Changes:
    """Handed out by `changing`: the writer calls `changed()` once it has written something."""

    def __init__(self) -> None:
        self.any = False

    def changed(self) -> None:
        self.any = True


@contextmanager
def changing(data_dir: Path) -> Iterator[Changes]:
    """Bracket a run that may write the store or the index of `data_dir`.

    The marker is bumped at the end when the run changed something, and also when an earlier run
    was interrupted (killed) after it may have written, but before it could bump the marker (a
    `GENERATION.pending` file, made at the start and removed at the end, tells), and when the run fails. So a service always
    learns of a change, even when the run that finishes the work itself finds nothing to do."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    pending = data_dir / PENDING
    interrupted_before = pending.exists()
    pending.write_text(str(os.getpid()), encoding="utf-8")
    changes = Changes()
    try:
        yield changes
    except BaseException:
        changes.changed()  # it may have written part of its work before it failed
        raise
    finally:
        if changes.any or interrupted_before:
            mark_changed(data_dir)
        pending.unlink(missing_ok=True)

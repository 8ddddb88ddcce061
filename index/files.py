"""Atomic, versioned index files: each write goes to a new generation folder, and the
CURRENT pointer is swapped with os.replace, so readers see the old or the new index, never half."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    gen = index_dir / pointer.read_text(encoding="utf-8").strip()
    return gen if gen.is_dir() else None


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty folder for the next generation (not yet current)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="gen-", dir=index_dir))


def publish(index_dir: Path, generation: Path) -> None:
    """Make `generation` current atomically, then remove older generations."""
    tmp = index_dir / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(generation.name, encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    for old in index_dir.glob("gen-*"):
        if old != generation and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))

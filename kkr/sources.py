"""Content-addressed copies of the ingested source documents, in `DATA_DIR/sources/`.

The graph records a source document by its file name and sha256 only (never a path of the
machine that ran the ingest), so the service cannot find the file where it was read from; it
serves the copy that `kkr ingest` keeps here instead, named `<sha256><suffix>`
(e.g. `3f5c…e1.pdf`). A copy is written to a temporary file and renamed into place, so a
failed or killed ingest leaves no partial copy under the final name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

SOURCES = "sources"
SUFFIXES = (".pdf", ".txt")


def sources_dir(data_dir: Path | str) -> Path:
    """The folder of source copies in a data directory."""
    return Path(data_dir) / SOURCES


def copy_path(folder: Path, sha256: str, name: str) -> Path:
    """Where the copy of the document with these bytes and this file name lives."""
    return Path(folder) / (sha256 + Path(name).suffix.lower())


def keep_copy(folder: Path, data: bytes, sha256: str, name: str) -> Path:
    """Store `data` (whose sha256 is `sha256`) as the copy of the document `name`, atomically;
    a copy already there with these bytes is kept. Raises OSError when it cannot be written."""
    target = copy_path(folder, sha256, name)
    if target.is_file() and file_sha256(target) == sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def find_copy(folder: Path, sha256: str) -> Path | None:
    """The kept copy of the document with this full sha256, if present and unchanged."""
    for suffix in SUFFIXES:
        path = Path(folder) / (sha256 + suffix)
        if path.is_file() and file_sha256(path) == sha256:
            return path
    return None


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def text_for_browser(data: bytes) -> bytes:
    """A text source as UTF-8: unchanged when it is UTF-8, else read as cp1252 (as ingest does)."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace").encode("utf-8")

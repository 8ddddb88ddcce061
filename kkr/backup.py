"""Online backup and restore of a data directory.

A backup holds what the data directory needs to answer queries and searches: the graph store
(`store/`, an Oxigraph snapshot), the current search index generation and its `CURRENT` pointer
(`index/`), the source copies (`sources/`) and the `GENERATION` marker, laid out as in the data
directory, beside `kkr-backup.json`: a manifest with the sha256 of every file.

The store snapshot comes from a read-only handle, as the service's query workers use, so a
running service is not disturbed. Each document is one transaction, so the snapshot never holds
half a document; the backup is also retried (then refused) when an ingest is writing the store,
when the index pointer moves or the GENERATION marker changes while it runs, so the store and
the index of one backup belong together. It is built in a folder beside DEST and renamed into
place, so a failed backup leaves no half backup behind.

Restoring a backup is kkr/restore.py's; the manifest's format, the report and the helpers both
use are here.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kkr import generation
from kkr.errors import KkrError

MANIFEST = "kkr-backup.json"
FORMAT = "kkr-backup/1"
ATTEMPTS = 3
CHUNK = 1 << 20


class BackupError(KkrError):
    """A backup or restore that cannot be made; the message names the file and what to do."""


class _Changed(Exception):
    """The data directory changed while it was being copied (worth another attempt)."""


@dataclass
class Report:
    """What a backup or a restore copied."""

    path: Path
    quads: int
    triples: int
    index_generation: str | None
    files: int
    bytes: int
    seconds: float

    def line(self, verb: str) -> str:
        index = f"index {self.index_generation}" if self.index_generation else "no search index"
        return (
            f"{verb} {self.path}: {self.triples} triples ({self.quads} quads), {index}, "
            f"{self.files} files, {self.bytes / 1e6:.1f} MB, {self.seconds:.1f} s"
        )


# --- backup -----------------------------------------------------------------------------------------


def backup(data_dir: Path, dest: Path) -> Report:
    """Copy the store, the current index, the sources and the GENERATION marker of `data_dir`
    into the new (or empty) folder `dest`, with a manifest; safe while the service runs."""
    started = time.perf_counter()
    data_dir, dest = Path(data_dir).absolute(), Path(dest).absolute()
    if not (data_dir / "store").is_dir():
        raise BackupError(
            f"{data_dir}: no graph store (store/) to back up; give the data directory "
            "with --data, or run 'kkr ingest' first"
        )
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest}: already exists and is not empty; give a new or empty folder for the backup")
    dest.parent.mkdir(parents=True, exist_ok=True)
    problem = ""
    for attempt in range(ATTEMPTS):
        staging = _fresh_dir(dest.parent, f".{dest.name}.partial-")
        try:
            manifest = _snapshot(data_dir, staging)
            break
        except _Changed as exc:
            problem = str(exc)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(staging, ignore_errors=True)
        if attempt + 1 < ATTEMPTS:
            time.sleep(0.5 * (attempt + 1))
    else:
        raise BackupError(
            f"{data_dir}: {problem} (tried {ATTEMPTS} times); run the backup again when "
            "the ingest, index run or update writing the data directory has finished"
        )
    _write_json(staging / MANIFEST, manifest)
    _move_into(staging, dest)
    return _report(dest, manifest, started)


def _snapshot(data_dir: Path, staging: Path) -> dict:
    """Copy everything into `staging`; raises _Changed when a writer interfered."""
    store_dir = data_dir / "store"
    marker = generation.current(data_dir)
    _refuse_writer(store_dir)
    quads, triples = _snapshot_store(store_dir, staging / "store")
    index = _copy_index(data_dir / "index", staging / "index")
    if (data_dir / "sources").is_dir():
        _copy_tree(data_dir / "sources", staging / "sources")
    _refuse_writer(store_dir)
    if generation.current(data_dir) != marker:
        raise _Changed("the data directory changed during the backup (its GENERATION marker moved)")
    if marker is not None:
        (staging / generation.MARKER).write_text(marker, encoding="utf-8")
    return {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kkr_version": _version(),
        "data_dir": str(data_dir),
        "store": {"quads": quads, "triples": triples},
        "index": index,
        "generation": marker,
        "files": _file_list(staging),
    }


def _refuse_writer(store_dir: Path) -> None:
    pid = writer_pid(store_dir)
    if pid is not None:
        raise _Changed(f"the graph store is being written by process {pid} (a 'kkr ingest' or a SPARQL update)")


def _snapshot_store(store_dir: Path, target: Path) -> tuple[int, int]:
    """An Oxigraph backup of the store into `target`; (quads, triples in the default graph)."""
    import pyoxigraph as ox

    try:
        source = ox.Store.read_only(str(store_dir))
        expected = len(source)
        source.backup(str(target))
        if _quads(target) != expected:
            # Writes still only in the write-ahead log (a writer killed before it flushed) are
            # visible to the read-only handle but not part of its checkpoint: copy them as quads.
            shutil.rmtree(target)
            _dump_and_load(source, target)
        del source
    except OSError as exc:
        raise _Changed(f"the store snapshot failed ({exc})") from None
    quads = _quads(target)
    if quads != expected:
        raise _Changed(f"the store snapshot holds {quads} quads, not the {expected} of the store")
    return quads, _triples(target)


def _dump_and_load(source, target: Path) -> None:
    import pyoxigraph as ox

    dump = target.parent / "store.nq"
    source.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    copy = ox.Store(str(target))
    copy.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    copy.flush()
    del copy
    dump.unlink()


def _copy_index(index_dir: Path, target: Path) -> dict | None:
    """Copy the generation that CURRENT names, and CURRENT; None when there is no index."""
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    try:
        shutil.copytree(index_dir / name, target / name)
    except (OSError, shutil.Error) as exc:
        if _read(pointer) != name:
            raise _Changed("the search index was replaced during the backup") from None
        raise BackupError(
            f"{index_dir / name}: the current index generation cannot be read ({exc}); "
            "rebuild it with 'kkr index --rebuild' and back up again"
        ) from None
    if _read(pointer) != name:
        # publish() removes older generations only after moving CURRENT, so an unmoved pointer
        # means the generation was complete and untouched while it was copied.
        raise _Changed("the search index was replaced during the backup")
    (target / "CURRENT").write_text(name, encoding="utf-8")
    return {"generation": name, **_index_facts(target / name)}


def _index_facts(gen: Path) -> dict:
    facts: dict = {}
    try:
        facts["model"] = json.loads((gen / "manifest.json").read_text(encoding="utf-8")).get("model")
        with open(gen / "paragraphs.jsonl", "rb") as fh:
            facts["paragraphs"] = sum(1 for line in fh if line.strip())
    except (OSError, ValueError):
        pass
    return facts


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder whose files only ever appear whole (written under a temporary name starting
    with '.' or ending in '.tmp', then renamed): those temporary files are left out."""
    for folder, _dirs, names in os.walk(src):
        out = dst / Path(folder).relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name.startswith(".") or name.endswith(".tmp"):
                continue
            try:
                shutil.copy2(Path(folder) / name, out / name)
            except FileNotFoundError:
                pass  # removed since it was listed: not part of the data any more


# --- shared -----------------------------------------------------------------------------------------


def writer_pid(store_dir: Path) -> int | None:
    """The process holding the store's write lock (RocksDB's LOCK file), if any.

    Read from /proc/locks rather than by trying the lock: opening and closing the LOCK file would
    drop a POSIX lock that this very process holds. Where /proc/locks is absent, None (unknown).
    """
    try:
        st = os.stat(Path(store_dir) / "LOCK")
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if "->" in fields or len(fields) < 6:
            continue  # a process waiting for a lock, not holding it
        try:
            major, minor, inode = fields[5].split(":")
            if (int(major, 16), int(minor, 16), int(inode)) == (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino):
                return int(fields[4])
        except ValueError:
            continue
    return None


def _quads(store_dir: Path) -> int:
    import pyoxigraph as ox

    return len(ox.Store.read_only(str(store_dir)))


def _triples(store_dir: Path) -> int:
    from kkr.store import GraphStore

    return len(GraphStore(store_dir, read_only=True))


def _file_list(root: Path) -> list[dict]:
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        files.append(
            {"path": path.relative_to(root).as_posix(), "sha256": digest.hexdigest(), "bytes": path.stat().st_size}
        )
    return files


def _move_into(staging: Path, dest: Path) -> None:
    """Rename the finished backup to `dest` (an empty `dest` gets the entries, the manifest last)."""
    if not dest.exists():
        os.rename(staging, dest)
        return
    for entry in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST):
        os.rename(entry, dest / entry.name)
    staging.rmdir()


def _report(path: Path, manifest: dict, started: float) -> Report:
    return Report(
        path=path,
        quads=manifest["store"]["quads"],
        triples=manifest["store"]["triples"],
        index_generation=(manifest.get("index") or {}).get("generation"),
        files=len(manifest["files"]),
        bytes=sum(f.get("bytes", 0) for f in manifest["files"]),
        seconds=time.perf_counter() - started,
    )


def _fresh_dir(parent: Path, prefix: str) -> Path:
    """A new folder in `parent`; unlike tempfile.mkdtemp's (mode 0700) it gets the umask's mode,
    as it becomes the backup or the data directory."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kkr")
    except PackageNotFoundError:
        return "unknown"

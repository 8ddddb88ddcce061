"""Restore of a backup made by kkr/backup.py into a data directory.

A restore checks the manifest's shape, then every file against the manifest's sha256 while
copying it into a folder beside the data directory, and the restored store's quads against the
manifest's count; only then does it swap that folder in with renames, so a damaged backup leaves
the data directory as it was. It then marks the data directory changed, so a running service
reloads.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path, PurePosixPath

from kkr import generation
from kkr.backup import CHUNK, FORMAT, MANIFEST, BackupError, Report, _fresh_dir, _quads, _report, writer_pid


def read_manifest(src: Path) -> dict:
    """The manifest of the backup in `src`, checked for shape (not yet against the files)."""
    path = Path(src) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{path}: missing; {src} is not a kkr backup, or the backup did not finish "
            "(make a new one with 'kkr backup')"
        ) from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: unreadable ({exc}); restore from another backup") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path}: not a manifest of format {FORMAT}; restore with the kkr version "
            f"that made it ({manifest.get('kkr_version') if isinstance(manifest, dict) else '?'})"
        )
    if not isinstance(manifest.get("files"), list) or not isinstance(manifest.get("store"), dict):
        raise BackupError(f"{path}: lacks the list of files or the store's counts; restore from another backup")
    for entry in manifest["files"]:
        if not isinstance(entry, dict):
            raise BackupError(f"{path}: bad file entry {entry!r}; restore from another backup")
        rel = PurePosixPath(str(entry.get("path", "")))
        if rel.is_absolute() or ".." in rel.parts or not rel.parts or not entry.get("sha256"):
            raise BackupError(f"{path}: bad file entry {entry!r}; restore from another backup")
    return manifest


def restore(src: Path, data_dir: Path, force: bool = False) -> Report:
    """Replace the data directory by the backup in `src`, after checking every file's sha256;
    a failure leaves the data directory as it was."""
    started = time.perf_counter()
    src = Path(src).absolute()
    manifest = read_manifest(src)
    data_dir = Path(data_dir).resolve()
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"{data_dir}: not a folder; give the data directory to restore into with --data")
    if data_dir.is_dir() and any(data_dir.iterdir()) and not force:
        raise BackupError(
            f"{data_dir}: not empty; give --force to replace its contents by the backup, "
            "or restore into another folder with --data"
        )
    pid = writer_pid(data_dir / "store")
    if pid is not None:
        raise BackupError(
            f"{data_dir / 'store'}: being written by process {pid} (a 'kkr ingest' or a "
            "SPARQL update); restore when it has finished"
        )
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _fresh_dir(data_dir.parent, f".{data_dir.name}.restore-")
    try:
        for entry in manifest["files"]:
            _copy_checked(src, entry, staging)
        quads = _quads(staging / "store") if (staging / "store").is_dir() else 0
        if quads != manifest["store"].get("quads"):
            raise BackupError(
                f"{src / 'store'}: the restored store holds {quads} quads, not the "
                f"{manifest['store'].get('quads')} of the manifest; restore from another backup"
            )
        _swap(staging, data_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    generation.mark_changed(data_dir)
    return _report(data_dir, manifest, started)


def _copy_checked(src: Path, entry: dict, staging: Path) -> None:
    source = src / entry["path"]
    target = staging / entry["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as fin, open(target, "wb") as fout:
            while chunk := fin.read(CHUNK):
                digest.update(chunk)
                fout.write(chunk)
    except FileNotFoundError:
        raise BackupError(
            f"{source}: listed in the manifest but missing; the backup is incomplete, restore from another backup"
        ) from None
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(
            f"{source}: sha256 does not match the manifest (the file is damaged or was "
            "changed); restore from another backup"
        )
    shutil.copystat(source, target)


def _swap(staging: Path, data_dir: Path) -> None:
    """Put `staging` in the place of `data_dir` with renames, the old one back if that fails."""
    if not data_dir.exists():
        os.rename(staging, data_dir)
        return
    old = data_dir.parent / f".{data_dir.name}.old-{os.getpid()}-{time.time_ns()}"
    os.rename(data_dir, old)
    try:
        os.rename(staging, data_dir)
    except BaseException:
        os.rename(old, data_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)

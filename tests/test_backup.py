"""`kkr backup` and `kkr restore`: an online, consistent, checked copy of a data directory."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kkr import backup as backup_module
from kkr import generation
from kkr.cli import main
from kkr.index import files
from kkr.store import GraphStore
from tests.conftest import SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")
MEETINGS = "@" + str(SAMPLES / "meetings.rq")
SEARCH = "kontingent til EU-kontoret"


def kkr(*args: str):
    """The real CLI, in this process."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def quads(data_dir: Path) -> int:
    return len(ox.Store.read_only(str(data_dir / "store")))


def tree(path: Path) -> dict[str, str]:
    """Every file under `path` with its sha256."""
    return {
        p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def backup_dir(search_data, tmp_path_factory) -> Path:
    """A backup of the search corpus, made while another thread queries the store."""
    dest = tmp_path_factory.mktemp("backups") / "b1"
    store = GraphStore.in_data_dir(search_data, read_only=True)  # as the service's workers read it
    stop, started, ran, errors = threading.Event(), threading.Event(), [0], []

    def query():
        while not stop.is_set():
            try:
                assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"] > 0
                ran[0] += 1
                started.set()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                started.set()
                return

    reader = threading.Thread(target=query)
    reader.start()
    try:
        started.wait(30)
        before = ran[0]
        result = kkr("backup", dest, "--data", search_data)
        during = ran[0] - before
    finally:
        stop.set()
        reader.join()
    assert result.exit_code == 0, result.output
    assert not errors and during > 0, (errors, during)
    assert result.output.startswith(f"backup {dest}: ")
    return dest


def test_manifest_lists_every_file_with_its_sha256(backup_dir, search_data):
    manifest = json.loads((backup_dir / "kkr-backup.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "kkr-backup/1" and manifest["kkr_version"]
    assert manifest["created"].endswith("+00:00")
    assert manifest["store"]["quads"] == quads(search_data)
    assert manifest["store"]["triples"] == len(GraphStore.in_data_dir(search_data, read_only=True))
    current = (search_data / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    assert manifest["index"]["generation"] == current and manifest["index"]["paragraphs"] > 0
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = tree(backup_dir)
    on_disk.pop("kkr-backup.json")
    assert listed == on_disk
    assert f"index/{current}/vectors.npy" in listed and "index/CURRENT" in listed
    assert any(p.startswith("store/") for p in listed)
    assert not any(p.startswith("index/gen-") and not p.startswith(f"index/{current}/") for p in listed)


def test_restore_gives_the_same_graph_and_search(backup_dir, search_data, tmp_path):
    target = tmp_path / "restored"
    result = kkr("restore", backup_dir, "--data", target)
    assert result.exit_code == 0, result.output
    assert quads(target) == quads(search_data)
    original = kkr("sparql", MEETINGS, "--data", search_data, "--format", "csv").output
    assert kkr("sparql", MEETINGS, "--data", target, "--format", "csv").output == original
    assert original.count("\n") > 4
    hits = kkr("search", SEARCH, "-k", "5", "--json", "--data", search_data).output
    assert kkr("search", SEARCH, "-k", "5", "--json", "--data", target).output == hits
    assert json.loads(hits)["hits"]
    assert generation.current(target)  # marked changed, so a running service reloads
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_a_corrupt_backup_is_refused_and_the_target_left_as_it_was(backup_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(backup_dir, broken)
    manifest = json.loads((broken / "kkr-backup.json").read_text(encoding="utf-8"))
    victim = next(f["path"] for f in manifest["files"] if f["path"].endswith(".sst"))
    data = bytearray((broken / victim).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (broken / victim).write_bytes(bytes(data))

    target = tmp_path / "data"
    assert kkr("restore", backup_dir, "--data", target).exit_code == 0
    before = tree(target)
    result = CliRunner().invoke(main, ["restore", str(broken), "--data", str(target), "--force"])
    assert result.exit_code == 1
    assert f"{broken / victim}: sha256 does not match the manifest" in result.output
    assert "restore from another backup" in result.output
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "data"]


def test_a_missing_file_is_named(backup_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(backup_dir, broken)
    (broken / "index" / "CURRENT").unlink()
    result = CliRunner().invoke(main, ["restore", str(broken), "--data", str(tmp_path / "data")])
    assert result.exit_code == 1
    assert f"{broken / 'index' / 'CURRENT'}: listed in the manifest but missing" in result.output
    assert not (tmp_path / "data").exists()


def test_refusals(backup_dir, search_data, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    out = CliRunner().invoke(main, ["backup", str(tmp_path / "full"), "--data", str(search_data)])
    assert out.exit_code == 1 and "already exists and is not empty" in out.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kkr("backup", empty, "--data", search_data).exit_code == 0  # an empty folder will do
    assert (empty / "kkr-backup.json").is_file()

    out = CliRunner().invoke(main, ["restore", str(backup_dir), "--data", str(tmp_path / "full")])
    assert out.exit_code == 1 and "not empty; give --force" in out.output
    assert tree(tmp_path / "full") == {"x": hashlib.sha256(b"x").hexdigest()}
    out = CliRunner().invoke(main, ["restore", str(tmp_path / "full"), "--data", str(tmp_path / "new")])
    assert out.exit_code == 1 and "kkr-backup.json: missing" in out.output
    out = CliRunner().invoke(main, ["backup", str(tmp_path / "b"), "--data", str(tmp_path / "nothing")])
    assert out.exit_code == 1 and "no graph store" in out.output


def test_index_published_during_the_backup_is_not_torn(search_data, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(search_data, data)
    index_dir = data / "index"
    old = files.current_generation(index_dir)
    copytree = shutil.copytree
    published = []

    def copy_while_kkr_index_publishes(src, dst, *args, **kwargs):
        if Path(src) == old and not published:  # `kkr index` publishes a new generation meanwhile
            new = files.new_generation(index_dir)
            for f in old.iterdir():
                shutil.copy2(f, new / f.name)
            files.publish(index_dir, new)  # removes the old generation
            published.append(new.name)
        return copytree(src, dst, *args, **kwargs)

    monkeypatch.setattr(backup_module.shutil, "copytree", copy_while_kkr_index_publishes)
    report = backup_module.backup(data, tmp_path / "b")
    monkeypatch.undo()
    assert published and report.index_generation == published[0] != old.name
    assert kkr("restore", tmp_path / "b", "--data", tmp_path / "r").exit_code == 0
    assert (
        kkr("search", SEARCH, "--json", "--data", tmp_path / "r").output
        == kkr("search", SEARCH, "--json", "--data", search_data).output
    )


def test_a_store_being_written_is_not_backed_up(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys, time, pyoxigraph as ox
        store = ox.Store({str(data / "store")!r})
        store.update('INSERT DATA {{ <http://a> <http://b> <http://c> }}')
        print('open', flush=True)
        sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "open"
        assert backup_module.writer_pid(data / "store") == writer.pid
        out = CliRunner().invoke(main, ["backup", str(tmp_path / "b"), "--data", str(data)])
        assert out.exit_code == 1
        assert f"being written by process {writer.pid}" in out.output
        assert "run the backup again when" in out.output
        assert not (tmp_path / "b").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    finally:
        writer.stdin.close()
        writer.wait(30)
    assert backup_module.writer_pid(data / "store") is None


def test_writes_not_yet_flushed_are_in_the_backup(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import os, pyoxigraph as ox
        store = ox.Store({str(data / "store")!r})
        store.update('INSERT DATA {{ <http://a> <http://b> <http://c> }}')
        store.flush()
        store.update('INSERT DATA {{ GRAPH <http://g> {{ <http://a> <http://b> <http://d> }} }}')
        os._exit(0)  # killed: the last write is only in the write-ahead log
        """),
        ],
        check=True,
        timeout=60,
    )
    assert kkr("backup", tmp_path / "b", "--data", data).exit_code == 0
    assert kkr("restore", tmp_path / "b", "--data", tmp_path / "r").exit_code == 0
    assert quads(tmp_path / "r") == quads(data) == 2


def test_a_running_service_serves_the_restored_data(backup_dir, tmp_path, make_app):
    target = tmp_path / "data"
    small = tmp_path / "small"
    ingest = subprocess.run(
        [KKR, "ingest", str(SAMPLES / "kkr-sjaelland-2025-03-10.txt"), "--data", str(small), "--no-index"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert kkr("backup", tmp_path / "small-backup", "--data", small).exit_code == 0
    assert kkr("restore", backup_dir, "--data", target).exit_code == 0

    client = make_app(target).test_client()  # built mid-test, over the data just restored
    count = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a <http://data.vlaanderen.be/ns/besluit#Zitting> }"

    def meetings() -> int:
        response = client.get(
            "/sparql", query_string={"query": count}, headers={"Accept": "application/sparql-results+json"}
        )
        return int(response.json["results"]["bindings"][0]["n"]["value"])

    expected = GraphStore.in_data_dir(small, read_only=True).select(count)[0]["n"]
    assert meetings() > expected
    assert kkr("restore", tmp_path / "small-backup", "--data", target, "--force").exit_code == 0
    assert meetings() == expected
    assert client.get("/healthz").status_code == 200
    assert os.listdir(tmp_path) and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

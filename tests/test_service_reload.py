"""A running service notices `kkr ingest` into its data directory: new minutes are searchable and
queryable without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kkr.service.backends import pool_for
from tests.conftest import SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")


def ingest(path: Path, data: Path) -> None:
    out = subprocess.run([KKR, "ingest", str(path), "--data", str(data)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr


# Each test ingests into a data directory of its own, then builds the app (`make_app`) over it.


def test_new_minutes_appear_in_a_running_service(make_app, tmp_path):
    data = tmp_path / "data"
    ingest(SAMPLES / "kkr-sjaelland-2025-03-10.txt", data)
    app = make_app(data)
    client = app.test_client()
    before = client.get("/cases/SAG-2025-00964").json
    assert [i["meeting_date"] for i in before["items"]] == ["2025-03-10"]
    assert all(h["body"] == "KKR Sjælland" for h in client.get("/search", query_string={"q": "EU"}).json["hits"])
    old_pids = set(pool_for(app).worker_pids())

    ingest(SAMPLES / "kkr-sjaelland-2025-06-16.txt", data)
    ingest(SAMPLES / "kkr-nordjylland-2025-05-05.txt", data)

    after = client.get("/cases/SAG-2025-00964").json
    assert [i["meeting_date"] for i in after["items"]] == ["2025-03-10", "2025-06-16"]
    assert not old_pids & set(pool_for(app).worker_pids())  # fresh workers read the new store
    hits = client.get("/search", query_string={"q": "fælles EU-rådgivning pilotforløb", "body": "KKR Nordjylland"})
    assert hits.json["hits"] and hits.json["hits"][0]["meeting_date"] == "2025-05-05"
    assert client.get("/healthz").json["index"]["paragraphs"] > 40


def test_service_is_fresh_after_an_interrupted_ingest_is_completed(make_app, tmp_path):
    """kill -9 of `kkr ingest` in its index phase (the store already written, the marker not yet
    bumped), then the same ingest again, which finds every document unchanged: the running
    service must still come to see the new meeting."""
    data = tmp_path / "data"
    ingest(SAMPLES / "kkr-sjaelland-2025-03-10.txt", data)
    client = make_app(data).test_client()
    assert [i["meeting_date"] for i in client.get("/cases/SAG-2025-00964").json["items"]] == ["2025-03-10"]
    second = SAMPLES / "kkr-sjaelland-2025-06-16.txt"
    run = subprocess.Popen(
        [KKR, "ingest", str(second), "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        summary = run.stdout.readline()  # printed when the store is written, before the index phase
        assert "1 documents ingested" in summary, summary
        run.kill()
    finally:
        run.wait(60)
    assert run.returncode == -9
    assert (data / "GENERATION.pending").exists()

    again = subprocess.run(
        [KKR, "ingest", str(second), "--data", str(data)], capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stderr
    assert "0 documents ingested (1 unchanged" in again.stdout
    assert not (data / "GENERATION.pending").exists()

    after = client.get("/cases/SAG-2025-00964").json
    assert [i["meeting_date"] for i in after["items"]] == ["2025-03-10", "2025-06-16"]
    hits = client.get("/search", query_string={"q": "EU", "from": "2025-06-16", "to": "2025-06-16"}).json["hits"]
    assert hits and all(h["meeting_date"] == "2025-06-16" for h in hits)

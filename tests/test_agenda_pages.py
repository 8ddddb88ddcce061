"""Agenda-only meetings as the service shows them: the home page, the meeting page and /search
say which meetings have only their agenda in, and search leaves out an agenda's paragraphs once
the minutes of its meeting are in. Through `kkr ingest` (the CLI, with its --type option and the
report of a re-issue), then the real service app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")
AGENDAS = Path(__file__).parent / "agendas"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([KKR, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("agenda-pages")
    docs = tmp_path_factory.mktemp("agenda-docs")
    shutil.copyfile(SAMPLES / "kkr-sjaelland-2025-09-22.txt", docs / "kkr-sjaelland-2025-09-22.txt")
    # the agenda under a neutral file name: --type says what it is
    shutil.copyfile(AGENDAS / "kkr-sjaelland-2025-09-22-dagsorden.txt", docs / "kkr-sjaelland-2025-09-22-a.txt")
    out = run("ingest", docs / "kkr-sjaelland-2025-09-22.txt", "--data", data, "--no-index")
    assert out.returncode == 0, out.stderr
    out = run("ingest", docs / "kkr-sjaelland-2025-09-22-a.txt", "--type", "agenda", "--data", data, "--no-index")
    assert out.returncode == 0, out.stderr
    out = run("ingest", AGENDAS / "kkr-sjaelland-2026-03-09-dagsorden.txt", "--data", data)  # indexes all three
    assert out.returncode == 0, out.stderr
    return data


@pytest.fixture(scope="module")
def app_config(data) -> dict:
    return {"DATA_DIR": str(data), "QUERY_WORKERS": 1}


def test_home_page_marks_agenda_only_meetings(client):
    html = client.get("/", headers=BROWSER).get_data(as_text=True)
    march = html.split('datetime="2026-03-09"', 1)[1].split("</li>", 1)[0]
    september = html.split('datetime="2025-09-22"', 1)[1].split("</li>", 1)[0]
    assert "kun dagsorden" in march and "kun dagsorden" not in september


def test_meeting_page_says_the_minutes_are_not_in(client):
    agenda_only = client.get("/id/meeting/kkr-sjaelland/2026-03-09", headers=BROWSER).get_data(as_text=True)
    assert "Kun dagsordenen er indlæst" in agenda_only
    both = client.get("/id/meeting/kkr-sjaelland/2025-09-22", headers=BROWSER).get_data(as_text=True)
    assert "Kun dagsordenen er indlæst" not in both
    assert "Kildedokument: kkr-sjaelland-2025-09-22.txt" in both  # the minutes are the source cited


def test_search_marks_agenda_hits_and_prefers_minutes(client):
    hits = client.get("/search", query_string={"q": "busdrift trafikselskab 2027", "k": 3}).json["hits"]
    assert hits[0]["meeting_date"] == "2026-03-09" and hits[0]["agenda_only"] is True
    assert hits[0]["graph"].endswith("/graph/kkr-sjaelland/2026-03-09/agenda")
    # a sentence only the agenda of 2025-09-22 has: its minutes are in, so it is not found there
    hits = client.get("/search", query_string={"q": "notat om mulighederne eftersendes", "k": 10}).json["hits"]
    assert all(not h["graph"].endswith("2025-09-22/agenda") for h in hits)
    assert all(h["agenda_only"] is False for h in hits if h["meeting_date"] == "2025-09-22")
    assert any(h["meeting_date"] == "2025-09-22" for h in hits)  # the minutes still answer
    page = client.get("/search", query_string={"q": "busdrift trafikselskab"}, headers=BROWSER).get_data(as_text=True)
    assert "kun dagsorden" in page


def test_a_reissue_is_reported_by_the_cli(data, tmp_path):
    corrected = tmp_path / "kkr-sjaelland-2025-09-22-rettet.txt"
    corrected.write_text(
        (SAMPLES / "kkr-sjaelland-2025-09-22.txt").read_text(encoding="utf-8") + "\nRettet udgave.\n",
        encoding="utf-8",
    )
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    out = run("ingest", corrected, "--data", copy, "--no-index")
    assert out.returncode == 0, out.stderr
    assert f"{corrected.name} replaces kkr-sjaelland-2025-09-22.txt (same meeting and document type)" in out.stderr


def test_answers_cite_the_minutes_not_a_superseded_agenda(client):
    r = client.get("/ask", query_string={"q": "Hvad står der om notatet om fælles indkøb, der eftersendes?"})
    texts = [c["text"] for c in r.json["citations"]]
    assert texts and r.json["citations"][0]["meeting_date"] == "2025-09-22"
    assert not any("eftersendes" in t for t in texts)  # only the agenda says it, and its minutes are in
    r = client.get("/ask", query_string={"q": "Hvad skal kommunerne melde til trafikselskabet om busdrift?"})
    assert r.json["citations"][0]["meeting_date"] == "2026-03-09"  # agenda-only: the agenda answers


def test_the_latest_meeting_of_a_decision_is_the_latest_with_minutes(client):
    # the 9 March 2026 meeting has only its agenda: nothing was decided there yet
    r = client.get("/ask", query_string={"q": "Hvad besluttede KKR Sjælland på seneste møde?"})
    assert r.json["interpretation"]["date_from"] == "2025-09-22"
    r = client.get("/ask", query_string={"q": "Hvad er på dagsordenen for KKR Sjælland på seneste møde?"})
    assert r.json["interpretation"]["date_from"] == "2026-03-09"


def test_the_next_meeting_is_the_first_after_the_latest_minutes(client):
    # minutes up to 22 September 2025; the agenda of 9 March 2026 announces the next meeting
    r = client.get("/ask", query_string={"q": "Hvornår er næste møde i KKR Sjælland?"})
    assert r.json["interpretation"]["kind"] == "schedule"
    assert r.json["answer"].splitlines()[1].startswith("- 9. marts 2026, KKR Sjælland")
    assert r.json["citations"][0]["meeting_date"] == "2026-03-09"

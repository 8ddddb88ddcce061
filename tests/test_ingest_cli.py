"""`kkr ingest` and `kkr sparql` as a user runs them: real processes, real files, real store."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kkr.contract import MEETINGS
from kkr.store import GraphStore
from tests.conftest import SAMPLES
from tests.support.render_pdf import make_corrupt_pdf, make_encrypted_pdf, make_image_only_pdf, make_not_minutes_txt

KKR = str(Path(sys.executable).parent / "kkr")


def run(*args, index: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """Run kkr; ingest builds only the graph unless `index` (embedding is tested in test_search)."""
    args = [*map(str, args)]
    if args[0] == "ingest" and not index:
        args.append("--no-index")
    return subprocess.run([KKR, *args], capture_output=True, text=True, timeout=600, **kwargs)


LINKS = "https://w3id.org/kkr/graph/links"


def graph_state(data: Path) -> list[tuple]:
    """Every quad of the documents' graphs, sorted: to compare states exactly. (The links graph
    is derived from all documents and is recomputed when one arrives; test_tracing covers it.)"""
    store = GraphStore.in_data_dir(data, read_only=True)
    rows = store.select(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{LINKS}>) }}")
    state = sorted((str(r["g"]), r["s"], r["p"], str(r["o"])) for r in rows)
    union = {(r["s"], r["p"], str(r["o"])) for r in store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")}
    named = {(r["s"], r["p"], str(r["o"])) for r in store.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert union == named  # the default graph is exactly the union of the named graphs
    return state


@pytest.fixture
def seeded(tmp_path) -> Path:
    """A data directory holding the four sample minutes."""
    data = tmp_path / "data"
    result = run("ingest", SAMPLES, "--data", data)
    assert result.returncode == 0, result.stderr
    return data


BAD_INPUTS = {
    "empty.txt": (lambda p: p.write_bytes(b""), "the file is empty"),
    "scanned.pdf": (make_image_only_pdf, "no text layer"),
    "corrupt.pdf": (make_corrupt_pdf, "corrupt"),
    "encrypted.pdf": (make_encrypted_pdf, "encrypted"),
    "newsletter.txt": (make_not_minutes_txt, "no agenda items"),
    "minutes.docx": (lambda p: p.write_bytes(b"PK\x03\x04 not really"), "unsupported file type"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_one_clear_line_others_ingested_store_unchanged(tmp_path, seeded, name):
    make, problem = BAD_INPUTS[name]
    bad = tmp_path / name
    make(bad)
    before = graph_state(seeded)
    good = tmp_path / "kkr-midtjylland-2025-10-20-referat.txt"
    shutil.copyfile(SAMPLES / "kkr-nordjylland-2025-05-05.txt", good)  # a good file in the same run
    good.write_text(good.read_text(encoding="utf-8").replace("KKR Nordjylland", "KKR Syddanmark"), encoding="utf-8")
    result = run("ingest", bad, good, "--data", seeded)
    assert result.returncode == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1
    assert str(bad) in errors[0] and problem in errors[0]
    assert "1 documents ingested" in result.stdout and "1 failed" in result.stdout
    after = graph_state(seeded)
    added = set(after) - set(before)
    assert not set(before) - set(after)  # nothing lost
    assert added and all("kkr-syddanmark" in g for g, s, p, o in added)


def test_missing_date_is_refused_not_guessed(tmp_path):
    text = (SAMPLES / "kkr-nordjylland-2025-05-05.txt").read_text(encoding="utf-8")
    undated = tmp_path / "minutes.txt"
    undated.write_text(text.replace("Mødedato: 5. maj 2025", "Mødested flyttet"), encoding="utf-8")
    result = run("ingest", undated, "--data", tmp_path / "data")
    assert result.returncode == 1
    assert "meeting date is neither printed" in result.stderr and "--date" in result.stderr
    ok = run("ingest", undated, "--data", tmp_path / "data", "--date", "2025-05-05")
    assert ok.returncode == 0, ok.stderr


def test_summary_and_quiet_progress_when_piped(tmp_path):
    result = run("ingest", SAMPLES, "--data", tmp_path / "data", index=True)
    assert result.returncode == 0
    line, index_line = result.stdout.strip().splitlines()[-2:]
    assert line.startswith("4 documents ingested (0 unchanged, 0 failed), 4 meetings, 19 items, ")
    assert "triples in the store" in line and line.endswith(" s")
    assert index_line.startswith("index: 4 documents (re)indexed, 0 removed, ") and "paragraphs embedded" in index_line
    assert "ingest:" not in result.stderr and "%" not in result.stderr  # no progress bar in a pipe


def test_progress_bar_on_a_terminal(tmp_path):
    import pty

    out = []
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 100 columns, as a user's would be
        import fcntl
        import struct
        import termios

        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        os.execv(KKR, [KKR, "ingest", str(SAMPLES), "--data", str(tmp_path / "data"), "--no-index"])
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out.append(chunk.decode(errors="replace"))
    os.waitpid(pid, 0)
    shown = "".join(out)
    assert "ingest: 100%" in shown and "4/4" in shown


def test_unchanged_document_is_a_no_op_and_changed_one_replaces_its_graph(tmp_path, seeded):
    before = graph_state(seeded)
    again = run("ingest", SAMPLES, "--data", seeded)
    assert "0 documents ingested (4 unchanged" in again.stdout
    assert graph_state(seeded) == before
    changed = tmp_path / "kkr-nordjylland-2025-05-05.txt"
    text = (SAMPLES / changed.name).read_text(encoding="utf-8")
    assert "Indstillingen blev ikke godkendt" in text
    changed.write_text(text.replace("Indstillingen blev ikke godkendt", "Sagen blev udsat"), encoding="utf-8")
    result = run("ingest", changed, "--data", seeded)
    assert "1 documents ingested" in result.stdout
    store = GraphStore.in_data_dir(seeded, read_only=True)
    outcomes = store.select("""PREFIX kkr: <https://w3id.org/kkr/ns#> SELECT ?o WHERE {
        <https://w3id.org/kkr/id/meeting/kkr-nordjylland/2025-05-05/item/2.2> kkr:decision/kkr:outcome ?o }""")
    assert [r["o"] for r in outcomes] == ["https://w3id.org/kkr/ns#Postponed"]
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(graphs) == 7  # four documents, ontology, glossary, links: the old version is gone


def test_sparql_formats(seeded):
    as_json = json.loads(run("sparql", MEETINGS, "--data", seeded).stdout)
    dates = [b["date"]["value"] for b in as_json["results"]["bindings"]]
    assert dates == sorted(dates) and {"2025-03-10", "2025-05-05", "2025-06-16", "2025-09-22"} <= set(dates)
    as_csv = list(csv.reader(io.StringIO(run("sparql", MEETINGS, "--data", seeded, "--format", "csv").stdout)))
    assert as_csv[0] == ["meeting", "body", "date"] and ["KKR Sjælland", "2025-09-22"] == as_csv[-1][1:]
    tsv = run("sparql", MEETINGS, "--data", seeded, "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?meeting\t?body\t?date"
    xml = run("sparql", MEETINGS, "--data", seeded, "--format", "xml").stdout
    assert "<sparql" in xml and "KKR Nordjylland" in xml
    construct = "CONSTRUCT { ?m <http://purl.org/dc/terms/date> ?d } WHERE { ?m <http://purl.org/dc/terms/date> ?d }"
    turtle = run("sparql", construct, "--data", seeded).stdout
    assert "<https://w3id.org/kkr/id/meeting/kkr-sjaelland/2025-06-16>" in turtle
    jsonld = json.loads(run("sparql", construct, "--data", seeded, "--format", "jsonld").stdout)
    assert any("kkr-sjaelland/2025-06-16" in json.dumps(node) for node in jsonld)
    bad = run("sparql", "SELECT WHERE {", "--data", seeded)
    assert bad.returncode != 0 and "query failed" in bad.stderr


def test_killed_mid_ingest_leaves_every_graph_whole(tmp_path, seeded):
    """SIGKILL during a long run: each document's graph is either fully there or absent."""
    src = tmp_path / "many"
    src.mkdir()
    text = (SAMPLES / "kkr-sjaelland-2025-09-22.txt").read_text(encoding="utf-8")
    for n in range(90):
        day, month = n % 28 + 1, ["november", "december", "januar"][n // 28 % 3]
        year = 2026 if month == "januar" else 2025
        (src / f"m{n:02d}.txt").write_text(
            text.replace("Mødedato: 22. september 2025", f"Mødedato: {day}. {month} {year}"), encoding="utf-8"
        )
    reference = tmp_path / "reference"
    assert run("ingest", src / "m00.txt", "--data", reference).returncode == 0
    per_graph = len([q for q in graph_state(reference) if q[0].endswith("2025-11-01")])
    assert per_graph > 300
    before = graph_state(seeded)
    proc = subprocess.Popen(
        [KKR, "ingest", str(src), "--data", str(seeded), "--no-index"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(4.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = graph_state(seeded)
    assert set(before) <= set(after)
    counts: dict[str, int] = {}
    for g, *_ in after:
        if "/graph/kkr-sjaelland/2025-11-" in g or "/graph/kkr-sjaelland/2025-12-" in g or "2026-01-" in g:
            counts[g] = counts.get(g, 0) + 1
    assert 0 < len(counts) < 90, len(counts)  # killed part-way through the run
    assert all(n == per_graph for n in counts.values()), counts

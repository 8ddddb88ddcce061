"""Cross-meeting tracing: case timelines, threads of one matter, deadlines, entity pages' data;
order independence; thread quality against the threads labelled in samples/expected.json."""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from kkr import tracing
from kkr.ingest.pipeline import ingest_paths
from kkr.store import GraphStore
from tests.conftest import BASE, SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
SERIES = sorted(SAMPLES.glob("kkr-*.txt"))


def item_iri(ref: str) -> str:
    """'kkr-sjaelland-2025-06-16.txt#2.2' → the item's IRI."""
    name, number = ref.split("#")
    e = EXPECTED[name]
    body = e["body"].lower().replace(" ", "-").replace("æ", "ae")
    return f"{BASE}meeting/{body}/{e['date']}/item/{number}"


def build(tmp_path, name: str, order: list[Path]) -> GraphStore:
    store = GraphStore.in_data_dir(tmp_path / name)
    for path in order:  # one document per run: the worst case for order dependence
        summary = ingest_paths([path], store, base=BASE)
        assert not summary.errors
    return store


def links_of(store) -> set[tuple[str, str]]:
    rows = store.select("SELECT ?a ?b WHERE { ?a <https://w3id.org/kkr/ns#continues> ?b }")
    return {(r["a"], r["b"]) for r in rows}


def snapshot(store) -> dict:
    items = [
        r["i"]
        for r in store.select("SELECT ?i WHERE { ?i a <http://data.vlaanderen.be/ns/besluit#Agendapunt> } ORDER BY ?i")
    ]
    cases = [
        r["c"]
        for r in store.select(
            "SELECT DISTINCT ?c WHERE { ?x <https://w3id.org/kkr/ns#case>/"
            "<http://purl.org/dc/terms/identifier> ?c } ORDER BY ?c"
        )
    ]
    continuation = sorted(
        (r["s"], r["p"], str(r["o"]))
        for r in store.select("SELECT ?s ?p ?o WHERE { GRAPH <https://w3id.org/kkr/graph/links> { ?s ?p ?o } }")
    )
    return {
        "timelines": {c: tracing.case_timeline(store, c) for c in cases},
        "threads": {i: tracing.thread(store, i) for i in items},
        "deadlines": tracing.deadlines(store),
        "links graph": continuation,
    }


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> GraphStore:
    return build(tmp_path_factory.mktemp("series"), "forward", SERIES)


def test_two_orders_give_the_same_timelines_threads_and_deadlines(tmp_path, series):
    backwards = build(tmp_path, "backwards", SERIES[::-1])
    shuffled = build(tmp_path, "shuffled", [SERIES[2], SERIES[0], SERIES[3], SERIES[1], SERIES[2]])
    reference = snapshot(series)
    assert reference["links graph"] and reference["deadlines"]
    assert snapshot(backwards) == reference
    assert snapshot(shuffled) == reference


def test_thread_links_precision_and_recall_against_labelled_threads(series):
    truth = set()
    for thread in EXPECTED["threads"]:
        iris = [item_iri(ref) for ref in thread]
        truth |= {frozenset(pair) for pair in combinations(iris, 2)}
    predicted = {frozenset(pair) for pair in links_of(series)}
    # pairs in the same predicted thread (connected through links), as an analyst sees them
    in_threads = set()
    for a, _ in links_of(series):
        members = [i["item_iri"] for i in tracing.thread(series, a)["items"]]
        in_threads |= {frozenset(p) for p in combinations(members, 2)}
    for pairs in (predicted, in_threads):
        precision = len(pairs & truth) / len(pairs)
        recall = len(pairs & truth) / len(truth)
        print(
            f"thread pairs: precision {precision:.2f}, recall {recall:.2f} ({len(pairs)} predicted, {len(truth)} true)"
        )
        assert precision >= 0.9 and recall >= 0.9


def test_unrelated_items_under_a_container_case_stay_out(series):
    gceu = tracing.thread(series, item_iri("kkr-sjaelland-2025-09-22.txt#2.1"))["items"]
    assert [(i["meeting_date"], i["item_number"]) for i in gceu] == [
        ("2025-03-10", "2.2"),
        ("2025-06-16", "2.1"),
        ("2025-09-22", "2.1"),
    ]
    assert all(i["case"] == "SAG-2024-05812" for i in gceu)
    timeline = tracing.case_timeline(series, "SAG-2024-05812")["items"]
    assert len(timeline) > len(gceu)  # the container holds more than the one matter
    assert gceu[1]["reason"].startswith("back-reference from 2025-06-16 to the meeting of 2025-03-10")
    assert 0.45 <= gceu[1]["score"] <= 1.0
    # the other council's item on the same organisation is a different matter
    assert not any(i["body"] == "KKR Nordjylland" for i in gceu)


def test_decision_that_sends_the_matter_on_is_evidence(series):
    akut = tracing.thread(series, item_iri("kkr-sjaelland-2025-06-16.txt#2.2"))["items"]
    last = akut[-1]
    assert (last["meeting_date"], last["item_number"]) == ("2025-09-22", "2.3")
    assert "the decision of 2025-06-16 sent the matter to the meeting of 2025-09-22" in last["reason"]


def test_routine_items_start_no_thread(series):
    approvals = tracing.thread(series, item_iri("kkr-sjaelland-2025-06-16.txt#1.1"))["items"]
    assert [i["item_number"] for i in approvals] == ["1.1"]


def test_deadlines_of_the_series(series):
    got = [
        (d["meeting_date"], d["item_number"], d["kind"].replace("æ", "ae"), d["date"], d["printed"])
        for d in tracing.deadlines(series)
    ]
    want = sorted(
        [
            (EXPECTED[n]["date"], d["item"], d["kind"], d["date"], d["printed"])
            for n in EXPECTED
            if n.endswith(".txt")
            for d in EXPECTED[n]["deadlines"]
        ],
        key=lambda x: (x[3], x[0], x[1]),
    )
    assert [(g[0], g[1], g[3]) for g in got] == [(w[0], w[1], w[3]) for w in want]
    for g, w in zip(got, want, strict=True):
        assert g[2] == w[2] and w[4].endswith(g[4])
    assert [d["date"] for d in tracing.deadlines(series, "2026-03-15", "2026-04-30")] == ["2026-04-01"]
    assert tracing.deadlines(series, body="KKR Nordjylland") == []


def test_case_timeline_orders_item_numbers_numerically(tmp_path):
    text = (SAMPLES / "kkr-nordjylland-2025-05-05.txt").read_text(encoding="utf-8")
    lines = ["Referat", "KKR Syddanmark", "Mødedato: 2. juni 2025", "", "3. Sager", ""]
    for n in (1, 2, 9, 10, 11):
        lines += [
            f"3.{n}. Sag nummer {n} om samme emne",
            "SAG-2025-07777 abc",
            "",
            "Baggrund",
            f"Tekst for punkt {n}.",
            "",
            "Beslutning",
            "Godkendt",
            "",
        ]
    doc = tmp_path / "syd.txt"
    doc.write_text("\n".join(lines), encoding="utf-8")
    assert text  # the layout follows the samples
    store = GraphStore.in_data_dir(tmp_path / "data")
    assert not ingest_paths([doc], store, base=BASE).errors
    numbers = [i["item_number"] for i in tracing.case_timeline(store, "SAG-2025-07777")["items"]]
    assert numbers == ["3.1", "3.2", "3.9", "3.10", "3.11"]


def test_entity_items_newest_first(series):
    e = tracing.entity(series, BASE + "org/greater-copenhagen-eu-office")
    assert e["label"] == "Greater Copenhagen EU Office" and "GCEU" in e["aliases"]
    dates = [i["meeting_date"] for i in e["items"]]
    assert dates == sorted(dates, reverse=True) and {"2025-05-05", "2025-09-22"} <= set(dates)
    assert all(i["decision"] for i in e["items"])
    assert tracing.entity(series, BASE + "org/no-such-org") is None


def test_real_minutes_deadlines_and_back_reference(real_store):
    item31 = "https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20/item/3.1"
    found = {(d["date"], d["kind"]) for d in tracing.deadlines(real_store) if d["item_iri"] == item31}
    assert {("2026-04-01", "inden"), ("2026-05-01", "senest")} <= found
    rows = real_store.select("""SELECT ?m WHERE { <https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20/item/3.2>
        <http://purl.org/dc/terms/references> ?m }""")
    assert [r["m"] for r in rows] == ["https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-09-03"]
    ahead = tracing.deadlines(real_store, body="KKR Midtjylland")
    assert ("2026-01-01", "2026-03-31", "forelæggelse") in {(d["date"], d["end_date"], d["kind"]) for d in ahead}


@pytest.fixture(scope="module")
def app_config(tmp_path_factory) -> dict:
    """The samples ingested by `kkr ingest --no-index`."""
    data = tmp_path_factory.mktemp("tracing-service")
    out = subprocess.run(
        [KKR, "ingest", str(SAMPLES), "--data", str(data), "--no-index"], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return {"DATA_DIR": str(data), "QUERY_WORKERS": 1}


def test_tracing_endpoints(client):
    c = client
    r = c.get("/cases/SAG-2025-00964")
    assert r.status_code == 200 and [i["meeting_date"] for i in r.json["items"]] == [
        "2025-03-10",
        "2025-06-16",
        "2025-09-22",
    ]
    assert set(r.json["items"][0]) >= {
        "meeting_date",
        "body",
        "item_number",
        "title",
        "outcome",
        "decision",
        "item_iri",
    }
    assert c.get("/cases/SAG-1999-00001").status_code == 404
    assert c.get("/cases/not-a-case").status_code == 400
    r = c.get("/thread", query_string={"item": item_iri("kkr-sjaelland-2025-06-16.txt#2.1")})
    assert r.status_code == 200 and [i["item_number"] for i in r.json["items"]] == ["2.2", "2.1", "2.1"]
    assert all("reason" in i and "score" in i for i in r.json["items"])
    assert c.get("/thread").status_code == 400
    r = c.get("/deadlines", query_string={"from": "2026-01-01", "body": "KKR Sjælland"})
    assert [d["kind"] for d in r.json["deadlines"]] == ["svarfrist", "inden", "senest"]
    assert c.get("/deadlines", query_string={"from": "1/1/2026"}).status_code == 400
    r = c.get("/entities/org/greater-copenhagen-eu-office")
    assert r.status_code == 200 and r.json["items"][0]["meeting_date"] == "2025-09-22"
    assert c.get("/entities/greater-copenhagen-eu-office").json["label"] == "Greater Copenhagen EU Office"
    assert c.get("/entities/org/nobody").status_code == 404


def test_cli_case_thread_deadlines(tmp_path):
    data = tmp_path / "data"
    assert (
        subprocess.run(
            [KKR, "ingest", str(SAMPLES), "--data", str(data), "--no-index"], capture_output=True, timeout=300
        ).returncode
        == 0
    )
    case = json.loads(
        subprocess.run(
            [KKR, "case", "SAG-2025-00964", "--json", "--data", str(data)], capture_output=True, text=True, timeout=120
        ).stdout
    )
    assert [i["item_number"] for i in case["items"]] == ["2.1", "2.2", "2.3"]
    thread = subprocess.run(
        [KKR, "thread", "meeting/kkr-sjaelland/2025-09-22/item/2.3", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert thread.splitlines()[0].startswith("2025-03-10  KKR Sjælland    2.1")
    deadlines = subprocess.run(
        [KKR, "deadlines", "--from", "2026-01-01", "--data", str(data)], capture_output=True, text=True, timeout=120
    ).stdout.splitlines()
    assert [ln.split()[0] for ln in deadlines] == ["2026-03-01", "2026-04-01", "2026-05-01"]

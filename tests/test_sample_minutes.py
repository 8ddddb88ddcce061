"""Done-when of ingest on the project's own sample minutes, rendered to PDF and ingested
without --body or --date: the same assertions as on the real minutes, against samples/expected.json."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from kkr.contract import AGENDA, CASE, MEETINGS, ORG_MENTIONS
from tests import graph_facts as facts
from tests.conftest import SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(k for k in EXPECTED if k.endswith(".txt"))


@pytest.fixture(params=[(f, kind) for f in FILES for kind in ("pdf", "txt")], ids=lambda p: f"{p[0]}-{p[1]}")
def sample(request):
    """One sample meeting, from the PDF rendering or from the text source."""
    name, kind = request.param
    store = request.getfixturevalue("sample_store" if kind == "pdf" else "sample_text_store")
    e = EXPECTED[name]
    return store, facts.meeting_iri(store, e["body"], e["date"]), e


def test_body_and_date_read_from_the_header(sample_store):
    rows = sample_store.select(MEETINGS)
    got = {(r["body"], str(r["date"])) for r in rows}
    for name in FILES:
        assert (EXPECTED[name]["body"], EXPECTED[name]["date"]) in got


def test_items_titles_cases_handlers_outcomes(sample):
    store, meeting, e = sample
    got = [
        (r["number"], r["title"], r["case"], sorted(r["handlers"].split("/")) if r["handlers"] else [], r["outcome"])
        for r in facts.items(store, meeting)
    ]
    want = [(i["number"], i["title"], i["case"], sorted(i["handlers"]), i["outcome"]) for i in e["items"]]
    assert got == want


def test_sections_of_each_item(sample):
    store, meeting, e = sample
    rows = store.select(f"""PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
        PREFIX schema: <https://schema.org/>
        SELECT ?number ?heading WHERE {{ <{meeting}> besluit:behandelt ?i . ?i kkr:itemNumber ?number ;
        kkr:section ?s . ?s kkr:heading ?heading ; schema:position ?pos }} ORDER BY ?number ?pos""")
    got: dict[str, list[str]] = {}
    for r in rows:
        got.setdefault(r["number"], []).append(r["heading"])
    assert got == {i["number"]: i["sections"] for i in e["items"]}


def test_every_amount_normalised(sample):
    store, meeting, e = sample
    want = Counter((a["item"], a["printed"], a["value"]) for a in e["amounts"])
    assert facts.amounts(store, meeting) == want


def test_every_date_and_period(sample):
    store, meeting, e = sample
    assert facts.dates(store, meeting) | {e["date"]} == set(e["dates"])
    got = facts.periods(store, meeting)
    for p in e["periods"]:
        assert (p["printed"], p["start"], p["end"]) in got


def test_every_organisation_with_aliases_merged(sample):
    store, meeting, e = sample
    orgs = facts.organisations(store, meeting)
    for org in e["organisations"]:
        assert org["name"] in orgs, org["name"]
        assert set(org["printed"]) - {org["name"]} <= orgs[org["name"]], (org, orgs[org["name"]])


def test_persons(sample):
    store, meeting, e = sample
    assert facts.persons(store, meeting) == set(e["persons"])


def test_references_to_other_meetings(sample):
    """Earlier meetings the minutes refer to, and the next meeting they plan (Nordjylland 4.1)."""
    store, meeting, e = sample
    assert facts.references(store, meeting) == {(r["item"], e["body"], r["date"]) for r in e["references"]}


def test_container_case_across_three_meetings(sample_store):
    rows = sample_store.select(CASE % "SAG-2024-05812")
    assert sorted({str(r["date"]) for r in rows}) == ["2025-03-10", "2025-06-16", "2025-09-22"]
    want = sorted(
        (e["date"], i["number"])
        for e in EXPECTED.values()
        if isinstance(e, dict) and "items" in e
        for i in e["items"]
        if i["case"] == "SAG-2024-05812"
    )
    assert [(str(r["date"]), r["number"]) for r in rows] == want


def test_alias_query_spans_bodies(sample_store):
    dates = {str(r["date"]) for r in sample_store.select(ORG_MENTIONS % "GCEU")}
    assert {"2025-03-10", "2025-06-16", "2025-09-22", "2025-05-05"} <= dates


def test_agenda_query_with_danish_outcome_labels(sample_store):
    e = EXPECTED["kkr-sjaelland-2025-09-22.txt"]
    rows = sample_store.select(AGENDA % e["date"])
    labels = {
        "Approved": "Godkendt",
        "ApprovedWithChanges": "Godkendt med ændringer",
        "PartiallyApproved": "Delvist godkendt",
        "Noted": "Taget til efterretning",
        "Rejected": "Ikke godkendt",
        "Postponed": "Udsat",
        "Appointed": "Valg og udpegninger",
        "OtherOutcome": "Andet udfald",
    }
    assert [(r["number"], r["outcome"]) for r in rows] == [(i["number"], labels[i["outcome"]]) for i in e["items"]]

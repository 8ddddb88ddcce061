"""Questions whose period, table or planned meeting decides the answer, over two minutes of one
council written for this test: a matter treated in 2025 and again in 2026 under one case number,
a meeting's introduction with its attendees and apologies, a next meeting planned with its place, a table printed in tab columns with years as row labels
and a column in tonnes. Each test names the reading it checks."""

from __future__ import annotations

import pytest

from kkr.index.paragraph_index import sync_index
from kkr.index.search import Searcher
from kkr.ingest.pipeline import ingest_paths
from kkr.qa.answer import Answerer
from kkr.store import GraphStore

BASE = "https://w3id.org/kkr/id/"

AUTUMN_2025 = """Referat
KKR Syddanmark
Mødedato: 6. oktober 2025
Mødested: Rådhuset, Haderslev

1. Godkendelse af referat

1.1. Godkendelse af referat fra mødet den 1. september 2025
SAG-2025-07001 abc

Baggrund
Referatet er udsendt til medlemmerne.

Beslutning
Godkendt

2. Natur og miljø

2.1. Fælles vandløbsplan for de syddanske kommuner 2026-2029
SAG-2025-07010 def

Baggrund
Kommunerne har udarbejdet et udkast til en fælles vandløbsplan for 2026-2029. Planen skal samle vedligeholdelsen af de større vandløb.

Indstilling
Det indstilles, at KKR Syddanmark godkender udkastet til vandløbsplanen.

Sagsfremstilling
Kommunerne skal sende deres ønsker til vedligeholdelsen for 2026 senest den 1. november 2025.

Beslutning
Ikke godkendt. KKR Syddanmark ønsker et nyt udkast, hvor udgifterne er fordelt.
"""

WINTER_2026 = """Referat
KKR Syddanmark
Mødedato: 26. januar 2026
Mødested: Rådhuset, Haderslev

Deltagere:
Borgmester Åse Holmgaard, Haderslev Kommune (formand)
Borgmester Jens Kokholm, Tønder Kommune

Afbud:
Borgmester Pia Lundsgaard, Sønderborg Kommune

Formand Åse Holmgaard bød velkommen.

1. Godkendelse af referat

1.1. Godkendelse af referat fra mødet den 6. oktober 2025
SAG-2026-00101 abc

Baggrund
Referatet er udsendt til medlemmerne.

Beslutning
Godkendt

1.2. Meddelelser fra formanden
SAG-2026-00102 abc

Baggrund
Formanden orienterede om KL's arbejde med økonomiaftalen.

Beslutning
Taget til efterretning

2. Natur og miljø

2.1. Fælles vandløbsplan for de syddanske kommuner 2026-2029: nyt udkast
SAG-2025-07010 def

Baggrund
KKR Syddanmark godkendte ikke det første udkast på mødet den 6. oktober 2025. Det nye udkast fordeler udgifterne efter vandløbenes længde.

Indstilling
Det indstilles, at KKR Syddanmark godkender det nye udkast.

Sagsfremstilling
Kommunerne skal sende deres ønsker til vedligeholdelsen for 2027 senest den 1. marts 2026.

Beslutning
Godkendt

2.2. Fælles udbud af indsamling af haveaffald
SAG-2026-00140 ghi

Baggrund
Det fælles affaldsselskab foreslår et fælles udbud af indsamlingen af haveaffald. Selskabet skønner, at udbuddet giver en besparelse på 0,9 mio. kr. om året.

Sagsfremstilling
Tabellen viser de indsamlede mængder og antallet af tilsyn med genbrugspladserne.

År\tHaveaffald (ton)\tTilsyn
2024\t4.100\t38
2025\t4.350\t41
I alt\t8.450\t79

Beslutning
Taget til efterretning

2.3. Kollektiv trafik: bestillinger for 2027
SAG-2026-00145 jkl

Baggrund
Sydtrafik skal have kommunernes bestillinger af lokal bustrafik for 2027 senest den 1. april 2026. FynBus har bedt de fynske kommuner om deres bestillinger senest den 15. april 2026.

Beslutning
Taget til efterretning

3. Næste møde

3.1. Næste møde
SAG-2026-00150 abc

Baggrund
Næste møde i KKR Syddanmark holdes mandag den 8. juni 2026 på Sønderborg Rådhus.

Beslutning
Taget til efterretning
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory) -> Answerer:
    sources = tmp_path_factory.mktemp("periods-src")
    (sources / "kkr-syddanmark-2025-10-06-referat.txt").write_text(AUTUMN_2025, encoding="utf-8")
    (sources / "kkr-syddanmark-2026-01-26-referat.txt").write_text(WINTER_2026, encoding="utf-8")
    data = tmp_path_factory.mktemp("periods-data")
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths([sources], store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    sync_index(store, data)
    store.close() if hasattr(store, "close") else None
    return Answerer(GraphStore.in_data_dir(data, read_only=True), Searcher.open(data))


def _first(result: dict) -> str:
    assert result["citations"], result["answer"]
    c = result["citations"][0]
    return f"{c['meeting_date']}/{c['item_number']}"


def _item(date: str, number: str) -> str:
    return f"{BASE}meeting/kkr-syddanmark/{date}/item/{number}"


def test_a_bare_year_puts_that_years_meeting_first(answerer):
    # both items print 2026 ("2026-2029"); the year names the meeting that decided
    assert _first(answerer.ask("vandløbsplanen beslutning 2026")) == "2026-01-26/2.1"
    assert _first(answerer.ask("vandløbsplanen beslutning 2025")) == "2025-10-06/2.1"


def test_a_decision_asked_with_no_period_gives_the_cases_latest_treatment_first(answerer):
    result = answerer.ask("Hvad besluttede KKR Syddanmark om vandløbsplanen?")
    assert [c["item_iri"] for c in result["citations"][:2]] == [
        _item("2026-01-26", "2.1"),
        _item("2025-10-06", "2.1"),
    ]


def test_a_year_that_is_the_matters_keeps_the_sentence_that_prints_it(answerer):
    result = answerer.ask("Hvornår skal kommunerne sende ønsker til vedligeholdelsen for 2027?")
    assert _first(result) == "2026-01-26/2.1"
    assert "1. marts 2026" in result["answer"] and "1. november 2025" not in result["answer"]


def test_the_next_meeting_the_minutes_plan_is_known_with_its_place(answerer):
    result = answerer.ask("Hvor og hvornår holder KKR Syddanmark møde i juni 2026?")
    assert result["interpretation"]["kind"] == "schedule"
    assert "8. juni 2026" in result["answer"] and "Sønderborg Rådhus" in result["answer"]
    assert _first(result) == "2026-01-26/3.1"  # the sentence that plans it is cited


def test_the_next_meeting_after_a_date(answerer):
    result = answerer.ask("When is the next KKR Syddanmark meeting after 26 January 2026, and where?")
    assert "8 June 2026" in result["answer"] and "Sønderborg Rådhus" in result["answer"]
    # after 6 October 2025 the next meeting is the one of 26 January 2026, not June's
    earlier = answerer.ask("When is the next KKR Syddanmark meeting after 6 October 2025?")
    assert earlier["answer"].splitlines()[1].startswith("- 26 January 2026"), earlier["answer"]


def test_a_count_reads_the_column_whose_heading_names_what_is_counted(answerer):
    result = answerer.ask("Hvor mange tilsyn var der i alt med genbrugspladserne?")
    assert result["answer"].splitlines()[1].startswith("- 79:"), result["answer"]
    assert _first(result) == "2026-01-26/2.2"


def test_an_amount_is_not_answered_by_figures_in_another_unit(answerer):
    result = answerer.ask("Hvor meget sparer kommunerne ved det fælles udbud af haveaffald?")
    assert "0,9 mio. kr." in result["answer"].splitlines()[1], result["answer"]
    assert "4.100" not in result["answer"] and "8.450" not in result["answer"]


def test_a_figure_of_a_year_given_at_a_later_meeting(answerer):
    # no 2025 meeting speaks of garden waste: 2025 is the figure's year
    result = answerer.ask("Hvor mange ton haveaffald blev indsamlet i 2025?")
    assert _first(result) == "2026-01-26/2.2"
    assert "4.350" in result["answer"]


def test_a_list_clause_after_a_month_and_year(answerer):
    result = answerer.ask("syddanmark januar 2026 - hvilke sager blev taget til efterretning")
    interp = result["interpretation"]
    assert (interp["kind"], interp["date_from"], interp["date_to"]) == ("list", "2026-01-01", "2026-01-31")
    assert {c["item_number"] for c in result["citations"]} == {"1.2", "2.2", "2.3", "3.1"}


@pytest.mark.parametrize("question", ["what did the KKRs decide last January", "hvad blev besluttet i januar"])
def test_a_month_without_its_year_is_the_latest_such_month(answerer, question):
    interp = answerer.ask(question)["interpretation"]
    assert (interp["date_from"], interp["date_to"]) == ("2026-01-01", "2026-01-31")


def test_a_dated_sentence_that_speaks_of_nothing_asked_is_no_answer(answerer):
    # the item speaks of haveaffald; none of its dated sentences of the opening of a station
    result = answerer.ask("Hvornår åbner genbrugsstationen i Tønder?")
    assert result["citations"] == [], result["answer"]


def test_the_meetings_introduction_answers_who_sent_apologies(answerer):
    result = answerer.ask("Hvem havde meldt afbud til mødet i KKR Syddanmark i januar 2026?")
    assert "Pia Lundsgaard" in result["answer"]
    # cited as the meeting itself: the introduction belongs to no item
    assert result["citations"][0]["item_iri"] == f"{BASE}meeting/kkr-syddanmark/2026-01-26"
    assert "mødets indledning" in result["answer"]


def test_the_chair_named_in_the_introduction_is_the_councils(answerer):
    result = answerer.ask("Hvem er formand for KKR Syddanmark?")
    assert result["answer"].splitlines()[1].startswith("- Åse Holmgaard"), result["answer"]


def test_the_introduction_is_a_section_of_the_meeting_in_the_graph(answerer):
    rows = answerer.store.select(
        """PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX schema: <https://schema.org/>
        SELECT ?m ?type ?text ?page WHERE { ?m kkr:introduction ?s . ?s kkr:sectionType ?type ;
          kkr:paragraph ?p . ?p prov:value ?text ; kkr:page ?page ; schema:position ?pos } ORDER BY ?pos"""
    )
    assert [(str(r["m"]), str(r["type"]), str(r["text"]), int(r["page"])) for r in rows] == [
        (f"{BASE}meeting/kkr-syddanmark/2026-01-26", "https://w3id.org/kkr/ns#OtherSection", text, 1)
        for text in (
            "Deltagere: Borgmester Åse Holmgaard, Haderslev Kommune (formand); Borgmester Jens Kokholm, Tønder Kommune",
            "Afbud: Borgmester Pia Lundsgaard, Sønderborg Kommune",
            "Formand Åse Holmgaard bød velkommen.",
        )
    ]


def test_two_organisations_compared_are_answered_side_by_side(answerer):
    # no item names both in one sentence; "Movia" and "FynBus" are short names not printed in capitals
    result = answerer.ask("Compare FynBus's and Sydtrafik's deadlines for the 2027 bus orders")
    assert {e["label"] for e in result["interpretation"]["entities"]} == {"FynBus", "Sydtrafik"}
    assert "15 April 2026" in result["answer"] and "1 April 2026" in result["answer"]
    assert _first(result) == "2026-01-26/2.3"


def test_the_meetings_after_a_month_start_the_day_after_it(answerer):
    result = answerer.ask("Where and when does KKR Syddanmark meet after its January 2026 meeting?")
    assert result["interpretation"]["date_from"] == "2026-02-01"
    meetings = [ln for ln in result["answer"].splitlines() if ln.startswith("- ")]
    assert len(meetings) == 1 and meetings[0].startswith("- 8 June 2026"), result["answer"]
    assert "Sønderborg Rådhus" in result["answer"] and _first(result) == "2026-01-26/3.1"
    # "since" a month includes it
    since = answerer.ask("KKR Syddanmark møder siden januar 2026")["interpretation"]
    assert since["date_from"] == "2026-01-01"


def test_where_a_meeting_of_a_month_was_held(answerer):
    result = answerer.ask("hvor blev syddanmarks kkr-møde i januar 2026 holdt")
    assert result["interpretation"]["kind"] == "schedule"
    assert "Rådhuset, Haderslev" in result["answer"]


def test_the_verb_of_deciding_is_no_topic(answerer):
    # the garden-waste item never prints "besluttede"; it must still answer
    result = answerer.ask("Hvad besluttede KKR Syddanmark om haveaffald?")
    assert _first(result) == "2026-01-26/2.2"
    assert "besluttede" not in [c["surface"].lower() for c in result["interpretation"]["concepts"]]


def test_a_compound_typed_for_a_concept_asks_for_more_than_its_label(answerer):
    interp = answerer.interpret("Hvad besluttede KKR Nordjylland om akutpladser?")
    groups = answerer.relevance.groups(interp)
    asked = [g for g in groups if frozenset({"akutplads"}) in g]
    assert asked and frozenset({"plads"}) not in asked[0]


@pytest.mark.parametrize(
    "question",
    [
        "syddanmark januar 2026: hvilke sager blev taget til efterretning",
        "syddanmark januar 2026 hvad blev taget til efterretning",
        "what did KKR Syddanmark merely take note of at its meeting this past january",
    ],
)
def test_a_council_a_month_and_an_outcome_list_those_items(answerer, question):
    result = answerer.ask(question)
    interp = result["interpretation"]
    assert (interp["kind"], interp["date_from"], interp["date_to"]) == ("list", "2026-01-01", "2026-01-31"), interp
    assert {c["item_number"] for c in result["citations"]} == {"1.2", "2.2", "2.3", "3.1"}


def test_an_overview_of_a_meetings_decisions(answerer):
    result = answerer.ask("KKR Syddanmark, January 2026 meeting: give me an overview of what was decided")
    assert result["interpretation"]["kind"] == "list"
    assert {c["item_number"] for c in result["citations"]} >= {"1.1", "2.1", "2.2", "2.3", "3.1"}


def test_a_decision_of_a_planned_meeting_without_minutes_is_not_answered(answerer):
    # 8 June 2026 is known only from the minutes that plan it: nothing was decided there yet
    result = answerer.ask("Hvad blev besluttet på KKR Syddanmarks møde den 8. juni 2026?")
    assert result["citations"] == [], result["answer"]
    assert result["interpretation"]["date_from"] == "2026-06-08"


def test_a_case_number_asked_keeps_the_answer_to_that_cases_items(answerer):
    # "udgifterne" are spoken of in other items too; the case number decides
    result = answerer.ask("Hvad blev besluttet om udgifterne i sag SAG-2025-07010?")
    assert result["interpretation"]["case"] == "SAG-2025-07010"
    assert {c["item_iri"] for c in result["citations"]} <= {_item("2026-01-26", "2.1"), _item("2025-10-06", "2.1")}
    assert "SAG" not in result["interpretation"]["topic"]
    # a case number whose items speak of none of the words asked still gives its items
    other = answerer.ask("what happened with SAG-2026-00140?")
    assert [c["item_iri"] for c in other["citations"]][:1] == [_item("2026-01-26", "2.2")], other["answer"]

"""Done-when of ingest on the real minutes of KKR Midtjylland, 20 October 2025."""

from __future__ import annotations

from collections import Counter

import pytest

from kkr.contract import AGENDA, CASE, MEETINGS, MONEY_IN_DECISIONS, ORG_MENTIONS
from tests import graph_facts as facts

CURRENT, OLD = "SAG-2025-03802", "SAG-2022-03436"
EXPECTED_ITEMS = [
    ("1.1", "Godkendelse af referat fra mødet den 3. september 2025", CURRENT, "chbn", "Approved"),
    ("2.1", "Siden sidst", CURRENT, "chbn/jhp", "Noted"),
    ("3.1", "Arbejdet med implementeringen af sundhedsreformen", CURRENT, "asf/jjc/jhp", "Noted"),
    (
        "3.2",
        "Central Denmark EU Office, klimasekretariat, kultursamarbejde samt projektmuligheder",
        CURRENT,
        "chbn",
        # the Indstilling asks for several things (the CDEU cooperation with 2 mio. kr. extra, 1 mio. kr.
        # for the climate secretariat, 2 mio. kr. for a project office); the Beslutning "godkendte at der
        # afsættes 1,0 mio. ekstra til én ekstra medarbejder til ... klimasekretariat" grants one of them
        "PartiallyApproved",
    ),
    ("3.3", "Resultatkontrakt KKR Midtjylland og Erhvervshus Midtjylland", CURRENT, "chbn", "ApprovedWithChanges"),
    (
        "3.4",
        "Regional rammeaftale om samarbejde og koordinering af tilbud om danskuddannelse til voksne "
        "udlændige 2025-2029",
        OLD,
        "snm/chbn",
        "Approved",
    ),
    ("5.1", "Anbefalinger til det kommende KKR Midtjylland", CURRENT, "chbn/jhp", "Approved"),
    ("5.2", "KKR’s udpegelser af politiske repræsentanter til regionale fora", OLD, "snm/chbn/jhp", "Noted"),
    (
        "5.3",
        "KKR's anbefalinger til kriterier og organisationer for erhvervshusenes nye bestyrelser 2026-2030",
        OLD,
        "snm",
        "Approved",
    ),
    ("5.4", "Forretningsorden for KKR 2026-2030", OLD, "snm", "Noted"),
    ("5.5", "Proces- og tidsplan for valg og konstituering af KKR 2026-2030", OLD, "snm", "Noted"),
    ("6.1", "Punkter til næste møde i KKR Midtjylland", OLD, "snm", "Noted"),
]
MEETING = "https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20"


def test_exactly_the_twelve_items_with_titles_cases_and_outcomes(real_store):
    rows = facts.items(real_store, MEETING)
    got = [(r["number"], r["title"], r["case"], "/".join(sorted(r["handlers"].split("/"))), r["outcome"]) for r in rows]
    want = [(n, t, c, "/".join(sorted(h.split("/"))), o) for n, t, c, h, o in EXPECTED_ITEMS]
    assert got == want


def test_every_amount_printed_normalised_to_whole_kroner(real_store):
    m = lambda printed, value, n=1: {("3.2", printed, value): n}  # noqa: E731
    want = Counter({("2.1", "900.000 kr.", 900_000): 1, ("2.1", "300.000 kr.", 300_000): 1})
    for part in (
        m("1 mio. kr.", 1_000_000, 2),
        m("2 mio. kr.", 2_000_000, 4),
        m("2,6 mio. kr.", 2_600_000),
        m("8,1 mio. kr.", 8_100_000, 2),
        m("5,8 mio. kr.", 5_800_000),
        m("1,3 mio. kr.", 1_300_000, 2),
        m("1,0 mio. kr.", 1_000_000),
        m("2. mio. kr.", 2_000_000, 2),
        m("600.000 kr.", 600_000),
        m("1,0 mio.", 1_000_000),
    ):
        want.update(part)
    assert facts.amounts(real_store, MEETING) == want


def test_money_in_decisions_contract_query(real_store):
    rows = real_store.select(MONEY_IN_DECISIONS)
    assert [(r["number"], int(r["value"]), r["printed"]) for r in rows] == [("3.2", 1_000_000, "1,0 mio.")]


def test_every_date_printed_as_iso(real_store):
    assert facts.dates(real_store, MEETING) == {
        "2025-09-03",
        "2025-10-02",
        "2025-10-06",
        "2025-10-10",
        "2025-10-20",
        "2026-01-01",
        "2026-03-20",
        "2026-04-01",
        "2026-05-01",
        "2027-01-01",
        "2028-01-01",
        "2026-01-19",
        "2025-03-20",
        "2025-08-20",
        "2025-09-25",
        "2025-01-09",
        "2025-01-12",
        "2025-11-18",
        "2025-12-15",
        "2025-12-17",
        "2026-01-21",
        "2026-01-23",
        "2026-01-26",
        "2026-01-27",
    }


def test_vague_periods_and_ranges_as_intervals(real_store):
    got = facts.periods(real_store, MEETING)
    for want in [
        ("ultimo 2025", "2025-12-01", "2025-12-31"),
        ("foråret 2026", "2026-03-01", "2026-05-31"),
        ("1. kvartal 2026", "2026-01-01", "2026-03-31"),
        ("19.-27. januar 2026", "2026-01-19", "2026-01-27"),
        ("primo december 2025", "2025-12-01", "2025-12-10"),
        ("2. halvår 2021", "2021-07-01", "2021-12-31"),
        ("ultimo november/primo december 2025", "2025-11-21", "2025-12-10"),
    ]:
        assert want in got


def test_every_organisation_named_with_aliases_merged(real_store):
    orgs = facts.organisations(real_store, MEETING)
    expected = {
        "Central Denmark EU Office": {"CDEU", "Midtjyllands EU-kontor"},
        "Kommunaldirektørnetværket i Midtjylland": {"KD-Net", "KD-net"},
        "KL": set(),
        "Danske Regioner": set(),
        "Sundhedsstyrelsen": set(),
        "Kammeradvokaten": set(),
        "Indenrigs- og Sundhedsministeriet": set(),
        "Region Midtjylland": set(),
        "KKR Midtjylland": set(),
        "KKR Syddanmark": set(),
        "KKR Nordjylland": set(),
        "KKR Hovedstaden": set(),
        "KKR Sjælland": set(),
        "Erhvervshus Midtjylland": {"EHM"},
        "Erhvervsministeriet": set(),
        "VIA University College": {"VIA"},
        "Klimaalliancen": set(),
        "Styrelsen for International Rekruttering og Integration": set(),
        "Dansk Industri": {"DI"},
        "Dansk Erhverv": set(),
        "HORESTA": set(),
        "Landbrug & Fødevarer": set(),
        "SMVdanmark": set(),
        "Finans Danmark": set(),
        "Forsikring & Pension": set(),
        "Fagbevægelsens Hovedorganisation": set(),
        "Akademikerne": set(),
        "Aarhus Universitet": set(),
        "Erhvervsakademi Aarhus": set(),
        "Erhvervsakademi Dania": set(),
        "Erhvervsakademi MidtVest": set(),
        "EDIH TechCircle": set(),
        "Europæisk Kulturregion": {"EKR"},
        "Sundhedskoordinationsfora": {"SKF"},
    }
    missing = set(expected) - set(orgs)
    assert not missing
    for label, aliases in expected.items():
        assert aliases <= orgs[label], (label, orgs[label])
    # one node per organisation: no alias stands as an organisation of its own
    all_aliases = {a for names in expected.values() for a in names}
    assert not all_aliases & set(orgs)


@pytest.mark.parametrize("name", ["CDEU", "Central Denmark EU Office", "Midtjyllands EU-kontor"])
def test_organisation_query_by_any_name(real_store, name):
    rows = real_store.select(ORG_MENTIONS % name)
    assert [r["number"] for r in rows] == ["2.1", "3.2", "3.3"]


def test_the_person_named(real_store):
    assert facts.persons(real_store, MEETING) == {"Jesper Kaas Schmidt"}


def test_reference_from_1_1_to_the_meeting_of_3_september(real_store):
    refs = facts.references(real_store, MEETING)
    assert ("1.1", "KKR Midtjylland", "2025-09-03") in refs
    assert ("3.2", "KKR Midtjylland", "2025-09-03") in refs
    # the KD-net meeting of 10 October and KL's board meeting of 25 September are not KKR meetings
    assert {d for _, _, d in refs} == {"2025-09-03"}


def test_referenced_meeting_exists_without_items(real_store):
    rows = real_store.select(MEETINGS)
    assert [(r["body"], str(r["date"])) for r in rows] == [
        ("KKR Midtjylland", "2025-09-03"),
        ("KKR Midtjylland", "2025-10-20"),
    ]
    assert real_store.select(AGENDA % "2025-09-03") == []


def test_contract_agenda_query(real_store):
    rows = real_store.select(AGENDA % "2025-10-20")
    assert [r["number"] for r in rows] == [n for n, *_ in EXPECTED_ITEMS]
    assert rows[4]["outcome"] == "Godkendt med ændringer"
    assert rows[4]["decision"].startswith("Godkendt med en tilføjelse i afsnittet om innovation")
    assert rows[1]["outcome"] == "Taget til efterretning"


def test_case_across_meetings_contract_query(real_store):
    rows = real_store.select(CASE % CURRENT)
    assert [r["number"] for r in rows] == ["1.1", "2.1", "3.1", "3.2", "3.3", "5.1"]


def test_paragraph_pages_and_hyphenation(real_store):
    rows = real_store.select("""PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?text ?page WHERE { ?p a kkr:Paragraph ; prov:value ?text ; kkr:page ?page .
        FILTER(CONTAINS(?text, "godkender referatet fra mødet")) }""")
    assert len(rows) == 1
    assert "den 3. september 2025" in rows[0]["text"]
    assert rows[0]["page"] == 2
    texts = [r["t"] for r in real_store.select("SELECT ?t WHERE { ?p <http://www.w3.org/ns/prov#value> ?t }")]
    joined = "\n".join(texts)
    for word in (
        "sundhedsreformen",
        "KD-Nets budget",
        "2026-2030",
        "Indenrigs- og Sundhedsministeriet",
        "små- og mellemstore",
    ):
        assert word in joined
    assert "sep-" not in joined and "kultursamar-" not in joined
    assert "KL bidrager til at udvikle" not in joined  # boilerplate dropped
    assert "https://www.kl.dk" not in joined


def test_numbered_list_in_a_case_is_not_items(real_store):
    rows = real_store.select("""PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?n WHERE { ?i kkr:itemNumber ?n ; kkr:section/kkr:paragraph/prov:value ?t .
        FILTER(STRSTARTS(?t, "4. Drøfte aspekter")) }""")
    assert [r["n"] for r in rows] == ["3.1"]

"""Unit tests for kkr.ingest.structure: agenda items, case lines, sections and paragraphs."""

from __future__ import annotations

import pytest

from kkr.ingest.normalise import Line
from kkr.ingest.structure import parse_structure, section_type_of


def _lines(*rows) -> list[Line]:
    """Lines from strings (page 1) or (text, page) pairs."""
    return [Line(r, 1) if isinstance(r, str) else Line(r[0], r[1]) for r in rows]


def _outline(minutes) -> list[tuple]:
    return [(it.number, it.title, it.agenda_heading, it.case, it.handlers) for it in minutes.items]


def _sections(item) -> list[tuple]:
    return [(s.heading, s.section_type, [(p.text, p.page) for p in s.paragraphs]) for s in item.sections]


@pytest.mark.parametrize(
    "heading,expected",
    [
        ("Baggrund", "Background"),
        ("Baggrund:", "Background"),
        ("  Resumé  ", "Background"),
        ("Indstilling", "Recommendation"),
        ("Indstilling:", "Recommendation"),
        ("Forslag til beslutning", "Recommendation"),
        ("Sagsfremstilling", "CasePresentation"),
        ("Beslutning", "DecisionSection"),
        ("BESLUTNING", "DecisionSection"),
        ("Beslutning i KKR Syddanmark", "DecisionSection"),
        ("Beslutning i KKR Hovedstaden:", "DecisionSection"),
        ("Beslutning på mødet", "DecisionSection"),
        ("Økonomi", "OtherSection"),
        ("Økonomiske konsekvenser", "OtherSection"),
        ("Bilag", "OtherSection"),
        ("Kommunikation", "OtherSection"),
        ("Godkendt", None),
        ("Beslutningen blev truffet enstemmigt", None),
        ("Status på akutpladser", None),
        ("Beslutning i KKR Syddanmark blev truffet efter en lang og grundig drøftelse af alle forslagene", None),
        ("", None),
    ],
)
def test_section_type_of(heading, expected):
    assert section_type_of(heading) == expected


def _two_item_minutes() -> list[Line]:
    return _lines(
        "Referat",
        "KKR Syddanmark",
        "Mødedato: 7. april 2025",
        "",
        "1. Sager til beslutning",
        "",
        "1.1. Fælles indkøb af hjælpemidler på tværs af kommunerne i",
        "Syddanmark",
        "SAG-2025-01234 abc/defg, hij",
        "",
        "Baggrund",
        "Kommunerne i regionen har i flere år samarbejdet om indkøb af hjælpemidler til borgerne.",
        "",
        "Økonomi",
        "Udgiften fordeles efter indbyggertal mellem de kommuner, der deltager i samarbejdet.",
        "",
        "Beslutning i KKR Syddanmark",
        "Godkendt.",
        "",
        "2. Orienteringssager",
        "",
        "3. Sager til drøftelse",
        "",
        "3.1. Status på arbejdsmarkedet",
        "Sagsnr. sag-2025-04321 xyz",
        "Sagsfremstilling",
        "Ledigheden ventes at stige svagt i løbet af",
        "2027. Således vil flere borgere få brug for hjælp fra jobcentrene i de enkelte kommuner.",
        "",
        "Beslutning",
        "Taget til efterretning.",
    )


def test_items_titles_cases_and_agenda_headings():
    minutes = parse_structure(_two_item_minutes())
    assert _outline(minutes) == [
        (
            "1.1",
            "Fælles indkøb af hjælpemidler på tværs af kommunerne i Syddanmark",
            "Sager til beslutning",
            "SAG-2025-01234",
            ["abc", "defg", "hij"],
        ),
        ("3.1", "Status på arbejdsmarkedet", "Sager til drøftelse", "SAG-2025-04321", ["xyz"]),
    ]
    assert [(it.position, it.page) for it in minutes.items] == [(1, 1), (2, 1)]


def test_preamble_is_everything_before_the_first_item():
    minutes = parse_structure(_two_item_minutes())
    assert [ln.text for ln in minutes.preamble if ln.text] == ["Referat", "KKR Syddanmark", "Mødedato: 7. april 2025"]


def test_agenda_heading_without_items_is_neither_item_nor_text():
    minutes = parse_structure(_two_item_minutes())
    assert [it.number for it in minutes.items] == ["1.1", "3.1"]
    everything = [p.text for it in minutes.items for s in it.sections for p in s.paragraphs]
    assert not any("Orienteringssager" in t for t in everything)
    assert all(it.agenda_heading != "Orienteringssager" for it in minutes.items)


def test_sections_with_other_and_decision_types():
    first = parse_structure(_two_item_minutes()).items[0]
    assert _sections(first) == [
        (
            "Baggrund",
            "Background",
            [("Kommunerne i regionen har i flere år samarbejdet om indkøb af hjælpemidler til borgerne.", 1)],
        ),
        (
            "Økonomi",
            "OtherSection",
            [("Udgiften fordeles efter indbyggertal mellem de kommuner, der deltager i samarbejdet.", 1)],
        ),
        ("Beslutning i KKR Syddanmark", "DecisionSection", [("Godkendt.", 1)]),
    ]
    assert first.decision_text == "Godkendt."
    assert [s.heading for s in first.sections_of("OtherSection")] == ["Økonomi"]


def test_line_starting_with_a_year_stays_in_the_paragraph():
    second = parse_structure(_two_item_minutes()).items[1]
    assert _sections(second) == [
        (
            "Sagsfremstilling",
            "CasePresentation",
            [
                (
                    "Ledigheden ventes at stige svagt i løbet af 2027. Således vil flere borgere få brug for hjælp "
                    "fra jobcentrene i de enkelte kommuner.",
                    1,
                )
            ],
        ),
        ("Beslutning", "DecisionSection", [("Taget til efterretning.", 1)]),
    ]
    assert second.decision_text == "Taget til efterretning."


def test_numbered_list_inside_a_case_is_not_items_or_headings():
    lines = _lines(
        "2. Regionale sager",
        "2.1. Fælles indsats for ensomme ældre",
        "SAG-2025-05577 gdr",
        "Baggrund",
        "Styregruppen anbefaler, at kommunerne prioriterer følgende:",
        "1. Besøgsvenner til ældre, der bor alene",
        "2. Flere aktiviteter i de lokale ældrecentre",
        "3. En årlig måling af trivsel blandt de ældre",
        "",
        "Indsatsen koordineres med Ældre Sagen og de frivillige foreninger i alle kommuner i Region Syddanmark.",
        "Beslutning",
        "Godkendt.",
        "2.2. Næste punkt",
        "SAG-2025-05578 gdr",
        "Beslutning",
        "Taget til efterretning.",
    )
    minutes = parse_structure(lines)
    assert _outline(minutes) == [
        ("2.1", "Fælles indsats for ensomme ældre", "Regionale sager", "SAG-2025-05577", ["gdr"]),
        ("2.2", "Næste punkt", "Regionale sager", "SAG-2025-05578", ["gdr"]),
    ]
    background = minutes.items[0].sections_of("Background")[0]
    assert [p.text for p in background.paragraphs] == [
        "Styregruppen anbefaler, at kommunerne prioriterer følgende:",
        "1. Besøgsvenner til ældre, der bor alene",
        "2. Flere aktiviteter i de lokale ældrecentre",
        "3. En årlig måling af trivsel blandt de ældre",
        "Indsatsen koordineres med Ældre Sagen og de frivillige foreninger i alle kommuner i Region Syddanmark.",
    ]


def test_numbered_list_ending_a_decision_just_before_the_next_item():
    lines = _lines(
        "1. Godkendelse",
        "1.1. Godkendelse af dagsorden",
        "SAG-2025-00101 mno",
        "Beslutning",
        "KKR Hovedstaden besluttede:",
        "1. at godkende dagsordenen",
        "2. at behandle punkt 2.1 først",
        "1.2. Godkendelse af referat",
        "SAG-2025-00102 mno",
        "Beslutning",
        "Godkendt.",
    )
    minutes = parse_structure(lines)
    assert _outline(minutes) == [
        ("1.1", "Godkendelse af dagsorden", "Godkendelse", "SAG-2025-00101", ["mno"]),
        ("1.2", "Godkendelse af referat", "Godkendelse", "SAG-2025-00102", ["mno"]),
    ]
    assert minutes.items[0].decision_text == (
        "KKR Hovedstaden besluttede:\n\n1. at godkende dagsordenen\n\n2. at behandle punkt 2.1 først"
    )


def test_item_number_that_does_not_follow_on_stays_text():
    lines = _lines(
        "2.1. Ny lovgivning på området",
        "SAG-2025-00300 pq",
        "Sagsfremstilling",
        "Reglerne fremgår af bekendtgørelsen.",
        "",
        "1.1. Afsnittet om tilsyn er uændret.",
    )
    minutes = parse_structure(lines)
    assert [it.number for it in minutes.items] == ["2.1"]
    assert [p.text for p in minutes.items[0].sections[0].paragraphs] == [
        "Reglerne fremgår af bekendtgørelsen.",
        "1.1. Afsnittet om tilsyn er uændret.",
    ]


def test_paragraphs_keep_the_page_they_start_on_and_bullets_are_separate():
    lines = _lines(
        ("4.1. Ny struktur for samarbejdet mellem kommunerne og regionen om", 3),
        ("sundhed", 4),
        ("SAG-2025-02000 rst/uvw", 4),
        ("Baggrund", 4),
        ("Sundhedssamarbejdet skal tilpasses de nye sundhedsråd, der etableres fra 2027, og som skal", 4),
        ("dække hele regionen med en fælles plan for det nære sundhedsvæsen i alle kommunerne.", 5),
        ("", 5),
        ("Et nyt afsnit begynder her og fortsætter over to linjer i den trykte udgave af", 5),
        ("referatet fra mødet.", 5),
        ("• Første punkt om sundhedsrådene", 5),
        ("• Andet punkt om økonomien", 6),
        ("- Tredje punkt med en tankestreg", 6),
        ("", 6),
        ("Beslutning", 6),
    )
    [item] = parse_structure(lines).items
    assert (item.number, item.title, item.page, item.case, item.handlers) == (
        "4.1",
        "Ny struktur for samarbejdet mellem kommunerne og regionen om sundhed",
        3,
        "SAG-2025-02000",
        ["rst", "uvw"],
    )
    assert _sections(item) == [
        (
            "Baggrund",
            "Background",
            [
                (
                    "Sundhedssamarbejdet skal tilpasses de nye sundhedsråd, der etableres fra 2027, og som skal "
                    "dække hele regionen med en fælles plan for det nære sundhedsvæsen i alle kommunerne.",
                    4,
                ),
                (
                    "Et nyt afsnit begynder her og fortsætter over to linjer i den trykte udgave af "
                    "referatet fra mødet.",
                    5,
                ),
                ("• Første punkt om sundhedsrådene", 5),
                ("• Andet punkt om økonomien", 6),
                ("- Tredje punkt med en tankestreg", 6),
            ],
        ),
        ("Beslutning", "DecisionSection", []),
    ]
    # an empty decision section is kept, but has no decision text
    assert item.decision_text is None


def test_hyphenated_lines_in_a_paragraph_are_joined():
    lines = _lines(
        "1.1. Erhvervsfremme",
        "Baggrund",
        "Erhvervshusene arbejder med små-",
        "og mellemstore virksomheder og med ud-",
        "viklingen af nye samarbejder i regionen.",
    )
    [item] = parse_structure(lines).items
    assert _sections(item) == [
        (
            "Baggrund",
            "Background",
            [
                (
                    "Erhvervshusene arbejder med små- og mellemstore virksomheder og med udviklingen af nye "
                    "samarbejder i regionen.",
                    1,
                )
            ],
        )
    ]


def test_text_without_a_heading_goes_to_an_implicit_section_and_empty_sections_are_dropped():
    lines = _lines(
        "5.1. Eventuelt",
        "",
        "Der var ingen bemærkninger under punktet.",
        "Bilag",
        "",
        "Beslutning",
        "Intet at bemærke.",
    )
    [item] = parse_structure(lines).items
    assert item.title == "Eventuelt"
    assert _sections(item) == [
        ("(uden overskrift)", "OtherSection", [("Der var ingen bemærkninger under punktet.", 1)]),
        ("Beslutning", "DecisionSection", [("Intet at bemærke.", 1)]),
    ]


@pytest.mark.parametrize(
    "case_line,case,handlers",
    [
        ("SAG-2025-07715 kbn", "SAG-2025-07715", ["kbn"]),
        ("SAG-2025-07715 kbn / lsa", "SAG-2025-07715", ["kbn", "lsa"]),
        ("SAG-2026-00412 tmr/pol/hkj", "SAG-2026-00412", ["tmr", "pol", "hkj"]),
        ("Sagsnr.: SAG-2024-09931 mvb, elk", "SAG-2024-09931", ["mvb", "elk"]),
        ("sag-2025-123456", "SAG-2025-123456", []),
    ],
)
def test_case_line_variants(case_line, case, handlers):
    [item] = parse_structure(_lines("1.1. Et punkt", case_line, "Beslutning", "Godkendt.")).items
    assert (item.title, item.case, item.handlers) == ("Et punkt", case, handlers)


@pytest.mark.parametrize(
    "heading_line,number,title",
    [
        ("1.1. Godkendelse af referat", "1.1", "Godkendelse af referat"),
        ("1.1 Godkendelse af referat", "1.1", "Godkendelse af referat"),
        ("2.3.1. Underpunkt om Erhvervshus Fyn", "2.3.1", "Underpunkt om Erhvervshus Fyn"),
        ("12.4. Økonomiaftalen for 2026", "12.4", "Økonomiaftalen for 2026"),
    ],
)
def test_item_heading_forms(heading_line, number, title):
    [item] = parse_structure(_lines(heading_line, "Beslutning", "Godkendt.")).items
    assert (item.number, item.title) == (number, title)


SINGLE_LEVEL = """Referat
KKR Syddanmark
Mødedato: 7. april 2025

1. Godkendelse af dagsorden
Sagsnr.: SAG-2025-04111 abc
Beslutning: Godkendt.

2. Budget for det fælles sekretariat 2026
SAG-2025-04222 def

Baggrund
Sekretariatet har lagt et budget frem. Det omfatter:

1. Løn til to medarbejdere.
2. Husleje og drift.

Indstilling: Det indstilles, at budgettet godkendes.
Beslutning: Godkendt med den ændring, at posten til konsulenter halveres.

3. Eventuelt
Intet."""


def test_minutes_numbered_on_one_level_with_inline_section_headings():
    minutes = parse_structure([Line(t, 1) for t in SINGLE_LEVEL.split("\n")])
    assert [(i.number, i.title, i.case) for i in minutes.items] == [
        ("1", "Godkendelse af dagsorden", "SAG-2025-04111"),
        ("2", "Budget for det fælles sekretariat 2026", "SAG-2025-04222"),
        ("3", "Eventuelt", None),
    ]
    budget = minutes.items[1]
    assert [(s.heading, s.section_type) for s in budget.sections] == [
        ("Baggrund", "Background"),
        ("Indstilling", "Recommendation"),
        ("Beslutning", "DecisionSection"),
    ]
    assert [p.text for p in budget.sections[0].paragraphs][1:] == [
        "1. Løn til to medarbejdere.",
        "2. Husleje og drift.",
    ]
    assert budget.decision_text == "Godkendt med den ændring, at posten til konsulenter halveres."
    assert minutes.items[0].decision_text == "Godkendt."
    assert [p.text for p in minutes.items[2].sections[0].paragraphs] == ["Intet."]


def test_one_level_minutes_ingest_and_answer_the_contract(tmp_path):
    from kkr.contract import AGENDA
    from kkr.ingest.pipeline import ingest_paths
    from kkr.store import GraphStore

    doc = tmp_path / "syd.txt"
    doc.write_text(SINGLE_LEVEL, encoding="utf-8")
    store = GraphStore.in_data_dir(tmp_path / "data")
    assert not ingest_paths([doc], store, base="https://w3id.org/kkr/id/").errors
    rows = store.select(AGENDA % "2025-04-07")
    assert [(r["number"], r["outcome"]) for r in rows] == [
        ("1", "Godkendt"),
        ("2", "Godkendt med ændringer"),
        ("3", None),
    ]

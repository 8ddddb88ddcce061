"""Unit tests for kkr.ingest.normalise: hyphenation, joined hyphens, running headers, page numbers."""

from __future__ import annotations

import pytest

from kkr.ingest.normalise import Line, _undo_joined_hyphens, join_lines, normalise
from kkr.ingest.read import Page


@pytest.mark.parametrize(
    "parts,expected",
    [
        # a word broken at the line end is joined
        (["Mødet er flyttet til sep-", "tember."], "Mødet er flyttet til september."),
        (["et styrket udviklings-", "arbejde"], "et styrket udviklingsarbejde"),
        (["Region Syd-", "danmark"], "Region Syddanmark"),
        (["en sam-", "arbejds-", "aftale"], "en samarbejdsaftale"),
        # a hyphen before a capital is a real one
        (["Sagen er drøftet i KD-", "Nets formandskab."], "Sagen er drøftet i KD-Nets formandskab."),
        # a hyphen between digits is a real one
        (["strategien for 2026-", "2030"], "strategien for 2026-2030"),
        (["kl. 10-", "12"], "kl. 10-12"),
        # a hyphen before a conjunction is the first part of a compound
        (["små-", "og mellemstore virksomheder"], "små- og mellemstore virksomheder"),
        (["Indenrigs-", "og Sundhedsministeriet"], "Indenrigs- og Sundhedsministeriet"),
        (["bygge-", "eller anlægsloven"], "bygge- eller anlægsloven"),
        (["beskæftigelses-", "samt uddannelsesområdet"], "beskæftigelses- samt uddannelsesområdet"),
        (["Social-, Bolig-", "og Ældreministeriet"], "Social-, Bolig- og Ældreministeriet"),
        # ordinary lines are joined with a space, blank parts skipped
        (["KKR Hovedstaden drøftede", "sagen."], "KKR Hovedstaden drøftede sagen."),
        (["", "første", "  ", "anden "], "første anden"),
        (["  ind  ", " rykket"], "ind rykket"),
        ([], ""),
        # a lone dash (a bullet) is not a hyphenation
        (["-", "punkt"], "- punkt"),
        # a hyphen after an abbreviation in capitals stays: "EU-kontoret", "IT-systemer"
        (["Sagen er sendt til EU-", "kontoret i Bruxelles."], "Sagen er sendt til EU-kontoret i Bruxelles."),
        (["nye IT-", "systemer"], "nye IT-systemer"),
    ],
)
def test_join_lines(parts, expected):
    assert join_lines(parts) == expected


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Mødet er i sep\ufffetember.", "Mødet er i september."),
        ("drøftet i KD\ufffeNets formandskab", "drøftet i KD-Nets formandskab"),
        ("for perioden 2026\ufffe2030", "for perioden 2026-2030"),
        ("bygge\ufffeog anlægsloven", "bygge- og anlægsloven"),
        ("små\ufffe og mellemstore", "små- og mellemstore"),
        ("sam\x02arbejde", "samarbejde"),
        ("et ord\ufffe", "et ord-"),
        ("ingen bindestreg her", "ingen bindestreg her"),
        ("sendt til EU\ufffekontoret", "sendt til EU-kontoret"),
    ],
)
def test_undo_joined_hyphens(raw, expected):
    assert _undo_joined_hyphens(raw) == expected


def _texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines if ln.text]


def _pdf_pages() -> list[Page]:
    """Four PDF-like pages: a running header and date line at the top, a page number at the
    bottom, and "Godkendt" as the last content line of each page at varying heights."""
    bodies = [
        (["1.1. Godkendelse af dagsorden", "Beslutning"], 610),
        (["Baggrund", "Kommunerne har drøftet sagen.", "Beslutning"], 520),
        (["Beslutning"], 330),
        (["Sagsfremstilling", "www.kl.dk/kkr-syddanmark", "Beslutning"], 415),
    ]
    pages = []
    for n, (body, godkendt_height) in enumerate(bodies, start=1):
        lines = ["Referat KKR Syddanmark", f"Mødedato {n + 4}. april 2025"] + body + ["Godkendt", f"Side {n} af 4"]
        heights = [805.0, 790.0] + [700.0 - 14 * i for i in range(len(body))] + [godkendt_height, 35.0]
        pages.append(Page(n, lines, heights))
    return pages


def test_pdf_running_header_and_page_numbers_removed_godkendt_stays():
    lines, urls = normalise(_pdf_pages())
    assert [(ln.text, ln.page) for ln in lines] == [
        ("1.1. Godkendelse af dagsorden", 1),
        ("Beslutning", 1),
        ("Godkendt", 1),
        ("Baggrund", 2),
        ("Kommunerne har drøftet sagen.", 2),
        ("Beslutning", 2),
        ("Godkendt", 2),
        ("Beslutning", 3),
        ("Godkendt", 3),
        ("Sagsfremstilling", 4),
        ("Beslutning", 4),
        ("Godkendt", 4),
    ]
    assert urls == ["www.kl.dk/kkr-syddanmark"]


def test_pdf_footer_at_a_fixed_height_is_removed():
    bodies = ["Baggrund for sagen.", "Kommunerne drøftede udkastet.", "Regionen deltog også.", "Beslutning"]
    pages = []
    for n, body in enumerate(bodies, start=1):
        lines = ["KL · Weidekampsgade 10 · 2300 København S", body, "KKR Hovedstaden", f"{n}"]
        heights = [812.0, 700.0, 40.0, 25.0]
        pages.append(Page(n, lines, heights))
    lines, urls = normalise(pages)
    assert _texts(lines) == bodies
    assert urls == []


def test_text_pages_running_header_and_page_numbers_removed():
    pages = [
        Page(
            n,
            [
                "KKR Hovedstaden – referat",
                "",
                f"Punkt {n} på dagsordenen",
                "Teksten til punktet.",
                "Godkendt",
                f"- {n} -",
            ],
        )
        for n in range(1, 5)
    ]
    lines, urls = normalise(pages)
    assert _texts(lines) == [
        t for n in range(1, 5) for t in (f"Punkt {n} på dagsordenen", "Teksten til punktet.", "Godkendt")
    ]
    assert [ln.page for ln in lines if ln.text == "Godkendt"] == [1, 2, 3, 4]
    assert urls == []


@pytest.mark.parametrize("page_line", ["Side 3 af 12", "side 3", "- 4 -", "– 7 –", "12", "3/12", "Side 10 / 12"])
def test_page_number_lines_at_the_page_edge_are_removed(page_line):
    pages = [Page(1, ["Baggrund", "Kommunerne i Syddanmark samarbejder.", page_line])]
    lines, _ = normalise(pages)
    assert _texts(lines) == ["Baggrund", "Kommunerne i Syddanmark samarbejder."]


def test_a_number_in_the_middle_of_a_page_stays():
    body = ["Antal pladser", "Kommune A", "Kommune B", "Kommune C", "12", "Kommune D", "Kommune E", "Kommune F"]
    lines, _ = normalise([Page(1, body)])
    assert _texts(lines) == body


def test_two_text_pages_lose_their_header_but_keep_a_repeated_last_line():
    pages = [Page(n, ["KKR Sjælland", f"Tekst {n}", "Godkendt"]) for n in (1, 2)]
    lines, _ = normalise(pages)
    assert _texts(lines) == ["Tekst 1", "Godkendt", "Tekst 2", "Godkendt"]


def test_one_page_keeps_its_lines():
    lines, _ = normalise([Page(1, ["KKR Sjælland", "Tekst", "Slut"])])
    assert _texts(lines) == ["KKR Sjælland", "Tekst", "Slut"]


def _short_pdf(n_pages: int, header: str, footer: str, first_header: str | None = None) -> list[Page]:
    """PDF-like pages: a header above the body, a footer below it (`{n}`/`{of}` filled in)."""
    pages = []
    for n in range(1, n_pages + 1):
        top = first_header if (first_header and n == 1) else header
        body = ["Beslutning", f"Tekst på side {n}.", "Godkendt"]
        lines = [top, *body, footer.format(n=n, of=n_pages)]
        heights = [805.0, 700.0, 686.0, 672.0 - 40 * n, 30.0]
        pages.append(Page(n, lines, heights))
    return pages


@pytest.mark.parametrize("footer", ["KKR SJÆLLAND | Side {n}", "Side {n}", "Side {n} af {of}", "{n}/{of}"])
@pytest.mark.parametrize("n_pages", [2, 3, 5])
def test_short_pdfs_lose_headers_and_numbered_footers(footer, n_pages):
    lines, _ = normalise(_short_pdf(n_pages, "KKR MIDTJYLLAND", footer))
    assert _texts(lines) == [
        t for n in range(1, n_pages + 1) for t in ("Beslutning", f"Tekst på side {n}.", "Godkendt")
    ]


def test_a_first_page_with_a_header_of_its_own():
    lines, _ = normalise(_short_pdf(3, "KKR MIDTJYLLAND", "Side {n}", first_header="Referat"))
    texts = _texts(lines)
    assert "KKR MIDTJYLLAND" not in texts and "Referat" in texts  # page 1's own title stays
    assert texts.count("Godkendt") == 3


def test_a_body_line_repeated_at_one_height_is_not_a_footer():
    pages = []
    for n in (1, 2):  # two full pages ending with the same line, at the same height
        lines = ["KKR MIDTJYLLAND", "Baggrund", f"Tekst {n}.", "Godkendt", "Side %d" % n]
        pages.append(Page(n, lines, [805.0, 700.0, 686.0, 672.0, 30.0]))
    texts = _texts(normalise(pages)[0])
    assert texts == ["Baggrund", "Tekst 1.", "Godkendt", "Baggrund", "Tekst 2.", "Godkendt"]


@pytest.mark.parametrize(
    "url", ["https://www.kl.dk/kkr/kkr-sjaelland", "http://example.dk", "www.regionsyddanmark.dk/sundhed"]
)
def test_url_only_lines_are_returned_separately(url):
    pages = [Page(1, ["Materialet findes her:", url, "Læs mere på www.kl.dk om sagen."])]
    lines, urls = normalise(pages)
    assert urls == [url]
    assert _texts(lines) == ["Materialet findes her:", "Læs mere på www.kl.dk om sagen."]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("  KKR   Syddanmark\tdrøftede  sagen ", "KKR Syddanmark drøftede sagen"),
        ("1,3\u00a0mio.\u00a0kr.", "1,3 mio. kr."),
        ("./. Bilag 1: Oversigt", "Bilag 1: Oversigt"),
        ("Mødet i sep\ufffetember", "Mødet i september"),
    ],
)
def test_line_cleaning(raw, expected):
    lines, _ = normalise([Page(1, ["Overskrift", raw, "Afslutning på siden med mere tekst"])])
    assert [ln.text for ln in lines] == ["Overskrift", expected, "Afslutning på siden med mere tekst"]


def test_blank_lines_become_paragraph_breaks_with_page_numbers():
    lines, _ = normalise([Page(5, ["Første afsnit.", "", "Andet afsnit."])])
    assert [(ln.text, ln.page, ln.blank) for ln in lines] == [
        ("Første afsnit.", 5, False),
        ("", 5, True),
        ("Andet afsnit.", 5, False),
    ]

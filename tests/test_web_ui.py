"""The analysts' web interface through Flask's test client: every JSON endpoint and /id/ IRI is a
page for a browser and JSON (or RDF) for a tool from the same URL; the pages escape what they are
given, have one h1 and labelled fields, load nothing inline or from elsewhere, and show what the
issue asks of each (facets, agenda with decisions and source links, item facts, timelines,
deadlines upcoming first, the SPARQL page with the contract's queries and downloads)."""

from __future__ import annotations

import csv
import hashlib
import html as htmllib
import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from kkr.contract import AGENDA, CASE, MEETINGS, MONEY_IN_DECISIONS, ORG_MENTIONS
from kkr.service.views import deadlines as deadlines_view
from kkr.service.views import sparql_console
from tests.browser.support import BROWSER_ACCEPT, sample_data
from tests.conftest import BASE

SEPT = "/id/meeting/kkr-sjaelland/2025-09-22"
ITEM = SEPT + "/item/2.1"  # GCEU financing: amounts, dates, orgs, persons, thread
AKUT = SEPT + "/item/2.3"  # case SAG-2025-00964, three meetings
NORD = "/id/meeting/kkr-nordjylland/2025-05-05"  # ingested from a PDF
JSON_TOOL = "application/json"
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """(data dir, folder of the minutes) of the sample minutes, which `app` of tests/conftest.py serves."""
    return sample_data(tmp_path_factory)


def browse(client, url, **kwargs):
    return client.get(url, headers={"Accept": BROWSER_ACCEPT}, **kwargs)


# ---------------------------------------------------------------------------------------------
# A small HTML checker


class Page(HTMLParser):
    """What the tests look at in a page: headings, form controls and labels, links, scripts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.controls: list[dict] = []
        self.labels_for: set[str] = set()
        self.links: list[tuple[dict, str]] = []
        self.scripts: list[dict] = []
        self.inline_script = False
        self.attributes: list[tuple[str, str, str]] = []
        self.html_lang = None
        self.stylesheets: list[str] = []
        self._in_h1 = False
        self._in_a: dict | None = None
        self._text: list[str] = []
        self._label_depth = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "h1":
            self._in_h1, self._text = True, []
        elif tag == "a":
            self._in_a, self._text = a, []
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if a.get("type") not in ("hidden", "submit", "button", "reset"):
                self.controls.append(dict(a, tag=tag, wrapped=self._label_depth > 0))
        elif tag == "script":
            self.scripts.append(a)
            if not a.get("src"):
                self.inline_script = True
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "h1" and self._in_h1:
            self.h1.append("".join(self._text).strip())
            self._in_h1 = False
        elif tag == "a" and self._in_a is not None:
            self.links.append((self._in_a, " ".join("".join(self._text).split())))
            self._in_a = None
        elif tag == "label":
            self._label_depth -= 1

    def handle_data(self, data):
        if self._in_h1 or self._in_a is not None:
            self._text.append(data)

    def unlabelled(self) -> list[dict]:
        return [
            c
            for c in self.controls
            if not (c.get("id") in self.labels_for or c["wrapped"] or c.get("aria-label") or c.get("aria-labelledby"))
        ]

    def hrefs(self, cls: str | None = None) -> list[str]:
        return [a.get("href", "") for a, _ in self.links if cls is None or cls in (a.get("class") or "").split()]

    def link_texts(self, cls: str | None = None) -> list[tuple[str, str]]:
        return [
            (a.get("href", ""), text) for a, text in self.links if cls is None or cls in (a.get("class") or "").split()
        ]


def check_page(response, status: int = 200) -> Page:
    """The rules every HTML page keeps; returns the parsed page."""
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.content_type == "text/html; charset=utf-8"
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert "Accept" in response.headers.get("Vary", "")
    text = response.get_data(as_text=True)
    page = Page(text)
    assert page.html_lang == "da"
    assert len(page.h1) == 1 and page.h1[0], page.h1
    assert len(re.findall(r"<h1[\s>]", text)) == 1
    assert not page.unlabelled(), page.unlabelled()
    assert not page.inline_script
    for tag, name, value in page.attributes:
        assert name != "style" and not name.startswith("on"), (tag, name, value)
        if (tag, name) in (("script", "src"), ("link", "href"), ("img", "src"), ("form", "action")):
            assert not re.match(r"(?i)(https?:)?//", value), (tag, name, value)  # nothing from elsewhere
    ids = [v for _, n, v in page.attributes if n == "id"]
    assert len(ids) == len(set(ids)), "duplicate ids"
    return page


# ---------------------------------------------------------------------------------------------
# One URL: a page for a browser, JSON (or RDF) for a tool

ENDPOINTS = [
    ("/search?q=akutpladser", JSON_TOOL, "application/json"),
    ("/cases/SAG-2025-00964", JSON_TOOL, "application/json"),
    (f"/thread?item={AKUT}", JSON_TOOL, "application/json"),
    ("/deadlines", JSON_TOOL, "application/json"),
    ("/entities/greater-copenhagen-eu-office", JSON_TOOL, "application/json"),
    ("/entities/person/anders-holm", JSON_TOOL, "application/json"),
    (SEPT, "text/turtle", "text/turtle"),
    (ITEM, "application/ld+json", "application/ld+json"),
    ("/id/case/SAG-2025-00964", "text/turtle", "text/turtle"),
    ("/id/org/kkr-sjaelland", "text/turtle", "text/turtle"),
    ("/id/org/greater-copenhagen-eu-office", "text/turtle", "text/turtle"),
    ("/id/person/anders-holm", "text/turtle", "text/turtle"),
    (ITEM + "/decision", "text/turtle", "text/turtle"),
    (ITEM + "/section/3", "text/turtle", "text/turtle"),
    (NORD, "text/turtle", "text/turtle"),
    ("/sparql", "text/turtle", "text/turtle"),
    (
        "/sparql?query=" + "SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%202",
        "application/sparql-results+json",
        "application/sparql-results+json",
    ),
]


@pytest.mark.parametrize("url,tool_accept,tool_type", ENDPOINTS, ids=[e[0][:60] for e in ENDPOINTS])
def test_same_url_is_a_page_for_a_browser_and_data_for_a_tool(client, url, tool_accept, tool_type):
    check_page(browse(client, url))
    tool = client.get(url, headers={"Accept": tool_accept})
    assert tool.status_code == 200 and tool.content_type.startswith(tool_type)
    if tool_type == "application/json":
        assert isinstance(tool.get_json(), dict)
    plain = client.get(url)  # no Accept at all (curl, libraries): never HTML
    assert not plain.content_type.startswith("text/html")


def test_a_browser_can_ask_for_json_explicitly(client):
    r = browse(client, "/cases/SAG-2025-00964?format=json")
    assert r.content_type.startswith("application/json") and r.get_json()["case"] == "SAG-2025-00964"
    r = browse(client, "/search?q=akutpladser&format=json")
    assert r.content_type.startswith("application/json") and r.get_json()["hits"]


def test_home_page_has_search_and_ask_boxes_and_recent_meetings_per_council(client):
    r = browse(client, "/")
    page = check_page(r)
    assert page.h1 == ["KKR-referater"]
    text = r.get_data(as_text=True)
    assert re.search(r'<form action="/search" method="get"', text) and re.search(
        r'<form action="/ask" method="get"', text
    )
    assert {c["id"] for c in page.controls} >= {"q", "ask-q"}
    councils = page.link_texts("council")
    assert [t for _, t in councils] == ["KKR Nordjylland", "KKR Sjælland"]
    meetings = page.link_texts("meeting")
    assert ("/id/meeting/kkr-sjaelland/2025-09-22", "Møde 22. september 2025") == meetings[1]
    # newest first within a council
    sjaelland = [h for h in page.hrefs("meeting") if "kkr-sjaelland" in h]
    assert sjaelland == sorted(sjaelland, reverse=True) and len(sjaelland) == 3


def test_pages_without_parameters_are_forms(client):
    for url, field in (("/search", "q"), ("/sparql", "query"), ("/deadlines", "from")):
        page = check_page(browse(client, url))
        assert field in {c.get("id") for c in page.controls}


# ---------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=" + SCRIPT,
        "/search?q=akut&body=" + SCRIPT + "&org=" + SCRIPT,
        "/search?q=akut&from=" + SCRIPT,
        "/ask?q=" + SCRIPT,
        "/sparql?query=" + "%23" + SCRIPT + "%0ASELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%201",
        "/sparql?query=" + SCRIPT,
        "/cases/" + SCRIPT,
        "/thread?item=" + SCRIPT,
        "/entities/" + SCRIPT,
        "/deadlines?from=" + SCRIPT,
        "/id/" + SCRIPT,
    ],
)
def test_script_in_a_query_is_shown_as_text(client, app, url):
    r = browse(client, url)
    text = r.get_data(as_text=True)
    assert r.content_type == "text/html; charset=utf-8", url
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(" in text or "&lt;script&gt;alert(&#39;x&#39;)" in text, url
    assert re.findall(r"<script\b[^>]*>", text) == ['<script src="/static/app.js" defer>']
    check_page(r, status=r.status_code)


# ---------------------------------------------------------------------------------------------
# Search


def test_search_page_has_facets_with_counts_and_highlights(client):
    r = browse(client, "/search?q=akutpladser")
    page = check_page(r)
    text = r.get_data(as_text=True)
    assert {c["id"] for c in page.controls} >= {"q", "body", "from", "to", "section", "outcome", "org"}
    assert re.search(r'<option value="KKR Sjælland">KKR Sjælland \(\d+\)</option>', text)
    assert re.search(r'<option value="DecisionSection">Beslutning \(\d+\)</option>', text)
    assert re.search(r'<option value="ApprovedWithChanges">Godkendt med ændringer \(\d+\)</option>', text)
    assert re.search(r'<option value="region-sjaelland">Region Sjælland \(\d+\)</option>', text)
    hits = page.hrefs("hit-link")
    assert hits and all(h.startswith("/id/meeting/") for h in hits)
    assert "/id/meeting/kkr-sjaelland/2025-09-22/item/2.3" in hits
    assert re.search(r"<mark>akutpladser\w*</mark>", text, re.I)
    # every hit's link opens an item page
    assert check_page(browse(client, hits[0])).h1


def test_search_filters_by_outcome_organisation_council_section_and_dates(client):
    def hit_items(query):
        r = browse(client, "/search?" + query)
        check_page(r)
        return Page(r.get_data(as_text=True)).hrefs("hit-link"), r.get_data(as_text=True)

    def metas(text):
        return re.findall(r'<p class="meta">(.*?)</p>', text, re.S)

    approved, text = hit_items("q=akutpladser&outcome=Approved")
    assert approved[0].endswith("2025-09-22/item/2.3")  # the approved akut item leads
    assert metas(text) and all('udfald-Approved"' in m for m in metas(text))
    assert "Fjern udfald: Godkendt" in text
    changes, text = hit_items("q=akutpladser&outcome=ApprovedWithChanges")
    assert changes[0].endswith("2025-03-10/item/2.1")
    assert all('udfald-ApprovedWithChanges"' in m for m in metas(text))
    # organisation: the items that mention Greater Copenhagen EU Office
    gceu, _ = hit_items("q=finansiering&org=greater-copenhagen-eu-office")
    assert gceu and all(
        any(
            x in h for x in ("2025-03-10/item/2.2", "2025-06-16/item/2.1", "2025-09-22/item/2.1", "2025-05-05/item/2.2")
        )
        for h in gceu
    )
    nord, _ = hit_items("q=finansiering&body=KKR+Nordjylland")
    assert nord and all("kkr-nordjylland" in h for h in nord)
    decisions, text = hit_items("q=akutpladser&section=DecisionSection")
    assert decisions and text.count('class="hit"') == len(decisions)
    assert all("· Beslutning ·" in m for m in re.findall(r'<p class="meta">(.*?)</p>', text, re.S)[: len(decisions)])
    dated, _ = hit_items("q=akutpladser&from=2025-06-01&to=2025-06-30")
    assert dated and all("2025-06-16" in h for h in dated)
    bad = browse(client, "/search?q=akut&from=juni")
    assert check_page(bad, 400) and "ÅÅÅÅ-MM-DD" in bad.get_data(as_text=True)


def test_search_json_is_unchanged(client):
    r = client.get("/search?q=akutpladser&k=3", headers={"Accept": JSON_TOOL})
    assert set(r.get_json()) == {"query", "expanded_with", "hits"} and len(r.get_json()["hits"]) == 3
    assert client.get("/search", headers={"Accept": JSON_TOOL}).status_code == 400


# ---------------------------------------------------------------------------------------------
# Meeting, item, source documents


def test_meeting_page_shows_the_agenda_with_decisions_outcomes_and_source_pages(client, data):
    r = browse(client, SEPT)
    page = check_page(r)
    assert page.h1 == ["KKR Sjælland 2025-09-22"]
    text = htmllib.unescape(r.get_data(as_text=True))
    items = [h for h in page.hrefs() if re.fullmatch(SEPT + r"/item/[\d.]+", h)]
    assert items[:5] == [SEPT + f"/item/{n}" for n in ("1.1", "2.1", "2.2", "2.3", "3.1")]
    for label in ("Godkendt", "Godkendt med ændringer", "Ikke godkendt"):
        assert f">{label}</span>" in text
    assert "Godkendt med en tilføjelse om, at kommunerne derudover afsætter 1,0 mio." in text
    sha = hashlib.sha256((data[1] / "kkr-sjaelland-2025-09-22.txt").read_bytes()).hexdigest()
    assert f"/source/{sha[:16]}" in page.hrefs("source")
    # the PDF's meeting links each item to its page
    pdf = check_page(browse(client, NORD))
    pdf_sha = hashlib.sha256((data[1] / "kkr-nordjylland-2025-05-05.pdf").read_bytes()).hexdigest()
    links = pdf.hrefs("source")
    assert all(link.startswith(f"/source/{pdf_sha[:16]}") for link in links)
    pages_linked = [int(m) for link in links for m in re.findall(r"#page=(\d+)$", link)]
    assert len(pages_linked) >= 4 and pages_linked == sorted(pages_linked) and max(pages_linked) > 1


def test_source_documents_are_served(client, data):
    txt = data[1] / "kkr-sjaelland-2025-09-22.txt"
    sha = hashlib.sha256(txt.read_bytes()).hexdigest()
    r = client.get(f"/source/{sha[:16]}")
    assert r.status_code == 200 and r.content_type == "text/plain; charset=utf-8"
    assert r.get_data() == txt.read_bytes()
    pdf = data[1] / "kkr-nordjylland-2025-05-05.pdf"
    r = client.get(f"/source/{hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]}")
    assert r.status_code == 200 and r.content_type == "application/pdf" and r.get_data()[:5] == b"%PDF-"
    check_page(browse(client, "/source/0123456789abcdef"), 404)
    check_page(browse(client, "/source/..%2F..%2Fetc"), 404)
    assert client.get("/source/xyz").status_code == 404


def test_item_page_shows_sections_decision_amounts_dates_entities_case_and_thread(client):
    r = browse(client, ITEM)
    page = check_page(r)
    assert page.h1 == ["Finansiering af GCEU fra 2026 og aftale om fælles indsatsområder for kommunerne og EU-kontoret"]
    text = htmllib.unescape(r.get_data(as_text=True))
    for heading in ("Baggrund", "Indstilling", "Sagsfremstilling", "Beslutning"):
        assert re.search(rf"<h2 id=\"afsnit-\d\">{heading}</h2>", text), heading
    assert "Godkendt med ændringer" in text
    assert "800.000 kr." in text and "1.000.000 kr." in text and "1,0 mio." in text  # value and as printed
    assert "1. april 2026" in text and "1. kvartal 2026" in text
    assert "Inden" in text and "inden den 1. april 2026" in text  # the deadline
    entities = dict((t, h) for h, t in page.link_texts("entity"))
    assert entities["Greater Copenhagen EU Office"] == "/id/org/greater-copenhagen-eu-office"
    assert entities["Roskilde Kommune"] == "/id/org/roskilde-kommune"
    assert entities["Anders Holm"] == "/id/person/anders-holm"
    assert entities["Mette Lindhardt Sørensen"] == "/id/person/mette-lindhardt-soerensen"
    assert ("/cases/SAG-2024-05812", "SAG-2024-05812") in page.link_texts("case")
    assert "mkl" in text and "ahn" in text  # case handlers
    thread = page.hrefs("item")
    assert "/id/meeting/kkr-sjaelland/2025-03-10/item/2.2" in thread
    assert "/id/meeting/kkr-sjaelland/2025-06-16/item/2.1" in thread
    assert page.hrefs("thread") == [
        "/thread?item=https%3A%2F%2Fw3id.org%2Fkkr%2Fid%2Fmeeting%2Fkkr-sjaelland%2F2025-09-22%2Fitem%2F2.1"
    ]
    assert page.hrefs("source")  # link to the source document


def test_other_resources_get_a_property_table(client):
    for url, h1 in (
        (ITEM + "/decision", "Beslutning i punkt 2.1 (2025-09-22)"),
        (ITEM + "/section/3", "Afsnit: Sagsfremstilling"),
        (ITEM + "/deadline/1", "Frist: inden den 1. april 2026"),
    ):
        r = browse(client, url)
        page = check_page(r)
        assert page.h1 == [h1]
        assert "<table>" in r.get_data(as_text=True) and ITEM in page.hrefs("item")
    page = check_page(browse(client, "/id/nothing/here"), 404)
    assert page.h1 == ["Ikke fundet"]


# ---------------------------------------------------------------------------------------------
# Case timeline, thread, organisations and persons, deadlines


def test_case_timeline_page(client):
    for url in ("/cases/SAG-2025-00964", "/id/case/SAG-2025-00964"):
        r = browse(client, url)
        page = check_page(r)
        assert page.h1 == ["Sag SAG-2025-00964"]
        items = page.hrefs("item")
        assert items == [
            "/id/meeting/kkr-sjaelland/2025-03-10/item/2.1",
            "/id/meeting/kkr-sjaelland/2025-06-16/item/2.2",
            "/id/meeting/kkr-sjaelland/2025-09-22/item/2.3",
        ]
        text = r.get_data(as_text=True)
        assert "Godkendt med ændringer" in text and "Andet udfald" in text
        assert len(page.hrefs("thread")) == 3
    check_page(browse(client, "/cases/SAG-1999-00001"), 404)
    check_page(browse(client, "/cases/nonsense"), 400)


def test_thread_page(client):
    r = browse(client, f"/thread?item={AKUT}")
    page = check_page(r)
    assert page.h1[0].startswith("Sagens tråd: Aftale om fælles model for akutpladser")
    items = page.hrefs("item")
    assert items[0] == AKUT  # the lead names the item asked about
    assert items[1:] == [
        "/id/meeting/kkr-sjaelland/2025-03-10/item/2.1",
        "/id/meeting/kkr-sjaelland/2025-06-16/item/2.2",
        "/id/meeting/kkr-sjaelland/2025-09-22/item/2.3",
    ]
    assert "Koblet fordi:" in htmllib.unescape(r.get_data(as_text=True))
    check_page(browse(client, "/thread"), 400)
    check_page(browse(client, "/thread?item=/id/meeting/kkr-sjaelland/2025-09-22/item/9.9"), 404)


def test_organisation_and_person_pages(client):
    for url in ("/id/org/greater-copenhagen-eu-office", "/entities/greater-copenhagen-eu-office"):
        r = browse(client, url)
        page = check_page(r)
        assert page.h1 == ["Greater Copenhagen EU Office"]
        text = r.get_data(as_text=True)
        assert "GCEU" in text  # aliases
        items = page.hrefs("item")
        assert "/id/meeting/kkr-sjaelland/2025-09-22/item/2.1" in items
        dates = [re.search(r"/(\d{4}-\d{2}-\d{2})/", h).group(1) for h in items]
        assert dates == sorted(dates, reverse=True)  # newest first
    council = browse(client, "/id/org/kkr-sjaelland")
    page = check_page(council)
    assert page.h1 == ["KKR Sjælland"] and "skos:prefLabel" in council.get_data(as_text=True)
    assert SEPT in page.hrefs("meeting")
    person = check_page(browse(client, "/id/person/anders-holm"))
    assert person.h1 == ["Anders Holm"] and ITEM in person.hrefs("item")
    check_page(browse(client, "/entities/nobody-at-all"), 404)


def test_deadlines_page_lists_upcoming_first(client, monkeypatch):
    monkeypatch.setattr(deadlines_view, "today", lambda: date(2026, 3, 15))
    r = browse(client, "/deadlines")
    page = check_page(r)
    text = r.get_data(as_text=True)
    upcoming, past = (
        re.findall(r'<tr>\s*<td class="nowrap"><time datetime="([\d-]+)"', part)
        for part in text.split('id="tidligere"')
    )
    assert upcoming == ["2026-04-01", "2026-05-01"]
    assert past == ["2026-03-01", "2025-09-22"]  # past: newest first
    assert {c["id"] for c in page.controls} == {"from", "to", "body"}
    narrowed = browse(client, "/deadlines?from=2026-04-15&to=&body=KKR+Sj%C3%A6lland")
    check_page(narrowed)
    assert "1. april 2026" not in narrowed.get_data(as_text=True)
    check_page(browse(client, "/deadlines?from=maj"), 400)


# ---------------------------------------------------------------------------------------------
# SPARQL page


def test_sparql_page_has_an_editor_and_the_contract_queries_as_examples(client):
    r = browse(client, "/sparql")
    page = check_page(r)
    text = r.get_data(as_text=True)
    assert re.search(r'<form method="get" action="/sparql">', text)
    assert re.search(r'<label for="query">', text) and re.search(r'<textarea id="query" name="query"', text)
    shown = htmllib.unescape(text)
    for query in (MEETINGS, AGENDA % "2025-09-22", CASE % "SAG-2025-00964", MONEY_IN_DECISIONS, ORG_MENTIONS % "GCEU"):
        assert query in shown
    assert len(page.hrefs("run-example")) == len(sparql_console.EXAMPLES) == len(page.hrefs("edit-example"))
    edit = browse(client, "/sparql?example=beloeb")
    editor = re.search(r"<textarea[^>]*>(.*?)</textarea>", edit.get_data(as_text=True), re.S).group(1)
    assert htmllib.unescape(editor) == MONEY_IN_DECISIONS


def test_every_example_runs_and_offers_every_download_format(client):
    runs = Page(browse(client, "/sparql").get_data(as_text=True)).hrefs("run-example")
    assert len(runs) == len(sparql_console.EXAMPLES)
    types = {
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "turtle": "text/turtle",
        "ntriples": "application/n-triples",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
    }
    for example, link in zip(sparql_console.EXAMPLES, runs, strict=True):
        result = browse(client, link)
        page = check_page(result)
        text = result.get_data(as_text=True)
        assert '<table class="results">' in text and "<tr><td>" in text, example["key"]
        editor = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
        assert htmllib.unescape(editor) == example["query"]
        formats = (
            ["turtle", "ntriples", "jsonld", "rdfxml"]
            if "CONSTRUCT" in example["query"]
            else ["csv", "tsv", "json", "xml"]
        )
        downloads = page.hrefs("download")
        assert [re.search(r"format=(\w+)", d).group(1) for d in downloads] == formats
        for fmt, href in zip(formats, downloads, strict=True):
            got = client.get(href, headers={"Accept": BROWSER_ACCEPT})
            assert got.status_code == 200 and got.content_type.startswith(types[fmt]), (example["key"], fmt)


def test_sparql_results_table_and_csv_download(client):
    r = browse(client, "/sparql", query_string={"query": MEETINGS})
    page = check_page(r)
    text = r.get_data(as_text=True)
    header = re.findall(r'<th scope="col">(\w+)</th>', text)
    assert header[:3] == ["meeting", "body", "date"]
    assert SEPT in page.hrefs()  # IRIs of the graph link to their pages
    csv_link = next(h for h in page.hrefs("download") if "format=csv" in h)
    got = client.get(csv_link, headers={"Accept": BROWSER_ACCEPT})
    assert got.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    assert rows[0] == ["meeting", "body", "date"]
    assert len(rows) - 1 == len(re.findall(r"<tr><td>", text))
    # ASK
    ask = browse(client, "/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    check_page(ask)
    assert "sand (true)" in ask.get_data(as_text=True)


def test_sparql_page_shows_errors(client):
    bad = browse(client, "/sparql", query_string={"query": "SELEKT nothing"})
    check_page(bad, 400)
    assert 'role="alert"' in bad.get_data(as_text=True)
    outbound = browse(client, "/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }"})
    check_page(outbound, 400)
    assert "SERVICE er ikke tilladt" in outbound.get_data(as_text=True)


def test_protocol_clients_are_not_given_the_page(client):
    sparqlwrapper = "application/sparql-results+json,application/json,text/javascript,application/javascript"
    r = client.get("/sparql", query_string={"query": MEETINGS}, headers={"Accept": sparqlwrapper})
    assert r.content_type.startswith("application/sparql-results+json")
    assert json.loads(r.get_data())["head"]["vars"] == ["meeting", "body", "date"]
    r = browse(client, "/sparql", query_string={"query": MEETINGS, "format": "csv"})
    assert r.content_type.startswith("text/csv")
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.content_type.startswith("text/turtle")


# ---------------------------------------------------------------------------------------------
# Answer page


def test_answer_page_with_citations(client, app):
    r = browse(client, "/ask?q=Hvad+besluttede+KKR+Sj%C3%A6lland+om+akutpladser%3F")
    page = check_page(r)
    assert page.h1 == ["Spørg referaterne"]
    citations = page.hrefs("citation-link")
    assert citations and all(h.startswith("/id/meeting/") for h in citations)
    tool = client.get("/ask?q=Hvad+besluttede+KKR+Sj%C3%A6lland+om+akutpladser%3F", headers={"Accept": JSON_TOOL})
    body = tool.get_json()
    assert {"answer", "citations", "sparql"} <= set(body)
    assert [c["item_iri"].replace(BASE, "/id/") for c in body["citations"]] == citations
    empty = check_page(browse(client, "/ask"), status=browse(client, "/ask").status_code)
    assert "q" in {c.get("id") for c in empty.controls}

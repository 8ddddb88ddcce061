"""The analysts' journeys in a real browser (Playwright driving the system Chromium): search and
open an item, follow a case timeline, ask a question and follow a citation, run an example SPARQL
query and download CSV; the keyboard alone is enough; a <script> in a query is shown, never run.
Screenshots of the main pages go to tests/artifacts/screenshots/."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

SEPT = "/id/meeting/kkr-sjaelland/2025-09-22"
AKUT = SEPT + "/item/2.3"
NORD = "/id/meeting/kkr-nordjylland/2025-05-05"
QUESTION = "Hvad besluttede KKR Sjælland om akutpladser?"


def snap(page, shots, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def h1(page) -> str:
    headings = page.locator("h1")
    assert headings.count() == 1
    return headings.inner_text().strip()


def no_errors(page) -> None:
    assert page.watch.errors == [], page.watch.errors  # CSP violations would be console errors
    assert page.watch.dialogs == [], page.watch.dialogs


def tab_to(page, element_id: str, limit: int = 30) -> list[str]:
    """Press Tab until the element with the id has focus; returns what got focus on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        seen.append(focused)
        if page.evaluate("document.activeElement.id") == element_id:
            return seen
    raise AssertionError(f"#{element_id} never got focus: {seen}")


def test_search_with_the_keyboard_and_open_an_item(page, shots):
    page.goto("/")
    assert h1(page) == "KKR-referater"
    snap(page, shots, "01-forside")
    seen = tab_to(page, "q")
    assert seen[0] == "Gå til indhold"  # the skip link comes first
    page.keyboard.type("akutpladser")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=akutpladser"))
    assert h1(page) == "Søg i referaterne"
    assert page.locator("li.hit").count() > 0
    assert page.locator("li.hit mark").count() > 0
    assert page.locator("#q").input_value() == "akutpladser"
    snap(page, shots, "02-soegning")
    first = page.locator("a.hit-link").first
    title = first.inner_text().strip()
    first.focus()
    page.keyboard.press("Enter")  # follow the hit with the keyboard too
    page.wait_for_url(re.compile(r"/id/meeting/.+/item/"))
    assert h1(page) == title
    assert page.get_by_role("heading", name="Beslutning").count() >= 1
    assert page.locator("a.entity", has_text="Region Sjælland").count() == 1
    snap(page, shots, "03-punkt")
    no_errors(page)


def test_search_facets_narrow_the_hits(page, shots):
    page.goto("/search?q=akutpladser")
    page.get_by_label("Udfald", exact=True).select_option("ApprovedWithChanges")
    page.get_by_role("button", name="Filtrér").click()
    page.wait_for_url(re.compile(r"outcome=ApprovedWithChanges"))
    badges = page.locator("li.hit .udfald")
    assert badges.count() > 0
    assert set(badges.all_inner_texts()) == {"Godkendt med ændringer"}
    snap(page, shots, "04-soegning-filtreret")
    page.get_by_role("link", name=re.compile(r"^Fjern udfald")).click()
    page.wait_for_url(lambda url: "outcome=" not in url)
    assert len(set(page.locator("li.hit .udfald").all_inner_texts())) > 1
    no_errors(page)


def test_follow_a_case_timeline_and_the_thread(page, shots):
    page.goto(SEPT)
    assert h1(page) == "KKR Sjælland 2025-09-22"
    assert page.locator("li.agenda-item").count() == 5
    snap(page, shots, "05-moede")
    page.locator("li.agenda-item", has_text="akutpladser").get_by_role("link", name="SAG-2025-00964").click()
    page.wait_for_url(re.compile(r"/cases/SAG-2025-00964$"))
    assert h1(page) == "Sag SAG-2025-00964"
    dates = page.locator("ol.case-timeline time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == ["2025-03-10", "2025-06-16", "2025-09-22"]
    snap(page, shots, "06-sag")
    page.get_by_role("link", name="Følg sagens tråd fra dette punkt").first.click()
    page.wait_for_url(re.compile(r"/thread\?item="))
    assert h1(page).startswith("Sagens tråd:")
    assert page.locator("ol.timeline > li").count() == 3
    snap(page, shots, "07-traad")
    page.locator("ol.timeline a.item").last.click()
    page.wait_for_url(re.compile(re.escape(AKUT) + "$"))
    assert h1(page) == "Aftale om fælles model for akutpladser mellem kommunerne og Region Sjælland"
    no_errors(page)


def test_ask_a_question_and_follow_a_citation(page, shots, server):
    page.goto("/")
    page.get_by_label("Stil et spørgsmål").fill(QUESTION)
    page.get_by_label("Stil et spørgsmål").press("Enter")
    page.wait_for_url(re.compile(r"/ask\?q="))
    assert h1(page) == "Spørg referaterne"
    assert page.locator("#q").input_value() == QUESTION
    assert page.locator(".answer-text").inner_text().strip()
    citations = page.locator("a.citation-link")
    assert citations.count() > 0
    snap(page, shots, "08-svar")
    text = citations.first.inner_text()
    title = text.split(": ", 1)[1].strip()
    citations.first.click()
    page.wait_for_url(re.compile(r"/id/meeting/.+/item/"))
    assert h1(page) == title
    no_errors(page)


def test_run_an_example_sparql_query_and_download_csv(page, shots):
    page.goto("/sparql")
    assert h1(page) == "SPARQL-forespørgsler"
    assert "SELECT ?meeting ?body ?date" in page.get_by_label("SPARQL-forespørgsel").input_value()
    snap(page, shots, "09-sparql")
    page.get_by_role("link", name="Kør »Møder«").click()
    page.wait_for_url(re.compile(r"/sparql\?query="))
    table = page.locator("table.results")
    assert table.locator("thead th").all_inner_texts() == ["meeting", "body", "date"]
    rows = table.locator("tbody tr").count()
    assert rows >= 4
    snap(page, shots, "10-sparql-resultat")
    with page.expect_download() as info:
        page.locator("a.download", has_text="CSV").click()
    download = info.value
    assert download.suggested_filename == "kkr-resultat.csv"
    lines = open(download.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "meeting,body,date" and len(lines) == rows + 1
    assert "https://w3id.org/kkr/id/meeting/kkr-sjaelland/2025-09-22,KKR Sjælland,2025-09-22" in lines
    no_errors(page)


def test_sparql_editor_with_the_keyboard(page):
    page.goto("/sparql?example=beloeb")
    editor = page.get_by_label("SPARQL-forespørgsel")
    assert "kkr:mentionsAmount" in editor.input_value()
    editor.focus()
    page.keyboard.press("Control+Enter")  # app.js: submit from the editor
    page.wait_for_url(re.compile(r"/sparql\?query="))
    assert page.locator("table.results thead th").all_inner_texts() == ["number", "value", "printed"]
    no_errors(page)


def test_pages_work_without_javascript(browser, server):
    context = browser.new_context(base_url=server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sparql?example=moeder")
    page.get_by_role("button", name="Kør forespørgsel").click()
    page.wait_for_url(re.compile(r"/sparql\?query="))
    assert page.locator("table.results tbody tr").count() >= 4
    page.goto("/search")
    page.get_by_label("Søgeord").fill("velfærdsteknologi")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url(re.compile(r"q=velf"))
    assert page.locator("li.hit").count() > 0
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=" + quote("<script>window.__pwned=1;alert(1)</script>"),
        "/sparql?query=" + quote("# <script>window.__pwned=1;alert(1)</script>\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"),
        "/ask?q=" + quote("<script>window.__pwned=1;alert(1)</script>"),
        "/cases/" + quote("<script>window.__pwned=1</script>"),
    ],
)
def test_a_script_in_a_query_is_shown_not_run(page, server, path):
    page.goto(path)
    assert page.evaluate("window.__pwned") is None
    assert page.watch.dialogs == []
    assert "<script>window.__pwned" in page.locator("main").inner_text() + "".join(
        page.locator("input, textarea").evaluate_all("els => els.map(e => e.value)")
    )


def test_main_pages_render_cleanly_and_are_screenshot(page, shots):
    for name, path, heading in (
        ("11-punkt-gceu", SEPT + "/item/2.1", "Finansiering af GCEU"),
        ("12-organisation", "/id/org/greater-copenhagen-eu-office", "Greater Copenhagen EU Office"),
        ("13-person", "/id/person/anders-holm", "Anders Holm"),
        ("14-raad", "/id/org/kkr-sjaelland", "KKR Sjælland"),
        ("15-frister", "/deadlines", "Frister og genforelæggelser"),
        ("16-moede-pdf", NORD, "KKR Nordjylland 2025-05-05"),
    ):
        response = page.goto(path)
        assert response.ok and response.headers["content-type"].startswith("text/html")
        assert h1(page).startswith(heading), path
        snap(page, shots, name)
    no_errors(page)
    response = page.goto("/id/meeting/kkr-sjaelland/1999-01-01")
    assert response.status == 404 and h1(page) == "Ikke fundet"
    snap(page, shots, "17-ikke-fundet")


def test_source_link_opens_the_pdf_at_the_page(page):
    page.goto(NORD)
    links = page.locator("li.agenda-item a.source").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links and all(re.search(r"^/source/[0-9a-f]{16}#page=\d+$", href) for href in links)
    response = page.request.get(links[-1].split("#")[0])
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"

"""The sample minutes render into realistic PDFs, the bad-input fixtures are
bad in the intended way, and samples/expected.json agrees with the texts."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")

from tests.support.render_pdf import (  # noqa: E402
    ENCRYPTED_PASSWORD,
    derive_header,
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_not_minutes_txt,
    render_all,
    render_minutes_pdf,
    wrap_text,
)

SAMPLES = ROOT / "samples"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(k for k in EXPECTED if k != "threads")

MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]
OUTCOMES = {"Approved", "ApprovedWithChanges", "Noted", "Rejected", "Postponed", "OtherOutcome"}
SECTIONS = {"Baggrund", "Indstilling", "Sagsfremstilling", "Økonomi", "Beslutning"}
# pdfium reports a hyphen at the end of a line as U+FFFE and joins the two
# lines; be tolerant of a plain "-" + line break as well.
HYPHEN_RE = re.compile("[A-Za-zÆØÅæøå]{3,}(?:\ufffe|-\r?\n)[a-zæøå]{3,}")


def _text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def _page_texts(pdf: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            out.append(tp.get_text_range())
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def _item_blocks(text: str) -> dict[str, list[str]]:
    """Item number -> its lines (title line excluded) in a sample text file,
    using the plain-text layout: items "N.M. Title", agenda headings
    "N. Title" standing alone between blank lines."""
    lines = text.splitlines()
    blocks: dict[str, list[str]] = {}
    current = None
    for i, ln in enumerate(lines):
        m = re.match(r"^(\d+\.\d+)\.\s", ln)
        standalone = (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())
        if m:
            current = m.group(1)
            blocks[current] = []
        elif re.match(r"^\d+\.\s+\S", ln) and standalone:
            current = None
        elif current is not None:
            blocks[current].append(ln)
    return blocks


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    paths = render_all(SAMPLES, out)
    return {p.name: p for p in paths}


# ---------------------------------------------------------------- rendering


def test_render_all_renders_every_sample(rendered):
    assert sorted(rendered) == sorted(f.replace(".txt", ".pdf") for f in FILES)


@pytest.mark.parametrize("name", FILES)
def test_rendered_pdf_opens_with_2_to_6_pages_of_text(rendered, name):
    pages = _page_texts(rendered[name.replace(".txt", ".pdf")])
    assert 2 <= len(pages) <= 6, len(pages)
    expected_header = derive_header(_text(name))
    for n, text in enumerate(pages, start=1):
        assert text.strip(), f"page {n} has no extractable text"
        assert expected_header in text
        assert f"Side {n} af {len(pages)}" in text
    joined = "\n".join(pages)
    assert EXPECTED[name]["body"] in joined
    assert "Mødedato:" in pages[0]


@pytest.mark.parametrize("name", FILES)
def test_rendered_pdf_has_hyphenations_at_line_ends(rendered, name):
    joined = "\n".join(_page_texts(rendered[name.replace(".txt", ".pdf")]))
    hits = HYPHEN_RE.findall(joined)
    assert len(hits) >= 3, hits
    if name == FILES[0]:
        print(f"\npdfium hyphenation example in {name}: {hits[0]!r}")


@pytest.mark.parametrize("name", FILES)
def test_each_agenda_heading_starts_a_page(rendered, name):
    pages = _page_texts(rendered[name.replace(".txt", ".pdf")])
    header = derive_header(_text(name))
    firsts = []
    for text in pages:
        lines = [ln for ln in text.replace("\r", "").split("\n") if ln.strip() and ln.strip() != header]
        firsts.append(lines[0] if lines else "")
    for h in EXPECTED[name]["headings"]:
        assert f"{h['number']}. {h['title']}" in firsts, (h, firsts)


def test_explicit_header_and_not_minutes_text(tmp_path):
    txt = make_not_minutes_txt(tmp_path / "nyhedsbrev.txt")
    body = txt.read_text(encoding="utf-8")
    assert not re.search(r"^\d+\.\d+\.\s", body, re.M)
    assert "SAG-" not in body and "Beslutning" not in body
    pdf = render_minutes_pdf(txt, tmp_path / "nyhedsbrev.pdf", header="Haveforeningen Solsikken")
    pages = _page_texts(pdf)
    assert pages and "Haveforeningen Solsikken" in pages[0]
    assert "Side 1 af" in pages[0]


def test_wrap_text_hyphenates_long_words():
    lines = wrap_text("kommunalbestyrelsesmedlemmerne " * 6, width=200)
    assert any(part.endswith("-") for _, part in lines)
    for _, part in lines:
        for word in part.split():
            if word.endswith("-"):
                assert len(word) - 1 >= 3


# ---------------------------------------------------------------- bad input


def test_image_only_pdf_has_no_text(tmp_path):
    pdf = make_image_only_pdf(tmp_path / "scan.pdf")
    pages = _page_texts(pdf)
    assert len(pages) >= 1
    assert all(t.strip() == "" for t in pages)


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
def test_corrupt_pdf_does_not_open(tmp_path, kind):
    pdf = make_corrupt_pdf(tmp_path / f"{kind}.pdf", kind=kind)
    assert pdf.read_bytes().startswith(b"%PDF-1.")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(pdf))


def test_encrypted_pdf_needs_password(tmp_path):
    pdf = make_encrypted_pdf(tmp_path / "hemmelig.pdf")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(pdf))
    doc = pdfium.PdfDocument(str(pdf), password=ENCRYPTED_PASSWORD)
    try:
        assert "KKR Sjælland" in doc[0].get_textpage().get_text_range()
    finally:
        doc.close()


# ---------------------------------------------------------------- expected.json


def _iso(printed_date: str) -> str:
    m = re.fullmatch(r"(\d{1,2})\. (\w+) (\d{4})", printed_date)
    assert m, printed_date
    return f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"


@pytest.mark.parametrize("name", FILES)
def test_header_lines_match_expected(name):
    lines = _text(name).splitlines()
    exp = EXPECTED[name]
    assert lines[0] == "Referat"
    assert lines[1] == exp["body"]
    assert lines[2].startswith("Mødedato: ")
    assert _iso(lines[2].split(": ", 1)[1]) == exp["date"]
    assert name.endswith(f"{exp['date']}.txt")


@pytest.mark.parametrize("name", FILES)
def test_items_titles_cases_sections_outcomes(name):
    text = _text(name)
    exp = EXPECTED[name]
    blocks = _item_blocks(text)
    assert sorted(blocks) == sorted(it["number"] for it in exp["items"])
    assert 4 <= len(exp["items"]) <= 8
    for it in exp["items"]:
        head = f"{it['number']}. {it['title']}\n{it['case']} {'/'.join(it['handlers'])}\n"
        assert head in text, it["number"]
        assert it["outcome"] in OUTCOMES
        found = [ln for ln in blocks[it["number"]] if ln in SECTIONS]
        assert found == it["sections"], (it["number"], found)
    for h in exp["headings"]:
        assert re.search(rf"(^|\n\n){re.escape(h['number'])}\. {re.escape(h['title'])}(\n\n|\n?$)", text), h


@pytest.mark.parametrize("name", FILES)
def test_amounts_persons_dates_orgs_appear(name):
    text = _text(name)
    exp = EXPECTED[name]
    blocks = _item_blocks(text)
    for a in exp["amounts"]:
        assert a["printed"] in text
        assert a["printed"] in "\n".join(blocks[a["item"]]), a
        assert isinstance(a["value"], int) and a["value"] > 0
    for p in exp["persons"]:
        assert p in text, p
    for o in exp["organisations"]:
        for form in o["printed"]:
            assert form in text, (o["name"], form)
    for d in exp["deadlines"]:
        assert d["printed"] in "\n".join(blocks[d["item"]]), d
        assert d["date"] in exp["dates"]
    for p in exp["periods"]:
        assert p["printed"] in "\n".join(blocks[p["item"]]), p
        assert p["start"] <= p["end"]
    for r in exp["references"]:
        # an earlier meeting, or the next one the minutes plan ("næste møde ... den 23. juni 2025")
        assert r["date"] < exp["date"] or re.search(r"næste møde", "\n".join(blocks[r["item"]]), re.I), r
        assert r["date"] in exp["dates"]
    # every "d. month yyyy" and "d.m.yyyy" printed in the file is listed
    printed = set()
    for m in re.finditer(r"(\d{1,2})\.(?:-(\d{1,2})\.)? (" + "|".join(MONTHS) + r") (\d{4})", text):
        mo = MONTHS.index(m.group(3)) + 1
        printed.add(f"{m.group(4)}-{mo:02d}-{int(m.group(1)):02d}")
        if m.group(2):
            printed.add(f"{m.group(4)}-{mo:02d}-{int(m.group(2)):02d}")
    for m in re.finditer(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text):
        printed.add(f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}")
    assert printed == set(exp["dates"])


def test_threads_point_at_existing_items_in_date_order():
    assert len(EXPECTED["threads"]) >= 2
    for thread in EXPECTED["threads"]:
        assert len(thread) == 3
        dates = []
        for ref in thread:
            name, number = ref.split("#")
            assert number in {it["number"] for it in EXPECTED[name]["items"]}
            dates.append(EXPECTED[name]["date"])
        assert dates == sorted(dates)
    # the middle meeting's item refers back to the first meeting
    for thread in EXPECTED["threads"]:
        name, number = thread[1].split("#")
        first_date = EXPECTED[thread[0].split("#")[0]]["date"]
        assert {"item": number, "date": first_date} in EXPECTED[name]["references"]


def test_requirements_coverage_across_files():
    allo = {it["outcome"] for n in FILES for it in EXPECTED[n]["items"]}
    assert allo == OUTCOMES
    printed = {a["printed"] for n in FILES for a in EXPECTED[n]["amounts"]}
    for form in [
        "1,3 mio. kr.",
        "900.000 kr.",
        "2,5 mia. kr.",
        "450.000 kroner",
        "0,75 mio. kr.",
        "1,0 mio.",
        "3. mio. kr.",
    ]:
        assert form in printed, form
    periods = {p["printed"] for n in FILES for p in EXPECTED[n]["periods"]}
    for form in [
        "ultimo 2025",
        "primo december 2025",
        "1. kvartal 2026",
        "foråret 2026",
        "2. halvår 2025",
        "19.-27. januar 2026",
    ]:
        assert form in periods, form
    kinds = {d["kind"] for n in FILES for d in EXPECTED[n]["deadlines"]}
    assert {"svarfrist", "senest", "inden", "genforelaeggelse"} <= kinds
    cases = {}
    for n in FILES:
        for it in EXPECTED[n]["items"]:
            cases.setdefault(it["case"], set()).add(n)
    assert sum(1 for files in cases.values() if len(files) >= 2) >= 2

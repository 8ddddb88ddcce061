"""Tables in minutes (issue 11, item 4): detection in lines, the RDF of the contract, the item page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kkr.contract import PREFIXES
from kkr.index.paragraphs import document_graphs, paragraphs_of
from kkr.ingest.normalise import Line
from kkr.ingest.pipeline import ingest_paths
from kkr.ingest.structure import parse_structure
from kkr.ingest.tables import Table, find_tables, parse_row
from kkr.store import GraphStore
from tests.conftest import BASE

KKR = str(Path(sys.executable).parent / "kkr")
MEETING = "https://w3id.org/kkr/id/meeting/kkr-syddanmark/2025-11-03"
REAL_MEETING = "https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20"

# Minutes of our own (no corpus text): a table with a header row of years, one without a header
# in kroner, prose with amounts at the end of its lines, and a numbered list.
SAMPLE = """Referat
KKR Syddanmark
Mødedato: 3. november 2025
Mødested: Rådhuset, Vejle

1. Godkendelse af referat

1.1. Godkendelse af referat fra mødet den 8. september 2025
SAG-2025-04411 abc

Indstilling
Det indstilles, at KKR Syddanmark godkender referatet fra mødet den 8. september 2025.

Beslutning
Godkendt

2. Regionale sager

2.1. Fordeling af puljen til grøn omstilling
SAG-2025-04412 abc/def

Baggrund
Puljen til grøn omstilling fordeles efter indbyggertal. Sekretariatet har beregnet andelene for tre år.

Sagsfremstilling
Fordelingen mellem kommunerne fremgår af tabellen nedenfor:
Kommune 2025 2026 2027
Esbjerg Kommune 1.250.000 kr. 1.300.000 kr. –
Kolding Kommune 980.000 kr. 1.010.000 kr. 1.040.000 kr.
Region Syddanmark -120.000 kr. 0 kr. 45.000 kr.
I alt 2.110.000 kr. 2.310.000 kr. 1.085.000 kr.
Puljen udbetales kvartalsvis fra den 1. januar 2026.

Sekretariatets udgifter til administration af puljen fordeler sig således:
Løn til projektleder 1,3 mio. kr.
Konsulentbistand 0,8 mio. kr.
Samlet ramme 2,1 mio. kr.

Arbejdsgruppen foreslår tre skridt:
1. Kortlægning af behovet i 2025
2. Udbud af opgaven i 2026
3. Evaluering af indsatsen i 2027

Indstilling
Det indstilles, at KKR Syddanmark godkender fordelingen.

Beslutning
Godkendt
"""


def rows_of(lines: list[str]) -> list[list[list[str]]]:
    return [span.rows for span in find_tables(lines)]


# --------------------------------------------------------------------------- detection


def test_table_with_a_header_row_of_years():
    lines = [
        "Fordelingen fremgår af tabellen:",
        "Kommune 2025 2026 2027",
        "Esbjerg Kommune 1.250.000 1.300.000 –",
        "Kolding Kommune 980.000 1.010.000 1.040.000",
        "I alt 2.230.000 2.310.000 1.040.000",
        "Puljen udbetales kvartalsvis.",
    ]
    (span,) = find_tables(lines)
    assert (span.start, span.end, span.header) == (1, 5, True)
    assert span.rows == [
        ["Kommune", "2025", "2026", "2027"],
        ["Esbjerg Kommune", "1.250.000", "1.300.000", "–"],
        ["Kolding Kommune", "980.000", "1.010.000", "1.040.000"],
        ["I alt", "2.230.000", "2.310.000", "1.040.000"],
    ]


def test_table_without_header_in_millions():
    lines = ["Løn til projektleder 1,3 mio. kr.", "Konsulentbistand 0,8 mio. kr.", "Samlet ramme 2,1 mio. kr."]
    assert rows_of(lines) == [
        [
            ["Løn til projektleder", "1,3 mio. kr."],
            ["Konsulentbistand", "0,8 mio. kr."],
            ["Samlet ramme", "2,1 mio. kr."],
        ]
    ]


def test_several_amount_columns_and_negative_numbers():
    assert parse_row("I alt 1,3 mio. kr. 0,8 mio. kr.") == ("I alt", ["1,3 mio. kr.", "0,8 mio. kr."])
    lines = ["Drift -250.000 ÷ 40.000", "Anlæg −75.000 1.250.000", "Netto –325.000 1.210.000"]
    assert rows_of(lines) == [
        [["Drift", "-250.000", "÷ 40.000"], ["Anlæg", "−75.000", "1.250.000"], ["Netto", "–325.000", "1.210.000"]]
    ]


def test_two_rows_need_several_columns_or_a_header():
    assert rows_of(["Greve Kommune 120.000 95.000", "Solrød Kommune 80.000 60.000"]) == [
        [["Greve Kommune", "120.000", "95.000"], ["Solrød Kommune", "80.000", "60.000"]]
    ]
    assert rows_of(["Greve Kommune 120.000", "Solrød Kommune 80.000"]) == []
    assert rows_of(["Område Kr.", "Kultur 1,3 mio. kr.", "Klima 1,0 mio. kr."]) == [
        [["Område", "Kr."], ["Kultur", "1,3 mio. kr."], ["Klima", "1,0 mio. kr."]]
    ]


def test_a_row_label_wrapped_over_lines():
    lines = [
        "Område Kr.",
        "Basisbidrag fra kommunerne",
        "(2024-niveau)",
        "5,1 mio. kr.",
        "Kultur 1,3 mio. kr.",
        "Klima 1,0 mio. kr.",
    ]
    (rows,) = rows_of(lines)
    assert rows[1] == ["Basisbidrag fra kommunerne (2024-niveau)", "5,1 mio. kr."]


def test_inconsistent_cell_counts_end_the_table():
    lines = ["Greve 120.000 95.000", "Solrød 80.000 60.000", "Køge 30.000", "Stevns 10.000 9.000"]
    assert rows_of(lines) == [[["Greve", "120.000", "95.000"], ["Solrød", "80.000", "60.000"]]]


@pytest.mark.parametrize(
    "lines",
    [
        # sentences whose lines end in amounts
        [
            "Udgiften til sekretariatet er på 2 mio. kr.",
            "Projektet koster cirka 1,3 mio. kr.",
            "Der er afsat i alt 900.000 kr.",
        ],
        [
            "Et årsværk koster cirka 1,3 mio. kr.",
            "Kontingentet nedsættes med 300.000 kr.",
            "Rammen øges til 2 mio. kr.",
        ],
        # wrapped prose: continuation lines start in lower case
        ["hvilket svarer til 2 mio. kr.", "årligt fra og med 2026 og frem til 2028", "og derefter 1 mio. kr."],
        # dates and years at the end of lines
        ["Sagen blev drøftet den 3. september 2025", "Næste møde holdes den 10. december 2025", "Frist 1. marts 2026"],
        # numbered and bulleted lists
        ["1. Kortlægning af behovet 2025", "2. Udbud af opgaven 2026", "3. Evaluering af indsatsen 2027"],
        ["– Klima 2 mio. kr.", "– Kultur 1 mio. kr.", "– Projekter 2 mio. kr."],
        # one line of cells only
        ["5,8 mio. kr.", "1,3 mio. kr.", "1,0 mio. kr."],
    ],
)
def test_prose_and_lists_are_not_tables(lines):
    assert find_tables(lines) == []


def test_table_stops_at_a_heading():
    lines = ["Kultur 1,3 mio. kr.", "Klima 1,0 mio. kr.", "I alt 2,3 mio. kr.", "Beslutning", "2,3 mio. kr."]
    (span,) = find_tables(lines, stop=lambda t: t == "Beslutning")
    assert span.end == 3


def test_the_table_is_its_own_block_among_the_paragraphs():
    lines = [Line(t, 1) for t in SAMPLE.splitlines()]
    minutes = parse_structure(lines)
    section = next(s for s in minutes.items[1].sections if s.heading == "Sagsfremstilling")
    kinds = [type(b).__name__ for b in section.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph", "Paragraph", "Table"] + ["Paragraph"] * 4  # text, list
    first, second = section.tables
    assert isinstance(first, Table) and first.header is not None and len(first.rows) == 5
    assert [section.position_of(t) for t in section.tables] == [2, 5]
    assert "Kolding Kommune: 2025 980.000 kr.; 2026 1.010.000 kr.; 2027 1.040.000 kr." in first.text
    assert second.header is None and second.text.splitlines()[0] == "Løn til projektleder: 1,3 mio. kr."
    assert not any("1.250.000" in p.text or "Konsulentbistand" in p.text for p in section.paragraphs)


# --------------------------------------------------------------------------- RDF


@pytest.fixture(scope="module")
def table_source(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("tables-src") / "kkr-syddanmark-2025-11-03.txt"
    src.write_text(SAMPLE, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def table_store(tmp_path_factory, table_source):
    """The sample minutes above ingested into a store of their own."""
    store = GraphStore(tmp_path_factory.mktemp("tables-store") / "store")
    summary = ingest_paths([table_source], store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


def test_rdf_rows_cells_header_and_amount_on_the_cell(table_store):
    rows = table_store.select(
        PREFIXES
        + f"""SELECT ?tpos ?rpos ?header ?cpos ?text ?value WHERE {{
          <{MEETING}/item/2.1> kkr:section ?s . ?s kkr:table ?t . ?t a kkr:Table ; schema:position ?tpos ;
             kkr:row ?r . ?r a kkr:TableRow ; schema:position ?rpos ; kkr:isHeader ?header ; kkr:cell ?c .
          ?c a kkr:TableCell ; schema:position ?cpos ; prov:value ?text .
          OPTIONAL {{ ?c kkr:mentionsAmount/schema:value ?value }}
        }} ORDER BY ?tpos ?rpos ?cpos"""
    )
    first = [r for r in rows if int(r["tpos"]) == 2]
    assert [r["text"] for r in first if int(r["rpos"]) == 1] == ["Kommune", "2025", "2026", "2027"]
    assert {str(r["header"]).lower() for r in first if int(r["rpos"]) == 1} == {"true"}
    assert {str(r["header"]).lower() for r in first if int(r["rpos"]) > 1} == {"false"}
    kolding = [r for r in first if int(r["rpos"]) == 3]
    assert [(int(r["cpos"]), r["text"]) for r in kolding][:2] == [(1, "Kolding Kommune"), (2, "980.000 kr.")]
    assert int(kolding[1]["value"]) == 980_000
    negative = next(r for r in first if int(r["rpos"]) == 4 and int(r["cpos"]) == 2)
    assert negative["text"] == "-120.000 kr."
    second = [r for r in rows if int(r["tpos"]) == 5]
    assert [(r["text"], int(r["value"]) if r.get("value") else None) for r in second if int(r["cpos"]) == 2] == [
        ("1,3 mio. kr.", 1_300_000),
        ("0,8 mio. kr.", 800_000),
        ("2,1 mio. kr.", 2_100_000),
    ]


def test_amount_is_linked_to_its_row_label(table_store):
    rows = table_store.select(
        PREFIXES
        + """SELECT ?label WHERE { ?r kkr:cell ?c , ?first . ?first schema:position 1 ; prov:value ?label .
              ?c kkr:mentionsAmount/schema:value ?v . FILTER(?v = 800000) }"""
    )
    assert [r["label"] for r in rows] == ["Konsulentbistand"]


def test_organisation_in_a_cell_hangs_on_the_cell(table_store):
    rows = table_store.select(
        PREFIXES
        + """SELECT ?text WHERE { ?c a kkr:TableCell ; prov:value ?text ; kkr:mentions ?org .
              ?org skos:prefLabel ?name . FILTER(str(?name) = "Region Syddanmark") }"""
    )
    assert [r["text"] for r in rows] == ["Region Syddanmark"]


def test_table_positions_count_among_paragraphs_and_its_text_is_searchable(table_store):
    rows = table_store.select(
        PREFIXES
        + f"""SELECT ?pos ?kind WHERE {{ <{MEETING}/item/2.1> kkr:section ?s . ?s kkr:heading "Sagsfremstilling" .
              {{ ?s kkr:paragraph ?b . BIND("p" AS ?kind) }} UNION {{ ?s kkr:table ?b . BIND("t" AS ?kind) }}
              ?b schema:position ?pos }} ORDER BY ?pos"""
    )
    assert [int(r["pos"]) for r in rows] == list(range(1, len(rows) + 1))
    assert [r["kind"] for r in rows][:5] == ["p", "t", "p", "p", "t"]
    (graph,) = document_graphs(table_store)
    texts = [p.text for p in paragraphs_of(table_store, graph)]
    assert any("Konsulentbistand: 0,8 mio. kr." in t for t in texts)
    assert not any(t.startswith("Konsulentbistand") for t in texts)  # no longer one paragraph a row


# --------------------------------------------------------------------------- item page


@pytest.fixture(scope="module")
def app_config(tmp_path_factory, table_source) -> dict:
    """The service over the sample minutes, ingested by `kkr ingest --no-index`."""
    data = tmp_path_factory.mktemp("tables-data")
    out = subprocess.run(
        [KKR, "ingest", str(table_source), "--data", str(data), "--no-index"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return {"DATA_DIR": str(data), "QUERY_WORKERS": 1}


def test_item_page_renders_tables(client):
    r = client.get("/id/meeting/kkr-syddanmark/2025-11-03/item/2.1", headers={"Accept": "text/html"})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert html.count('<div class="table-scroll" role="region" aria-label="Tabel') == 2
    assert 'tabindex="0"' in html and "<caption>Tabel 1 i Sagsfremstilling" in html
    assert '<th scope="col">Kommune</th><th scope="col">2025</th>' in html
    assert '<th scope="row">Kolding Kommune</th><td class="num">980.000 kr.</td>' in html
    assert "<p>Konsulentbistand" not in html
    head, rest = html.split("Fordelingen mellem kommunerne", 1)
    assert rest.index("<table") < rest.index("Puljen udbetales kvartalsvis")  # in document order


# --------------------------------------------------------------------------- the real minutes


def test_real_financing_table_in_item_3_2(real_store):
    rows = real_store.select(
        PREFIXES
        + f"""SELECT ?rpos ?header ?cpos ?text WHERE {{
          <{REAL_MEETING}/item/3.2> kkr:section/kkr:table ?t . ?t kkr:row ?r .
          ?r schema:position ?rpos ; kkr:isHeader ?header ; kkr:cell ?c . ?c schema:position ?cpos ; prov:value ?text .
        }} ORDER BY ?rpos ?cpos"""
    )
    table: dict[int, list[str]] = {}
    for r in rows:
        table.setdefault(int(r["rpos"]), []).append(r["text"])
    assert len(table) == 5 and all(len(cells) == 2 for cells in table.values())
    assert table[1][1] == "Kr." and {str(r["header"]).lower() for r in rows if int(r["rpos"]) == 1} == {"true"}
    assert [cells[1] for pos, cells in sorted(table.items())][1:] == [
        "5,8 mio. kr.",
        "1,3 mio. kr.",
        "1,0 mio. kr.",
        "8,1 mio. kr.",
    ]
    assert "(2024-niveau)" in table[2][0]


def test_headings_printed_in_columns_make_the_header_row():
    """A PDF line whose text runs stand apart (read.py joins them with tabs) gives one heading
    per column, whatever words the headings are."""
    texts = [
        "Kommune\tIndbyggere\tBidrag (kr.)",
        "Aalborg Kommune\t222.000\t2.664.000",
        "Hjørring Kommune\t64.000\t768.000",
        "Brønderslev Kommune\t37.000\t444.000",
    ]
    [span] = find_tables(texts)
    assert (span.start, span.end, span.header) == (0, 4, True)
    assert span.rows[0] == ["Kommune", "Indbyggere", "Bidrag (kr.)"]
    assert span.rows[1] == ["Aalborg Kommune", "222.000", "2.664.000"]
    # the same headings as one run of text: no column tells where one heading ends
    [plain] = find_tables([t.replace("\t", " ") for t in texts])
    assert (plain.start, plain.header) == (1, False)
    # headings in columns that do not match the rows' width are not a header row
    [other] = find_tables(["Kommune\tBidrag (kr.)", *texts[1:]])
    assert (other.start, other.header) == (1, False)


def test_column_headings_reach_the_graph_from_a_pdf(tmp_path):
    """Rendered with the tests' renderer: aligned columns, one PDF text line per row."""
    from tests.support.render_pdf import render_minutes_pdf

    text = "\n".join(
        [
            "Referat",
            "KKR Nordjylland",
            "Mødedato: 3. november 2025",
            "",
            "1. Sager",
            "",
            "1.1. Fordeling af bidrag",
            "SAG-2025-04410 abc",
            "",
            "Baggrund",
            "Bidraget fordeles efter indbyggertal.",
            "",
            "Kommune\tIndbyggere\tBidrag (kr.)",
            "Aalborg Kommune\t222.000\t2.664.000",
            "Hjørring Kommune\t64.000\t768.000",
            "Brønderslev Kommune\t37.000\t444.000",
            "",
            "Beslutning",
            "Godkendt",
        ]
    )
    source = tmp_path / "kkr-nordjylland-2025-11-03.txt"
    source.write_text(text + "\n", encoding="utf-8")
    pdf = render_minutes_pdf(source, tmp_path / "out.pdf")
    store = GraphStore.in_data_dir(tmp_path / "data")
    assert not ingest_paths([pdf], store, base=BASE).errors
    rows = store.select(
        PREFIXES
        + """SELECT ?rpos ?header ?cpos ?value WHERE {
      ?t a kkr:Table ; kkr:row ?r . ?r schema:position ?rpos ; kkr:isHeader ?header ; kkr:cell ?c .
      ?c schema:position ?cpos ; prov:value ?value } ORDER BY ?rpos ?cpos"""
    )
    header = [r["value"] for r in rows if str(r["header"]) == "true"]
    assert header == ["Kommune", "Indbyggere", "Bidrag (kr.)"]
    assert [r["value"] for r in rows if r["rpos"] == 2] == ["Aalborg Kommune", "222.000", "2.664.000"]


def test_a_text_files_tab_separated_header_row_heads_its_table(tmp_path):
    # headings of words only ("Egenfinansiering (kr.)") are known as headings by their columns
    from kkr.ingest.read import read_text

    text = "Kommuner\n\nKommune\tEgenfinansiering (kr.)\nRanders Kommune\t4.200.000\nSilkeborg Kommune\t3.600.000\n"
    (page,) = read_text(tmp_path / "x.txt", text.encode())
    assert page.columns == [None, None, "Kommune\tEgenfinansiering (kr.)", "Randers Kommune\t4.200.000",
                            "Silkeborg Kommune\t3.600.000", None]  # fmt: skip
    (span,) = find_tables([page.columns[i] or line for i, line in enumerate(page.lines)])
    assert span.header and span.rows[0] == ["Kommune", "Egenfinansiering (kr.)"]

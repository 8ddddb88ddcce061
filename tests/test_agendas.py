"""Agendas (dagsorden) beside minutes (referat): one named graph per source document, the minutes'
text and decisions preferred in the default graph, the same graph whatever the order of arrival,
and no ingest of one document ever removing triples of another.

Runs on the embedded store and on a remote Oxigraph server (the precedence is SPARQL Update)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kkr.ingest.doctype import AGENDA, MINUTES, document_type
from kkr.ingest.pipeline import ingest_paths
from tests.conftest import BASE, SAMPLES, new_store

AGENDAS = Path(__file__).parent / "agendas"
MINUTES_FILE = SAMPLES / "kkr-sjaelland-2025-09-22.txt"
AGENDA_FILE = AGENDAS / "kkr-sjaelland-2025-09-22-dagsorden.txt"
AGENDA_ONLY = AGENDAS / "kkr-sjaelland-2026-03-09-dagsorden.txt"
MEETING = BASE + "meeting/kkr-sjaelland/2025-09-22"
MINUTES_GRAPH = BASE + "graph/kkr-sjaelland/2025-09-22"
AGENDA_GRAPH = MINUTES_GRAPH + "/agenda"


# the instance data (the ontology graph is the same in every store, and its OWL lists' blank
# nodes are labelled differently in each)
ALL = 'SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "%s")) }' % BASE
IN_GRAPH = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } }"
AGENDA_QUERY = """PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX schema: <https://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?number ?title ?decision WHERE {
  <%s> besluit:behandelt ?item . ?item kkr:itemNumber ?number ; dct:title ?title ; schema:position ?pos .
  OPTIONAL { ?item kkr:decision/prov:value ?decision }
} ORDER BY ?pos ?title"""
SECTION_TEXT = """PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?text WHERE { <%s/item/%s> kkr:section/kkr:paragraph/prov:value ?text }"""


def triples(store, query: str = ALL) -> set[tuple]:
    return {(r["s"], r["p"], r["o"]) for r in store.select(query)}


def ingest(store, *paths: Path, **options):
    summary = ingest_paths(list(paths), store, base=BASE, **options)
    assert not summary.errors, [e.line() for e in summary.errors]
    return summary


def test_document_types_are_read_from_title_name_and_content():
    assert document_type(["Dagsorden", "KKR Sjælland"], Path("x.pdf"), True) == AGENDA
    assert document_type(["Referat", "KKR Sjælland"], Path("dagsorden.pdf"), False) == MINUTES  # the title wins
    assert document_type(["KKR Sjælland"], Path("kkr-sjaelland-dagsorden-2026.pdf"), True) == AGENDA
    assert document_type(["KKR Sjælland"], Path("referat_2026.pdf"), False) == MINUTES
    assert document_type(["KKR Sjælland"], Path("x.pdf"), True) == MINUTES
    assert document_type(["KKR Sjælland"], Path("x.pdf"), False) == AGENDA  # no decision anywhere
    assert document_type(["Referat"], Path("x.pdf"), True, given="dagsorden") == AGENDA  # --type wins
    assert document_type(["Dagsordenens punkter"], Path("x.pdf"), True) == MINUTES  # a word, not the title


def test_either_order_gives_the_same_graph(request, store_kind):
    first = new_store(request, "agenda-first")
    ingest(first, AGENDA_FILE)
    ingest(first, MINUTES_FILE)
    second = new_store(request, "minutes-first")
    ingest(second, MINUTES_FILE)
    ingest(second, AGENDA_FILE)
    assert triples(first) == triples(second)
    for graph in (MINUTES_GRAPH, AGENDA_GRAPH):
        assert triples(first, IN_GRAPH % graph) == triples(second, IN_GRAPH % graph)
        assert triples(first, IN_GRAPH % graph)  # both documents keep a graph of their own


def test_minutes_take_precedence_and_nothing_of_them_is_removed(request, store_kind):
    store = new_store(request, "precedence")
    ingest(store, MINUTES_FILE)
    minutes_graph = triples(store, IN_GRAPH % MINUTES_GRAPH)
    minutes_view = store.select(AGENDA_QUERY % MEETING)
    ingest(store, AGENDA_FILE)
    assert triples(store, IN_GRAPH % MINUTES_GRAPH) == minutes_graph  # the agenda removed nothing
    assert store.select(AGENDA_QUERY % MEETING) == minutes_view  # one title per item: the minutes'
    titles = {r["number"]: r["title"] for r in minutes_view}
    assert titles["2.1"].startswith("Finansiering af GCEU fra 2026 og aftale")  # not the agenda's shorter title
    assert sum(1 for r in minutes_view if r["decision"]) == 5
    texts = [r["text"] for r in store.select(SECTION_TEXT % (MEETING, "2.2"))]
    assert texts and not any("eftersendes" in t for t in texts)  # the agenda's paragraph is not the item's
    types = store.select("SELECT ?g ?t WHERE { GRAPH ?g { ?d <https://w3id.org/kkr/ns#documentType> ?t } } ORDER BY ?g")
    assert [(r["g"], r["t"].rsplit("#", 1)[1]) for r in types] == [(MINUTES_GRAPH, "Minutes"), (AGENDA_GRAPH, "Agenda")]


def test_removing_either_document_leaves_the_other_whole(request, store_kind):
    both = new_store(request, "both")
    ingest(both, MINUTES_FILE, AGENDA_FILE)
    agenda_alone = new_store(request, "agenda-alone")
    ingest(agenda_alone, AGENDA_FILE)
    minutes_alone = new_store(request, "minutes-alone")
    ingest(minutes_alone, MINUTES_FILE)

    both.drop_graphs((MINUTES_GRAPH,), meetings=(MEETING,))
    graphs_of = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g IN (<%s>)) }"
    assert triples(both, graphs_of % AGENDA_GRAPH) == triples(agenda_alone, graphs_of % AGENDA_GRAPH)
    assert both.select(AGENDA_QUERY % MEETING) == agenda_alone.select(AGENDA_QUERY % MEETING)
    titles = {r["number"]: r["title"] for r in both.select(AGENDA_QUERY % MEETING)}
    assert titles["2.1"] == "Finansiering af GCEU fra 2026"  # the agenda's own title is back
    assert not any(r["decision"] for r in both.select(AGENDA_QUERY % MEETING))  # decisions only from minutes

    again = new_store(request, "again")
    ingest(again, MINUTES_FILE, AGENDA_FILE)
    again.drop_graphs((AGENDA_GRAPH,), meetings=(MEETING,))
    assert again.select(AGENDA_QUERY % MEETING) == minutes_alone.select(AGENDA_QUERY % MEETING)
    assert triples(again, IN_GRAPH % MINUTES_GRAPH) == triples(minutes_alone, IN_GRAPH % MINUTES_GRAPH)


def test_an_agenda_only_meeting(request, store_kind):
    store = new_store(request, "agenda-only")
    ingest(store, AGENDA_ONLY)
    meeting = BASE + "meeting/kkr-sjaelland/2026-03-09"
    rows = store.select(AGENDA_QUERY % meeting)
    assert [(r["number"], r["decision"]) for r in rows] == [("1.1", None), ("2.1", None)]
    deadlines = store.select(
        "SELECT ?end WHERE { <%s/item/2.1> <https://w3id.org/kkr/ns#deadline>/<https://w3id.org/kkr/ns#endDate> ?end }"
        % meeting
    )
    assert [str(r["end"]) for r in deadlines] == ["2026-05-01"]


def test_a_reissue_replaces_the_earlier_document_and_says_so(request, store_kind, tmp_path):
    store = new_store(request, "reissue")
    ingest(store, MINUTES_FILE, AGENDA_FILE)
    corrected = tmp_path / "kkr-sjaelland-2025-09-22-rettet.txt"
    corrected.write_text(
        MINUTES_FILE.read_text(encoding="utf-8").replace("Ringsted Rådhus, mødesal 1", "Ringsted Rådhus, mødesal 2"),
        encoding="utf-8",
    )
    summary = ingest(store, corrected)
    assert summary.replaced == [(corrected.name, MINUTES_FILE.name)]
    sources = store.select(
        "SELECT ?name WHERE { GRAPH ?g { ?d a <http://xmlns.com/foaf/0.1/Document> ; "
        "<http://purl.org/dc/terms/source> ?name } } ORDER BY ?name"
    )
    assert [r["name"] for r in sources] == sorted([corrected.name, AGENDA_FILE.name])  # the agenda stayed


def test_replaces_names_the_document_explicitly(request, store_kind, tmp_path):
    store = new_store(request, "replaces")
    ingest(store, AGENDA_FILE)
    renamed = tmp_path / "ny-version.txt"
    shutil.copyfile(AGENDA_FILE, renamed)
    renamed.write_text(renamed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    summary = ingest(store, renamed, replaces=(AGENDA_FILE.name,))
    assert summary.replaced == [(renamed.name, AGENDA_FILE.name)]
    rows = store.select("SELECT ?g WHERE { GRAPH ?g { ?d a <http://xmlns.com/foaf/0.1/Document> } }")
    assert [r["g"] for r in rows] == [AGENDA_GRAPH]

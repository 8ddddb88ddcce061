"""kkr.sparql_terms, and every query builder that writes a caller's string into SPARQL.

Property-based (hypothesis): arbitrary strings, quotes, backslashes, line breaks, controls, ``>``
and ``}`` among them, go through `literal()`, `iri()` and each builder; the query or update must
parse (pyoxigraph raises SyntaxError otherwise), and a string written as a literal must come back
from the engine unchanged. Builders run against small in-memory graphs holding the string."""

from __future__ import annotations

import string
import subprocess
import sys
import unicodedata
from unittest import mock

import pyoxigraph as ox
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kkr import tracing, vocab
from kkr.index.paragraphs import paragraphs_of
from kkr.ingest.threads import Link, links_ntriples
from kkr.qa import queries
from kkr.remote_store import RemoteStore
from kkr.service import page_data as pages
from kkr.service.results import nt_term
from kkr.service.views import resources
from kkr.sparql_terms import CONTRACT_PREFIXES, NAMESPACES, PREFIXES, XSD, checked_iri, iri, literal
from kkr.store import GraphStore
from kkr.store_queries import _python

PROPERTY = settings(deadline=None, derandomize=True, max_examples=200)

SPECIAL = list("\"\\\n\r\t\b\f\x00\x01\x1f\x7f\x85\u2028\u2029'<>{}|^`#?@ ") + ['"}', '\\"', "\\u0022", '"""']
# any text (a literal cannot hold a lone surrogate), with the characters that end terms often among it
TEXT = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.text(st.characters(exclude_categories=("Cs",)), max_size=4)), max_size=8
).map("".join)
IRI_CHARS = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/" + "æøåé€中😀\u00a0"
SEGMENT = st.one_of(
    st.text(st.sampled_from(IRI_CHARS), min_size=1, max_size=8), st.sampled_from(["%41", "%c3%a6", "%2F", "%25"])
)
PART = st.lists(SEGMENT, max_size=4).map("".join)
IRIS = st.builds(
    lambda path, query, fragment: "https://example.org/id/" + path + query + fragment,
    PART,
    st.one_of(st.just(""), PART.map("?".__add__)),
    st.one_of(st.just(""), PART.map("#".__add__)),
)
NOT_IN_IRIREF = st.sampled_from(list('<>"{}|^`\\ ') + [chr(c) for c in range(0x20)] + ["\x7f", "\x85"])


def v(prefixed: str) -> ox.NamedNode:
    """A vocabulary term, e.g. v("kkr:case")."""
    prefix, local = prefixed.split(":")
    return ox.NamedNode(NAMESPACES[prefix] + local)


N, L = ox.NamedNode, ox.Literal
EX = "https://example.org/id/"


class MemoryStore:
    """`select()` as kkr.store.GraphStore has it, over an in-memory store holding `triples`."""

    def __init__(self, triples=()):
        self.store = ox.Store()
        self.store.extend(ox.Quad(*t) for t in triples)

    def select(self, sparql: str, **kwargs) -> list[dict]:
        results = self.store.query(sparql, **kwargs)  # SyntaxError for a broken query
        names = [x.value for x in results.variables]
        return [{n: _python(row[n]) for n in names} for row in results]


def meeting(
    meeting=EX + "meeting", item=EX + "item", council=EX + "council", body="KKR Test", case=None, mentions=None
) -> list[tuple]:
    """A meeting of `council` (labelled `body`) treating `item`, optionally under `case` and
    with a paragraph mentioning the organisation `mentions`."""
    m, i, b = N(meeting), N(item), N(council)
    t = [
        (m, v("besluit:behandelt"), i),
        (m, v("dct:date"), L("2025-03-10", datatype=v("xsd:date"))),
        (m, v("besluit:isGehoudenDoor"), b),
        (b, v("skos:prefLabel"), L(body)),
        (i, v("kkr:itemNumber"), L("2.1")),
        (i, v("dct:title"), L("Titel")),
    ]
    if case is not None:
        t += [(i, v("kkr:case"), N(EX + "case")), (N(EX + "case"), v("dct:identifier"), L(case))]
    if mentions is not None:
        s, p, o = N(EX + "section"), N(EX + "paragraph"), N(mentions)
        t += [
            (i, v("kkr:section"), s),
            (s, v("kkr:paragraph"), p),
            (p, v("kkr:mentions"), o),
            (o, v("rdf:type"), v("org:Organization")),
            (o, v("skos:prefLabel"), L("Org")),
        ]
    return t


def parses(sparql: str) -> None:
    ox.Store().query(sparql)


# --- the terms ---------------------------------------------------------------------------------


@PROPERTY
@given(TEXT)
@example('"')
@example("\\")
@example("\n\r\t")
@example('x" } ; DROP ALL ; SELECT * { "')
@example("\x00")
@example("\u2028")
@example("\\u0022")
@example(">")
def test_literal_comes_back_unchanged(text):
    solution = next(iter(ox.Store().query(f"SELECT ({literal(text)} AS ?x) {{}}")))
    assert solution["x"] == L(text)
    assert not any(unicodedata.category(c) == "Cc" for c in literal(text))  # one line, TSV-safe
    triple = f"<http://example.org/s> <http://example.org/p> {literal(text)} ."
    assert next(iter(ox.parse(triple.encode(), format=ox.RdfFormat.N_TRIPLES))).object == L(text)


@PROPERTY
@given(TEXT, st.sampled_from(["da", "en", "en-GB", "de-CH-1996"]))
def test_literal_with_language_or_datatype(text, lang):
    store = ox.Store()
    assert next(iter(store.query(f"SELECT ({literal(text, lang=lang)} AS ?x) {{}}")))["x"] == L(text, language=lang)
    typed = literal(text, datatype="https://example.org/dt")
    assert next(iter(store.query(f"SELECT ({typed} AS ?x) {{}}")))["x"] == L(text, datatype=N("https://example.org/dt"))


def test_literal_refusals():
    for bad in (
        {"lang": "da dk"},
        {"lang": ""},
        {"lang": 'da" .'},
        {"datatype": "not an iri"},
        {"lang": "da", "datatype": XSD + "string"},
    ):
        with pytest.raises(ValueError):
            literal("x", **bad)
    with pytest.raises(ValueError):
        literal("a\ud800b")  # no UTF-8 for a lone surrogate
    assert literal("2025-01-01", datatype=XSD + "date") == '"2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert literal('a"b\\c\nd\te\x00') == r'"a\"b\\c\nd\te\u0000"'


@PROPERTY
@given(IRIS)
def test_valid_iri_comes_back_unchanged(value):
    assert checked_iri(value) == value
    assert next(iter(ox.Store().query(f"SELECT ({iri(value)} AS ?x) {{}}")))["x"] == N(value)


@PROPERTY
@given(IRIS, NOT_IN_IRIREF, st.integers(min_value=0))
def test_iri_with_a_character_irirefs_exclude_is_refused(value, bad, at):
    at %= len(value) + 1
    with pytest.raises(ValueError):
        iri(value[:at] + bad + value[at:])


@PROPERTY
@given(st.text(st.sampled_from(string.ascii_letters + string.digits + "/._-")))
def test_relative_iri_is_refused(value):
    with pytest.raises(ValueError):
        iri(value)


@PROPERTY
@given(TEXT)
def test_any_string_is_an_iri_that_round_trips_or_refused(text):
    try:
        written = iri(text)
    except ValueError:
        return
    assert next(iter(ox.Store().query(f"SELECT ({written} AS ?x) {{}}")))["x"] == N(text)


def test_prefixes_come_from_the_vocabulary():
    assert NAMESPACES == vocab.PREFIXES
    for block in (PREFIXES, CONTRACT_PREFIXES):
        parses(block + "SELECT * {}")
        for declaration in block.replace("\n", " ").split("PREFIX ")[1:]:
            prefix, namespace = declaration.split(":", 1)
            assert namespace.strip() == f"<{NAMESPACES[prefix]}>"
    # the contract's public text (vocabulary.md, the SPARQL page's examples)
    assert CONTRACT_PREFIXES == (
        "PREFIX kkr:     <https://w3id.org/kkr/ns#>\nPREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>\n"
        "PREFIX dct:     <http://purl.org/dc/terms/>\nPREFIX org:     <http://www.w3.org/ns/org#>\n"
        "PREFIX prov:    <http://www.w3.org/ns/prov#>\nPREFIX skos:    <http://www.w3.org/2004/02/skos/core#>\n"
        "PREFIX foaf:    <http://xmlns.com/foaf/0.1/>\nPREFIX schema:  <https://schema.org/>\n"
        "PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>\n"
    )


def test_the_core_imports_no_spacy():
    code = (
        "import sys, kkr.iris, kkr.sparql_terms, kkr.store, kkr.tracing, kkr.contract; sys.exit('spacy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- kkr.tracing -------------------------------------------------------------------------------


@PROPERTY
@given(TEXT)
def test_case_timeline(case):
    found = tracing.case_timeline(MemoryStore(meeting(case=case.upper())), case)
    assert [i["case"] for i in found["items"]] == [case.upper()]


@PROPERTY
@given(TEXT, TEXT)
def test_deadlines(body, date):
    dl = N(EX + "deadline")
    triples = meeting(body=body) + [
        (N(EX + "item"), v("kkr:deadline"), dl),
        (dl, v("kkr:deadlineKind"), L("senest")),
        (dl, v("kkr:startDate"), L("2026-01-01", datatype=v("xsd:date"))),
        (dl, v("kkr:endDate"), L("2026-01-01", datatype=v("xsd:date"))),
        (dl, v("kkr:sourceText"), L("1. januar 2026")),
        (dl, v("prov:value"), L("senest 1. januar 2026")),
    ]
    store = MemoryStore(triples)
    assert [d["body"] for d in tracing.deadlines(store, body=body)] == [body]
    tracing.deadlines(store, date, date, body, items=[EX + "item"])  # any dates: the query parses


@PROPERTY
@given(IRIS)
def test_thread_and_entity(item):
    store = MemoryStore(meeting(item=item, mentions=EX + "org/x"))
    assert [i["item_iri"] for i in tracing.thread(store, item)["items"]] == [item]
    assert [i["item_iri"] for i in tracing.entity(store, EX + "org/x")["items"]] == [item]
    store = MemoryStore(meeting(mentions=item))
    assert tracing.entity(store, item)["label"] == "Org"
    assert [d["item_iri"] for d in tracing.deadlines(store, items=[item])] == []


@PROPERTY
@given(TEXT)
def test_tracing_refuses_what_is_no_iri(text):
    try:
        checked_iri(text)
    except ValueError:
        for call in (tracing.thread, tracing.entity, lambda s, x: tracing.deadlines(s, items=[x])):
            with pytest.raises(ValueError):
                call(MemoryStore(), text)


# --- kkr.store, kkr.remote_store ---------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_store(tmp_path_factory):
    return GraphStore(tmp_path_factory.mktemp("store"))


def document(graph: str, name: str, label: str) -> str:
    """N-Triples of a document `name` with bytes of sha256 `name`, and a meeting `label` derived from it."""
    d, m = iri(graph + "/doc"), iri(graph + "/meeting")
    return "\n".join(
        [
            f"{d} {iri(NAMESPACES['rdf'] + 'type')} {iri(NAMESPACES['foaf'] + 'Document')} .",
            f"{d} {iri(NAMESPACES['dct'] + 'source')} {literal(name)} .",
            f"{d} {iri(NAMESPACES['kkr'] + 'sha256')} {literal(name)} .",
            f"{m} {iri(NAMESPACES['prov'] + 'wasDerivedFrom')} {d} .",
            f"{m} {iri(NAMESPACES['rdfs'] + 'label')} {literal(label, lang='da')} .",
        ]
    )


@PROPERTY
@given(IRIS, TEXT, TEXT)
def test_graph_store(graph_store, graph, name, label):
    graph_store._store.clear()
    graph_store.replace_graph(graph, document(graph, name, label), drop=(EX + "old",))
    assert graph_store.graph_with_sha(name) == graph
    assert graph_store.graphs_from_source(name, label) == [graph]
    assert graph_store.graphs_from_source(name + "x", label) == []
    graph_store.drop_graphs((graph,))
    assert len(graph_store) == 0


class Answer:
    def __init__(self, content: bytes = b"", media: str = ""):
        self.content, self.headers = content, {"Content-Type": media}


def remote_on(memory: ox.Store) -> RemoteStore:
    """A RemoteStore whose HTTP requests the in-memory store answers (query, update, graph store PUT)."""
    remote = RemoteStore("http://localhost:1")

    def send(method, url, what, graph=None, params=None, data=None, headers=None):
        if what == "query":
            return Answer(
                memory.query(data.decode()).serialize(format=ox.QueryResultsFormat.JSON),
                "application/sparql-results+json",
            )
        if what == "update":
            memory.update(data.decode())
        else:
            memory.load(data, format=ox.RdfFormat.TURTLE, to_graph=N(params["graph"]))
        return Answer()

    remote._send = send
    return remote


@PROPERTY
@given(IRIS, TEXT, TEXT)
def test_remote_store(graph, name, label):
    memory = ox.Store()
    remote = remote_on(memory)
    remote.put_graph(graph, document(graph, name, label))
    assert remote.graph_with_sha(name) == graph
    assert remote.graphs_from_source(name, label) == [graph]
    remote.replace_graph(graph, document(graph, label, name))
    assert remote.graph_with_sha(label) == graph
    remote.drop_graphs((graph,))
    assert len(memory) == 0


# --- the service's pages and resources ---------------------------------------------------------


@PROPERTY
@given(TEXT)
def test_source_document_by_sha(sha):
    d = N(EX + "doc")
    store = MemoryStore([(d, v("kkr:sha256"), L(sha)), (d, v("dct:source"), L("kilder/referat.pdf"))])
    with mock.patch.object(pages, "pool_store", lambda: store):
        assert pages.document_for(sha) == {"sha": sha, "name": "referat.pdf"}


@PROPERTY
@given(IRIS)
def test_page_queries(value):
    with mock.patch.object(pages, "pool_store", lambda: store):
        store = MemoryStore(meeting(meeting=value))
        assert pages.meeting_data(value)["iri"] == value
        store = MemoryStore(meeting(council=value))
        assert [m["iri"] for m in pages.council_meetings(value)] == [EX + "meeting"]
        store = MemoryStore(meeting(item=value, mentions=EX + "org/x"))
        assert pages.item_data(value)["number"] == "2.1"
        assert [o["iri"] for o in pages.organisations_of([value])[value]] == [EX + "org/x"]
    memory = MemoryStore([(N(value), v("rdfs:label"), L("Etiket"))]).store
    assert [t.subject for t in memory.query(resources.describe_query(value))] == [N(value)]


@PROPERTY
@given(TEXT)
def test_pages_refuse_what_is_no_iri(text):
    try:
        checked_iri(text)
    except ValueError:
        with mock.patch.object(pages, "pool_store", MemoryStore):
            for build in (
                pages.meeting_data,
                pages.council_meetings,
                pages.item_data,
                lambda x: pages.organisations_of([x]),
                resources.describe_query,
            ):
                with pytest.raises(ValueError):
                    build(text)


# --- the answers' queries, the index, the links, TSV -------------------------------------------


@PROPERTY
@given(TEXT, TEXT)
def test_list_query(body, date):
    lowered = next(iter(ox.Store().query(f"SELECT (LCASE({literal(body)}) AS ?x) {{}}")))["x"].value
    assume(lowered == body.lower())  # the engine's lower case is Python's (differs for a few code points)
    rows = MemoryStore(meeting(body=body)).select(queries.list_query(body, None, None, None))
    assert [r["body"] for r in rows] == [body]
    for outcome in (None, "Approved", "Rejected"):
        parses(queries.list_query(body, date, date, outcome))
    try:
        sparql = queries.list_query(None, None, None, body or "x")  # an outcome is written as kkr:<name>
    except ValueError:
        return
    assert hasattr(vocab.KKR, body)
    parses(sparql)


@PROPERTY
@given(IRIS)
def test_answer_queries(item):
    store = MemoryStore(meeting(item=item, mentions=item + "/org"))
    assert [r["item"] for r in store.select(queries.items_query([item]))] == [item]
    assert store.select(queries.mentions_query([item], [item + "/org"])) == [{"item": item, "e": item + "/org"}]
    for sparql in (
        queries.deadlines_query([item]),
        queries.amounts_query([item, EX + "i"]),
        queries.earlier_meetings_query(item),
        queries.history_query(item),
    ):
        store.select(sparql)
    assert paragraphs_of(store, item) == []  # the index's query of one document's graph parses


@PROPERTY
@given(TEXT)
def test_answer_queries_refuse_what_is_no_iri(text):
    try:
        checked_iri(text)
    except ValueError:
        for build in (
            lambda x: queries.items_query([x]),
            lambda x: queries.mentions_query([EX], [x]),
            lambda x: queries.deadlines_query([x]),
            lambda x: queries.amounts_query([x]),
            queries.earlier_meetings_query,
            queries.history_query,
            lambda x: paragraphs_of(MemoryStore(), x),
        ):
            with pytest.raises(ValueError):
                build(text)


@PROPERTY
@given(IRIS, st.lists(TEXT, max_size=3))
def test_links_ntriples(item, evidence):
    link = Link(later=item, earlier=EX + "earlier", score=0.75, evidence=evidence)
    quads = list(ox.parse(links_ntriples([link]).encode(), format=ox.RdfFormat.N_TRIPLES))
    assert sorted(q.object.value for q in quads if q.predicate == v("kkr:evidence")) == sorted(evidence)
    assert N(item) in {q.subject for q in quads}


@PROPERTY
@given(TEXT, st.sampled_from([None, "da"]))
def test_tsv_term(text, lang):
    written = nt_term(L(text, language=lang))
    assert "\t" not in written and "\n" not in written and "\r" not in written
    triple = f"<http://example.org/s> <http://example.org/p> {written} ."
    assert next(iter(ox.parse(triple.encode(), format=ox.RdfFormat.N_TRIPLES))).object == L(text, language=lang)

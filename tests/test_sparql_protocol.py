"""The SPARQL 1.1 Protocol endpoint and /id/ dereferencing, against real servers (waitress on a
free port, the query pool's worker processes) with real clients: SPARQLWrapper, rdflib's
SPARQLStore and requests."""

from __future__ import annotations

import csv
import gc
import html as htmllib
import http.server
import io
import json
import os
import re
import threading
import time
import xml.dom.minidom
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.namespace import DCTERMS, RDF, SKOS, Namespace
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kkr.contract import AGENDA, CASE, MEETINGS, MONEY_IN_DECISIONS, ORG_MENTIONS, PREFIXES
from kkr.ingest.pipeline import ingest_paths
from kkr.service.backends import pool_for
from kkr.store import GraphStore
from tests.browser import support
from tests.conftest import BASE, SAMPLES

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
SEPT = EXPECTED["kkr-sjaelland-2025-09-22.txt"]
MEETING = BASE + "meeting/kkr-sjaelland/2025-09-22"
ORG = BASE + "org/kkr-sjaelland"
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
KKR = Namespace("https://w3id.org/kkr/ns#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
XSD_DATE = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#date")
OUTCOME_DA = {
    "Approved": "Godkendt",
    "ApprovedWithChanges": "Godkendt med ændringer",
    "PartiallyApproved": "Delvist godkendt",
    "Noted": "Taget til efterretning",
    "Rejected": "Ikke godkendt",
    "Postponed": "Udsat",
    "Appointed": "Valg og udpegninger",
    "OtherOutcome": "Andet udfald",
}
TIMEOUT = 2.0
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# ---------------------------------------------------------------------------------------------
# Servers


class LiveServer(support.LiveServer):
    """The app served by waitress on a free port (tests/browser/support.py), with its SPARQL
    endpoint. Three of them, each configured differently, serve this module: the app is built by
    the server from a config, not taken from the `app` fixture of tests/conftest.py."""

    def __init__(self, config: dict):
        super().__init__(config)
        self.endpoint = self.url + "/sparql"

    @property
    def pool(self):
        return pool_for(self.app, lane="public")

    def warm_up(self) -> None:
        """Start the workers and wait until each has opened the store."""
        pool = self.pool
        threads = [threading.Thread(target=lambda: self.get(COUNT_ALL)) for _ in range(pool.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def get(self, query: str, accept: str = "application/sparql-results+json", **params) -> requests.Response:
        return requests.get(self.endpoint, params={"query": query, **params}, headers={"Accept": accept}, timeout=30)


def _ingest_samples(data: Path) -> None:
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths([SAMPLES], store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    store.flush()
    del store  # release the writable handle before read-only workers open the store
    gc.collect()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("sparql-data")
    _ingest_samples(data)
    return data


@pytest.fixture(scope="module")
def oracle(data_dir) -> GraphStore:
    """A read-only handle on the same store, to compare the endpoint's answers with."""
    return GraphStore.in_data_dir(data_dir, read_only=True)


@pytest.fixture(scope="module")
def server(data_dir):
    # One test client sends a runaway query and light ones at once: no per-client ceiling here
    # (tests/test_limits.py tests it).
    live = LiveServer(
        {
            "DATA_DIR": str(data_dir),
            "QUERY_TIMEOUT": TIMEOUT,
            "ROW_LIMIT": 1000,
            "QUERY_WORKERS": 2,
            "BASE": BASE,
            "HEAVY_PER_CLIENT": 0,
        }
    )
    live.app.config["PUBLIC_URL"] = live.url  # the service description names the public URL
    live.warm_up()
    yield live
    live.close()


@pytest.fixture(scope="module")
def capped(data_dir):
    live = LiveServer(
        {"DATA_DIR": str(data_dir), "QUERY_TIMEOUT": 10, "ROW_LIMIT": 5, "QUERY_WORKERS": 1, "BASE": BASE}
    )
    yield live
    live.close()


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    data = tmp_path_factory.mktemp("sparql-writable")
    _ingest_samples(data)
    live = LiveServer(
        {
            "DATA_DIR": str(data),
            "QUERY_TIMEOUT": 10,
            "ROW_LIMIT": 1000,
            "QUERY_WORKERS": 2,
            "BASE": BASE,
            "UPDATE_TOKEN": "s3cret-token",
        }
    )
    yield live
    live.close()


class Recorder:
    """A local HTTP server that records every request it gets (to prove none is sent)."""

    def __init__(self):
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                seen.append((self.command, self.path))
                body = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def recorder():
    rec = Recorder()
    yield rec
    rec.close()


def _json_rows(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    doc = response.json()
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def _oracle_rows(oracle: GraphStore, query: str) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in row.items() if v is not None} for row in oracle.select(query)]


def _sparqlwrapper(server, query: str, fmt) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


# ---------------------------------------------------------------------------------------------
# SELECT, ASK, CONSTRUCT, DESCRIBE with SPARQLWrapper


def test_select_json_with_sparqlwrapper(server, oracle):
    result = _sparqlwrapper(server, MEETINGS, JSON).query()
    assert result.info()["content-type"].startswith("application/sparql-results+json")
    doc = result.convert()
    assert doc["head"]["vars"] == ["meeting", "body", "date"]
    got = [
        (
            b["meeting"]["value"],
            b["body"]["value"],
            b["body"].get("xml:lang"),
            b["date"]["value"],
            b["date"]["datatype"],
        )
        for b in doc["results"]["bindings"]
    ]
    want = [
        (r["meeting"], r["body"], "da", str(r["date"]), "http://www.w3.org/2001/XMLSchema#date")
        for r in oracle.select(MEETINGS)
    ]
    assert got == want
    for name, e in EXPECTED.items():
        if name.endswith(".txt"):
            assert (e["body"], e["date"]) in {(g[1], g[3]) for g in got}
    assert [g[3] for g in got] == sorted(g[3] for g in got)  # ORDER BY ?date kept


def test_select_xml_with_sparqlwrapper(server, oracle):
    result = _sparqlwrapper(server, MEETINGS, XML).query()
    assert result.info()["content-type"].startswith("application/sparql-results+xml")
    dom = result.convert()
    assert isinstance(dom, xml.dom.minidom.Document)
    root = dom.documentElement
    assert root.tagName == "sparql" and root.getAttribute("xmlns") == "http://www.w3.org/2005/sparql-results#"
    assert [v.getAttribute("name") for v in dom.getElementsByTagName("variable")] == ["meeting", "body", "date"]
    rows = []
    for result_el in dom.getElementsByTagName("result"):
        row = {}
        for binding in result_el.getElementsByTagName("binding"):
            term = [n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE][0]
            row[binding.getAttribute("name")] = (
                term.tagName,
                term.firstChild.data,
                term.getAttribute("xml:lang") or term.getAttribute("datatype"),
            )
        rows.append(row)
    want = [
        {
            "meeting": ("uri", r["meeting"], ""),
            "body": ("literal", r["body"], "da"),
            "date": ("literal", str(r["date"]), "http://www.w3.org/2001/XMLSchema#date"),
        }
        for r in oracle.select(MEETINGS)
    ]
    assert rows == want


def test_select_csv_and_tsv_with_sparqlwrapper(server, oracle):
    want = oracle.select(MEETINGS)
    raw_csv = _sparqlwrapper(server, MEETINGS, CSV).query().convert()
    assert b"\r\n" in raw_csv and raw_csv.count(b"\r\n") == len(want) + 1  # CRLF rows per RFC 4180
    rows = list(csv.reader(io.StringIO(raw_csv.decode("utf-8"))))
    assert rows[0] == ["meeting", "body", "date"]
    assert rows[1:] == [[r["meeting"], r["body"], str(r["date"])] for r in want]

    raw_tsv = _sparqlwrapper(server, MEETINGS, TSV).query().convert()
    lines = raw_tsv.decode("utf-8").rstrip("\n").split("\n")
    assert lines[0] == "?meeting\t?body\t?date"
    assert lines[1:] == [
        f'<{r["meeting"]}>\t"{r["body"]}"@da\t"{r["date"]}"^^<http://www.w3.org/2001/XMLSchema#date>' for r in want
    ]


TERMS_QUERY = r"""SELECT ?iri ?plain ?lang ?typed ?blank ?unbound WHERE {
  { VALUES (?iri ?plain ?lang ?typed) {
    (<https://w3id.org/kkr/id/x> "tab\there \"quoted\"\nline, comma" "hej"@da 42)
    (<https://w3id.org/kkr/id/y> "a < b & c" "hello"@en-GB "2025-09-22"^^<http://www.w3.org/2001/XMLSchema#date>)
  } }
  BIND(BNODE() AS ?blank)
} ORDER BY ?iri"""


@pytest.mark.parametrize("fmt", ["JSON", "XML", "TSV"])
def test_results_formats_round_trip_every_kind_of_term(server, fmt):
    """What the endpoint writes, read back by pyoxigraph's parsers, is exactly the solutions."""
    ox_format = getattr(ox.QueryResultsFormat, fmt)
    response = server.get(TERMS_QUERY, accept=ox_format.media_type)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith(ox_format.media_type)
    parsed = list(ox.parse_query_results(response.content, format=ox_format))
    want = list(ox.Store().query(TERMS_QUERY))
    names = ["iri", "plain", "lang", "typed", "unbound"]
    assert [[row[n] for n in names] for row in parsed] == [[row[n] for n in names] for row in want]
    assert all(isinstance(row["blank"], ox.BlankNode) for row in parsed)
    assert parsed[0]["blank"] != parsed[1]["blank"]


def test_csv_values_are_plain_and_quoted(server):
    response = server.get(TERMS_QUERY, accept="text/csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert rows[0] == ["iri", "plain", "lang", "typed", "blank", "unbound"]
    assert rows[1][:4] == ["https://w3id.org/kkr/id/x", 'tab\there "quoted"\nline, comma', "hej", "42"]
    assert rows[2][:4] == ["https://w3id.org/kkr/id/y", "a < b & c", "hello", "2025-09-22"]
    assert rows[1][4].startswith("_:") and rows[1][5] == ""


def test_ask_in_every_format(server):
    yes = PREFIXES + f'ASK {{ <{MEETING}> dct:date "2025-09-22"^^xsd:date }}'
    no = PREFIXES + f'ASK {{ <{MEETING}> dct:date "2025-09-23"^^xsd:date }}'
    assert _sparqlwrapper(server, yes, JSON).query().convert() == {"head": {}, "boolean": True}
    assert _sparqlwrapper(server, no, JSON).query().convert()["boolean"] is False
    dom = _sparqlwrapper(server, no, XML).query().convert()
    assert dom.getElementsByTagName("boolean")[0].firstChild.data == "false"
    for accept in ("text/csv", "text/tab-separated-values"):
        assert server.get(yes, accept=accept).text == "true"
        assert server.get(no, accept=accept).text == "false"


def _items_construct() -> str:
    return (
        PREFIXES
        + f"CONSTRUCT {{ ?item dct:title ?title }} WHERE {{ <{MEETING}> besluit:behandelt ?item . ?item dct:title ?title }}"
    )


def _want_titles() -> set[tuple[str, str]]:
    return {(f"{MEETING}/item/{i['number']}", i["title"]) for i in SEPT["items"]}


def _titles(graph: rdflib.Graph) -> set[tuple[str, str]]:
    got = {(str(s), str(o)) for s, o in graph.subject_objects(DCTERMS.title)}
    assert all(o.language == "da" for o in graph.objects(None, DCTERMS.title))
    return got


def test_construct_turtle_jsonld_rdfxml_ntriples_with_sparqlwrapper(server):
    query = _items_construct()
    turtle = _sparqlwrapper(server, query, TURTLE).query()
    assert turtle.info()["content-type"].startswith("text/turtle")
    assert _titles(rdflib.Graph().parse(data=turtle.convert(), format="turtle")) == _want_titles()

    jsonld = _sparqlwrapper(server, query, JSONLD).query()
    assert jsonld.info()["content-type"].startswith("application/ld+json")
    assert _titles(jsonld.convert()) == _want_titles()

    rdfxml = _sparqlwrapper(server, query, RDFXML).query()
    assert rdfxml.info()["content-type"].startswith("application/rdf+xml")
    assert _titles(rdfxml.convert()) == _want_titles()

    sw = _sparqlwrapper(server, query, N3)
    sw.setOnlyConneg(True)
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    nt = sw.query()
    assert nt.info()["content-type"].startswith("application/n-triples")
    body = nt.convert().decode("utf-8")
    assert len(body.strip().splitlines()) == len(SEPT["items"])
    assert _titles(rdflib.Graph().parse(data=body, format="nt")) == _want_titles()


def test_describe_with_sparqlwrapper(server):
    result = _sparqlwrapper(server, f"DESCRIBE <{MEETING}>", TURTLE).query()
    graph = rdflib.Graph().parse(data=result.convert(), format="turtle")
    meeting = rdflib.URIRef(MEETING)
    assert (meeting, RDF.type, BESLUIT.Zitting) in graph
    assert (meeting, DCTERMS.date, rdflib.Literal("2025-09-22", datatype=XSD_DATE)) in graph
    assert {str(o) for o in graph.objects(meeting, BESLUIT.behandelt)} == {t[0] for t in _want_titles()}


# ---------------------------------------------------------------------------------------------
# The contract queries through rdflib's SPARQLStore


@pytest.fixture(scope="module")
def remote_graph(server) -> rdflib.Graph:
    return rdflib.Graph(store=SPARQLStore(server.endpoint))


def test_contract_meetings(remote_graph, oracle):
    rows = [(str(r.meeting), str(r.body), r.date.toPython().isoformat()) for r in remote_graph.query(MEETINGS)]
    assert rows == [(r["meeting"], r["body"], str(r["date"])) for r in oracle.select(MEETINGS)]
    assert len(rows) >= 4


def test_contract_agenda(remote_graph):
    rows = list(remote_graph.query(AGENDA % SEPT["date"]))
    assert [(str(r.number), str(r.title), str(r.outcome)) for r in rows] == [
        (i["number"], i["title"], OUTCOME_DA[i["outcome"]]) for i in SEPT["items"]
    ]
    assert all(r.decision is not None and len(str(r.decision)) > 5 for r in rows)


def test_contract_case_across_meetings(remote_graph):
    rows = [(r.date.toPython().isoformat(), str(r.number)) for r in remote_graph.query(CASE % "SAG-2024-05812")]
    want = sorted(
        (e["date"], i["number"])
        for name, e in EXPECTED.items()
        if name.endswith(".txt")
        for i in e["items"]
        if i["case"] == "SAG-2024-05812"
    )
    assert rows == want
    assert sorted({d for d, _ in rows}) == ["2025-03-10", "2025-06-16", "2025-09-22"]


def test_contract_money_in_decisions(remote_graph, oracle):
    rows = {(str(r.number), int(r.value.toPython()), str(r.printed)) for r in remote_graph.query(MONEY_IN_DECISIONS)}
    assert rows == {(r["number"], int(r["value"]), r["printed"]) for r in oracle.select(MONEY_IN_DECISIONS)}
    assert ("2.1", 1000000, "1,0 mio.") in rows  # the decision of 2025-09-22 item 2.1


def test_contract_org_mentions(remote_graph):
    dates = {r.date.toPython().isoformat() for r in remote_graph.query(ORG_MENTIONS % "GCEU")}
    assert {"2025-03-10", "2025-06-16", "2025-09-22", "2025-05-05"} <= dates
    assert not list(remote_graph.query(ORG_MENTIONS % "No Such Organisation"))


# ---------------------------------------------------------------------------------------------
# Protocol details with requests


def test_post_form_and_post_body_answer_like_get(server, oracle):
    want = _oracle_rows(oracle, MEETINGS)
    form = requests.post(
        server.endpoint, data={"query": MEETINGS}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    )
    assert _json_rows(form) == want
    body = requests.post(
        server.endpoint,
        data=MEETINGS.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": "application/sparql-results+json",
        },
        timeout=30,
    )
    assert _json_rows(body) == want
    assert _json_rows(server.get(MEETINGS)) == want


def test_bad_requests(server):
    assert (
        requests.post(server.endpoint, data=b"x", headers={"Content-Type": "text/plain"}, timeout=30).status_code == 415
    )
    assert requests.post(server.endpoint, data={"nothing": "here"}, timeout=30).status_code == 400
    both = requests.post(server.endpoint, data={"query": "ASK {}", "update": "CLEAR ALL"}, timeout=30)
    assert both.status_code == 400
    assert server.get(COUNT_ALL, accept="image/png").status_code == 406
    assert requests.get(server.endpoint, params={"query": ["ASK {}", "ASK {}"]}, timeout=30).status_code == 400


def _graph_of(oracle, day: str) -> str:
    rows = oracle.select(
        PREFIXES + f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?m dct:date "{day}"^^xsd:date ; besluit:behandelt ?i }} }}'
    )
    assert len(rows) == 1, rows
    return rows[0]["g"]


MEETING_DATES = (
    PREFIXES
    + "SELECT DISTINCT ?date WHERE { ?m a besluit:Zitting ; besluit:behandelt ?i ; dct:date ?date } ORDER BY ?date"
)
NAMED_DATES = (
    PREFIXES
    + "SELECT DISTINCT ?date WHERE { GRAPH ?g { ?m a besluit:Zitting ; besluit:behandelt ?i ; dct:date ?date } } ORDER BY ?date"
)


def test_default_and_named_graph_uri_restrict_to_one_document(server, oracle):
    sept, march = _graph_of(oracle, "2025-09-22"), _graph_of(oracle, "2025-03-10")
    all_dates = [e["date"] for n, e in EXPECTED.items() if n.endswith(".txt")]
    assert sorted(r["date"] for r in _json_rows(server.get(MEETING_DATES))) == sorted(all_dates)
    assert sorted(r["date"] for r in _json_rows(server.get(NAMED_DATES))) == sorted(all_dates)

    assert _json_rows(server.get(MEETING_DATES, **{"default-graph-uri": sept})) == [{"date": "2025-09-22"}]
    assert _json_rows(server.get(NAMED_DATES, **{"named-graph-uri": sept})) == [{"date": "2025-09-22"}]
    two = server.get(NAMED_DATES, **{"named-graph-uri": [sept, march]})
    assert _json_rows(two) == [{"date": "2025-03-10"}, {"date": "2025-09-22"}]
    # Only named graphs given: the default graph is empty (SPARQL 1.1 Query §13.2).
    assert _json_rows(server.get(MEETING_DATES, **{"named-graph-uri": sept})) == []
    # In a POSTed form the parameters go in the body.
    form = requests.post(
        server.endpoint,
        data={"query": MEETING_DATES, "default-graph-uri": march},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert _json_rows(form) == [{"date": "2025-03-10"}]


def test_protocol_dataset_overrides_from_in_the_query(server, oracle):
    """SPARQL 1.1 Protocol §2.1.4: with a dataset in both, the protocol request's is used."""
    sept, march = _graph_of(oracle, "2025-09-22"), _graph_of(oracle, "2025-03-10")
    with_from = MEETING_DATES.replace("SELECT DISTINCT ?date WHERE", f"SELECT DISTINCT ?date FROM <{march}> WHERE")
    assert _json_rows(server.get(with_from)) == [{"date": "2025-03-10"}]
    assert _json_rows(server.get(with_from, **{"default-graph-uri": sept})) == [{"date": "2025-09-22"}]
    bad = server.get(MEETING_DATES, **{"default-graph-uri": "not an iri"})
    assert bad.status_code == 400 and "default-graph-uri" in bad.text


def test_updates_are_refused_and_change_nothing(server):
    before = _json_rows(server.get(COUNT_ALL))
    insert = 'INSERT DATA { <urn:kkr:test:s> <urn:kkr:test:p> "refused" }'
    r1 = requests.post(server.endpoint, data={"update": insert}, timeout=30)
    r2 = requests.post(
        server.endpoint, data=insert.encode(), headers={"Content-Type": "application/sparql-update"}, timeout=30
    )
    r3 = requests.post(
        server.endpoint,
        data=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer guess"},
        timeout=30,
    )
    for r in (r1, r2, r3):
        assert r.status_code == 403, r.text
        assert "read-only" in r.text
    assert requests.get(server.endpoint, params={"update": insert}, timeout=30).status_code == 400
    assert _json_rows(server.get(COUNT_ALL)) == before
    assert server.get("ASK { <urn:kkr:test:s> ?p ?o }").json()["boolean"] is False


def test_update_with_bearer_token(writable):
    insert = 'INSERT DATA { GRAPH <urn:kkr:test:g> { <urn:kkr:test:s> <urn:kkr:test:p> "accepted" } }'
    ask = 'ASK { GRAPH <urn:kkr:test:g> { <urn:kkr:test:s> <urn:kkr:test:p> "accepted" } }'
    writable.warm_up()
    assert writable.get(ask).json()["boolean"] is False
    pids_before = set(writable.pool.worker_pids())

    missing = requests.post(writable.endpoint, data={"update": insert}, timeout=30)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = requests.post(
        writable.endpoint, data={"update": insert}, headers={"Authorization": "Bearer wrong-token"}, timeout=30
    )
    assert wrong.status_code == 403
    assert writable.get(ask).json()["boolean"] is False

    ok = requests.post(
        writable.endpoint,
        data=insert.encode(),
        timeout=60,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token"},
    )
    assert ok.status_code == 204, ok.text
    assert writable.get(ask).json()["boolean"] is True
    # The workers were restarted around the write (fresh read-only handles see the new state).
    assert not (set(writable.pool.worker_pids()) & pids_before)

    form = requests.post(
        writable.endpoint,
        timeout=60,
        headers={"Authorization": "Bearer s3cret-token"},
        data={"update": 'DELETE DATA { GRAPH <urn:kkr:test:g> { <urn:kkr:test:s> <urn:kkr:test:p> "accepted" } }'},
    )
    assert form.status_code == 204, form.text
    assert writable.get(ask).json()["boolean"] is False

    bad = requests.post(
        writable.endpoint,
        data={"update": "INSERT DATA { <a:b> }"},
        headers={"Authorization": "Bearer s3cret-token"},
        timeout=60,
    )
    assert bad.status_code == 400 and "not valid SPARQL 1.1" in bad.text


# ---------------------------------------------------------------------------------------------
# SERVICE and LOAD


def test_recorder_would_see_a_federated_request(recorder):
    """Control: pyoxigraph does send SERVICE requests, so the recorder can catch a leak."""
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}"))
    except Exception:  # noqa: BLE001 - the answer is not what matters
        pass
    assert recorder.seen


def test_service_is_refused_before_anything_runs(server, recorder):
    queries = [
        f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{recorder.url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z . SERVICE<{recorder.url}/sparql>{{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{recorder.url}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = server.get(query)
        assert response.status_code == 400, query
        assert "SERVICE is not allowed" in response.text
        form = requests.post(server.endpoint, data={"query": query}, timeout=30)
        assert form.status_code == 400
    time.sleep(0.5)
    assert recorder.seen == []


def test_service_in_strings_comments_iris_and_names_is_not_refused(server):
    query = """PREFIX service: <https://example.org/service#>
SELECT ?service ("SERVICE <http://example.org/> { }" AS ?s) ('''LOAD
<x>''' AS ?t) WHERE {  # SERVICE <http://example.org/sparql> { }
  BIND(<https://example.org/SERVICE> AS ?service)
  FILTER(?service != service:LOAD)
}"""
    response = server.get(query)
    assert response.status_code == 200, response.text
    assert _json_rows(response) == [
        {"service": "https://example.org/SERVICE", "s": "SERVICE <http://example.org/> { }", "t": "LOAD\n<x>"}
    ]


def test_load_is_refused(server, writable, recorder):
    load = f"LOAD <{recorder.url}/data.ttl>"
    assert requests.post(server.endpoint, data={"update": load}, timeout=30).status_code == 403
    count = writable.get(COUNT_ALL).json()
    refused = requests.post(
        writable.endpoint,
        data=load.encode(),
        timeout=30,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token"},
    )
    assert refused.status_code == 400 and "LOAD is not allowed" in refused.text
    time.sleep(0.5)
    assert recorder.seen == []
    assert writable.get(COUNT_ALL).json() == count


# ---------------------------------------------------------------------------------------------
# Errors, CORS, limits, service description


def test_malformed_query_gives_the_parsers_message(server):
    bad = "SELECT ?s WHERE { ?s ?p "
    with pytest.raises(SyntaxError):
        ox.Store().query(bad)
    response = server.get(bad)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "not valid SPARQL 1.1" in response.text and "line 1, column" in response.text
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_headers_and_preflight(server):
    response = requests.get(
        server.endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}, timeout=30
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-KKR-Truncated" in response.headers["Access-Control-Expose-Headers"]
    post = requests.post(
        server.endpoint, data={"query": "ASK {}"}, headers={"Origin": "https://example.org"}, timeout=30
    )
    assert post.status_code == 200 and post.headers["Access-Control-Allow-Origin"] == "*"
    pre = requests.options(
        server.endpoint,
        timeout=30,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
        },
    )
    assert pre.status_code in (200, 204)
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in pre.headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST"} <= methods
    headers = {h.strip().lower() for h in pre.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "accept", "authorization"} <= headers


def test_row_limit_cuts_results_and_says_so(capped, oracle):
    assert oracle.select(COUNT_ALL)[0]["n"] > 5
    response = capped.get("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(_json_rows(response)) == 5
    assert response.headers["X-KKR-Truncated"] == "true"
    assert response.headers["X-KKR-Row-Limit"] == "5"
    csv_rows = capped.get("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", accept="text/csv").text.strip().split("\r\n")
    assert len(csv_rows) == 1 + 5
    small = capped.get("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    assert len(_json_rows(small)) == 3 and small.headers["X-KKR-Truncated"] == "false"
    exact = capped.get("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5")
    assert len(_json_rows(exact)) == 5 and exact.headers["X-KKR-Truncated"] == "false"
    graph = capped.get("CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert len(graph.text.strip().splitlines()) == 5 and graph.headers["X-KKR-Truncated"] == "true"


def test_service_description(server):
    for accept in ("text/turtle", None, "*/*"):
        response = requests.get(server.endpoint, headers={"Accept": accept} if accept else {}, timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        service = next(graph.subjects(RDF.type, SD.Service))
        assert (service, SD.endpoint, rdflib.URIRef(server.endpoint)) in graph
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
        assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph
        formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
        assert formats == {
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        }
        dataset = graph.value(service, SD.defaultDataset)
        default_graph = graph.value(dataset, SD.defaultGraph)
        assert "union" in str(graph.value(default_graph, DCTERMS.description))
    jsonld = requests.get(server.endpoint, headers={"Accept": "application/ld+json"}, timeout=30)
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=jsonld.text, format="json-ld")
    assert (None, SD.endpoint, rdflib.URIRef(server.endpoint)) in graph


def test_browser_gets_a_query_form(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = requests.get(server.endpoint, headers={"Accept": browser}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert len(re.findall(r"<h1[ >]", page)) == 1
    form = re.search(r'<form method="get" action="(/sparql)">', page)
    assert form
    assert re.search(r'<label for="query">', page) and re.search(r'<textarea id="query" name="query"', page)
    # What the form sends works.
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    sent = requests.get(
        server.url + form.group(1),
        params={"query": htmllib.unescape(textarea), "format": "csv"},
        headers={"Accept": browser},
        timeout=30,
    )
    assert sent.status_code == 200 and sent.headers["Content-Type"].startswith("text/csv")
    assert sent.text.startswith("meeting,body,date\r\n")


# ---------------------------------------------------------------------------------------------
# Runaway queries


def test_runaway_query_is_killed_while_others_are_answered(server, oracle):
    pool = server.pool
    server.warm_up()
    pids_before = set(pool.worker_pids())
    assert len(pids_before) == 2
    total = str(oracle.select(COUNT_ALL)[0]["n"])
    outcome = {}

    def runaway():
        started = time.monotonic()
        response = server.get(RUNAWAY)
        outcome["status"], outcome["text"] = response.status_code, response.text
        outcome["elapsed"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    light = []
    while thread.is_alive():
        started = time.monotonic()
        rows = _json_rows(server.get(COUNT_ALL))
        light.append((time.monotonic() - started, rows[0]["n"], thread.is_alive()))
    thread.join()

    assert outcome["status"] in (503, 504), outcome
    assert "timeout" in outcome["text"].lower() and f"{TIMEOUT:g} s" in outcome["text"]
    assert TIMEOUT - 0.5 < outcome["elapsed"] < TIMEOUT + 3
    during = [x for x in light if x[2]]
    assert len(during) >= 3, light
    assert all(n == total for _, n, _ in light)
    assert max(t for t, _, _ in during) < 1.0, light

    pids_after = set(pool.worker_pids())
    killed, fresh = pids_before - pids_after, pids_after - pids_before
    assert len(killed) == 1 and len(fresh) == 1 and len(pids_after) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    for _ in range(3):  # both workers, the fresh one included, answer
        assert _json_rows(server.get(COUNT_ALL))[0]["n"] == total


# ---------------------------------------------------------------------------------------------
# /id/ dereferencing


def _id_url(server, iri: str) -> str:
    assert iri.startswith(BASE)
    return server.url + "/id/" + iri[len(BASE) :]


def test_meeting_as_turtle(server):
    response = requests.get(_id_url(server, MEETING), headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in response.headers["Vary"]
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    meeting = rdflib.URIRef(MEETING)
    assert (meeting, RDF.type, BESLUIT.Zitting) in graph
    assert (meeting, DCTERMS.date, rdflib.Literal("2025-09-22", datatype=XSD_DATE)) in graph
    assert {str(o) for o in graph.objects(meeting, BESLUIT.behandelt)} == {t[0] for t in _want_titles()}
    # The labels of what it points to come along.
    assert (rdflib.URIRef(ORG), SKOS.prefLabel, rdflib.Literal("KKR Sjælland", lang="da")) in graph
    assert {(str(s), str(o)) for s, o in graph.subject_objects(DCTERMS.title)} == _want_titles()
    # Only what the meeting says and labels: no triples about the items beyond their titles.
    assert not list(graph.triples((None, KKR.itemNumber, None)))


def test_item_as_jsonld_and_other_formats(server):
    item = SEPT["items"][2]
    iri = f"{MEETING}/item/{item['number']}"
    response = requests.get(_id_url(server, iri), headers={"Accept": "application/ld+json"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    subject = rdflib.URIRef(iri)
    assert (subject, RDF.type, BESLUIT.Agendapunt) in graph
    assert str(graph.value(subject, DCTERMS.title)) == item["title"]
    assert str(graph.value(subject, KKR.itemNumber)) == item["number"]
    case = graph.value(subject, KKR.case)
    assert str(graph.value(case, DCTERMS.identifier)) == item["case"]
    for accept, fmt in (("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        other = requests.get(_id_url(server, iri), headers={"Accept": accept}, timeout=30)
        assert other.headers["Content-Type"].startswith(accept)
        assert set(rdflib.Graph().parse(data=other.text, format=fmt)) == set(graph)


def test_organisation_as_html(server):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = requests.get(_id_url(server, ORG), headers={"Accept": browser}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.text
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["KKR Sjælland"]
    assert "skos:prefLabel" in page and "<table>" in page

    meeting = requests.get(_id_url(server, MEETING), headers={"Accept": browser}, timeout=30).text
    assert re.findall(r"<h1>(.*?)</h1>", meeting) == ["KKR Sjælland 2025-09-22"]
    links = dict((href, text) for href, text in re.findall(r'<a href="(/id/[^"]+)">([^<]*)</a>', meeting))
    first = SEPT["items"][0]
    assert links[f"/id/meeting/kkr-sjaelland/2025-09-22/item/{first['number']}"] == first["title"]
    assert links["/id/org/kkr-sjaelland"] == "KKR Sjælland"
    followed = requests.get(server.url + "/id/org/kkr-sjaelland", headers={"Accept": browser}, timeout=30)
    assert followed.status_code == 200 and "<h1>KKR Sjælland</h1>" in followed.text


def test_unknown_resource_is_404_in_every_format(server):
    url = server.url + "/id/meeting/kkr-sjaelland/1999-01-01"
    for accept in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml", "text/html"):
        response = requests.get(url, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 404, accept
        assert "Accept" in response.headers["Vary"]
    assert (
        requests.get(url, headers={"Accept": "text/html"}, timeout=30).headers["Content-Type"].startswith("text/html")
    )

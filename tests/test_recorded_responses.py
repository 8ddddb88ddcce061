"""Recorded responses of the HTTP service: a guard for refactors that promise "behaviour unchanged".

194 requests across every endpoint and format (the pages for people, the JSON endpoints, the
`/id/` IRIs in each RDF format, the SPARQL protocol with the contract's queries in every result
format, errors, CORS preflight, health, readiness, metrics) are sent, in a fixed order, through
Flask's test client to the app built on two data sets:

- ``samples`` (138 requests): the sample minutes, ingested by the real ``kkr ingest``
  (``tests/browser/support.py``: three as text, KKR Nordjylland rendered to PDF); every endpoint,
  format and error, including those that do not depend on the data;
- ``search`` (56 requests): the samples and the real minutes (the ``search_data`` session fixture of
  ``tests/conftest.py``; skipped where ``../shared/corpus`` is absent, as there); the answers that
  depend on the data.

Each answer is reduced to (method, URL, request headers, status, content type, a few stable
response headers, normalised body) and compared with ``tests/recordings/responses.json``; a
difference fails that request's test with the URL and a diff of the first differing lines.

Normalisation (what must not make two runs differ):

- JSON: floats rounded to 6 significant digits (search scores); keys in ``VOLATILE_KEYS`` dropped;
  lists kept in the order the service gives them.
- RDF (Turtle, N-Triples, JSON-LD, RDF/XML): parsed with rdflib, blank nodes canonicalised with
  ``rdflib.compare.to_canonical_graph``, stored as sorted N-Triples lines (isomorphic graphs compare
  equal, whatever the serialiser's order or prefixes).
- SPARQL results (JSON, XML): the variables and the parsed rows (each term in N-Triples form); CSV
  and TSV: the lines. Rows keep their order when the query has ORDER BY, else they are sorted.
- HTML: the ``<title>`` and the content of ``<main>`` as lines of text, with headings marked,
  table cells separated by `` | ``, links as ``text <href>`` and form controls with name and value;
  blank node labels (the SPARQL page's CONSTRUCT table shows the engine's, new each run) become
  ``_:b1``, ``_:b2``, ... in order of appearance (so do any in SELECT rows).
- ``/metrics``: only the set of metric family names; PDFs: sha256 and size.
- Today's date on the deadlines page ("i dag er …") becomes ``i dag er <I DAG>``.
- Any absolute path of the temporary data directory is replaced by ``<DATA>`` (there should be none).
- A normalised body over 20 KB is stored as its sha256 plus its first 2 KB for readable diffs.

Re-recording (after a change of behaviour that is meant):

    .venv/bin/python -m tests.test_recorded_responses --record
    # or, equivalently
    KKR_RECORD=1 .venv/bin/python -m pytest -q tests/test_recorded_responses.py

Either rewrites the data sets' sections of the recording from the current service (the tests then
pass by construction); review the diff of ``tests/recordings/responses.json`` before committing.
Running ``--record`` twice in a row must leave the file byte-identical; if it does not, something
volatile escaped the normalisation above.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

# rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

RECORDING = Path(__file__).resolve().parent / "recordings" / "responses.json"
RECORD = os.environ.get("KKR_RECORD", "").strip() not in ("", "0")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON = "application/json"
BASE = "https://w3id.org/kkr/id/"
MAX_BODY = 20_000  # a normalised body longer than this (as JSON text) is stored hashed...
HEAD = 2_000  # ...with its first characters in clear
# JSON keys whose values change from run to run (found by recording twice and diffing): none of
# the service's JSON answers has any today (no timings, pids or generations are sent; /metrics is
# reduced to its family names); add here what a new field brings.
VOLATILE_KEYS: frozenset[str] = frozenset()
# response headers worth guarding (Date, Content-Length, ETag, Last-Modified are left out)
KEPT_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Allow",
    "Vary",
    "X-KKR-Truncated",
    "X-KKR-Row-Limit",
    "Retry-After",
    "WWW-Authenticate",
    "Content-Disposition",
    "Cache-Control",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Frame-Options",
)


# ---------------------------------------------------------------------------------------------
# The requests


@dataclass(frozen=True)
class Req:
    name: str  # unique in its data set; the test id
    url: str  # may hold {sha:WORD}: the sha256 prefix of the document whose
    # file name holds WORD, looked up first
    accept: str | None = None
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    ordered: bool = True  # whether rows / lines keep the order the service gives

    def request_headers(self) -> dict[str, str]:
        out = {"Accept": self.accept} if self.accept else {}
        out.update(self.headers)
        return out


def _q(query: str) -> str:
    return "/sparql?" + urlencode({"query": query})


def _sparql_requests(agenda_date: str, case: str, org_label: str, every_format: bool) -> list[Req]:
    """The contract's queries (kkr/contract.py) with example values: in every result format, or
    (every_format=False) as JSON and TSV."""
    from kkr import contract

    queries = {
        "meetings": contract.MEETINGS,
        "agenda": contract.AGENDA % agenda_date,
        "case": contract.CASE % case,
        "money": contract.MONEY_IN_DECISIONS,
        "org-mentions": contract.ORG_MENTIONS % org_label,
    }
    formats = (
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    )
    if not every_format:
        formats = formats[0], formats[3]
    out = []
    for key, query in queries.items():
        ordered = "ORDER BY" in query.upper()
        for fmt, accept in formats:
            out.append(Req(f"sparql {key} {fmt}", _q(query), accept, ordered=ordered))
    # format= instead of Accept, and the browser's results page
    if every_format:
        out.append(Req("sparql meetings format=csv", _q(contract.MEETINGS) + "&format=csv"))
    out.append(Req("sparql page agenda (browser)", _q(queries["agenda"]), BROWSER))
    return out


CONSTRUCT = (
    "CONSTRUCT { ?m <http://purl.org/dc/terms/date> ?d ; <urn:x:item> [ <urn:x:number> ?n ] } "
    "WHERE { ?m a <http://data.vlaanderen.be/ns/besluit#Zitting> ; <http://purl.org/dc/terms/date> ?d ; "
    "<http://data.vlaanderen.be/ns/besluit#behandelt>/<https://w3id.org/kkr/ns#itemNumber> ?n }"
)
ASK_TRUE = "ASK { ?m a <http://data.vlaanderen.be/ns/besluit#Zitting> }"
SHA_QUERY = (
    "SELECT DISTINCT ?sha ?src WHERE { ?d <https://w3id.org/kkr/ns#sha256> ?sha ; "
    "<http://purl.org/dc/terms/source> ?src } ORDER BY ?src"
)
SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def _data_requests() -> list[Req]:
    """SPARQL answers that depend on the data, asked of both data sets."""
    return [
        Req("home (browser)", "/", BROWSER),
        Req("sparql sha256 lookup", _q(SHA_QUERY), "application/sparql-results+json"),
        Req("sparql construct turtle", _q(CONSTRUCT), "text/turtle"),
        Req("sparql construct ntriples", _q(CONSTRUCT), "application/n-triples"),
        Req("sparql construct jsonld", _q(CONSTRUCT), "application/ld+json"),
        Req("sparql construct rdfxml", _q(CONSTRUCT), "application/rdf+xml"),
        Req("sparql construct page (browser)", _q(CONSTRUCT), BROWSER),
        Req("sparql ask json", _q(ASK_TRUE), "application/sparql-results+json"),
    ]


def _last_requests() -> list[Req]:
    """Last of each data set: after the searches and questions, so that the index is loaded."""
    return [
        Req("healthz", "/healthz"),
        Req("readyz", "/readyz"),
        Req("metrics", "/metrics"),
    ]


def _fixed_requests() -> list[Req]:
    """What does not depend on the data (asked of the samples only): the service description,
    the SPARQL page and protocol, errors, CORS preflight, the OpenAPI document."""
    return [
        Req("sparql service description", "/sparql"),
        Req("sparql service description turtle", "/sparql", "text/turtle"),
        Req("sparql service description format=ntriples", "/sparql?format=ntriples"),
        Req("sparql page empty (browser)", "/sparql", BROWSER),
        Req("sparql page example (browser)", "/sparql?example=beloeb", BROWSER),
        Req("sparql construct format=turtle", _q(CONSTRUCT) + "&format=turtle"),
        Req("sparql ask xml", _q(ASK_TRUE), "application/sparql-results+xml"),
        Req("sparql ask page (browser)", _q(ASK_TRUE), BROWSER),
        Req("sparql malformed 400", _q("SELECT * WHERE { ?s ?p "), "application/sparql-results+json"),
        Req("sparql malformed page (browser)", _q("SELECT * WHERE { ?s ?p "), BROWSER),
        Req("sparql service 400", _q(SERVICE_QUERY), "application/sparql-results+json"),
        Req(
            "sparql post form",
            "/sparql",
            "application/sparql-results+json",
            method="POST",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
        ),
        Req("sparql 406 image/png", _q(ASK_TRUE), "image/png"),
        Req(
            "sparql update refused 403",
            "/sparql",
            method="POST",
            headers=(("Content-Type", "application/sparql-update"),),
        ),
        Req(
            "sparql options",
            "/sparql",
            method="OPTIONS",
            headers=(("Origin", "https://example.org"), ("Access-Control-Request-Method", "POST")),
        ),
        Req("id options", "/id/org/kkr-sjaelland", method="OPTIONS"),
        Req("id unknown 404 turtle", "/id/nothing/here", "text/turtle"),
        Req("id unknown 404 (browser)", "/id/nothing/here", BROWSER),
        Req("id 406 image/png", "/id/org/kkr-sjaelland", "image/png"),
        Req("cases 400", "/cases/nonsense", JSON),
        Req("cases 400 (browser)", "/cases/nonsense", BROWSER),
        Req("cases 404", "/cases/SAG-1999-00001", JSON),
        Req("thread 400 missing item", "/thread", JSON),
        Req("thread 404", "/thread?item=/id/meeting/kkr-sjaelland/2025-09-22/item/9.9", JSON),
        Req("search 400 missing q", "/search", JSON),
        Req("search 400 bad date", "/search?q=akut&from=juni", JSON),
        Req("search 400 bad k", "/search?q=akut&k=0", JSON),
        Req("ask 400 missing q", "/ask", JSON),
        Req("ask empty page (browser)", "/ask", BROWSER),
        Req("deadlines 400 bad date", "/deadlines?from=maj", JSON),
        Req("entities 404", "/entities/nobody-at-all", JSON),
        Req("source 404 bad prefix", "/source/xyz"),
        Req("source 404 unknown (browser)", "/source/0123456789abcdef", BROWSER),
        Req("unmatched 404 (browser)", "/no/such/page", BROWSER),
        Req("openapi", "/openapi.json"),
    ]


SEPT = "/id/meeting/kkr-sjaelland/2025-09-22"
ITEM = SEPT + "/item/2.1"
AKUT = SEPT + "/item/2.3"
NORD = "/id/meeting/kkr-nordjylland/2025-05-05"
PARAGRAPH = ITEM + "/section/1/p/1"
MIDT = "/id/meeting/kkr-midtjylland/2025-10-20"


def _id_formats(prefix: str, path: str) -> list[Req]:
    return [
        Req(f"{prefix} turtle", path, "text/turtle"),
        Req(f"{prefix} ntriples", path, "application/n-triples"),
        Req(f"{prefix} jsonld", path, "application/ld+json"),
        Req(f"{prefix} rdfxml", path, "application/rdf+xml"),
        Req(f"{prefix} (browser)", path, BROWSER),
        Req(f"{prefix} format=jsonld", path + "?format=jsonld"),
        Req(f"{prefix} format=html", path + "?format=html"),
    ]


def _samples_requests() -> list[Req]:
    ask_da = "/ask?" + urlencode({"q": "Hvad blev besluttet om akutpladser?"})
    ask_en = "/ask?" + urlencode({"q": "What was decided about the financing of GCEU?"})
    ask_none = "/ask?" + urlencode({"q": "Hvad blev besluttet om rumfart?"})
    filters = urlencode(
        {
            "q": "akutpladser",
            "body": "KKR Sjælland",
            "from": "2025-06-01",
            "to": "2025-12-31",
            "section": "Beslutning",
            "k": "3",
        }
    )
    first = [
        Req("search json", "/search?q=akutpladser"),
        Req("search json english", "/search?" + urlencode({"q": "emergency care places", "k": "5"}), JSON),
        Req("search json filters", "/search?" + filters, JSON),
        Req("search page (browser)", "/search?q=akutpladser", BROWSER),
        Req("search page filters (browser)", "/search?" + filters, BROWSER),
        Req("search page empty (browser)", "/search", BROWSER),
        Req("search format=json (browser)", "/search?q=akutpladser&format=json", BROWSER),
        Req("ask json danish", ask_da, JSON),
        Req("ask json english", ask_en, JSON),
        Req("ask json nothing found", ask_none, JSON),
        Req("ask page danish (browser)", ask_da, BROWSER),
        Req("ask page english (browser)", ask_en, BROWSER),
    ]
    ids = (
        _id_formats("id meeting", SEPT)
        + _id_formats("id item", ITEM)
        + [Req("id meeting from pdf (browser)", NORD, BROWSER), Req("id meeting from pdf turtle", NORD)]
        + _id_formats("id case", "/id/case/SAG-2025-00964")[:5]
        + _id_formats("id org", "/id/org/greater-copenhagen-eu-office")[:5]
        + [Req("id council org (browser)", "/id/org/kkr-sjaelland", BROWSER)]
        + _id_formats("id person", "/id/person/anders-holm")[:5]
        + [
            Req("id paragraph turtle", PARAGRAPH, "text/turtle"),
            Req("id paragraph ntriples", PARAGRAPH, "application/n-triples"),
            Req("id paragraph format=rdfxml", PARAGRAPH + "?format=rdfxml"),
            Req("id paragraph (browser)", PARAGRAPH, BROWSER),
        ]
    )
    tracing = [
        Req("cases json", "/cases/SAG-2025-00964", JSON),
        Req("cases page (browser)", "/cases/SAG-2025-00964", BROWSER),
        Req("cases format=json (browser)", "/cases/SAG-2025-00964?format=json", BROWSER),
        Req("cases 404 (browser)", "/cases/SAG-1999-00001", BROWSER),
        Req("thread json", "/thread?" + urlencode({"item": AKUT}), JSON),
        Req("thread json full iri", "/thread?" + urlencode({"item": BASE + ITEM[4:]}), JSON),
        Req("thread page (browser)", "/thread?" + urlencode({"item": AKUT}), BROWSER),
        Req("deadlines json", "/deadlines", JSON),
        Req(
            "deadlines json from/to/body",
            "/deadlines?" + urlencode({"from": "2026-01-01", "to": "2026-06-30", "body": "KKR Sjælland"}),
            JSON,
        ),
        Req("deadlines json from only", "/deadlines?from=2026-04-15&to=&body=", JSON),
        Req("deadlines page (browser)", "/deadlines", BROWSER),
        Req("deadlines page narrowed (browser)", "/deadlines?from=2026-04-15&to=&body=KKR+Sj%C3%A6lland", BROWSER),
        Req("entities org json", "/entities/org/greater-copenhagen-eu-office", JSON),
        Req("entities bare slug json", "/entities/greater-copenhagen-eu-office", JSON),
        Req("entities org page (browser)", "/entities/org/greater-copenhagen-eu-office", BROWSER),
        Req("entities person json", "/entities/person/anders-holm", JSON),
        Req("entities person page (browser)", "/entities/person/anders-holm", BROWSER),
        Req("entities 404 (browser)", "/entities/nobody-at-all", BROWSER),
        Req("source document pdf", "/source/{sha:nordjylland}"),
        Req("source document pdf (browser)", "/source/{sha:nordjylland}", BROWSER),
        Req("source document text", "/source/{sha:2025-09-22}"),
        Req("source document text (browser)", "/source/{sha:2025-09-22}", BROWSER),
    ]
    return (
        first
        + ids
        + tracing
        + _sparql_requests("2025-09-22", "SAG-2025-00964", "GCEU", every_format=True)
        + _data_requests()
        + _fixed_requests()
        + _last_requests()
    )


def _search_requests() -> list[Req]:
    ask_da = "/ask?" + urlencode({"q": "Hvad blev besluttet om CDEU?"})
    ask_en = "/ask?" + urlencode({"q": "When must the division agreements be decided in the municipalities?"})
    ask_which = "/ask?" + urlencode({"q": "Hvilke punkter tog KKR Midtjylland til efterretning den 20. oktober 2025?"})
    filters = urlencode(
        {
            "q": "opvarmning",
            "body": "KKR Midtjylland",
            "from": "2025-10-01",
            "to": "2025-10-31",
            "section": "DecisionSection",
            "k": "4",
        }
    )
    return [
        Req("search json", "/search?" + urlencode({"q": "EU-kontor finansiering", "k": "5"}), JSON),
        Req("search json english", "/search?" + urlencode({"q": "division of tasks agreement", "k": "5"}), JSON),
        Req("search json filters", "/search?" + filters, JSON),
        Req("search page (browser)", "/search?" + urlencode({"q": "EU-kontor finansiering"}), BROWSER),
        Req("search page filters (browser)", "/search?" + filters, BROWSER),
        Req("ask json danish", ask_da, JSON),
        Req("ask json english", ask_en, JSON),
        Req("ask json which items", ask_which, JSON),
        Req("ask page danish (browser)", ask_da, BROWSER),
        Req("ask page english (browser)", ask_en, BROWSER),
        *_id_formats("id meeting", MIDT),
        Req("id item (browser)", MIDT + "/item/1.1", BROWSER),
        Req("id item turtle", MIDT + "/item/1.1", "text/turtle"),
        Req("id case (browser)", "/id/case/SAG-2025-03802", BROWSER),
        Req("id org (browser)", "/id/org/central-denmark-eu-office", BROWSER),
        Req("id org jsonld", "/id/org/central-denmark-eu-office", "application/ld+json"),
        Req("id person (browser)", "/id/person/jesper-kaas-schmidt", BROWSER),
        Req("cases json", "/cases/SAG-2025-03802", JSON),
        Req("cases page (browser)", "/cases/SAG-2025-03802", BROWSER),
        Req("thread json", "/thread?" + urlencode({"item": AKUT}), JSON),
        Req("thread page (browser)", "/thread?" + urlencode({"item": AKUT}), BROWSER),
        Req("deadlines json", "/deadlines", JSON),
        Req("deadlines json body", "/deadlines?" + urlencode({"body": "KKR Midtjylland"}), JSON),
        Req("deadlines page (browser)", "/deadlines?" + urlencode({"from": "2025-11-01"}), BROWSER),
        Req("entities org json", "/entities/org/central-denmark-eu-office", JSON),
        Req("entities person json", "/entities/person/jesper-kaas-schmidt", JSON),
        Req("entities org page (browser)", "/entities/central-denmark-eu-office", BROWSER),
        Req("source document real minutes", "/source/{sha:midtjylland}"),
        *_sparql_requests("2025-10-20", "SAG-2025-03802", "CDEU", every_format=False),
        *_data_requests(),
        *_last_requests(),
    ]


DATASETS = {"samples": _samples_requests, "search": _search_requests}
# POST bodies of the requests that have one
BODIES = {
    "sparql post form": urlencode({"query": ASK_TRUE}),
    "sparql update refused 403": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
}


# ---------------------------------------------------------------------------------------------
# Normalisation


def _round(value):
    if isinstance(value, float):
        if not math.isfinite(value) or value == 0:
            return value
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def _canonical_rdf(data: bytes, rdflib_format: str) -> list[str]:
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    graph = Graph()
    graph.parse(data=data, format=rdflib_format)
    canonical = to_canonical_graph(graph)
    return sorted(line for line in canonical.serialize(format="nt").splitlines() if line.strip())


RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def _term(term) -> str | None:
    return None if term is None else term.n3()


def _sparql_rows(data: bytes, fmt: str, ordered: bool) -> dict:
    from rdflib.query import Result

    result = Result.parse(io.BytesIO(data), format=fmt)
    if result.type == "ASK":
        return {"boolean": bool(result.askAnswer)}
    variables = [str(v) for v in result.vars]
    rows = [[_term(row[v]) for v in result.vars] for row in result]
    if not ordered:
        rows.sort(key=lambda r: json.dumps(r))
    if any(cell and cell.startswith("_:") for row in rows for cell in row):
        rows = [json.loads(line) for line in _relabel_bnodes([json.dumps(row) for row in rows])]
    return {"vars": variables, "rows": rows}


def _delimited(text: str, ordered: bool) -> list[str]:
    lines = text.splitlines()
    if not ordered and lines:
        lines = lines[:1] + sorted(lines[1:])
    return lines


BLOCK = {
    "p",
    "div",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "form",
    "pre",
    "br",
    "article",
    "header",
    "footer",
    "nav",
    "details",
    "summary",
    "fieldset",
    "legend",
    "option",
    "label",
    "thead",
    "tbody",
    "blockquote",
    "figure",
    "figcaption",
    "aside",
    "select",
    "textarea",
    "button",
}


class _MainText(HTMLParser):
    """The title and the text of <main>: block elements start lines, headings are marked with #,
    cells are separated by ' | ', links show their href, form controls their name and value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.lines: list[str] = []
        self._line: list[str] = []
        self._in_title = self._in_main = False
        self._main_depth = 0
        self._href: list[str | None] = []
        self._pre = 0

    def _flush(self):
        text = "".join(self._line)
        if not self._pre:
            text = re.sub(r"\s+", " ", text).strip()
        # the deadlines page says which day it is ("i dag er 1. december 2026")
        text = re.sub(r"\bi dag er \d{1,2}\. [a-zæøå]+ \d{4}", "i dag er <I DAG>", text)
        if text.strip():
            self.lines.extend(text.splitlines() if self._pre else [text])
        self._line = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "main":
            self._in_main = True
        if not self._in_main:
            return
        if tag in BLOCK:
            self._flush()
        if tag in ("pre", "textarea"):
            self._pre += 1
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._line.append("#" * int(tag[1]) + " ")
        elif tag in ("td", "th"):
            self._line.append(" | ")
        elif tag == "a":
            self._href.append(a.get("href"))
        elif tag == "input":
            self._line.append(
                f" [input {a.get('type', 'text')} {a.get('name')}={a.get('value', '')!r}"
                + (" checked" if "checked" in a else "")
                + "] "
            )
        elif tag in ("select", "textarea", "button"):
            self._line.append(f"[{tag} {a.get('name')}] ")
        elif tag == "option":
            self._line.append(f"[option {a.get('value')!r}{' selected' if 'selected' in a else ''}] ")
        elif tag == "img":
            self._line.append(f"[img {a.get('alt')!r}]")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if not self._in_main:
            return
        if tag == "a" and self._href:
            href = self._href.pop()
            if href is not None:
                self._line.append(f" <{href}>")
        if tag in ("pre", "textarea") and self._pre:
            self._flush()
            self._pre -= 1
        elif tag in BLOCK:
            self._flush()
        if tag == "main":
            self._flush()
            self._in_main = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        if self._in_main:
            self._line.append(data)


BNODE = re.compile(r"_:[A-Za-z0-9_.-]*[A-Za-z0-9_-]")


def _relabel_bnodes(lines: list[str]) -> list[str]:
    """Blank node labels (new each run) → _:b1, _:b2, ... in the order they first appear."""
    labels: dict[str, str] = {}
    return [BNODE.sub(lambda m: labels.setdefault(m.group(0), f"_:b{len(labels) + 1}"), line) for line in lines]


def _html(text: str) -> dict:
    parser = _MainText()
    parser.feed(text)
    parser.close()
    parser._flush()
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip()
    return {"title": title, "main": _relabel_bnodes(parser.lines)}


def _metric_families(text: str) -> list[str]:
    """The names of the # TYPE lines (values, labels and their order are volatile)."""
    return sorted({m.group(1) for m in re.finditer(r"^# TYPE (\S+) ", text, re.M)})


def normalise_body(req: Req, content_type: str, data: bytes) -> object:
    media = content_type.split(";")[0].strip().lower()
    if req.url.startswith("/metrics"):
        return {"metric_families": _metric_families(data.decode("utf-8"))}
    if not data:
        return None
    if media in RDF_TYPES:
        return {"rdf": _canonical_rdf(data, RDF_TYPES[media])}
    if media == "application/sparql-results+json":
        return {"results": _sparql_rows(data, "json", req.ordered)}
    if media == "application/sparql-results+xml":
        return {"results": _sparql_rows(data, "xml", req.ordered)}
    if media == "text/csv":
        return {"lines": _delimited(data.decode("utf-8"), req.ordered)}
    if media == "text/tab-separated-values":
        return {"lines": _delimited(data.decode("utf-8"), req.ordered)}
    if media == "application/json" or media.endswith("+json"):
        return {"json": _round(json.loads(data))}
    if media == "text/html":
        return {"html": _html(data.decode("utf-8"))}
    if media.startswith("text/"):
        return {"text": data.decode("utf-8").splitlines()}
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _shorten(body: object) -> object:
    text = json.dumps(body, ensure_ascii=False, indent=1)
    if len(text) <= MAX_BODY:
        return body
    return {
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "size": len(text),
        "head": text[:HEAD].splitlines(),
    }


def _scrub(value, data_dir: str):
    """Replace the tmp data directory (and its parent) wherever it appears."""
    if isinstance(value, str):
        for path in data_dir:
            value = value.replace(path, "<DATA>")
        return value
    if isinstance(value, list):
        return [_scrub(v, data_dir) for v in value]
    if isinstance(value, dict):
        return {_scrub(k, data_dir): _scrub(v, data_dir) for k, v in value.items()}
    return value


def record_one(client, req: Req, url: str, scrub_paths: tuple[str, ...]) -> dict:
    headers = req.request_headers()
    body = BODIES.get(req.name)
    response = client.open(
        url, method=req.method, headers=headers, data=body.encode("utf-8") if body is not None else None
    )
    content_type = response.headers.get("Content-Type", "")
    kept = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
    entry = {
        "method": req.method,
        "url": url,
        "request_headers": headers,
        **({"request_body": body} if body is not None else {}),
        "status": response.status_code,
        "content_type": content_type,
        "headers": kept,
        "body": _shorten(normalise_body(req, content_type, response.get_data())),
    }
    response.close()
    return _scrub(entry, scrub_paths)


def run_requests(app, dataset: str, data_dir: Path) -> dict[str, dict]:
    client = app.test_client()
    found = client.get(_q(SHA_QUERY), headers={"Accept": "application/sparql-results+json"})
    assert found.status_code == 200, found.get_data(as_text=True)
    documents = [(b["src"]["value"], b["sha"]["value"]) for b in found.get_json()["results"]["bindings"]]
    assert documents, "no kkr:sha256 in the store"

    def sha_of(match: re.Match) -> str:
        shas = [sha for src, sha in documents if match.group(1) in src]
        assert len(shas) == 1, f"no one document named like {match.group(1)!r}: {documents}"
        return shas[0][:16]

    paths = tuple(
        sorted(
            {str(data_dir), str(data_dir.resolve()), str(data_dir.parent), str(data_dir.resolve().parent)},
            key=len,
            reverse=True,
        )
    )
    out: dict[str, dict] = {}
    for req in DATASETS[dataset]():
        assert req.name not in out, f"two requests named {req.name!r}"
        out[req.name] = record_one(client, req, re.sub(r"\{sha:([^}]+)\}", sha_of, req.url), paths)
    return out


# ---------------------------------------------------------------------------------------------
# Recording file


def load_recording() -> dict:
    if not RECORDING.exists():
        return {}
    return json.loads(RECORDING.read_text(encoding="utf-8"))


def write_recording(dataset: str, entries: dict[str, dict]) -> None:
    recording = load_recording()
    recording.pop("_about", None)
    recording[dataset] = entries
    out = {
        "_about": "Written by 'python -m tests.test_recorded_responses --record'; see that module's docstring.",
        **{k: recording[k] for k in sorted(recording)},
    }
    RECORDING.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    tmp = RECORDING.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(RECORDING)


def _lines(entry: dict) -> list[str]:
    return json.dumps(entry, ensure_ascii=False, indent=1).splitlines()


def difference(name: str, recorded: dict, current: dict, context: int = 3, limit: int = 60) -> str:
    diff = list(difflib.unified_diff(_lines(recorded), _lines(current), "recorded", "current", n=context, lineterm=""))
    shown = diff[:limit] + ([f"... ({len(diff) - limit} more diff lines)"] if len(diff) > limit else [])
    url = current.get("url") or ""
    url = url if len(url) <= 160 else url[:160] + "…"
    return (
        f"{name}: {current.get('method')} {url} answers differently from the recording "
        f"(status {recorded.get('status')} → {current.get('status')})\n"
        + "\n".join(shown)
        + "\n(if the change is meant: python -m tests.test_recorded_responses --record)"
    )


# ---------------------------------------------------------------------------------------------
# Fixtures and tests

_current: dict[str, dict[str, dict]] = {}


def _build(dataset: str, request, make_app) -> dict[str, dict]:
    from tests.browser.support import app_config, sample_data

    if dataset == "samples":
        data = sample_data(request.getfixturevalue("tmp_path_factory"))[0]
    else:
        data = request.getfixturevalue("search_data")
    # two data sets, so two apps in this module, each built by the first test that needs it (its
    # workers stopped after that test): `make_app`, not the module's one `app`
    entries = run_requests(make_app(**app_config(data)), dataset, Path(data))
    if RECORD:
        write_recording(dataset, entries)
    return entries


@pytest.fixture
def current(request, make_app):
    """current(dataset) → {name: entry}: every request of the data set, run once (by the first test
    that asks), in order."""

    def get(dataset: str) -> dict[str, dict]:
        if dataset not in _current:
            _current[dataset] = _build(dataset, request, make_app)
        return _current[dataset]

    return get


@pytest.fixture(scope="module")
def recording() -> dict:
    if RECORD:
        return {}
    if not RECORDING.exists():
        pytest.fail(f"{RECORDING} is missing; write it with: python -m tests.test_recorded_responses --record")
    return load_recording()


CASES = [(dataset, req.name) for dataset, make in DATASETS.items() for req in make()]


@pytest.mark.parametrize(("dataset", "name"), CASES, ids=[f"{d}:{n}" for d, n in CASES])
def test_response_as_recorded(dataset, name, current, recording):
    entries = current(dataset)
    if RECORD:
        return
    recorded = recording.get(dataset, {}).get(name)
    assert recorded is not None, (
        f"{dataset}:{name} is not in {RECORDING.name}; record it with: python -m tests.test_recorded_responses --record"
    )
    now = entries[name]
    if recorded != now:
        pytest.fail(difference(f"{dataset}:{name}", recorded, now), pytrace=False)


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_recording_has_no_stale_requests(dataset, recording):
    if RECORD:
        return
    names = {req.name for req in DATASETS[dataset]()}
    stale = sorted(set(recording.get(dataset, {})) - names)
    assert not stale, f"recorded but no longer requested: {stale}; re-record with --record"


def test_recording_names_no_machine_paths(recording):
    if RECORD:
        return
    text = RECORDING.read_text(encoding="utf-8")
    for needle in ("/tmp/", "pytest-of-", str(Path(__file__).resolve().parent.parent)):
        assert needle not in text, f"{needle!r} appears in {RECORDING.name}"


def main(argv: list[str]) -> int:
    if "--record" not in argv:
        print(__doc__)
        return 2
    os.environ["KKR_RECORD"] = "1"
    extra = [a for a in argv if a != "--record"]
    return pytest.main(["-q", "-p", "no:cacheprovider", str(Path(__file__).resolve()), *extra])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

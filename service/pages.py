"""The pages blueprint: the home page (`/`), the source documents (`/source/<sha256 prefix>`), the
tracing pages (/cases, /thread, /deadlines, /entities for a browser) and the SPARQL console
(/sparql for a browser). Server-rendered HTML (Jinja templates in service/templates/, CSS and a
little optional JavaScript in service/static/; nothing from other servers).

The JSON endpoints hand their HTML branch (`wants_html()`, service/render.py) to the functions
here and in service/views/ (the /id/ pages, the search page, the answer page), so a browser and a
tool get the page and the JSON from the same URL. Page data comes from service/page_data.py.
Every page is rendered with autoescaping; HTML responses carry a strict Content-Security-Policy
(no inline scripts or styles, nothing from elsewhere), installed on this blueprint by
`render.register`.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request, send_file

from kkr import contract, sources
from kkr.service import results as res
from kkr.service.client_queries import run_client_query
from kkr.service.error_replies import query_error_reply
from kkr.service.page_data import BESLUIT, council_meetings, councils, document_for, recent_meetings, select
from kkr.service.query_errors import QueryError
from kkr.service.render import error_page, local, query_url, render
from kkr.service.render import register as render_setup
from kkr.service.sparql_guard import OutboundRefused
from kkr.service.views.resource_page import compact
from kkr.sparql_terms import iri as iri_term

bp = Blueprint("pages", __name__)

SPARQL_DISPLAY_ROWS = 500
render_setup(bp)


def today() -> date:
    """The date "upcoming" deadlines are counted from (a function, so tests can fix it)."""
    return date.today()


# ---------------------------------------------------------------------------------------------
# Home page and source documents


@bp.get("/")
def home():
    try:
        meetings = recent_meetings()
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    return render("home.html", councils=meetings, nav="home")


@bp.get("/source/<sha>")
def source(sha: str):
    """The source document (PDF or text) with this sha256 prefix: the copy `kkr ingest` kept in
    DATA_DIR/sources/ (its sha256 is checked, so only the ingested bytes are sent)."""
    sha = sha.lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", sha):
        return error_page("Et kildedokument angives med begyndelsen af sin SHA-256 (mindst 8 hex-tegn).", 404)
    try:
        doc = document_for(sha)
    except QueryError as exc:
        status, _english, danish, _headers = query_error_reply(exc)
        return error_page(danish, status)
    if doc is None:
        return error_page(f"Intet kildedokument med SHA-256 {sha}…", 404)
    copy = sources.find_copy(sources.sources_dir(current_app.config["DATA_DIR"]), doc["sha"])
    if copy is None:
        return error_page(
            f"Kildedokumentet {doc['name']} findes ikke i tjenestens datamappe. Indlæs det igen "
            "med 'kkr ingest' i den datamappe, tjenesten bruger (--data); så gemmes en kopi.",
            404,
            title="Kildedokumentet er ikke tilgængeligt",
        )
    data, mimetype = copy.read_bytes(), "application/pdf"
    if copy.suffix == ".txt":
        data, mimetype = sources.text_for_browser(data), "text/plain"  # Flask adds charset=utf-8
    return send_file(io.BytesIO(data), mimetype=mimetype, download_name=doc["name"], max_age=3600)


# ---------------------------------------------------------------------------------------------
# Tracing pages (/cases, /thread, /deadlines, /entities)


def case_page(timeline: dict) -> Response:
    return render("case.html", case=timeline, title=f"Sag {timeline['case']}", rows=None)


def thread_page(result: dict) -> Response:
    asked = next((i for i in result["items"] if i["item_iri"] == result["item"]), None)
    return render("thread.html", thread=result, asked=asked)


def deadlines_page(rows: list[dict], date_from: str | None, date_to: str | None, body: str | None) -> Response:
    now = today().isoformat()
    upcoming = [d for d in rows if d["end_date"] >= now]
    past = sorted((d for d in rows if d["end_date"] < now), key=lambda d: (d["date"], d["meeting_date"]), reverse=True)
    try:
        bodies = councils()
    except QueryError:
        bodies = []
    return render(
        "deadlines.html",
        upcoming=upcoming,
        past=past,
        today=now,
        nav="deadlines",
        f={"from": date_from or "", "to": date_to or "", "body": body or ""},
        councils=bodies,
    )


def entity_page(found: dict) -> Response:
    meetings = []
    try:
        types = select(f"SELECT ?t WHERE {{ {iri_term(found['iri'])} a ?t }}")
        if any(r["t"] == BESLUIT + "Bestuursorgaan" for r in types):
            meetings = council_meetings(found["iri"])
    except QueryError:
        pass
    return render("entity.html", entity=found, meetings=meetings, title=found["label"], rows=None, iri=found["iri"])


# ---------------------------------------------------------------------------------------------
# SPARQL page


# The public contract's queries (kkr/contract.py), with example values filled in, plus one CONSTRUCT.
EXAMPLES = [
    {
        "key": "moeder",
        "title": "Møder",
        "description": "Alle møder med råd og dato, ældste først.",
        "query": contract.MEETINGS,
    },
    {
        "key": "dagsorden",
        "title": "Et mødes dagsorden med beslutninger",
        "description": "Punkterne på mødet den 22. september 2025 med udfald og beslutning.",
        "query": contract.AGENDA % "2025-09-22",
    },
    {
        "key": "sag",
        "title": "En sag på tværs af møder",
        "description": "Punkterne under sagsnummeret SAG-2025-00964, efter dato.",
        "query": contract.CASE % "SAG-2025-00964",
    },
    {
        "key": "beloeb",
        "title": "Beløb i beslutninger",
        "description": "Beløb nævnt i afsnittet Beslutning: værdi i kroner og teksten som trykt.",
        "query": contract.MONEY_IN_DECISIONS,
    },
    {
        "key": "organisation",
        "title": "Alt der nævner en organisation",
        "description": "Punkter der nævner organisationen, under et hvilket som helst af dens navne (her GCEU).",
        "query": contract.ORG_MENTIONS % "GCEU",
    },
    {
        "key": "graf",
        "title": "Et møde som graf (CONSTRUCT)",
        "description": "Mødet den 22. september 2025 og dets punkter som RDF, til download som Turtle m.fl.",
        "query": contract.PREFIXES
        + """
CONSTRUCT { ?m a besluit:Zitting ; dct:date ?date ; besluit:behandelt ?item .
            ?item kkr:itemNumber ?number ; dct:title ?title . }
WHERE {
  ?m a besluit:Zitting ; dct:date "2025-09-22"^^xsd:date ; dct:date ?date ; besluit:behandelt ?item .
  ?item kkr:itemNumber ?number ; dct:title ?title .
}
""",
    },
]
DOWNLOADS = {
    "solutions": [("csv", "CSV"), ("tsv", "TSV"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML")],
    "boolean": [("csv", "CSV"), ("tsv", "TSV"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML")],
    "graph": [("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML")],
}
EXTENSIONS = {
    "csv": "csv",
    "tsv": "tsv",
    "json": "srj",
    "xml": "srx",
    "turtle": "ttl",
    "ntriples": "nt",
    "jsonld": "jsonld",
    "rdfxml": "rdf",
}


def _cell(term) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        base = current_app.config["BASE"]
        return {"text": term.value, "href": local(term.value) if term.value.startswith(base) else None, "iri": True}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value}
    if isinstance(term, ox.Literal):
        note = None
        if term.language:
            note = "@" + term.language
        elif term.datatype.value != res.XSD_STRING:
            note = compact(term.datatype.value)
        return {"text": term.value, "note": note, "lang": term.language or None}
    return {"text": str(term)}


def sparql_page(query: str | None = None, run: bool = False) -> Response:
    """The SPARQL page: editor, the contract's queries as examples, and for `run`, the results as
    a table with download links in every format of the result's kind."""
    example = request.args.get("example")
    chosen = next((e for e in EXAMPLES if e["key"] == example), None)
    text = query if query is not None else (chosen or EXAMPLES[0])["query"]
    context = {"query": text, "examples": EXAMPLES, "nav": "sparql", "result": None, "error": None}
    if not run:
        return render("sparql.html", **context)
    config = current_app.config
    try:
        result = run_client_query(
            text,
            accept_kind={
                "solutions": "application/sparql-results+json",
                "boolean": "application/sparql-results+json",
                "graph": "application/n-triples",
            },
        )
    except OutboundRefused as exc:
        return render(
            "sparql.html",
            status=400,
            **dict(
                context,
                error=f"{exc.keyword} er ikke tilladt her: tjenesten sender ingen forespørgsler til andre servere.",
            ),
        )
    except QueryError as exc:
        prefix = {
            400: "Forespørgslen kan ikke køres: ",
            503: "Forespørgslen kunne ikke besvares: ",
            429: "For mange forespørgsler på én gang: ",
        }
        status = 414 if exc.status == 413 and request.method == "GET" else exc.status
        return render("sparql.html", status=status, **dict(context, error=prefix.get(exc.status, "") + str(exc)))
    out: dict[str, Any] = {
        "kind": result.kind,
        "truncated": result.truncated,
        "row_limit": config.get("ROW_LIMIT"),
        "downloads": [
            {
                "key": key,
                "label": label,
                "filename": f"kkr-resultat.{EXTENSIONS[key]}",
                "href": query_url("/sparql", query=text, format=key),
            }
            for key, label in DOWNLOADS[result.kind]
        ],
    }
    if result.kind == "graph":
        triples = [q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        out["columns"] = ["subjekt", "prædikat", "objekt"]
        out["rows"] = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples]
    else:
        parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            out["boolean"] = bool(parsed)
            out["columns"], out["rows"] = [], []
        else:
            names = [v.value for v in parsed.variables]
            out["columns"] = names
            out["rows"] = [[_cell(row[n]) for n in names] for row in parsed]
    out["count"] = len(out["rows"])
    out["shown"] = out["rows"][:SPARQL_DISPLAY_ROWS]
    return render("sparql.html", **dict(context, result=out))

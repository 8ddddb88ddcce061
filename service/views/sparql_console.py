"""The SPARQL console (GET /sparql from a browser): the editor, the public contract's queries as
examples, and a query's results as a table with download links in every format of its kind.
The protocol endpoint itself is service/sparql.py, which hands a browser's requests here."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Response, current_app, request

from kkr import contract
from kkr.service.client_queries import run_client_query
from kkr.service.query_errors import QueryError
from kkr.service.render import local, query_url, render
from kkr.service.sparql_guard import OutboundRefused
from kkr.service.views.resources import literal_cell

SPARQL_DISPLAY_ROWS = 500

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
        return literal_cell(term)
    return {"text": str(term)}


def sparql_page(query: str | None = None, run: bool = False) -> Response:
    """The SPARQL page: editor, the contract's queries as examples, and for `run`, the results as
    a table with download links in every format of the result's kind."""
    example = request.args.get("example")
    chosen = next((e for e in EXAMPLES if e["key"] == example), None)
    text = query if query is not None else (chosen or EXAMPLES[0])["query"]
    context = {"query": text, "examples": EXAMPLES, "nav": "sparql", "result": None, "error": None}
    if not run:
        return render("sparql/console.html", **context)
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
            "sparql/console.html",
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
        return render(
            "sparql/console.html", status=status, **dict(context, error=prefix.get(exc.status, "") + str(exc))
        )
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
    return render("sparql/console.html", **dict(context, result=out))

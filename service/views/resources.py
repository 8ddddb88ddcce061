"""`/id/<path>`: the graph's own IRIs (app.config["BASE"] + path) dereferenced.

By content negotiation (Accept, or `?format=turtle|ntriples|jsonld|rdfxml|html`):
`text/turtle` (the default), `application/ld+json`, `application/n-triples`, `application/rdf+xml`
give the resource's description: every triple with it as subject, plus the labels and titles of
the nodes it points to. `text/html` (a browser) gives the resource's page : meetings, agenda items,
cases, organisations and persons have pages of their own; every page ends with the table of the
resource's properties, whose values that are `/id/` IRIs link to their `/id/` pages. An IRI the
graph has no triples about is 404 in every format. The description is one CONSTRUCT through the
query pool, so the timeout and the row limit apply (X-KKR-Truncated as on /sparql).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kkr import tracing
from kkr.service import results as res
from kkr.service.backends import pool_for
from kkr.service.errors import HttpError
from kkr.service.negotiation import HTML
from kkr.service.page_data import (
    BESLUIT,
    DOCUMENT,
    LABELS,
    LINK_TEXTS,  # the label properties fetched with a description (titles of the nodes it points to)
    NS,
    ORG,
    PERSON,
    RDF_TYPE,
    council_meetings,
    item_data,
    meeting_data,
    source_href,
)
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import error_page, local, render, slug
from kkr.service.views.base import GRAPH_OFFERS, graph_form, not_acceptable
from kkr.service.views.cases import case_page
from kkr.service.views.entities import entity_page
from kkr.sparql_terms import checked_iri
from kkr.sparql_terms import iri as iri_term

bp = Blueprint("resources", __name__)

DESCRIBE = """CONSTRUCT {{ {iri} ?p ?o . ?o ?lp ?label . }} WHERE {{
  {iri} ?p ?o .
  OPTIONAL {{ VALUES ?lp {{ {labels} }} ?o ?lp ?label . }}
}}"""


def describe_query(iri: str) -> str:
    """The CONSTRUCT of a resource's description: its triples and the labels of what they point to."""
    return DESCRIBE.format(iri=iri_term(iri), labels=" ".join(map(iri_term, LINK_TEXTS)))


@bp.after_request
def _headers(response: Response) -> Response:
    if request.path.startswith("/id/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "X-KKR-Truncated, X-KKR-Row-Limit"
        response.vary.add("Accept")
    return response


@bp.route("/id/<path:rest>", methods=["GET", "OPTIONS"])
def resource(rest: str):
    if request.method == "OPTIONS":
        return Response(
            status=204,
            headers={
                "Access-Control-Allow-Methods": "GET, OPTIONS",
                "Access-Control-Allow-Headers": "Accept",
                "Allow": "GET, OPTIONS",
            },
        )
    iri = current_app.config["BASE"] + rest
    chosen = graph_form()
    html = chosen == HTML
    try:
        checked_iri(iri)
    except ValueError:
        return _not_found(iri, html)
    if chosen is None:
        raise not_acceptable(GRAPH_OFFERS)
    config = current_app.config
    row_limit = config.get("ROW_LIMIT")
    # a QueryError is answered by service/errors.py (text/plain, query_error_reply's message)
    result = pool_for().run(
        describe_query(iri),
        accept_kind={"graph": "application/n-triples" if html else chosen},
        timeout=config.get("QUERY_TIMEOUT"),
        row_limit=row_limit,
    )
    if result.count == 0:
        return _not_found(iri, html)
    if html:
        triples = [q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        response = resource_page(iri, triples, result.truncated)
    else:
        response = Response(result.body, status=200, content_type=result.media_type)
    if row_limit is not None:
        response.headers["X-KKR-Row-Limit"] = str(row_limit)
        response.headers["X-KKR-Truncated"] = "true" if result.truncated else "false"
    return response


def _not_found(iri: str, html: bool) -> Response:
    if html:
        return not_found_page(iri)
    raise HttpError(404, f"Nothing is known about <{iri}>.")


# ---------------------------------------------------------------------------------------------
# /id/… pages


def _pick_label(literals: list) -> str | None:
    """Danish first, then untagged, then English, then any."""
    if not literals:
        return None

    def rank(lit):
        return {"da": 0, "": 1, "en": 2}.get((lit.language or "").lower(), 3)

    return sorted(literals, key=lambda lit: (rank(lit), lit.value))[0].value


def _label_of(node_iri: str, triples: list, properties=LINK_TEXTS) -> str | None:
    for prop in properties:
        found = [
            t.object
            for t in triples
            if isinstance(t.subject, ox.NamedNode)
            and t.subject.value == node_iri
            and t.predicate.value == prop
            and isinstance(t.object, ox.Literal)
        ]
        label = _pick_label(found)
        if label:
            return label
    return None


def compact(iri: str) -> str:
    for prefix, namespace in res.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(term, triples: list) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"href": local(term.value), "text": _label_of(term.value, triples) or compact(term.value)}
    if isinstance(term, ox.Literal):
        return literal_cell(term)
    return {"text": str(term)}


def literal_cell(term: ox.Literal) -> dict:
    """A literal as a table cell shows it: its text, its language, and a note of its language
    tag or (other than xsd:string) its datatype."""
    note = None
    if term.language:
        note = "@" + term.language
    elif term.datatype.value != res.XSD_STRING:
        note = compact(term.datatype.value)
    return {"text": term.value, "lang": term.language or None, "note": note}


def property_rows(iri: str, triples: list) -> list[dict]:
    """The resource's properties (rdf:type first) with their values, for the table of every /id/ page."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    by_property: dict[str, list] = {}
    for t in own:
        by_property.setdefault(t.predicate.value, []).append(t.object)
    rows = []
    for prop in sorted(by_property, key=lambda p: (p != RDF_TYPE, compact(p))):
        values = sorted(
            by_property[prop],
            key=lambda o: (_label_of(o.value, triples) or "", str(o)) if isinstance(o, ox.NamedNode) else ("", str(o)),
        )
        rows.append({"iri": prop, "name": compact(prop), "objects": [_value(v, triples) for v in values]})
    return rows


def resource_page(iri: str, triples: list, truncated: bool) -> Response:
    """The HTML page of an /id/ resource: a page of its own for meetings, items, cases,
    organisations and persons, else the table of its properties; all end with that table."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    types = {t.object.value for t in own if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)}
    base = current_app.config["BASE"]
    title = _label_of(iri, own, LABELS) or _fallback_title(iri, own, types)
    common = {
        "iri": iri,
        "rows": property_rows(iri, triples),
        "truncated": truncated,
        "title": title,
        "types": sorted(compact(t) for t in types),
    }
    try:
        if BESLUIT + "Zitting" in types:
            data = meeting_data(iri)
            if data:
                return render("resources/meeting.html", meeting=data, **common)
        if BESLUIT + "Agendapunt" in types:
            data = item_data(iri)
            if data:
                return render("resources/item.html", item=data, **dict(common, title=data["title"]))
        if NS + "Case" in types:
            number = _label_of(iri, own, ("http://purl.org/dc/terms/identifier",)) or slug(iri)
            timeline = tracing.case_timeline(pool_store(), number)
            return case_page(timeline, **dict(common, title=f"Sag {timeline['case']}"))
        if ORG in types or PERSON in types:
            found = tracing.entity(pool_store(), iri)
            if found:
                meetings = council_meetings(iri) if BESLUIT + "Bestuursorgaan" in types else []
                return entity_page(found, meetings, **dict(common, title=found["label"]))
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    context = {}
    if DOCUMENT in types:
        sha = next((t.object.value for t in own if t.predicate.value == NS + "sha256"), None)
        src = next((t.object.value for t in own if t.predicate.value == "http://purl.org/dc/terms/source"), None)
        context["source"] = source_href(sha, src)
    item = re.match(re.escape(base) + r"(meeting/[^/]+/[^/]+/item/[^/]+)/", iri)
    if item:
        context["parent_item"] = base + item.group(1)
    return render("resources/resource.html", **common, **context)


TYPE_NAMES = {
    BESLUIT + "Besluit": "Beslutning",
    NS + "Section": "Afsnit",
    NS + "Paragraph": "Tekststykke",
    NS + "Deadline": "Frist",
    NS + "Period": "Periode",
    "https://schema.org/MonetaryAmount": "Beløb",
    NS + "Continuation": "Kobling mellem punkter",
    DOCUMENT: "Kildedokument",
}


def _fallback_title(iri: str, own: list, types: set) -> str:
    """A heading for a node without a label: its heading, printed text or file name, else its type and path."""
    base = current_app.config["BASE"]
    name = next((TYPE_NAMES[t] for t in sorted(types) if t in TYPE_NAMES), None)
    text = _label_of(iri, own, (NS + "heading", NS + "sourceText"))
    if text:
        return f"{name}: {text}" if name else text
    source = _label_of(iri, own, ("http://purl.org/dc/terms/source",))
    if source:
        return f"{name or 'Dokument'}: {Path(source).name}"
    path = iri[len(base) :] if iri.startswith(base) else iri
    item = re.match(r"meeting/([^/]+)/([^/]+)/item/([^/]+)", path)
    if name and item:
        return f"{name} i punkt {item.group(3)} ({item.group(2)})"
    return f"{name}: {path}" if name else path


def not_found_page(iri: str) -> Response:
    return error_page(f"Grafen kender intet til <{iri}>.", 404)

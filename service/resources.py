"""`/id/<path>`: the graph's own IRIs (app.config["BASE"] + path) dereferenced.

By content negotiation (Accept, or `?format=turtle|ntriples|jsonld|rdfxml|html`):
`text/turtle` (the default), `application/ld+json`, `application/n-triples`, `application/rdf+xml`
give the resource's description: every triple with it as subject, plus the labels and titles of
the nodes it points to. `text/html` (a browser) gives the resource's page (service/pages.py): meetings, agenda items,
cases, organisations and persons have pages of their own; every page ends with the table of the
resource's properties, whose values that are `/id/` IRIs link to their `/id/` pages. An IRI the
graph has no triples about is 404 in every format. The description is one CONSTRUCT through the
query pool, so the timeout and the row limit apply (X-KKR-Truncated as on /sparql).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kkr.service import results as res
from kkr.service.backends import pool_for
from kkr.service.errors import HttpError

# LINK_TEXTS: the label properties fetched with a description (titles of the nodes it points to).
from kkr.service.page_data import LINK_TEXTS
from kkr.service.views.resource_page import not_found_page, resource_page
from kkr.sparql_terms import checked_iri
from kkr.sparql_terms import iri as iri_term

bp = Blueprint("resources", __name__)

_RDF_OFFERS = [f for f in res.FORMATS if "graph" in f.kinds]

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


def _choose() -> str | None:
    """The media type to answer with: format= wins, else Accept; Turtle when the client does not mind."""
    values = [v.strip().lower() for v in request.args.getlist("format") if v.strip()]
    if values:
        if values[0] in ("html", "text/html"):
            return "text/html"
        try:
            fmt = res.format_from_param(values, "graph")
        except res.UnknownFormat:
            fmt = None
        if fmt:
            return fmt.media_type
    offers = [f.media_type for f in _RDF_OFFERS] + ["text/html"]
    return res.negotiate_media(
        request.headers.get("Accept"), offers, {f.media_type: f.media_types for f in _RDF_OFFERS}
    )


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
    chosen = _choose()
    html = chosen == "text/html"
    try:
        checked_iri(iri)
    except ValueError:
        return _not_found(iri, html)
    if chosen is None:
        offered = ", ".join([f.media_type for f in _RDF_OFFERS] + ["text/html"])
        raise HttpError(406, f"No acceptable format; {request.path} is available as: {offered}.")
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

"""`/id/<path>`: the graph's own IRIs (app.config["BASE"] + path) dereferenced.

By content negotiation (Accept, or `?format=turtle|ntriples|jsonld|rdfxml|html`):
`text/turtle` (the default), `application/ld+json`, `application/n-triples`, `application/rdf+xml`
give the resource's description: every triple with it as subject, plus the labels and titles of
the nodes it points to. `text/html` (a browser) gives a page with the resource's label as heading
and a table of its properties; values that are `/id/` IRIs link to their `/id/` pages. An IRI the
graph has no triples about is 404 in every format. The description is one CONSTRUCT through the
query pool, so the timeout and the row limit apply (X-KKR-Truncated as on /sparql).
"""
from __future__ import annotations

from html import escape
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kkr.service import results as res
from kkr.service.query_pool import QueryError, pool_for

bp = Blueprint("resources", __name__)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Properties that name a node, in the order a heading prefers them.
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
# Also shown as the text of links to nodes that have none of LABELS (cases, sections).
LINK_TEXTS = LABELS + ("http://purl.org/dc/terms/identifier", "https://w3id.org/kkr/ns#heading")

_RDF_OFFERS = [f for f in res.FORMATS if "graph" in f.kinds]

DESCRIBE = """CONSTRUCT {{ <{iri}> ?p ?o . ?o ?lp ?label . }} WHERE {{
  <{iri}> ?p ?o .
  OPTIONAL {{ VALUES ?lp {{ {labels} }} ?o ?lp ?label . }}
}}"""


def describe_query(iri: str) -> str:
    return DESCRIBE.format(iri=iri, labels=" ".join(f"<{p}>" for p in LINK_TEXTS))


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
    return res.negotiate_media(request.headers.get("Accept"), offers,
                               {f.media_type: f.media_types for f in _RDF_OFFERS})


def _plain(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@bp.route("/id/<path:rest>", methods=["GET", "OPTIONS"])
def resource(rest: str):
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Access-Control-Allow-Methods": "GET, OPTIONS",
                                             "Access-Control-Allow-Headers": "Accept",
                                             "Allow": "GET, OPTIONS"})
    iri = current_app.config["BASE"] + rest
    chosen = _choose()
    html = chosen == "text/html"
    try:
        ox.NamedNode(iri)
        if any(c in iri for c in "<>\"{}|^`\\ "):
            raise ValueError(iri)
    except ValueError:
        return _not_found(iri, html)
    if chosen is None:
        offered = ", ".join([f.media_type for f in _RDF_OFFERS] + ["text/html"])
        return _plain(406, f"No acceptable format; {request.path} is available as: {offered}.")
    config = current_app.config
    row_limit = config.get("ROW_LIMIT")
    try:
        result = pool_for().run(describe_query(iri),
                                accept_kind={"graph": "application/n-triples" if html else chosen},
                                timeout=config.get("QUERY_TIMEOUT"), row_limit=row_limit)
    except QueryError as exc:
        return _plain(exc.status, str(exc))
    if result.count == 0:
        return _not_found(iri, html)
    if html:
        triples = [q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        response = Response(_page(iri, triples, result.truncated), status=200,
                            content_type="text/html; charset=utf-8")
    else:
        response = Response(result.body, status=200, content_type=result.media_type)
    if row_limit is not None:
        response.headers["X-KKR-Row-Limit"] = str(row_limit)
        response.headers["X-KKR-Truncated"] = "true" if result.truncated else "false"
    return response


def _not_found(iri: str, html: bool) -> Response:
    message = f"Nothing is known about <{iri}>."
    if not html:
        return _plain(404, message)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title></head>
<body>
  <h1>Not found</h1>
  <p>{escape(message)}</p>
</body>
</html>
"""
    return Response(page, status=404, content_type="text/html; charset=utf-8")


# ---------------------------------------------------------------------------------------------
# The HTML page


def _pick_label(literals: list) -> str | None:
    """Danish first, then untagged, then English, then any."""
    if not literals:
        return None
    def rank(lit):
        lang = (lit.language or "").lower()
        return {"da": 0, "": 1, "en": 2}.get(lang, 3)
    return sorted(literals, key=lambda lit: (rank(lit), lit.value))[0].value


def _labels(node_iri: str, triples: list, properties=LINK_TEXTS) -> str | None:
    for prop in properties:
        found = [t.object for t in triples if isinstance(t.subject, ox.NamedNode)
                 and t.subject.value == node_iri and t.predicate.value == prop
                 and isinstance(t.object, ox.Literal)]
        label = _pick_label(found)
        if label:
            return label
    return None


def compact(iri: str) -> str:
    for prefix, namespace in res.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _href(iri: str) -> str:
    base = current_app.config["BASE"]
    if iri.startswith(base):
        return request.script_root + "/id/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~%")
    return iri


def _value_html(term, triples: list) -> str:
    if isinstance(term, ox.NamedNode):
        text = _labels(term.value, triples) or compact(term.value)
        return f'<a href="{escape(_href(term.value))}">{escape(text)}</a>'
    if isinstance(term, ox.Literal):
        extra = ""
        if term.language:
            extra = f' <small lang="en">@{escape(term.language)}</small>'
        elif term.datatype.value != res.XSD_STRING:
            extra = f' <small>{escape(compact(term.datatype.value))}</small>'
        lang = f' lang="{escape(term.language)}"' if term.language else ""
        return f"<span{lang}>{escape(term.value)}</span>{extra}"
    return escape(str(term))


def _page(iri: str, triples: list, truncated: bool) -> str:
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    title = _labels(iri, own, LABELS) or iri[len(current_app.config["BASE"]):]
    by_property: dict[str, list] = {}
    for t in own:
        by_property.setdefault(t.predicate.value, []).append(t.object)
    order = sorted(by_property, key=lambda p: (p != RDF_TYPE, compact(p)))
    rows = []
    for prop in order:
        values = sorted(by_property[prop], key=lambda o: (_labels(o.value, triples) or "", str(o))
                        if isinstance(o, ox.NamedNode) else ("", str(o)))
        cells = "<br>\n".join(_value_html(v, triples) for v in values)
        rows.append(f'    <tr>\n      <th scope="row"><a href="{escape(prop)}">{escape(compact(prop))}</a></th>\n'
                    f"      <td>{cells}</td>\n    </tr>")
    note = ("\n  <p><strong>The description was cut at the row limit.</strong></p>" if truncated else "")
    alternates = "\n".join(
        f'  <link rel="alternate" type="{f.media_type}" href="?format={f.key}">' for f in _RDF_OFFERS)
    body_rows = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(title)}</title>
{alternates}
</head>
<body>
  <h1>{escape(title)}</h1>
  <p><code>{escape(iri)}</code> · as <a href="?format=turtle">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>,
    <a href="?format=ntriples">N-Triples</a>, <a href="?format=rdfxml">RDF/XML</a></p>{note}
  <table>
    <thead><tr><th scope="col">Property</th><th scope="col">Value</th></tr></thead>
    <tbody>
{body_rows}
    </tbody>
  </table>
</body>
</html>
"""

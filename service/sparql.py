"""`/sparql`: the SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/).

- Queries: GET `?query=`; POST `application/x-www-form-urlencoded` with `query=`; POST
  `application/sparql-query` with the query as body. `default-graph-uri` and `named-graph-uri`
  (repeatable) give the dataset; as the protocol says (§2.1.4), they override a FROM / FROM NAMED
  of the query. Given only one of the two, the other part of the dataset is empty (SPARQL 1.1
  Query §13.2). Without them the default graph is the union of all documents' graphs.
- Result format by content negotiation (Accept with q-values), or `format=`/`output=` (json, xml,
  csv, tsv; turtle, ntriples, jsonld, rdfxml; or a media type), which wins over Accept.
- Updates (POST form `update=`, or `application/sparql-update`) are refused with 403 unless
  app.config["UPDATE_TOKEN"] is set and the request carries `Authorization: Bearer <token>`
  (no header: 401; another token: 403). `using-graph-uri`/`using-named-graph-uri` are not
  supported (400); write USING in the update.
- Every query and update is parsed and judged before it runs (service/sparql_guard.py): SERVICE
  and LOAD (requests to other servers) → 400, longer than MAX_QUERY_LENGTH → 413 (414 for a GET),
  nested deeper than MAX_QUERY_DEPTH → 400, malformed → 400 with the parser's message.
- Queries run in the public lane of the query pool (service/client_queries.py): QUERY_TIMEOUT or
  MAX_QUERY_MEMORY_MB passed → 503, all workers busy → 503 with Retry-After, more than
  HEAVY_PER_CLIENT queries of one client at once → 429 with Retry-After, ROW_LIMIT rows at most
  (headers X-KKR-Truncated and X-KKR-Row-Limit).
- CORS: `Access-Control-Allow-Origin: *` on every answer, OPTIONS preflight.
- GET without a query: the SPARQL 1.1 Service Description (Turtle by default), or for a browser
  (Accept preferring text/html) the SPARQL console (service/views/sparql_console.py): an editor, the contract's
  queries as examples (`?example=<key>` opens one in the editor), download links.
- GET with a query from a browser (Accept preferring text/html, no `format=`): the SPARQL page
  with the results as a table and links to download them in every format of their kind.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kkr.service import results as res
from kkr.service.backends import update_store
from kkr.service.client_queries import guard_limits, run_client_query
from kkr.service.errors import HttpError
from kkr.service.negotiation import wants_html
from kkr.service.sparql_guard import check as judge
from kkr.service.views.base import graph_form
from kkr.service.views.sparql_console import sparql_page
from kkr.settings import DEFAULT_PUBLIC_URL
from kkr.sparql_terms import literal

bp = Blueprint("sparql", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "Content-Type, Accept, Authorization"
EXPOSE_HEADERS = "X-KKR-Truncated, X-KKR-Row-Limit"


class ProtocolError(HttpError):
    """A request the SPARQL protocol refuses (answered as text/plain by service/errors.py)."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(status, message, headers=headers)


@dataclass
class Operation:
    kind: str  # "query" or "update"
    text: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    format_values: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the protocol request


def _one(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise ProtocolError(400, f"More than one '{name}' parameter; send exactly one.")
    return values[0]


def _body_text() -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset.replace("-", "").replace("_", "") != "utf8":
        raise ProtocolError(415, f"Unsupported charset '{charset}': send the body as UTF-8.")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "The request body is not valid UTF-8.") from None


def _graph_iris(values: list[str], name: str) -> list[str]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise ProtocolError(400, f"{name} '{value}' is not an absolute IRI.") from None
    return list(values)


def _protocol_request() -> Operation | None:
    """The operation of the request, or None for a GET without a query."""
    args = request.args
    getlist: Callable[[str], list[str]] = args.getlist  # where the dataset and format parameters are
    if request.method == "GET":
        if "update" in args:
            raise ProtocolError(400, "SPARQL updates must be sent with POST, not GET.")
        if "query" not in args:
            return None
        kind, text = "query", _one(args.getlist("query"), "query")
    else:
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            _body_text()  # the charset check
            form = request.form
            queries, updates = form.getlist("query"), form.getlist("update")
            if queries and updates:
                raise ProtocolError(400, "Send either 'query' or 'update', not both.")
            if not queries and not updates:
                raise ProtocolError(400, "A form POST to /sparql needs a 'query' or an 'update' parameter.")
            kind = "query" if queries else "update"
            text = _one(queries or updates, kind)

            def getlist(name: str) -> list[str]:  # form fields, then URL parameters
                return form.getlist(name) + args.getlist(name)
        elif mimetype in ("application/sparql-query", "application/sparql-update"):
            kind = "query" if mimetype == "application/sparql-query" else "update"
            text = _body_text()
        else:
            raise ProtocolError(
                415,
                f"Unsupported Content-Type '{mimetype or '(none)'}': use "
                "application/x-www-form-urlencoded, application/sparql-query or "
                "application/sparql-update.",
            )
    if not text.strip():
        raise ProtocolError(400, f"The {kind} is empty.")
    return Operation(
        kind,
        text,
        default_graphs=_graph_iris(getlist("default-graph-uri"), "default-graph-uri"),
        named_graphs=_graph_iris(getlist("named-graph-uri"), "named-graph-uri"),
        using_graphs=getlist("using-graph-uri") + getlist("using-named-graph-uri"),
        format_values=getlist("format") + getlist("output"),
    )


# ---------------------------------------------------------------------------------------------
# Responses


@bp.after_request
def _cors(response: Response) -> Response:
    if request.path.rstrip("/") == "/sparql":
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
        response.vary.add("Accept")
    return response


def _preflight() -> Response:
    return Response(
        status=204,
        headers={
            "Access-Control-Allow-Methods": ALLOW_METHODS,
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": "86400",
            "Allow": ALLOW_METHODS,
        },
    )


# ---------------------------------------------------------------------------------------------
# The endpoint


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql():
    if request.method == "OPTIONS":
        return _preflight()
    operation = _protocol_request()  # its errors, and the query's, are answered by service/errors.py
    if operation is None:
        return _service_description_or_form()
    if operation.kind == "update":
        return _update(operation)
    if _results_page(operation):
        return sparql_page(operation.text, run=True)
    return _query(operation)


def _results_page(op: Operation) -> bool:
    """A browser's GET without format= (or with the form's empty one) and without a dataset."""
    return (
        request.method == "GET"
        and not any(v.strip() for v in op.format_values)
        and not op.default_graphs
        and not op.named_graphs
        and wants_html()
    )


def _query(op: Operation) -> Response:
    accept = request.headers.get("Accept")
    chosen = {kind: res.negotiate(kind, accept, op.format_values) for kind in res.KINDS}
    if not any(chosen.values()):
        offered = ", ".join(f.media_type for f in res.FORMATS)
        raise ProtocolError(406, f"No acceptable result format; this endpoint offers: {offered}.")
    dataset = bool(op.default_graphs or op.named_graphs)
    row_limit = current_app.config.get("ROW_LIMIT")
    result = run_client_query(
        op.text,
        accept_kind={kind: (f.media_type if f else None) for kind, f in chosen.items()},
        default_graphs=op.default_graphs if dataset else None,
        named_graphs=op.named_graphs if dataset else None,
    )
    response = Response(result.body, status=200, content_type=result.media_type)
    if result.kind != "boolean" and row_limit is not None:
        response.headers["X-KKR-Row-Limit"] = str(row_limit)
        response.headers["X-KKR-Truncated"] = "true" if result.truncated else "false"
    return response


def _update(op: Operation) -> Response:
    token = current_app.config.get("UPDATE_TOKEN")
    if not token:
        raise ProtocolError(403, "This SPARQL endpoint is read-only: updates are refused.")
    auth = request.headers.get("Authorization", "")
    if not auth.strip():
        raise ProtocolError(
            401, "Updates need 'Authorization: Bearer <token>'.", {"WWW-Authenticate": 'Bearer realm="kkr-sparql"'}
        )
    scheme, _, credential = auth.strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credential.strip().encode("utf-8"), str(token).encode("utf-8")
    ):
        raise ProtocolError(
            403,
            "The bearer token is not valid for updates.",
            {"WWW-Authenticate": 'Bearer realm="kkr-sparql", error="invalid_token"'},
        )
    judge(op.text, "update", guard_limits(current_app.config))
    if op.using_graphs:
        raise ProtocolError(
            400,
            "using-graph-uri / using-named-graph-uri are not supported; "
            "write USING / USING NAMED / WITH in the update instead.",
        )
    update_store(current_app._get_current_object(), op.text, timeout=current_app.config.get("QUERY_TIMEOUT"))  # type: ignore[attr-defined]
    return Response(status=204)


# ---------------------------------------------------------------------------------------------
# Service description and the query form

_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}


def service_description(endpoint: str, config) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if config.get("UPDATE_TOKEN") else "")
    result_formats = ", ".join(f"<http://www.w3.org/ns/formats/{_FORMAT_IRIS[f.key]}>" for f in res.FORMATS)
    timeout, row_limit = config.get("QUERY_TIMEOUT"), config.get("ROW_LIMIT")
    limits = []
    if timeout:
        limits.append(f"queries are stopped after {timeout:g} s (HTTP 503)")
    if row_limit is not None:
        limits.append(f"results are cut at {row_limit} rows or triples (header X-KKR-Truncated: true)")
    comment = (
        "Knowledge graph of the minutes of the KKR councils (kommunekontaktråd). Read-only"
        + ("" if config.get("UPDATE_TOKEN") else "; updates are refused")
        + "; SERVICE and LOAD are refused"
        + ("; " + "; ".join(limits) if limits else "")
        + "."
    )
    return f"""@prefix sd: <{SD}> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:resultFormat {result_formats} ;
    sd:feature sd:UnionDefaultGraph ;
    rdfs:label "KKR minutes SPARQL endpoint"@en ;
    rdfs:comment {literal(comment, lang="en")} ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [
            a sd:Graph ;
            dct:description "The default graph is the union of all named graphs: one named graph per ingested source document, plus the ontology (https://w3id.org/kkr/ns). The union is materialised, so a triple held by several documents appears once. Use default-graph-uri / named-graph-uri, or FROM / FROM NAMED, to query single documents."@en
        ]
    ] .
"""


def _service_description_or_form() -> Response:
    chosen = graph_form(keys=("format", "output")) or "text/turtle"
    if chosen == "text/html":
        return sparql_page()
    public = (current_app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
    turtle = service_description(public + "/sparql", current_app.config)  # never the Host header
    fmt = res.format_by_media_type("graph", chosen)
    assert fmt is not None  # chosen among the graph formats' own media types
    if fmt.key == "turtle":
        body = turtle.encode("utf-8")
    else:
        triples = [q.triple for q in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)]
        body = res.write_graph(triples, fmt)
    return Response(body, status=200, content_type=fmt.content_type)

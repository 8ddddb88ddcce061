"""The graph store on any SPARQL 1.1 server, over HTTP.

`RemoteStore` has the interface of `kkr.store.GraphStore` as the ingest pipeline, the CLI and the
tests use it, and keeps the same layout on the server: one named graph per document, and the
server's default graph the materialised union of the named graphs. Writes send the very update
string that the local store applies (`replace_graph_update()`) in one SPARQL 1.1 Update request,
which a conforming server applies atomically (Oxigraph does). Query results are parsed with
pyoxigraph, so callers get the same result types (`QuerySolutions`, `QueryBoolean`,
`QueryTriples`) as from the local store.

Endpoints, from the `url` given to `--store` / `$KKR_STORE`:

- `…/query` (Oxigraph): queries there, updates at the sibling `…/update`, Graph Store Protocol at `…/store`;
- `…/sparql` (Virtuoso, Blazegraph, QLever, many others): queries and updates at that URL, Graph
  Store Protocol at the sibling `…/store`;
- anything else is the server root (Oxigraph's `http://host:7878`): `url/query`, `url/update`, `url/store`.

`update_url` or `$KKR_STORE_UPDATE` overrides the update endpoint, `store_url` or `$KKR_STORE_GSP`
the Graph Store Protocol endpoint (e.g. Fuseki's `…/ds/data`).

The server must not be configured to treat its default graph as the union of all graphs
(Oxigraph's `--union-default-graph`): the union is materialised in the real default graph.

Error messages name the server's URL, for the operator running a command. A store made with
`public_errors=True` (the service's) raises messages without URL, host or port instead, which may
reach HTTP clients, and logs the full message (logger `kkr.remote_store`).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests

from kkr.errors import StoreError
from kkr.settings import Settings
from kkr.sparql_terms import iri, literal
from kkr.store import _python, graphs_from_source_query, replace_graph_update

ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, "
    "application/sparql-results+xml;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.6, "
    "text/tab-separated-values;q=0.5"
)
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
DEFAULT_TIMEOUT = 300.0
PUBLIC_NAME = "the SPARQL store"  # how messages for HTTP clients name the server
log = logging.getLogger(__name__)


class QueryRefused(StoreError, SyntaxError):
    """The server refused a query as malformed (HTTP 400): a `SyntaxError`, as the local store raises."""

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class StoreUnreachable(StoreError):
    """The server could not be reached (nothing listening, no route, name not resolved)."""


class StoreTimeout(StoreError, TimeoutError):
    """The server did not answer within the store's timeout."""


def is_store_url(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def endpoints(url: str, update_url: str | None = None, store_url: str | None = None) -> tuple[str, str, str]:
    """(query, update, graph store) endpoint URLs derived from the URL given by the user."""
    if not is_store_url(url):
        raise StoreError(
            f"{url}: not an http(s) URL of a SPARQL endpoint; give e.g. http://localhost:7878 "
            "(an Oxigraph server) or https://host/sparql"
        )
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    at = lambda p: urlunsplit((parts.scheme, parts.netloc, p, parts.query, ""))  # noqa: E731
    if path.endswith("/query"):
        root = path[: -len("/query")]
        query, update, gsp = at(path), at(root + "/update"), at(root + "/store")
    elif path.endswith("/sparql"):
        root = path[: -len("/sparql")]
        query, update, gsp = at(path), at(path), at(root + "/store")
    else:
        query, update, gsp = at(path + "/query"), at(path + "/update"), at(path + "/store")
    settings = Settings.from_env()
    update = update_url or settings.store_update_url or update
    gsp = store_url or settings.store_gsp_url or gsp
    return query, update, gsp


def _redact(url: str) -> str:
    """The URL without user and password."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return urlunsplit(
            (
                parts.scheme,
                (parts.hostname or "") + (f":{parts.port}" if parts.port else ""),
                parts.path,
                parts.query,
                parts.fragment,
            )
        )
    return url


class RemoteStore:
    """The graph on a SPARQL 1.1 server (Protocol, Update, Graph Store HTTP Protocol)."""

    def __init__(
        self,
        url: str,
        update_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        read_only: bool = False,
        store_url: str | None = None,
        public_errors: bool = False,
    ):
        self.url = url
        self.query_url, self.update_url, self.store_url = endpoints(url, update_url, store_url)
        self.timeout = timeout
        self.read_only = read_only
        self.public_errors = public_errors
        self._http = requests.Session()

    def _failure(self, error: type[StoreError], detail: str, public: str) -> StoreError:
        """The exception to raise: `detail` (naming the URL) for the operator's commands; with
        `public_errors`, `public` (no URL, host or port) while `detail` goes to the log."""
        if not self.public_errors:
            return error(detail)
        log.warning("%s", detail)
        return error(public)

    def __repr__(self) -> str:
        return f"RemoteStore({_redact(self.query_url)!r})"

    # --- reading -------------------------------------------------------------------------------

    def query(self, sparql: str, default_graph=None, named_graphs=None, use_default_graph_as_union: bool = False):
        """Run a SPARQL query on the server; its default graph is the union of the documents' graphs.

        Returns pyoxigraph's `QuerySolutions`, `QueryBoolean` or `QueryTriples`, as the local store.
        `default_graph` / `named_graphs` (IRIs or NamedNodes) become the protocol's
        `default-graph-uri` / `named-graph-uri`."""
        if use_default_graph_as_union:
            raise StoreError(
                "use_default_graph_as_union is not part of the SPARQL protocol; "
                "the server's default graph already is the union of the documents' graphs"
            )
        params = [("default-graph-uri", g) for g in _iris(default_graph)]
        params += [("named-graph-uri", g) for g in _iris(named_graphs)]
        response = self._send(
            "POST",
            self.query_url,
            "query",
            params=params,
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": ACCEPT},
        )
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if media in RESULT_FORMATS:
                return ox.parse_query_results(response.content, RESULT_FORMATS[media])
            if media in GRAPH_FORMATS:
                return _query_triples(response.content, GRAPH_FORMATS[media])
        except (SyntaxError, ValueError) as exc:
            raise self._failure(
                StoreError,
                f"{_redact(self.query_url)}: the server's answer ({media}) cannot be parsed ({exc}); "
                "check that the URL is a SPARQL 1.1 query endpoint",
                f"{PUBLIC_NAME}'s answer ({media}) cannot be parsed; see the service's log",
            ) from None
        raise self._failure(
            StoreError,
            f"{_redact(self.query_url)}: the server answered with {media or 'no content type'}, "
            "not SPARQL results or RDF; check that the URL is a SPARQL 1.1 query endpoint",
            f"{PUBLIC_NAME} answered with {media or 'no content type'}, not SPARQL results or RDF; "
            "see the service's log",
        )

    def select(self, sparql: str, **kwargs) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of variable name → Python value (str, int, ...)."""
        results = self.query(sparql, **kwargs)
        names = [v.value for v in results.variables]
        return [{n: _python(row[n]) for n in names} for row in results]

    def graph_with_sha(self, sha256: str) -> str | None:
        """The named graph holding a document with these bytes, if any."""
        rows = self.select(
            "SELECT ?g WHERE { GRAPH ?g { ?d <https://w3id.org/kkr/ns#sha256> %s } } LIMIT 1" % literal(sha256)
        )
        return rows[0]["g"] if rows else None

    def graphs_from_source(self, name: str, meeting_label: str | None = None) -> list[str]:
        """Named graphs of documents recorded under the file name `name` (see `graphs_from_source_query`)."""
        return [r["g"] for r in self.select(graphs_from_source_query(name, meeting_label))]

    def __len__(self) -> int:
        """Triples in the union (the default graph)."""
        return self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]

    # --- writing -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Send one SPARQL 1.1 Update request (applied atomically by a conforming server)."""
        if self.read_only:
            raise self._failure(
                StoreError,
                f"{_redact(self.update_url)}: the store was opened read-only; this command does not write to the graph",
                f"{PUBLIC_NAME} was opened read-only",
            )
        self._send(
            "POST",
            self.update_url,
            "update",
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def replace_graph(self, graph_iri: str, ntriples: str, drop: tuple[str, ...] = ()) -> None:
        """Atomically replace named graph `graph_iri` (and drop the graphs in `drop`) with
        `ntriples`, keeping the default graph the union of all named graphs."""
        self.update(replace_graph_update(graph_iri, ntriples, drop))

    def drop_graphs(self, graphs: tuple[str, ...]) -> None:
        """Atomically remove named graphs and, from the union, what only they held."""
        if graphs:
            self.update(replace_graph_update(None, "", graphs))

    def flush(self) -> None:
        """Nothing to do: the server has applied every update when it answers."""

    # --- Graph Store HTTP Protocol -----------------------------------------------------------------

    def get_graph(self, graph_iri: str) -> str:
        """The named graph `graph_iri` as N-Triples (Graph Store Protocol GET), e.g. to export a document."""
        response = self._send(
            "GET",
            self.store_url,
            "graph store",
            params={"graph": graph_iri},
            headers={"Accept": "application/n-triples"},
            graph=graph_iri,
        )
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media in ("application/n-triples", "text/plain", ""):
            return response.content.decode("utf-8")
        fmt = GRAPH_FORMATS.get(media)
        if fmt is None:
            raise self._failure(
                StoreError,
                f"{_redact(self.store_url)}: the server answered with {media}, not RDF; "
                "check the Graph Store Protocol endpoint ($KKR_STORE_GSP)",
                f"{PUBLIC_NAME}'s graph store answered with {media}, not RDF",
            )
        return (_query_triples(response.content, fmt).serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")

    def put_graph(self, graph_iri: str, turtle_or_nt: str | bytes) -> None:
        """Import a document's graph (Turtle or N-Triples) with a Graph Store Protocol PUT, keeping
        the default graph the union: the data is PUT into a staging graph, then one SPARQL update
        removes from the union what only the old graph held, moves the staging graph onto
        `graph_iri` and adds it to the union, so readers see the old or the new graph, never a mix."""
        if self.read_only:
            raise self._failure(
                StoreError,
                f"{_redact(self.store_url)}: the store was opened read-only",
                f"{PUBLIC_NAME} was opened read-only",
            )
        staging = f"urn:kkr:staging:{uuid.uuid4()}"
        target, temporary = iri(graph_iri), iri(staging)
        data = turtle_or_nt.encode("utf-8") if isinstance(turtle_or_nt, str) else turtle_or_nt
        self._send(
            "PUT",
            self.store_url,
            "graph store",
            params={"graph": staging},
            data=data,
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )
        try:
            self.update(f"""DELETE {{ ?s ?p ?o }} WHERE {{
  GRAPH {target} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h NOT IN ({target}, {temporary})) }}
}} ;
MOVE SILENT GRAPH {temporary} TO GRAPH {target} ;
ADD SILENT GRAPH {target} TO DEFAULT""")
        except StoreError:
            try:
                self.update(f"DROP SILENT GRAPH {temporary}")
            except StoreError:
                pass
            raise

    # --- HTTP ----------------------------------------------------------------------------------

    def _send(self, method: str, url: str, what: str, graph: str | None = None, **kwargs) -> requests.Response:
        shown = _redact(url)
        try:
            response = self._http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.ConnectionError as exc:
            refused = "refused" in str(exc).lower()
            reason = "connection refused" if refused else _one_line(str(exc), 200)
            raise self._failure(
                StoreUnreachable,
                f"cannot reach the SPARQL server at {shown} ({reason}); check that the server "
                "is running and that --store / $KKR_STORE gives its URL",
                f"cannot reach {PUBLIC_NAME}"
                + (" (connection refused)" if refused else "")
                + "; see the service's log",
            ) from None
        except requests.Timeout:
            raise self._failure(
                StoreTimeout,
                f"the SPARQL server at {shown} did not answer within {self.timeout:g} s; "
                "check the server's load and log",
                f"{PUBLIC_NAME} did not answer within {self.timeout:g} s",
            ) from None
        except requests.RequestException as exc:
            raise self._failure(
                StoreError,
                f"{shown}: {what} request failed ({_one_line(str(exc), 200)}); check --store / $KKR_STORE",
                f"the {what} request to {PUBLIC_NAME} failed; see the service's log",
            ) from None
        if response.status_code >= 400:
            raise self._refused(response, url, what, graph)
        return response

    def _refused(self, response: requests.Response, url: str, what: str, graph: str | None) -> StoreError:
        """The error for an HTTP error status. For clients, the server's own message only of a refused
        query (the parser's, which they need to fix it), with the server's address taken out."""
        error = QueryRefused if (response.status_code == 400 and what == "query") else StoreError
        status = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        message = _one_line(response.text, 300)
        detail = (
            f"the SPARQL server at {_redact(url)} refused the {what} request: {status}"
            + (f": {message}" if message else "")
            + f"; {_hint(response.status_code, what, graph)}"
        )
        if error is QueryRefused:
            shown = _without_address(message, url)
            public = (
                f"{PUBLIC_NAME} refused the query: {status}" + (f": {shown}" if shown else "") + "; check the query"
            )
        else:
            public = f"{PUBLIC_NAME} refused the {what} request: {status}; see the service's log"
        return self._failure(error, detail, public)


def _hint(status: int, what: str, graph: str | None) -> str:
    if status == 404 and graph:
        return f"the server holds no graph <{graph}>; list the graphs with 'SELECT DISTINCT ?g {{ GRAPH ?g {{}} }}'"
    if status in (401, 403):
        return (
            "the server needs credentials or does not allow this; give them in the URL "
            "(https://user:password@host/…) or use an endpoint that allows " + what + "s"
        )
    if status in (404, 405):
        return (
            f"check the {what} endpoint: --store takes an Oxigraph root (http://host:7878) or a …/query or "
            "…/sparql URL; $KKR_STORE_UPDATE and $KKR_STORE_GSP set the update and graph store endpoints"
        )
    if status == 400 and what == "query":
        return "check the query"
    if status == 400:
        return "the server could not apply it; check that it supports SPARQL 1.1 " + (
            "Update" if what == "update" else "Graph Store HTTP Protocol"
        )
    if status == 413:
        return "the request is larger than the server accepts; raise the server's request size limit"
    if status >= 500:
        return "the server failed; see its log"
    return "see the server's documentation"


def _without_address(text: str, url: str) -> str:
    """`text` with the server's host and port (and any credentials) replaced by "…"."""
    parts = urlsplit(url)
    for address in sorted({parts.netloc, parts.netloc.rpartition("@")[2], parts.hostname or ""}, key=len, reverse=True):
        if address:
            text = text.replace(address, "…")
    return text


def _one_line(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _iris(graphs) -> list[str]:
    if graphs is None:
        return []
    if isinstance(graphs, (str, ox.NamedNode)):
        graphs = [graphs]
    iris = []
    for g in graphs:
        if isinstance(g, ox.NamedNode):
            iris.append(g.value)
        elif isinstance(g, str):
            iris.append(g)
        else:
            raise StoreError(
                f"{g!r}: only named graphs (IRIs) can be given to a SPARQL server as "
                "default-graph-uri or named-graph-uri"
            )
    return iris


def _query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Triples of a CONSTRUCT/DESCRIBE answer as the `QueryTriples` the local store returns
    (pyoxigraph cannot build one directly, so they pass through an in-memory store)."""
    memory = ox.Store()
    memory.load(data, format=fmt)
    triples = memory.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(triples, ox.QueryTriples)
    return triples

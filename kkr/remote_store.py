"""The graph store on any SPARQL 1.1 server, over HTTP.

`RemoteStore` has the interface of `kkr.store.GraphStore` as the ingest pipeline, the CLI and the
tests use it, and keeps the same layout on the server: one named graph per document, and the
server's default graph the materialised union of the named graphs. Writes send the very update
string that the local store applies (`replace_graph_update()`) in one SPARQL 1.1 Update request,
which a conforming server applies atomically (Oxigraph does). Query results are parsed with
pyoxigraph, so callers get the same result types (`QuerySolutions`, `QueryBoolean`,
`QueryTriples`) as from the local store.

The server must not be configured to treat its default graph as the union of all graphs
(Oxigraph's `--union-default-graph`): the union is materialised in the real default graph.

The endpoints, the requests and their errors are kkr/remote_http.py's.
"""

from __future__ import annotations

import uuid
from typing import Any

import pyoxigraph as ox

from kkr.errors import StoreError
from kkr.remote_http import DEFAULT_TIMEOUT, PUBLIC_NAME, SparqlClient, endpoints, redact
from kkr.sparql_terms import iri, literal
from kkr.store_queries import _python, graphs_from_source_query, replace_graph_update, source_of_query

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


class RemoteStore(SparqlClient):
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
        super().__init__(timeout, public_errors)
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"RemoteStore({redact(self.query_url)!r})"

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
                f"{redact(self.query_url)}: the server's answer ({media}) cannot be parsed ({exc}); "
                "check that the URL is a SPARQL 1.1 query endpoint",
                f"{PUBLIC_NAME}'s answer ({media}) cannot be parsed; see the service's log",
            ) from None
        raise self._failure(
            StoreError,
            f"{redact(self.query_url)}: the server answered with {media or 'no content type'}, "
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

    def source_of(self, graph_iri: str) -> str | None:
        """The file name of the document in named graph `graph_iri`, if the store has that graph."""
        rows = self.select(source_of_query(graph_iri))
        return rows[0]["name"] if rows else None

    def __len__(self) -> int:
        """Triples in the union (the default graph)."""
        return self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]

    # --- writing -------------------------------------------------------------------------------

    def update(self, sparql: str) -> None:
        """Send one SPARQL 1.1 Update request (applied atomically by a conforming server)."""
        if self.read_only:
            raise self._failure(
                StoreError,
                f"{redact(self.update_url)}: the store was opened read-only; this command does not write to the graph",
                f"{PUBLIC_NAME} was opened read-only",
            )
        self._send(
            "POST",
            self.update_url,
            "update",
            data=sparql.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def replace_graph(
        self, graph_iri: str, ntriples: str, drop: tuple[str, ...] = (), meetings: tuple[str, ...] = ()
    ) -> None:
        """Atomically replace named graph `graph_iri` (and drop the graphs in `drop`) with
        `ntriples`, keeping the default graph the union of all named graphs, with the minutes of
        `meetings` taking precedence over their agendas (store_queries.precedence_update)."""
        self.update(replace_graph_update(graph_iri, ntriples, drop, meetings))

    def drop_graphs(self, graphs: tuple[str, ...], meetings: tuple[str, ...] = ()) -> None:
        """Atomically remove named graphs and, from the union, what only they held; the agendas of
        `meetings` then take the place of minutes removed."""
        if graphs:
            self.update(replace_graph_update(None, "", graphs, meetings))

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
                f"{redact(self.store_url)}: the server answered with {media}, not RDF; "
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
                f"{redact(self.store_url)}: the store was opened read-only",
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

"""The graph store: an embedded Oxigraph store in the data directory.

Each source document's triples live in a named graph of their own, and the default graph holds
the union of all named graphs, kept up to date on every write. The union is materialised
because Oxigraph's "default graph as union" mode repeats a triple once per graph that holds it,
which would give duplicate rows to queries without DISTINCT (the contract's queries among them).

Replacing a graph is one SPARQL update (remove from the union what no other graph holds, DROP,
INSERT DATA), which Oxigraph applies as a single transaction, so a failure or a killed process
leaves the previous state intact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kkr.errors import StoreError
from kkr.remote_http import is_store_url
from kkr.remote_store import RemoteStore
from kkr.sparql_terms import literal
from kkr.store_queries import _python, graphs_from_source_query, replace_graph_update, source_of_query

ONTOLOGY_GRAPH = "https://w3id.org/kkr/ns"


class GraphStore:
    """An Oxigraph store at `path` (created when missing)."""

    def __init__(self, path: Path, read_only: bool = False, data_dir: Path | None = None):
        self.path = Path(path)
        self.data_dir = Path(data_dir) if data_dir is not None else None  # where ingest keeps source copies
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot open the graph store ({exc}); "
                "is another 'kkr ingest' running on the same data directory?"
            ) from None

    @classmethod
    def in_data_dir(cls, data_dir: Path, read_only: bool = False) -> GraphStore:
        return cls(Path(data_dir) / "store", read_only=read_only, data_dir=Path(data_dir))

    def query(self, sparql: str, **kwargs):
        """Run a SPARQL query; its default graph is the union of the documents' graphs."""
        return self._store.query(sparql, **kwargs)

    def select(self, sparql: str, **kwargs) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of variable name → Python value (str, int, ...)."""
        results = self.query(sparql, **kwargs)
        names = [v.value for v in results.variables]
        return [{n: _python(row[n]) for n in names} for row in results]

    def replace_graph(
        self, graph_iri: str, ntriples: str, drop: tuple[str, ...] = (), meetings: tuple[str, ...] = ()
    ) -> None:
        """Atomically replace named graph `graph_iri` (and drop the graphs in `drop`) with
        `ntriples`, keeping the default graph the union of all named graphs, with the minutes of
        `meetings` taking precedence over their agendas (store_queries.precedence_update)."""
        self._store.update(replace_graph_update(graph_iri, ntriples, drop, meetings))

    def drop_graphs(self, graphs: tuple[str, ...], meetings: tuple[str, ...] = ()) -> None:
        """Atomically remove named graphs and, from the union, what only they held; the agendas of
        `meetings` then take the place of minutes removed."""
        if graphs:
            self._store.update(replace_graph_update(None, "", graphs, meetings))

    def graph_with_sha(self, sha256: str) -> str | None:
        """The named graph holding a document with these bytes, if any."""
        rows = self.select(
            "SELECT ?g WHERE { GRAPH ?g { ?d <https://w3id.org/kkr/ns#sha256> %s } } LIMIT 1" % literal(sha256),
            use_default_graph_as_union=False,
        )
        return rows[0]["g"] if rows else None

    def graphs_from_source(self, name: str, meeting_label: str | None = None) -> list[str]:
        """Named graphs of documents recorded under the file name `name` (see `graphs_from_source_query`)."""
        rows = self.select(graphs_from_source_query(name, meeting_label), use_default_graph_as_union=False)
        return [r["g"] for r in rows]

    def source_of(self, graph_iri: str) -> str | None:
        """The file name of the document in named graph `graph_iri`, if the store has that graph."""
        rows = self.select(source_of_query(graph_iri), use_default_graph_as_union=False)
        return rows[0]["name"] if rows else None

    def __len__(self) -> int:
        """Triples in the union (the default graph)."""
        return self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]

    def flush(self) -> None:
        self._store.flush()


def open_store(data_dir: Path, url: str | None = None, read_only: bool = False):
    """The graph store: on the SPARQL 1.1 server at `url` (http/https) when given, else the
    embedded store in the data directory."""
    if url:
        if not is_store_url(url):
            raise StoreError(
                f"--store {url}: not an http(s) URL of a SPARQL server; give e.g. "
                "http://localhost:7878, or leave --store out to use the data directory"
            )
        return RemoteStore(url, read_only=read_only)
    return GraphStore.in_data_dir(data_dir, read_only=read_only)

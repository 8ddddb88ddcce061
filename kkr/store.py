"""The graph store: an embedded Oxigraph store in the data directory.

Each source document's triples live in a named graph of their own; replacing a graph is one
SPARQL update (DROP + INSERT DATA), which Oxigraph applies as a single transaction, so a
failure or a killed process leaves the previous state intact. Queries see the union of all
named graphs as the default graph.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kkr.errors import StoreError

ONTOLOGY_GRAPH = "https://w3id.org/kkr/ns"


class GraphStore:
    """An Oxigraph store at `path` (created when missing)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the graph store ({exc}); "
                             "is another 'kkr ingest' running on the same data directory?") from None

    @classmethod
    def in_data_dir(cls, data_dir: Path, read_only: bool = False) -> "GraphStore":
        return cls(Path(data_dir) / "store", read_only=read_only)

    def query(self, sparql: str, **kwargs):
        """Run a SPARQL query with the union of the named graphs as default graph."""
        kwargs.setdefault("use_default_graph_as_union", True)
        return self._store.query(sparql, **kwargs)

    def select(self, sparql: str, **kwargs) -> list[dict[str, object]]:
        """Rows of a SELECT query as dicts of variable name → Python value (str, int, ...)."""
        results = self.query(sparql, **kwargs)
        names = [v.value for v in results.variables]
        return [{n: _python(row[n]) for n in names} for row in results]

    def replace_graph(self, graph_iri: str, ntriples: str, drop: tuple[str, ...] = ()) -> None:
        """Atomically replace named graph `graph_iri` (and drop the graphs in `drop`) with `ntriples`."""
        ops = [f"DROP SILENT GRAPH <{g}>" for g in (*drop, graph_iri)]
        ops.append(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{ntriples}\n}} }}")
        self._store.update(" ;\n".join(ops))

    def graph_with_sha(self, sha256: str) -> str | None:
        """The named graph holding a document with these bytes, if any."""
        rows = self.select(
            'SELECT ?g WHERE { GRAPH ?g { ?d <https://w3id.org/kkr/ns#sha256> "%s" } } LIMIT 1' % sha256,
            use_default_graph_as_union=False)
        return rows[0]["g"] if rows else None

    def graphs_from_source(self, source: str) -> list[str]:
        """Named graphs of documents ingested from the path or URL `source`."""
        rows = self.select(
            'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a <http://xmlns.com/foaf/0.1/Document> ; '
            '<http://purl.org/dc/terms/source> ?s . FILTER(str(?s) = %s) } }' % _sparql_string(source),
            use_default_graph_as_union=False)
        return [r["g"] for r in rows]

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _python(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dt.endswith("#decimal"):
            from decimal import Decimal
            return Decimal(term.value)
        return term.value
    return term.value

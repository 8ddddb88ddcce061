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
from kkr.sparql_terms import iri, literal

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

    def replace_graph(self, graph_iri: str, ntriples: str, drop: tuple[str, ...] = ()) -> None:
        """Atomically replace named graph `graph_iri` (and drop the graphs in `drop`) with
        `ntriples`, keeping the default graph the union of all named graphs."""
        self._store.update(replace_graph_update(graph_iri, ntriples, drop))

    def drop_graphs(self, graphs: tuple[str, ...]) -> None:
        """Atomically remove named graphs and, from the union, what only they held."""
        if graphs:
            self._store.update(replace_graph_update(None, "", graphs))

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

    def __len__(self) -> int:
        """Triples in the union (the default graph)."""
        return self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]

    def flush(self) -> None:
        self._store.flush()


def replace_graph_update(graph_iri: str | None, ntriples: str, drop: tuple[str, ...] = ()) -> str:
    """One SPARQL 1.1 update that replaces a named graph and maintains the union default graph."""
    graphs = tuple(dict.fromkeys((*drop, *((graph_iri,) if graph_iri else ()))))
    listed = ", ".join(map(iri, graphs))
    values = " ".join(map(iri, graphs))
    ops = [
        f"""DELETE {{ ?s ?p ?o }} WHERE {{
  VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h NOT IN ({listed})) }}
}}"""
    ]
    ops += [f"DROP SILENT GRAPH {iri(g)}" for g in graphs]
    if graph_iri:
        ops.append(f"INSERT DATA {{ GRAPH {iri(graph_iri)} {{\n{ntriples}\n}}\n{ntriples}\n}}")
    return " ;\n".join(ops)


def graphs_from_source_query(name: str, meeting_label: str | None = None) -> str:
    """SELECT ?g: the graphs of documents with `dct:source` `name`, and when `meeting_label` is given
    ("KKR Sjælland 2025-09-22", the meeting's rdfs:label) only those a meeting of that label was
    derived from. The file name alone does not identify a document: two councils, or two meetings of
    one council, may each have a "referat.pdf" in a folder of its own, and neither must replace the other."""
    meeting = (
        ""
        if meeting_label is None
        else " ?m <http://www.w3.org/ns/prov#wasDerivedFrom> ?d ; <http://www.w3.org/2000/01/rdf-schema#label> ?l ."
        " FILTER(str(?l) = %s)" % literal(meeting_label)
    )
    return (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a <http://xmlns.com/foaf/0.1/Document> ; "
        "<http://purl.org/dc/terms/source> ?s . FILTER(str(?s) = %s)%s } }" % (literal(name), meeting)
    )


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


def open_store(data_dir: Path, url: str | None = None, read_only: bool = False):
    """The graph store: on the SPARQL 1.1 server at `url` (http/https) when given, else the
    embedded store in the data directory."""
    if url:
        from kkr.remote_store import RemoteStore, is_store_url

        if not is_store_url(url):
            raise StoreError(
                f"--store {url}: not an http(s) URL of a SPARQL server; give e.g. "
                "http://localhost:7878, or leave --store out to use the data directory"
            )
        return RemoteStore(url, read_only=read_only)
    return GraphStore.in_data_dir(data_dir, read_only=read_only)

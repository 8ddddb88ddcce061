"""What the embedded store (kkr/store.py) and the remote one (kkr/remote_store.py) share: the
SPARQL update that replaces a document's graph while keeping the default graph the union of the
named graphs, the query for a document's graphs by file name, and the conversion of result
terms to Python values."""

from __future__ import annotations

import pyoxigraph as ox

from kkr.sparql_terms import iri, literal


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
    """A result term as a Python value: int or Decimal for numeric literals, else its lexical
    value or IRI; None for an unbound variable."""
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

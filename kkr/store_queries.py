"""What the embedded store (kkr/store.py) and the remote one (kkr/remote_store.py) share: the
SPARQL update that replaces a document's graph while keeping the default graph the union of the
named graphs, the query for a document's graphs by file name, and the conversion of result
terms to Python values."""

from __future__ import annotations

import pyoxigraph as ox

from kkr.sparql_terms import iri, literal


def replace_graph_update(
    graph_iri: str | None, ntriples: str, drop: tuple[str, ...] = (), meetings: tuple[str, ...] = ()
) -> str:
    """One SPARQL 1.1 update that replaces a named graph and maintains the union default graph,
    then applies the minutes' precedence over agendas (`precedence_update`) to `meetings`."""
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
    ops += [precedence_update(m) for m in meetings]
    return " ;\n".join(ops)


KKR = "https://w3id.org/kkr/ns#"
# Values every document of a meeting adds to, rather than one document's values replacing another's.
SHARED_PROPERTIES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://data.vlaanderen.be/ns/besluit#behandelt",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
# From an item or section down to the nodes of its text: what an agenda's section brings along.
TEXT_PATH = "|".join(f"<{KKR}{p}>" for p in ("paragraph", "table", "row", "cell", "mentionsAmount"))


def precedence_update(meeting_iri: str) -> str:
    """SPARQL update operations that make the default graph prefer the minutes of a meeting over
    its agenda, and depend only on which documents are in the store (not the order they came in).

    The named graphs stay whole. In the union default graph, for the meeting and each of its
    items: every triple of every document is put back, then an agenda's values of a property the
    minutes also give that node (the title, the sections, the deadlines, …) are taken out, with
    the text nodes (sections, paragraphs, tables) reached only through them. A document without
    kkr:documentType (ingested before agendas were known) counts as minutes."""
    m = iri(meeting_iri)
    scope = (
        f"{{ VALUES ?s {{ {m} }} }} UNION {{ GRAPH ?x {{ {m} <http://data.vlaanderen.be/ns/besluit#behandelt> ?s }} }}"
    )
    agenda = f"?da <{KKR}documentType> <{KKR}Agenda> ."
    minutes = (
        "?{d} a <http://xmlns.com/foaf/0.1/Document> . FILTER NOT EXISTS {{ ?{d} <%sdocumentType> <%sAgenda> }}"
        % (KKR, KKR)
    )
    shared = ", ".join(f"<{p}>" for p in SHARED_PROPERTIES)
    return f""" INSERT {{ ?s ?p ?o }} WHERE {{ {scope} GRAPH ?g {{ ?s ?p ?o }} }} ;
INSERT {{ ?n ?np ?no }} WHERE {{ {scope} GRAPH ?g {{ ?s ?link ?top . ?top ({TEXT_PATH})* ?n . ?n ?np ?no }}
  FILTER(?link IN (<{KKR}section>, <{KKR}deadline>)) }} ;
DELETE {{ ?s ?p ?o }} WHERE {{
  {scope}
  GRAPH ?a {{ {agenda} ?s ?p ?o }}
  FILTER(?p NOT IN ({shared}))
  GRAPH ?mg {{ {minutes.format(d="dm")} ?s ?p ?other }}
  FILTER NOT EXISTS {{ GRAPH ?mg2 {{ {minutes.format(d="dm2")} ?s ?p ?o }} }}
}} ;
DELETE {{ ?n ?np ?no }} WHERE {{
  {scope}
  GRAPH ?a {{ {agenda} ?s ?link ?top . ?top ({TEXT_PATH})* ?n . ?n ?np ?no }}
  FILTER(?link IN (<{KKR}section>, <{KKR}deadline>))
  FILTER NOT EXISTS {{ ?s ?link ?top }}
  FILTER NOT EXISTS {{ GRAPH ?mg {{ {minutes.format(d="dm")} ?n ?np ?no }} }}
}}"""


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


def source_of_query(graph_iri: str) -> str:
    """SELECT ?name: the file name (dct:source) of the document held in a named graph."""
    return (
        "SELECT ?name WHERE { GRAPH %s { ?d a <http://xmlns.com/foaf/0.1/Document> ; "
        "<http://purl.org/dc/terms/source> ?name } } LIMIT 1" % iri(graph_iri)
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

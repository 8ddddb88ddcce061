"""The bilingual glossary of domain terms (patterns/glossary.jsonl) kept in the graph as SKOS
concepts, in a named graph of its own, so queries and query expansion read it from the graph."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from rdflib import Graph, Literal, URIRef

from kkr.sparql_terms import iri, literal
from kkr.vocab import KKR, RDF, SKOS

GLOSSARY_GRAPH = "https://w3id.org/kkr/glossary"


def glossary_entries() -> list[dict]:
    text = resources.files("kkr.ingest").joinpath("patterns/glossary.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def glossary_graph(base: str) -> Graph:
    """Each entry → skos:Concept in scheme <base>concept/glossary with prefLabel/altLabel @da and @en."""
    g = Graph()
    scheme = URIRef(base + "concept/glossary")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("KKR-ordliste", lang="da")))
    g.add((scheme, SKOS.prefLabel, Literal("KKR glossary", lang="en")))
    for entry in glossary_entries():
        concept = URIRef(base + "concept/" + entry["id"])
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        for lang in ("da", "en"):
            for k, term in enumerate(entry.get(lang, [])):
                g.add((concept, SKOS.prefLabel if k == 0 else SKOS.altLabel, Literal(term, lang=lang)))
    return g


def ensure_glossary(store, base: str) -> None:
    """Write the glossary graph when it is missing or the glossary file changed."""
    source = resources.files("kkr.ingest").joinpath("patterns/glossary.jsonl").read_bytes()
    sha = hashlib.sha256(source + base.encode()).hexdigest()  # of the file, not of a serialisation
    if store.graph_with_sha(sha) == GLOSSARY_GRAPH:
        return
    nt = glossary_graph(base).serialize(format="nt")
    nt += f"{iri(GLOSSARY_GRAPH)} {iri(KKR.sha256)} {literal(sha)} .\n"
    store.replace_graph(GLOSSARY_GRAPH, nt)

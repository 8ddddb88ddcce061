"""The KKR ontology (``kkr.ttl``) and the SHACL shapes of the graph's contract (``shapes.ttl``).

Both files ship as package data of ``kkr.ontology``; ``kkr/vocab.py`` is generated
from ``kkr.ttl`` by ``python -m kkr.ontology.generate``.
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph

__all__ = [
    "NAMESPACE",
    "ONTOLOGY_IRI",
    "ontology_graph",
    "ontology_text",
    "shapes_graph",
    "shapes_text",
]

NAMESPACE = "https://w3id.org/kkr/ns#"
ONTOLOGY_IRI = "https://w3id.org/kkr/ns"
ONTOLOGY_FILE = "kkr.ttl"
SHAPES_FILE = "shapes.ttl"


def _read(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def ontology_text() -> str:
    """The Turtle source of the ontology."""
    return _read(ONTOLOGY_FILE)


def shapes_text() -> str:
    """The Turtle source of the SHACL shapes."""
    return _read(SHAPES_FILE)


def ontology_graph() -> Graph:
    """A new rdflib Graph holding the ontology (``kkr.ttl``)."""
    graph = Graph()
    graph.parse(data=ontology_text(), format="turtle")
    return graph


def shapes_graph() -> Graph:
    """A new rdflib Graph holding the SHACL shapes (``shapes.ttl``)."""
    graph = Graph()
    graph.parse(data=shapes_text(), format="turtle")
    return graph

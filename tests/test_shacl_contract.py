"""The graphs built from the real and the sample minutes conform to the contract's SHACL shapes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate

from kkr.ontology import ontology_graph, shapes_graph


def union_graph(store) -> rdflib.Graph:
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    return rdflib.Graph().parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


@pytest.mark.parametrize("store_fixture", ["real_store", "sample_store"])
def test_graph_conforms_to_shapes(request, store_fixture):
    data = union_graph(request.getfixturevalue(store_fixture))
    assert len(data) > 1000
    conforms, _, report = validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none", allow_warnings=True
    )
    assert conforms, report[:3000]

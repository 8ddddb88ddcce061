"""The service reading from a remote SPARQL 1.1 server (kkr serve --store URL): a real Oxigraph
server, ingest writing to it, and the service's SPARQL, search and tracing answering from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from kkr.contract import AGENDA, ORG_MENTIONS
from tests.conftest import SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")


@pytest.fixture(scope="module")
def server(oxigraph_server):
    return oxigraph_server("service-remote")


@pytest.fixture(scope="module")
def app_config(server, tmp_path_factory) -> dict:
    """The service reading from `server`, into which `kkr ingest` wrote the samples (only their
    search index is in DATA_DIR)."""
    data = tmp_path_factory.mktemp("service-remote-data")
    out = subprocess.run(
        [KKR, "ingest", str(SAMPLES), "--store", server.url, "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    assert not (data / "store").exists()  # the graph went to the server; only the index is local
    return {"DATA_DIR": str(data), "STORE_URL": server.url, "QUERY_TIMEOUT": 10}


def test_sparql_protocol_answers_from_the_server(client, server):
    r = client.post(
        "/sparql", data={"query": AGENDA % "2025-09-22"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200
    rows = r.json["results"]["bindings"]
    assert [b["number"]["value"] for b in rows] == ["1.1", "2.1", "2.2", "2.3", "3.1"]
    direct = requests.post(
        server.url + "/query",
        data={"query": AGENDA % "2025-09-22"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ).json()
    assert [b["title"]["value"] for b in direct["results"]["bindings"]] == [b["title"]["value"] for b in rows]
    csv = client.get("/sparql", query_string={"query": ORG_MENTIONS % "GCEU"}, headers={"Accept": "text/csv"})
    assert csv.status_code == 200 and csv.data.decode().splitlines()[0] == "date,number,title"
    assert client.get("/sparql", query_string={"query": "SELECT * WHERE {"}).status_code == 400
    refused = client.post("/sparql", data={"update": "DROP ALL"})
    assert refused.status_code == 403
    assert requests.post(
        server.url + "/query",
        data={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ).json()["boolean"]


def test_tracing_and_resources_from_the_server(client):
    r = client.get("/cases/SAG-2025-00964")
    assert [i["meeting_date"] for i in r.json["items"]] == ["2025-03-10", "2025-06-16", "2025-09-22"]
    thread = client.get("/thread", query_string={"item": "meeting/kkr-sjaelland/2025-09-22/item/2.1"}).json
    assert [(i["meeting_date"], i["item_number"]) for i in thread["items"]] == [
        ("2025-03-10", "2.2"),
        ("2025-06-16", "2.1"),
        ("2025-09-22", "2.1"),
    ]
    turtle = client.get("/id/meeting/kkr-sjaelland/2025-06-16", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and b"2025-06-16" in turtle.data


def test_search_uses_the_local_index_of_remote_graphs(client):
    hits = client.get("/search", query_string={"q": "velfærdsteknologi fælles indkøb", "k": 3}).json["hits"]
    assert hits[0]["item_iri"].endswith("/meeting/kkr-sjaelland/2025-09-22/item/2.2")

"""`--store URL`: ingest into, and query, a real SPARQL 1.1 server (Oxigraph, started by the fixtures).

The graph tests run against the server too (their `[remote]` ids, see conftest.py); these tests
cover what only a server has: the CLI talking HTTP, re-ingest on the server, the Graph Store
Protocol, and a server that is down.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kkr.contract import AGENDA, MEETINGS
from kkr.errors import StoreError
from kkr.ingest.pipeline import ingest_paths
from kkr.remote_http import endpoints
from kkr.remote_store import RemoteStore
from kkr.store import GraphStore, open_store
from tests.conftest import BASE, SAMPLES, _free_port

KKR = str(Path(sys.executable).parent / "kkr")
NORDJYLLAND = SAMPLES / "kkr-nordjylland-2025-05-05.txt"
NORDJYLLAND_GRAPH_OF = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/source> ?s . FILTER(CONTAINS(STR(?s), 'nordjylland')) } }"


def run(*args, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KKR_STORE")}
    return subprocess.run(
        [KKR, *map(str, args)], capture_output=True, text=True, timeout=600, env={**clean, **(env or {})}, **kwargs
    )


def ingest(*args, **kwargs) -> subprocess.CompletedProcess:
    """`kkr ingest` of the graph only (the search index has tests of its own)."""
    return run("ingest", *args, "--no-index", **kwargs)


@pytest.fixture
def server(oxigraph_server):
    """An empty Oxigraph server of this test's own."""
    started = oxigraph_server("remote-test")
    yield started
    started.stop()


def state(store) -> list[tuple]:
    """Every quad of the store (default graph as 'None'), sorted: to compare states exactly
    (blank nodes, which the ontology's OWL lists have, as '_:': their labels differ per store)."""
    term = lambda t: "_:" if isinstance(t, ox.BlankNode) else str(t)  # noqa: E731
    # the glossary graph's sha256 is left out: it is a hash of rdflib's N-Triples, whose
    # order differs from one process to the next
    rows = store.query("""SELECT ?g ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o }
        FILTER(?s != <https://w3id.org/kkr/glossary> || ?p != <https://w3id.org/kkr/ns#sha256>) }""")
    return sorted((term(r["g"]), term(r["s"]), term(r["p"]), term(r["o"])) for r in rows)


def assert_union_exact(store) -> None:
    """The default graph holds each triple of the named graphs exactly once, and nothing else."""
    assert not store.query("ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
    assert not store.query("ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")
    distinct = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert len(store) == distinct[0]["n"]


def triples_of(result) -> set[ox.Triple]:
    return {ox.Triple(t.subject, t.predicate, t.object) for t in result}


def local_copy(tmp_path: Path, *paths: Path) -> GraphStore:
    store = GraphStore.in_data_dir(tmp_path / "local")
    for path in paths:
        summary = ingest_paths([path], store, base=BASE)
        assert not summary.errors, [e.line() for e in summary.errors]
    return store


def test_cli_ingest_writes_to_the_server_and_sparql_reads_it_back(tmp_path, server):
    # with the search index, which reads the paragraphs back from the server
    result = run("ingest", SAMPLES, "--store", server.url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("4 documents ingested (0 unchanged, 0 failed), 4 meetings, 19 items")
    assert not (tmp_path / "data" / "store").exists()  # no local graph store

    local = ingest(SAMPLES, "--data", tmp_path / "data")
    assert local.returncode == 0, local.stderr
    assert local.stdout.split(" triples")[0] == result.stdout.split(" triples")[0]  # same counts

    want = run("sparql", MEETINGS, "--data", tmp_path / "data", "--format", "csv").stdout
    for how in (["--store", server.url], ["--store", server.url + "/query"], []):
        got = run("sparql", MEETINGS, *how, "--format", "csv", env={"KKR_STORE": server.url}, cwd=tmp_path)
        assert got.returncode == 0, got.stderr
        assert got.stdout == want
    rows = list(csv.DictReader(io.StringIO(want)))
    assert len(rows) >= 4

    construct = "CONSTRUCT { ?m ?p ?o } WHERE { ?m a <http://data.vlaanderen.be/ns/besluit#Zitting> ; ?p ?o }"
    remote_nt = run("sparql", construct, "--store", server.url, "--format", "ntriples").stdout
    local_nt = run("sparql", construct, "--data", tmp_path / "data", "--format", "ntriples").stdout
    assert sorted(remote_nt.splitlines()) == sorted(local_nt.splitlines()) and remote_nt.strip()

    again = ingest(SAMPLES, "--store", server.url, cwd=tmp_path)  # source copies go to ./data/sources
    assert again.returncode == 0 and "0 documents ingested (4 unchanged" in again.stdout


def test_reingest_of_a_changed_document_replaces_its_graph_on_the_server(tmp_path, server):
    assert ingest(SAMPLES, "--store", server.url, cwd=tmp_path).returncode == 0
    remote = RemoteStore(server.url)
    before = len(remote)
    changed = tmp_path / NORDJYLLAND.name
    text = NORDJYLLAND.read_text(encoding="utf-8")
    assert "Indstillingen blev ikke godkendt" in text
    changed.write_text(text.replace("Indstillingen blev ikke godkendt", "Sagen blev udsat"), encoding="utf-8")

    result = ingest(changed, "--store", server.url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 documents ingested" in result.stdout
    outcomes = remote.select("""PREFIX kkr: <https://w3id.org/kkr/ns#> SELECT ?o WHERE {
        <https://w3id.org/kkr/id/meeting/kkr-nordjylland/2025-05-05/item/2.2> kkr:decision/kkr:outcome ?o }""")
    assert [r["o"] for r in outcomes] == ["https://w3id.org/kkr/ns#Postponed"]  # the old outcome is gone
    assert len(remote.select(NORDJYLLAND_GRAPH_OF)) == 1  # one graph for the meeting, not two
    agenda = remote.select(AGENDA % "2025-05-05")
    assert len(agenda) == len({r["number"] for r in agenda})  # no duplicate rows
    meetings = remote.select(MEETINGS)
    assert len(meetings) == len({tuple(r.values()) for r in meetings})
    assert_union_exact(remote)
    assert abs(len(remote) - before) < 50

    # the server ends exactly where the embedded store does after the same two ingests
    local = local_copy(tmp_path, SAMPLES, changed)
    assert state(remote) == state(local)


def test_graph_store_protocol_get_returns_exactly_the_documents_triples(tmp_path, server):
    remote = RemoteStore(server.url)
    summary = ingest_paths([SAMPLES], remote, base=BASE)
    assert not summary.errors
    graph = remote.select(NORDJYLLAND_GRAPH_OF)[0]["g"]

    exported = remote.get_graph(graph)
    got = triples_of(ox.parse(exported.encode(), ox.RdfFormat.N_TRIPLES))
    on_server = triples_of(remote.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }" % graph))
    local = local_copy(tmp_path, NORDJYLLAND)
    built_locally = triples_of(local.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }" % graph))
    assert got == on_server == built_locally
    assert len(got) > 100
    assert "kkr-sjaelland/2025-09-22/item" not in exported  # no other meeting's items
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert remote.select(count, default_graph=[ox.NamedNode(graph)])[0]["n"] == len(got)  # default-graph-uri
    assert local.select(count, default_graph=[ox.NamedNode(graph)])[0]["n"] == len(got)

    with pytest.raises(StoreError, match="no graph <https://example.org/none>"):
        remote.get_graph("https://example.org/none")


def test_graph_store_protocol_put_imports_a_graph_and_keeps_the_union(tmp_path, server):
    local = local_copy(tmp_path, SAMPLES)
    remote = RemoteStore(server.url)
    graph = local.select(NORDJYLLAND_GRAPH_OF)[0]["g"]
    turtle = (
        local.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }" % graph)
        .serialize(format=ox.RdfFormat.TURTLE)
        .decode()
    )

    for other in local.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"):  # the others as N-Triples
        if other["g"] != graph:
            remote.put_graph(
                other["g"],
                local.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }" % other["g"]).serialize(
                    format=ox.RdfFormat.N_TRIPLES
                ),
            )
    remote.put_graph(graph, turtle)
    assert state(remote) == state(local)
    assert_union_exact(remote)

    # a smaller version of the graph: what only it held leaves the union, what others hold too stays
    shared = triples_of(
        remote.query(
            """CONSTRUCT { ?s ?p ?o } WHERE {
        GRAPH <%s> { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } FILTER(?h != <%s>) }"""
            % (graph, graph)
        )
    )
    assert shared
    shared_lines = {str(t) + " ." for t in shared}
    dropped = [ln for ln in remote.get_graph(graph).splitlines() if "/item/2.2" in ln or ln in shared_lines]
    kept = [ln for ln in remote.get_graph(graph).splitlines() if ln not in dropped]
    assert shared_lines <= set(dropped) and len(kept) > 100
    remote.put_graph(graph, "\n".join(kept) + "\n")
    assert_union_exact(remote)
    assert not remote.select(
        "SELECT ?p WHERE { <https://w3id.org/kkr/id/meeting/kkr-nordjylland/2025-05-05/item/2.2> ?p ?o }"
    )
    assert shared <= triples_of(remote.query("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert not remote.select("SELECT ?g WHERE { GRAPH ?g { } FILTER(STRSTARTS(STR(?g), 'urn:kkr:staging')) }")


def test_server_down_one_clear_line_and_non_zero_exit(tmp_path, server):
    url = server.url
    server.stop()
    for args in (["ingest", SAMPLES, "--no-index"], ["sparql", MEETINGS]):
        result = run(*args, "--store", url, cwd=tmp_path)
        assert result.returncode != 0
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert f"cannot reach the SPARQL server at {url}/query (connection refused)" in lines[0]
        assert "check that the server is running" in lines[0]
    with pytest.raises(StoreError, match="connection refused"):
        RemoteStore(f"http://127.0.0.1:{_free_port()}").select("SELECT * WHERE { ?s ?p ?o }")


def test_server_errors_carry_the_servers_message(server):
    result = run("sparql", "SELEC ?s WHERE { ?s ?p ?o }", "--store", server.url)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "HTTP 400" in lines[0] and "error at 1:" in lines[0] and "check the query" in lines[0]

    with pytest.raises(SyntaxError, match="error at 1:"):  # as the local store raises
        RemoteStore(server.url).query("SELEC ?s WHERE { ?s ?p ?o }")
    wrong = RemoteStore(server.url, update_url=server.url + "/nowhere")
    with pytest.raises(StoreError, match=r"HTTP 404.*check the update endpoint"):
        wrong.replace_graph("https://example.org/g", "<https://example.org/s> <https://example.org/p> 1 .")
    with pytest.raises(StoreError, match="read-only"):
        RemoteStore(server.url, read_only=True).drop_graphs(("https://example.org/g",))


@pytest.mark.parametrize(
    "url, want",
    [
        ("http://h:7878", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        ("http://h:7878/", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        ("http://h:7878/query", ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
        ("https://h/x/sparql", ("https://h/x/sparql", "https://h/x/sparql", "https://h/x/store")),
        ("https://h/ds", ("https://h/ds/query", "https://h/ds/update", "https://h/ds/store")),
    ],
    ids=["oxigraph-root", "trailing-slash", "oxigraph-query", "sparql", "other-root"],
)
def test_endpoints_derived_from_the_url(monkeypatch, url, want):
    monkeypatch.delenv("KKR_STORE_UPDATE", raising=False)
    monkeypatch.delenv("KKR_STORE_GSP", raising=False)
    assert endpoints(url) == want
    assert endpoints(url, update_url="https://u/up")[1] == "https://u/up"
    monkeypatch.setenv("KKR_STORE_UPDATE", "https://env/up")
    assert endpoints(url)[1] == "https://env/up"


def test_open_store_chooses_by_url(tmp_path):
    assert isinstance(open_store(tmp_path), GraphStore)
    assert isinstance(open_store(tmp_path, "http://localhost:7878"), RemoteStore)
    with pytest.raises(StoreError, match="not an http"):
        open_store(tmp_path, "ftp://localhost/x")

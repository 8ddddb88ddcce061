"""No path of the machine in the graph or a page: source documents are recorded by file name and
sha256, the service serves the copy ingest keeps in DATA_DIR/sources/, and errors of a remote
SPARQL store reach HTTP clients without the store's address."""

from __future__ import annotations

import gc
import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from kkr.ingest.pipeline import ingest_paths
from kkr.sources import sources_dir
from kkr.store import GraphStore
from tests.browser import support
from tests.browser.support import BROWSER_ACCEPT
from tests.conftest import BASE, SAMPLES, _free_port

SEPT = "/id/meeting/kkr-sjaelland/2025-09-22"
NORD = "kkr-nordjylland-2025-05-05"
DOCUMENTS = """SELECT ?name ?sha WHERE { ?d a <http://xmlns.com/foaf/0.1/Document> ;
    <http://purl.org/dc/terms/source> ?name ; <https://w3id.org/kkr/ns#sha256> ?sha }"""
MEETINGS_READ = """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
    ?m a <http://data.vlaanderen.be/ns/besluit#Zitting> ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?d }"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingest(paths, data: Path) -> None:
    """Ingest into the embedded store of `data`, closed again afterwards (the service opens it)."""
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths(paths, store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    store.flush()
    del store
    gc.collect()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(root, data dir, {file name: sha256}): the samples ingested from a folder deep in the tmp
    path, one of them rendered to PDF; the folder is then moved away, so only the copies remain."""
    from tests.support.render_pdf import render_minutes_pdf

    root = tmp_path_factory.mktemp("no-paths")
    minutes = root / "minutes folder" / "incoming"
    minutes.mkdir(parents=True)
    for txt in sorted(SAMPLES.glob("kkr-*.txt")):
        if txt.stem == NORD:
            render_minutes_pdf(txt, minutes / f"{NORD}.pdf")
        else:
            shutil.copy(txt, minutes / txt.name)
    shas = {p.name: sha256(p) for p in minutes.iterdir()}
    data = root / "data"
    ingest([minutes], data)
    (root / "minutes folder").rename(root / "moved away")  # the service must not need the originals
    return root, data, shas


@pytest.fixture(scope="module")
def app_config(built) -> dict:
    return support.app_config(built[1])


def machine_paths(built) -> list[str]:
    root, data, _ = built
    return [str(root), str(data), str(root.resolve()), str(Path.cwd()), str(SAMPLES)]


def assert_no_path(text: str, built) -> None:
    for path in machine_paths(built):
        assert path not in text


# --- the graph ---------------------------------------------------------------------------------


def test_no_literal_in_the_graph_holds_a_path(built):
    root, data, shas = built
    store = GraphStore.in_data_dir(data, read_only=True)
    terms = [
        r["t"]
        for r in store.select("""SELECT DISTINCT (STR(?o) AS ?t) WHERE {
        { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } FILTER(isLiteral(?o)) }""")
    ]
    assert len(terms) > 500
    folders = [part for part in (root / "minutes folder" / "incoming").parts if part not in ("/", "")]
    for term in terms:
        assert str(root) not in term and str(data) not in term
        assert not any("/" + folder in term for folder in folders), term
    iris = [
        r["x"] for r in store.select("SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x FILTER(isIRI(?x)) } }")
    ]
    assert not any(str(root) in iri for iri in iris)
    # each document by its file name and sha256, nothing more
    assert {(r["name"], r["sha"]) for r in store.select(DOCUMENTS)} == set(shas.items())


# --- /source serves the kept copies ------------------------------------------------------------------


def test_source_serves_the_kept_copy_of_each_document(client, built):
    _, data, shas = built
    for name, sha in shas.items():
        assert (sources_dir(data) / (sha + Path(name).suffix)).is_file()
        r = client.get(f"/source/{sha[:16]}")
        assert r.status_code == 200, name
        assert hashlib.sha256(r.get_data()).hexdigest() == sha
        assert r.headers["Content-Disposition"] == f"inline; filename={name}"
        assert r.content_type == ("application/pdf" if name.endswith(".pdf") else "text/plain; charset=utf-8")


def test_a_missing_copy_is_a_404_saying_to_ingest_again_and_ingest_restores_it(client, built):
    root, data, shas = built
    name = "kkr-sjaelland-2025-03-10.txt"
    copy = sources_dir(data) / (shas[name] + ".txt")
    copy.unlink()
    r = client.get(f"/source/{shas[name][:16]}", headers={"Accept": BROWSER_ACCEPT})
    text = r.get_data(as_text=True)
    assert r.status_code == 404 and "kkr ingest" in text and name in text and "datamappe" in text
    assert_no_path(text, built)
    ingest([root / "moved away" / "incoming" / name], data)  # unchanged: a no-op for the graph, but the copy returns
    assert copy.is_file() and sha256(copy) == shas[name]
    assert client.get(f"/source/{shas[name][:16]}").status_code == 200


def test_a_tampered_copy_is_not_served(client, built):
    _, data, shas = built
    name = "kkr-sjaelland-2025-06-16.txt"
    copy = sources_dir(data) / (shas[name] + ".txt")
    original = copy.read_bytes()
    try:
        copy.write_bytes(original + b"\nextra")
        assert client.get(f"/source/{shas[name][:16]}").status_code == 404
    finally:
        copy.write_bytes(original)


# --- pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        SEPT,
        SEPT + "/item/2.1",
        "/id/meeting/kkr-nordjylland/2025-05-05",
        "/source/0123456789abcdef",
        "/cases/SAG-2025-00964",
        "/deadlines",
    ],
)
def test_pages_show_no_path_of_the_machine(client, built, url):
    r = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code in (200, 404)
    assert_no_path(r.get_data(as_text=True), built)


def test_document_page_and_rdf_name_the_file_only(client, built):
    _, _, shas = built
    sha = shas["kkr-sjaelland-2025-09-22.txt"]
    for accept in (BROWSER_ACCEPT, "text/turtle", "application/ld+json"):
        r = client.get(f"/id/document/{sha[:16]}", headers={"Accept": accept})
        assert r.status_code == 200
        text = r.get_data(as_text=True)
        assert "kkr-sjaelland-2025-09-22.txt" in text
        assert_no_path(text, built)
    meeting = client.get(SEPT, headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    assert "kkr-sjaelland-2025-09-22.txt" in meeting  # the source's name on the meeting page


# --- re-ingest of a changed document --------------------------------------------------------------


def meetings_and_documents(data: Path) -> tuple[int, set[str]]:
    store = GraphStore.in_data_dir(data, read_only=True)
    count = store.select(MEETINGS_READ)[0]["n"]
    return count, {r["sha"] for r in store.select(DOCUMENTS)}


def test_changed_document_with_the_same_name_replaces_its_graph(tmp_path):
    data = tmp_path / "data"
    ingest([SAMPLES], data)
    count, docs = meetings_and_documents(data)
    name = "kkr-nordjylland-2025-05-05.txt"
    elsewhere = tmp_path / "another" / "folder"
    elsewhere.mkdir(parents=True)
    changed = elsewhere / name
    changed.write_text(
        (SAMPLES / name).read_text(encoding="utf-8").replace("Indstillingen blev ikke godkendt", "Sagen blev udsat"),
        encoding="utf-8",
    )
    ingest([changed], data)
    after, docs_after = meetings_and_documents(data)
    assert after == count == 4
    assert docs_after == docs - {sha256(SAMPLES / name)} | {sha256(changed)}
    assert (sources_dir(data) / (sha256(changed) + ".txt")).is_file()


def test_same_file_name_of_two_councils_keeps_both_meetings(tmp_path):
    """Two folders each with a "referat.txt": the file name alone does not make them one document."""
    data = tmp_path / "data"
    paths = []
    for council, sample in (("nord", "kkr-nordjylland-2025-05-05.txt"), ("sjael", "kkr-sjaelland-2025-09-22.txt")):
        (tmp_path / council).mkdir()
        paths.append(tmp_path / council / "referat.txt")
        shutil.copy(SAMPLES / sample, paths[-1])
    ingest(paths, data)
    count, docs = meetings_and_documents(data)
    assert count == 2 and len(docs) == 2


def test_a_copy_that_cannot_be_kept_fails_the_document_and_leaves_the_store_as_it_was(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources").write_text("not a folder")  # so no copy can be written
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths([SAMPLES / "kkr-sjaelland-2025-09-22.txt"], store, base=BASE)
    assert len(summary.errors) == 1 and summary.documents == 0
    assert "cannot keep a copy" in summary.errors[0].line()
    assert not store.select(DOCUMENTS)


# --- errors of a remote store ------------------------------------------------------------------------


@pytest.fixture
def client_of(make_app, tmp_path):
    """client_of(url): the test client of an app of the test's own over the SPARQL store at `url`."""

    def client(url: str):
        return make_app(tmp_path / "data", STORE_URL=url, QUERY_TIMEOUT=5, BASE=BASE).test_client()

    return client


REMOTE_URLS = [
    "/sparql?query=ASK{}",
    "/cases/SAG-2025-03802",
    "/",
    SEPT,
    "/source/0123456789abcdef",
    "/deadlines",
    "/thread?item=meeting/kkr-sjaelland/2025-09-22/item/2.1",
]


@pytest.mark.parametrize("accept", ["application/json", BROWSER_ACCEPT])
def test_an_unreachable_store_is_not_named_to_clients(client_of, tmp_path, accept, caplog):
    port = _free_port()  # nothing listens there
    client = client_of(f"http://127.0.0.1:{port}")
    for url in REMOTE_URLS:
        r = client.get(url, headers={"Accept": accept})
        body = r.get_data(as_text=True)
        assert r.status_code == 503, (url, r.status_code, body)
        assert f"127.0.0.1:{port}" not in body and "127.0.0.1" not in body, url
        assert_no_path(body, (tmp_path, tmp_path / "data", None))
    assert "SPARQL store" in client.get("/sparql?query=ASK{}").get_data(as_text=True)
    assert f"127.0.0.1:{port}" in caplog.text  # the operator finds the address in the log


class _Failing(http.server.BaseHTTPRequestHandler):
    """A 'SPARQL server' that refuses every request with `status`, naming its own address."""

    status = 500

    def do_POST(self):
        body = (
            f"error at 1:1 near http://{self.server.server_address[0]}:{self.server.server_address[1]}/query".encode()
        )
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status", [400, 500])
def test_a_refusing_store_is_not_named_to_clients(client_of, status):
    handler = type("Handler", (_Failing,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        client = client_of(f"http://127.0.0.1:{port}")
        r = client.get("/sparql?query=ASK{}")
        body = r.get_data(as_text=True)
        assert r.status_code == status and f"HTTP {status}" in body
        assert f"127.0.0.1:{port}" not in body and "127.0.0.1" not in body
        if status == 400:  # the parser's message is the client's to see, without the address
            assert "error at 1:1" in body
        r = client.get("/cases/SAG-2025-03802")
        assert r.status_code >= 500 and "127.0.0.1" not in r.get_data(as_text=True)
    finally:
        server.shutdown()
        server.server_close()

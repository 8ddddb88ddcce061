"""Shared fixtures: the real minutes, the sample minutes rendered to PDF, stores built from them.

The graph tests (test_real_minutes, test_sample_minutes, test_shacl_contract) run twice: against
the embedded store (`[local]`) and against a real Oxigraph SPARQL server over HTTP (`[remote]`),
which the fixtures start themselves from the `oxigraph` binary next to the Python interpreter.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from kkr.index.paragraph_index import sync_index
from kkr.ingest.pipeline import ingest_paths
from kkr.remote_store import RemoteStore
from kkr.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
REAL_MINUTES = CORPUS / "kkr-midtjylland-2025-10-20-referat.txt"
SAMPLES = ROOT / "samples"
BASE = "https://w3id.org/kkr/id/"


def require_corpus() -> Path:
    """The real minutes; skipped where the folder is absent, except in CI (KKR_REQUIRE_CORPUS=1)."""
    if not REAL_MINUTES.exists():
        if os.environ.get("KKR_REQUIRE_CORPUS"):
            pytest.fail(f"{REAL_MINUTES} is missing, and CI requires it")
        pytest.skip(f"{CORPUS} is absent (a clone without ../shared)")
    return REAL_MINUTES


# --- a real SPARQL server ------------------------------------------------------------------------

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on a free port of 127.0.0.1 with its own database folder."""

    def __init__(self, location: Path):
        binary = OXIGRAPH if OXIGRAPH.exists() else shutil.which("oxigraph")
        if not binary:
            pytest.fail(
                f"{OXIGRAPH} is missing: the [remote] graph tests run a real Oxigraph SPARQL server; "
                "install it into the venv with 'pip install \"oxigraph>=0.5,<0.6\"'",
                pytrace=False,
            )
        self.location = location
        for _ in range(3):  # another process may take the free port before the server binds it
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.log = (location.parent / f"{location.name}.log").open("wb")
            self.process = subprocess.Popen(
                [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
                stdout=self.log,
                stderr=subprocess.STDOUT,
            )
            if self._wait():
                return
            self.stop()
        pytest.fail(f"the Oxigraph server did not start: {self._log_text()}", pytrace=False)

    def _wait(self, seconds: float = 20) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                if requests.post(
                    self.url + "/query", data="ASK {}", timeout=2, headers={"Content-Type": "application/sparql-query"}
                ).ok:
                    return True
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        return False

    def _log_text(self) -> str:
        path = self.location.parent / f"{self.location.name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Start a fresh Oxigraph server: `oxigraph_server(name)` → OxigraphServer (its `.url` is the
    server root). Each call gives an empty server of its own, so the graphs of different fixtures
    never mix; all are stopped at the end of the session (or earlier with `.stop()`)."""
    servers: list[OxigraphServer] = []

    def start(name: str = "oxigraph") -> OxigraphServer:
        server = OxigraphServer(tmp_path_factory.mktemp(name) / "db")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# --- stores built from the minutes, local and remote ------------------------------------------------

STORE_KINDS = ("local", "remote")
GRAPH_TEST_MODULES = {"test_real_minutes", "test_sample_minutes", "test_shacl_contract", "test_agendas"}
STORE_FIXTURES = {"real_store", "sample_store", "sample_text_store"}


def pytest_generate_tests(metafunc):
    """Run each graph test against both store kinds: test ids end in [local] and [remote]."""
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in GRAPH_TEST_MODULES or STORE_FIXTURES & set(metafunc.fixturenames):
        if "store_kind" not in metafunc.fixturenames:
            # the test reaches its store through request.getfixturevalue(...), which pytest
            # only allows for a parametrized fixture when the parameter is known at collection
            metafunc.fixturenames.append("store_kind")
        metafunc.parametrize("store_kind", STORE_KINDS, indirect=True, scope="session")


@pytest.fixture(scope="session")
def store_kind(request) -> str:
    """ "local" (embedded pyoxigraph store) or "remote" (RemoteStore on an Oxigraph server)."""
    return getattr(request, "param", "local")


def new_store(request, name: str):
    """An empty store of the kind the test runs with."""
    if request.getfixturevalue("store_kind") == "remote":
        return RemoteStore(request.getfixturevalue("oxigraph_server")(name).url)
    return GraphStore.in_data_dir(request.getfixturevalue("tmp_path_factory").mktemp(name))


@pytest.fixture(scope="session")
def real_minutes() -> Path:
    return require_corpus()


@pytest.fixture(scope="session")
def real_store(request, store_kind, real_minutes) -> GraphStore | RemoteStore:
    """The real minutes ingested with --body "KKR Midtjylland" --date 2025-10-20."""
    store = new_store(request, "real")
    summary = ingest_paths([real_minutes], store, base=BASE, body="KKR Midtjylland", meeting_date=date(2025, 10, 20))
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory) -> list[Path]:
    """The bundled sample minutes rendered to PDF with running headers, page numbers, hyphenation."""
    from tests.support.render_pdf import render_all

    out = tmp_path_factory.mktemp("sample-pdfs")
    return render_all(SAMPLES, out)


@pytest.fixture(scope="session")
def sample_store(request, store_kind, sample_pdfs) -> GraphStore | RemoteStore:
    """The sample PDFs ingested without --body or --date."""
    store = new_store(request, "samples")
    summary = ingest_paths(sample_pdfs, store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture(scope="session")
def sample_text_store(request, store_kind) -> GraphStore | RemoteStore:
    """The sample minutes ingested from their text sources (the quick start's input)."""
    store = new_store(request, "sample-text")
    summary = ingest_paths([SAMPLES], store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture
def copy_of(tmp_path):
    """Copy a file into the test's own folder (optionally under another name)."""

    def copy(src: Path, name: str | None = None) -> Path:
        dst = tmp_path / (name or src.name)
        shutil.copyfile(src, dst)
        return dst

    return copy


def paragraph_count(store) -> int:
    """The units of search: paragraphs, and tables (each one unit, its rows as text)."""
    return store.select(
        "SELECT (COUNT(?p) AS ?n) WHERE { VALUES ?c { <https://w3id.org/kkr/ns#Paragraph> "
        "<https://w3id.org/kkr/ns#Table> } ?p a ?c }"
    )[0]["n"]


@pytest.fixture(scope="session")
def search_data(tmp_path_factory) -> Path:
    """Samples and real minutes, ingested and indexed (the evaluation's corpus)."""
    data = tmp_path_factory.mktemp("search")
    store = GraphStore.in_data_dir(data)
    ingest_paths([SAMPLES], store, base=BASE)
    ingest_paths([require_corpus()], store, base=BASE, body="KKR Midtjylland", meeting_date=date(2025, 10, 20))
    report = sync_index(store, data)
    assert report.embedded == paragraph_count(store)
    del store
    return data


# --- the service's app -----------------------------------------------------------------------------
#
# As Flask's tutorial (flaskr) does: `app` is the service built with a test config, `client` its
# test client, and a test asks for them. `app_config` is the config; a test module over other data
# overrides it with a module-scoped fixture of the same name, e.g.
#
#     @pytest.fixture(scope="module")
#     def app_config(search_data):
#         return {"DATA_DIR": str(search_data), "QUERY_WORKERS": 1}
#
# The app is module-scoped: its query workers start (on first use) once per module, and are
# stopped when the module's tests are done. `make_app` is for a test that needs an app of its own,
# several apps, or one built mid-test (after it changed the data).


@pytest.fixture(scope="module")
def app_config(tmp_path_factory) -> dict:
    """The config of the module's `app`: the sample minutes as `kkr ingest` leaves them
    (tests/browser/support.py), one query worker per lane. Override it per module."""
    from tests.browser import support

    return support.app_config(support.sample_data(tmp_path_factory)[0])


@pytest.fixture(scope="module")
def app(app_config):
    """The service's app over `app_config`, one per module; its workers are stopped afterwards."""
    from kkr.service.app import create_app
    from kkr.service.backends import close_pools

    app = create_app(app_config)
    yield app
    close_pools(app)


@pytest.fixture
def client(app):
    """Flask's test client of `app`."""
    return app.test_client()


@pytest.fixture
def make_app():
    """`make_app(data_dir, **config)` or `make_app(**config)`: an app of the test's own over a data
    directory, one query worker per lane unless `config` says otherwise; the workers the apps
    started are stopped after the test."""
    from kkr.service.app import create_app
    from kkr.service.backends import close_pools

    apps = []

    def make(data_dir=None, /, **config):
        settings = {"QUERY_WORKERS": 1, **config}
        if data_dir is not None:
            settings["DATA_DIR"] = str(data_dir)
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        close_pools(app)

"""No request a client sends makes the service connect anywhere (SSRF): SERVICE and LOAD are
refused from the parse, however they are hidden, and the query workers cannot open a network
socket even when a query reaches the engine unjudged. A loopback listener records every
connection attempt; it must record none."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkr.service.backends import pool_for
from kkr.service.query_errors import QueryFailed
from tests.browser.support import BROWSER_ACCEPT, LiveServer, app_config, sample_data

TOKEN = "outbound-test-token"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    rec = Listener()
    yield rec
    rec.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data, _ = sample_data(tmp_path_factory)
    server = LiveServer(app_config(data, QUERY_WORKERS=2, HEAVY_PER_CLIENT=0, UPDATE_TOKEN=TOKEN))
    yield server
    server.close()


def test_control_an_unguarded_engine_does_connect(listener):
    """Without the two walls pyoxigraph does fetch SERVICE, so the listener can see a leak."""
    code = (
        "import pyoxigraph as ox\ntry:\n    list(ox.Store().query('SELECT * { SERVICE <%s/s> { ?s ?p ?o } }'))\n"
        "except Exception:\n    pass\n" % listener.url
    )
    before = listener.connections
    subprocess.run([sys.executable, "-c", code], timeout=60, check=True)
    assert listener.connections > before
    listener.connections = before


# --- hiding tricks, generated ------------------------------------------------------------------


def _service_forms(url: str):
    """The ways to write a SERVICE pattern naming the listener."""
    return st.sampled_from(
        [
            f"SERVICE <{url}/sparql> {{ ?s ?p ?o }}",
            f"service silent <{url}/sparql> {{ ?s ?p ?o }}",
            f"SeRvIcE<{url}/sparql>{{?s ?p ?o}}",
            f"\\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }}",
            "SERVICE x:sparql { ?s ?p ?o }",
            f"SERVICE <{url}/\\u0073parql> {{ ?s ?p ?o }}",
            "SERVICE ?endpoint { ?s ?p ?o }",
        ]
    )


DECOY_TEXTS = [
    "",
    "BIND((\"a\"<'&&?c>') AS ?d) ",
    "# a comment with SERVICE <http://x/> { }\n",
    "FILTER(1 < 2 && 3 > 2) ",
    'BIND("\\"<" AS ?q) ',
    '?s ?p "}" . ',
    "BIND(<urn:a#b> AS ?i) ",
    'FILTER(?o != "SERVICE") ',
    "VALUES ?v { 1 2 } ",
]
DECOYS = st.sampled_from(DECOY_TEXTS)
# rdflib's parser refuses a long string in a BIND followed by SERVICE (it fails closed: 400 as
# malformed), so this decoy is only among the harmless ones.
HARMLESS_DECOYS = st.sampled_from(DECOY_TEXTS + ["BIND('''multi\n# not a comment''' AS ?m) "])
WRAPPERS = st.sampled_from(
    [
        "{inner}",
        "OPTIONAL {{ {inner} }}",
        "{{ {inner} }} UNION {{ ?a ?b ?c }}",
        "MINUS {{ {inner} }}",
        "FILTER EXISTS {{ {inner} }}",
        "FILTER NOT EXISTS {{ {inner} }}",
        "{{ SELECT * WHERE {{ {inner} }} }}",
        "GRAPH ?g {{ {inner} }}",
        "{{ {{ {{ {inner} }} }} }}",
    ]
)
TAILS = st.sampled_from(["", " #'", ' # "', "\n", " LIMIT 1"])


def _query(url: str):
    @st.composite
    def build(draw):
        inner = draw(DECOYS) + draw(_service_forms(url)) + " " + draw(DECOYS)
        body = draw(WRAPPERS).format(inner=inner)
        return f"PREFIX x: <{url}/> SELECT * WHERE {{ {draw(DECOYS)}{body} }}{draw(TAILS)}"

    return build()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_service_tricks_are_refused_and_nothing_connects(live, listener, data):
    query = data.draw(_query(listener.url))
    via = data.draw(st.sampled_from(["get", "form", "body", "page"]))
    if via == "get":
        response = requests.get(live.url + "/sparql", params={"query": query}, timeout=60)
    elif via == "form":
        response = requests.post(live.url + "/sparql", data={"query": query}, timeout=60)
    elif via == "body":
        response = requests.post(
            live.url + "/sparql", data=query.encode(), timeout=60, headers={"Content-Type": "application/sparql-query"}
        )
    else:
        response = requests.get(
            live.url + "/sparql", params={"query": query}, timeout=60, headers={"Accept": BROWSER_ACCEPT}
        )
    # Refused as SERVICE, or (where rdflib's parser stumbles on a '#' inside a token earlier on the
    # line) as malformed: either way before any engine ran it.
    assert response.status_code == 400, (query, response.text)
    assert "SERVICE" in response.text or "not valid SPARQL" in response.text
    assert listener.connections == 0


@pytest.mark.parametrize(
    "trick",
    [
        "SELECT * WHERE {{ BIND((\"a\"<'&&?c>') AS ?d) SERVICE <{url}/s> {{ ?s ?p ?o }} }} #'",
        "SELECT * WHERE {{ FILTER(?x < 3 && ?y > 1) SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ ?s ?p "unterminated SERVICE <{url}/s> {{ }} }}" . SERVICE <{url}/s> {{ }} }}',
        "SELECT * WHERE {{ \\u0053ERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        "PREFIX s: <{url}/> SELECT * WHERE {{ OPTIONAL {{ {{ SELECT * WHERE {{ SERVICE s:x {{ ?s ?p ?o }} }} }} }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE SILENT <{url}/s> {{ }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
        "DESCRIBE ?s WHERE {{ SERVICE <{url}/s> {{ ?s ?p ?o }} }}",
    ],
)
def test_known_tricks_are_refused_as_service(live, listener, trick):
    response = requests.post(live.url + "/sparql", data={"query": trick.format(url=listener.url)}, timeout=60)
    assert response.status_code == 400, response.text
    assert "SERVICE is not allowed" in response.text
    assert listener.connections == 0


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(decoy=HARMLESS_DECOYS, tail=TAILS, wrapper=WRAPPERS)
def test_the_word_service_in_strings_and_comments_is_not_refused(live, decoy, tail, wrapper):
    """The judgement is the parser's: SERVICE inside a string, an IRI or a comment is no operation."""
    inner = decoy + '?s ?p ?o . BIND("SERVICE <http://example.org/> { }" AS ?t) # SERVICE <http://x/> {}\n'
    query = "SELECT * WHERE { " + wrapper.format(inner=inner) + " } LIMIT 1" + tail.replace("LIMIT 1", "")
    response = requests.get(live.url + "/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 200, (query, response.text)


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <{url}/data.ttl>",
        "LOAD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
        "INSERT {{ <urn:a> <urn:b> ?d }} WHERE {{ BIND((\"a\"<'&&?c>') AS ?d) }} ; LOAD <{url}/x> #'",
        "\\u004cOAD <{url}/data.ttl>",
        "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    ],
)
def test_load_and_service_in_authorised_updates_are_refused(live, listener, update):
    text = update.format(url=listener.url)
    response = requests.post(
        live.url + "/sparql", data={"update": text}, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 400, response.text
    assert ("LOAD" in response.text) or ("SERVICE" in response.text)
    assert listener.connections == 0


# --- the second wall ---------------------------------------------------------------------------


def test_workers_cannot_connect_even_when_a_query_reaches_the_engine(live, listener):
    """A query sent to the pool without the guard (as if the two parsers disagreed) still cannot
    make a worker connect: the sandbox refuses the socket, and the query fails."""
    pool = pool_for(live.app, lane="public")
    with pytest.raises(QueryFailed):
        pool.run(
            f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}",
            accept_kind={"solutions": "application/sparql-results+json"},
            guard=None,
        )
    assert listener.connections == 0


def test_sandbox_denies_network_sockets_but_not_unix_ones():
    code = """
import socket
from kkr.service import sandbox
assert sandbox.deny_network()
a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"
socket.socket(socket.AF_UNIX).close()
for family in (socket.AF_INET, socket.AF_INET6):
    try:
        socket.socket(family)
    except PermissionError:
        continue
    raise SystemExit("a network socket was allowed")
print("denied")
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "denied"

"""Every resource a request can take has a limit, answered with a clear status and message:
memory per query worker, query length and nesting, request body, URL parameters, concurrent
queries per client; and the service's own pages keep answering while clients' heavy SPARQL runs."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
import urllib3

from kkr.service.backends import pool_for
from tests.browser.support import BROWSER_ACCEPT, LiveServer, app_config, sample_data

MEMORY_LIMIT_MB = 400
TIMEOUT = 15
ORDER_BY_CROSS = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
COUNT_CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MEETING = "meeting/kkr-sjaelland/2025-09-22"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data, _ = sample_data(tmp_path_factory)
    server = LiveServer(
        app_config(
            data, QUERY_WORKERS=2, QUERY_TIMEOUT=TIMEOUT, MAX_QUERY_MEMORY_MB=MEMORY_LIMIT_MB, HEAVY_PER_CLIENT=1
        )
    )  # default length limits
    yield server
    server.close()


class Answer:
    """The parts of an HTTP answer the tests read."""

    def __init__(self, response: urllib3.BaseHTTPResponse):
        self.status_code = response.status
        self.headers = response.headers
        self.text = response.data.decode("utf-8")

    def json(self):
        return json.loads(self.text)


def sparql(live, query: str, client: str = "127.0.0.2") -> Answer:
    """POST a query from the loopback address `client` (each address is another client)."""
    port = int(live.url.rsplit(":", 1)[1])
    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, source_address=(client, 0), retries=False, timeout=120)
    try:
        return Answer(
            pool.request(
                "POST",
                "/sparql",
                fields={"query": query},
                encode_multipart=False,
                headers={"Accept": "application/sparql-results+json"},
            )
        )
    finally:
        pool.close()


def test_a_query_past_the_memory_limit_stops_its_worker_and_the_service_stays_healthy(live):
    pool = pool_for(live.app, lane="public")
    assert sparql(live, "ASK { ?s ?p ?o }").json()["boolean"] is True
    before = set(pool.worker_pids())
    kills = pool.stats["memory_kills"]
    started = time.monotonic()
    response = sparql(live, ORDER_BY_CROSS)
    assert response.status_code == 503, response.text
    assert f"{MEMORY_LIMIT_MB} MB" in response.text and "memory" in response.text
    assert time.monotonic() - started < TIMEOUT  # stopped by memory, before the timeout
    assert pool.stats["memory_kills"] == kills + 1
    assert len(set(pool.worker_pids()) - before) == 1  # its worker was replaced
    assert requests.get(live.url + "/healthz", timeout=30).status_code == 200
    assert sparql(live, "ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.parametrize(
    "name, query",
    [
        ("10,000 nested groups", "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000),
        ("10,000 nested brackets", "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"),
        ("4,000 nested OPTIONALs", "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * 4_000 + "}" * 4_000 + " }"),
        (
            "3,000 nested sub-SELECTs",
            "SELECT * WHERE { " + "{ SELECT * WHERE { ?s ?p ?o " * 3_000 + "} }" * 3_000 + " }",
        ),
        ("a 10,000-step property path", "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 10_000) + " ?o }"),
        ("a 10,000-way alternative path", "SELECT * WHERE { ?s " + "|".join(["<urn:p>"] * 10_000) + " ?o }"),
        ("20,000 negations", "SELECT * WHERE { ?s " + "!(" * 20_000 + "<urn:p>" + ")" * 20_000 + " ?o }"),
        ("20,000 bare negations", "SELECT * WHERE { ?s " + "!" * 20_000 + "<urn:p> ?o }"),
        ("a 1,000-deep collection", "SELECT * WHERE { ?s ?p " + "(" * 1000 + "1" + ")" * 1000 + " }"),
    ],
)
def test_deep_nesting_is_refused_with_400_and_crashes_no_worker(live, name, query):
    pool = pool_for(live.app, lane="public")
    pids = set(pool.worker_pids())
    response = sparql(live, query, client=f"127.0.1.{len(name)}")
    assert response.status_code == 400, (name, response.status_code, response.text[:300])
    assert "nested more deeply" in response.text or "not valid SPARQL" in response.text
    assert set(pool.worker_pids()) == pids  # no worker died


def test_query_length_request_body_and_parameter_limits(live):
    # The 100,000-step path and 10,000 nested OPTIONALs are longer than the query limit.
    for query in (
        "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 100_000) + " ?o }",
        "SELECT * WHERE { " + "OPTIONAL { ?s ?p ?o " * 10_000 + "}" * 10_000 + " }",
    ):
        response = requests.post(
            live.url + "/sparql", data=query.encode(), timeout=60, headers={"Content-Type": "application/sparql-query"}
        )
        assert response.status_code == 413 and "the limit is 100,000" in response.text, response.text[:200]
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001
    assert requests.get(live.url + "/sparql", params={"query": long_query}, timeout=60).status_code == 414
    over_body = requests.post(
        live.url + "/sparql",
        data=("#" + "x" * 1_100_000).encode(),
        timeout=60,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert over_body.status_code == 413 and "1,048,576 bytes" in over_body.text
    words = " ".join(["kommune"] * 30_000)  # 240 KB of words
    for path in ("/search", "/ask"):
        json_answer = requests.get(live.url + path, params={"q": words}, timeout=60)
        assert json_answer.status_code == 414 and "2,000" in json_answer.json()["error"]
        page = requests.get(live.url + path, params={"q": words}, headers={"Accept": BROWSER_ACCEPT}, timeout=60)
        assert page.status_code == 414 and page.headers["Content-Type"].startswith("text/html")
        assert len(page.content) < 20_000
    search_limit = requests.get(live.url + "/search", params={"q": "kommune " * 100}, timeout=60)
    assert search_limit.status_code == 414 and "the limit is 500" in search_limit.json()["error"]
    assert requests.get(live.url + "/search", params={"q": "kommune " * 50}, timeout=60).status_code == 200


def test_one_client_cannot_occupy_every_worker_and_light_endpoints_stay_responsive(live):
    """Client A's second heavy query gets 429 while its first runs; client B's heavy query takes the
    other worker; meanwhile /healthz, /id/, an HTML page, /search and /cases answer."""
    outcomes: dict[str, requests.Response] = {}

    def heavy(client: str):
        outcomes[client] = sparql(live, COUNT_CROSS, client=client)

    threads = [threading.Thread(target=heavy, args=(c,)) for c in ("127.0.2.1", "127.0.2.2")]
    for t in threads:
        t.start()
    time.sleep(1.0)
    try:
        second = sparql(live, "ASK { ?s ?p ?o }", client="127.0.2.1")
        assert second.status_code == 429 and second.headers["Retry-After"] == "1", second.text
        assert "at once" in second.text
        light = [
            requests.get(live.url + "/healthz", timeout=30),
            requests.get(live.url + "/id/" + MEETING, headers={"Accept": "text/turtle"}, timeout=30),
            requests.get(live.url + "/id/" + MEETING, headers={"Accept": BROWSER_ACCEPT}, timeout=30),
            requests.get(live.url + "/", headers={"Accept": BROWSER_ACCEPT}, timeout=30),
            requests.get(live.url + "/search", params={"q": "budget"}, timeout=30),
            requests.get(live.url + "/cases/SAG-2025-00964", timeout=30),
        ]
        assert [r.status_code for r in light] == [200] * len(light)
        assert all(t.is_alive() for t in threads), (
            "the heavy queries should still be running",
            {c: (r.status_code, r.text) for c, r in outcomes.items()},
        )
    finally:
        for t in threads:
            t.join()
    assert {c: (r.status_code, "timeout" in r.text.lower()) for c, r in outcomes.items()} == {
        "127.0.2.1": (503, True),
        "127.0.2.2": (503, True),
    }

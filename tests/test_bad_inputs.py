"""Malformed input to the JSON endpoints gets 400 with a message of the service's own (never the
SPARQL engine's text), unknown things 404, and a failed graph query its own status with a
generic message; /openapi.json names the configured server, never the request's Host."""

from __future__ import annotations

import pytest

from kkr.service.query_errors import PoolBusy, QuerySyntaxError, QueryTimeout, StoreUnavailable
from kkr.service.views import ask as ask_view
from kkr.service.views import cases, deadlines, entities, thread
from tests.browser.support import BROWSER_ACCEPT

ENGINE_TEXT = ("error at", "SyntaxError", "expected", "IRI parsing", "parse error")
ITEM = "meeting/kkr-sjaelland/2025-09-22/item/2.1"

MALFORMED = [
    "/cases/SAG-2025-03802%0A",  # `$` of a Python regex matches before a trailing newline
    "/cases/SAG-2025-03802%0A%0A",
    "/cases/SAG-2O25-03802",
    "/deadlines?from=2025-01-01%0A",
    "/deadlines?to=20250101",  # date.fromisoformat alone takes it
    "/deadlines?from=2025-02-30",
    "/deadlines?body=%0A",
    "/deadlines?body=KKR%00Sj%C3%A6lland",
    "/deadlines?body=" + "x" * 201,
    "/thread?item=a%09b",
    "/thread?item=",
    "/thread",
    "/thread?item=%0A" + ITEM,
    "/thread?item=" + ITEM + "%20",
    "/thread?item=http://example.org/item/1",  # not an IRI of this service
    "/thread?item=meeting/a%25zz",
    "/thread?item=meeting/%3Cx%3E",
    "/entities/org/a%25zz",
    "/entities/%ff%fe",
    "/entities/org/a%20b",
    "/entities/a%22b",
    "/search?q=x&k=abc",
    "/search?q=x&k=0",
    "/search?q=x&k=101",
    "/search?q=x&k=1_0",
    "/search?q=x&k=%D9%A5",  # an Arabic-Indic five: int() would take it
    "/search?q=x&from=2025-13-01",
    "/search?q=x&to=2025-01-01%0A",
    "/search?q=x&body=%0A",
    "/search?q=x&section=a%09b",
    "/search",
    "/search?q=%20%0A",
    "/ask",
    "/ask?q=%20",
]

# `app` and `client` are those of tests/conftest.py: the service over the sample minutes.


def _no_engine_text(text: str) -> None:
    for marker in ENGINE_TEXT:
        assert marker.lower() not in text.lower(), text


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_is_400_with_own_message(client, url):
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code, r.data[:300])
    assert r.is_json and r.json["error"], r.data[:300]
    _no_engine_text(r.get_data(as_text=True))


@pytest.mark.parametrize(
    "url", ["/cases/SAG-2025-03802%0A", "/deadlines?from=2025-01-01%0A", "/thread?item=a%09b", "/entities/%ff%fe"]
)
def test_malformed_is_400_page_for_a_browser(client, url):
    r = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert r.status_code == 400 and r.content_type.startswith("text/html")
    _no_engine_text(r.get_data(as_text=True))


@pytest.mark.parametrize(
    "url",
    [
        "/cases/SAG-2025-99999",
        "/thread?item=" + ITEM + "9",
        "/thread?item=https://w3id.org/kkr/id/meeting/none",
        "/entities/org/no-such-org",
        "/entities/no-such-slug",
    ],
)
def test_unknown_is_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and r.is_json and r.json["error"], (url, r.status_code)


@pytest.mark.parametrize(
    "url", ["/id/%ff%fe", "/id/a%09b", "/id/a%0Ab", "/id/a%25zz", "/id/%3Cx%3E", "/id/a%20b", "/id/%00"]
)
def test_odd_id_paths_are_not_found(client, url):
    r = client.get(url)
    assert r.status_code == 404, (url, r.status_code, r.data[:200])
    _no_engine_text(r.get_data(as_text=True))


@pytest.mark.parametrize(
    "url",
    [
        "/cases/SAG-2025-00964",
        "/cases/sag-2025-00964",
        "/thread?item=" + ITEM,
        "/thread?item=/id/" + ITEM,
        "/thread?item=https://w3id.org/kkr/id/" + ITEM,
        "/deadlines?from=&to=&body=",
        "/deadlines?from=2026-01-01&body=KKR%20Sj%C3%A6lland",
        "/entities/org/greater-copenhagen-eu-office",
        "/entities/greater-copenhagen-eu-office",
        "/search?q=akutpladser&k=3&from=2025-01-01&to=&body=KKR%20Sj%C3%A6lland",
        "/ask?q=Hvad%20besluttede%20KKR%20Sj%C3%A6lland%20om%20akutpladser",
    ],
)
def test_well_formed_still_answers(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.is_json, (url, r.status_code, r.data[:300])


class FailingStore:
    """A store whose every query fails as given."""

    def __init__(self, exc: Exception):
        self.exc = exc

    def select(self, sparql: str):
        raise self.exc


ENGINE_MESSAGE = "error at 7:42: expected one of '\"', '\\\\'"
FAILURES = [  # (raised, status, words of the message)
    (QueryTimeout(20), 503, "timeout after 20 s"),
    (PoolBusy("All query workers are busy"), 503, "busy"),
    (StoreUnavailable("connection refused to 10.0.0.7:7878"), 503, "unavailable"),
    (QuerySyntaxError(ENGINE_MESSAGE), 500, "internal error"),
]
try:  # the per-client limit of concurrent queries, where this build has it
    from kkr.service.query_errors import TooManyQueries

    FAILURES.append((TooManyQueries("client 10.0.0.7 runs 4 queries"), 429, "too many queries"))
except ImportError:
    pass


@pytest.mark.parametrize(
    "exc,status,words", FAILURES, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None
)
@pytest.mark.parametrize(
    "url", ["/cases/SAG-2025-00964", "/thread?item=" + ITEM, "/deadlines", "/entities/org/greater-copenhagen-eu-office"]
)
def test_query_errors_have_their_own_status(client, monkeypatch, url, exc, status, words):
    for view in (cases, thread, deadlines, entities):
        monkeypatch.setattr(view, "pool_store", lambda: FailingStore(exc))
    r = client.get(url)
    assert r.status_code == status and words in r.json["error"], (r.status_code, r.json)
    text = r.get_data(as_text=True)
    _no_engine_text(text)
    assert "10.0.0.7" not in text
    if isinstance(exc, PoolBusy) or status == 429:
        assert r.headers["Retry-After"] == "1"
    page = client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == status and page.content_type.startswith("text/html")
    _no_engine_text(page.get_data(as_text=True))


@pytest.mark.parametrize(
    "exc,status,words", FAILURES, ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None
)
def test_ask_query_errors_have_their_own_status(client, monkeypatch, exc, status, words):
    class Failing:
        def ask(self, question):
            raise exc

    monkeypatch.setattr(ask_view, "answerer", lambda: Failing())
    r = client.get("/ask?q=hvad%20blev%20besluttet")
    assert r.status_code == status and words in r.json["error"], (r.status_code, r.json)
    _no_engine_text(r.get_data(as_text=True))


def test_openapi_ignores_the_host_header(client):
    r = client.get("/openapi.json", headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert r.status_code == 200 and "evil.example" not in r.get_data(as_text=True)
    assert r.json["servers"] == [{"url": "http://127.0.0.1:8000"}]


def test_openapi_names_the_public_url(make_app, app_config):
    app = make_app(**app_config, PUBLIC_URL="https://kkr.example.org/")  # the module's app, another PUBLIC_URL
    r = app.test_client().get("/openapi.json", headers={"Host": "evil.example"})
    assert r.json["servers"] == [{"url": "https://kkr.example.org"}]
    assert "evil.example" not in r.get_data(as_text=True)


def test_openapi_describes_every_endpoint(client):
    from openapi_spec_validator import validate

    document = client.get("/openapi.json").json
    validate(document)
    assert set(document["paths"]) >= {
        "/search",
        "/ask",
        "/cases/{case}",
        "/thread",
        "/deadlines",
        "/entities/{ident}",
        "/source/{sha}",
        "/sparql",
        "/id/{path}",
        "/healthz",
        "/openapi.json",
        "/readyz",
        "/metrics",
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (method, path)
            if operation.get("parameters") and path not in ("/healthz", "/openapi.json"):
                assert "414" in operation["responses"], (method, path)

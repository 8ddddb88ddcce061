"""The one negotiation rule (service/negotiation.py), on its own and as every resource applies it.

The unit part runs `choose` in a request context of a bare Flask app; the second part asks the
real service for one resource of each kind with the same headers and checks that the form each
gives is the one the rule picks."""

from __future__ import annotations

import pytest
from flask import Flask

from kkr.service.negotiation import HTML, JSON, choose, parse_accept, quality, wants_html
from kkr.service.views.base import GRAPH_ALIASES, GRAPH_NAMES, GRAPH_OFFERS

BARE = Flask(__name__)
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGE = (JSON, HTML)


def chosen(offers, accept=None, query="", **kwargs):
    headers = {"Accept": accept} if accept is not None else {}
    with BARE.test_request_context("/x" + query, headers=headers):
        return choose(offers, **kwargs)


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, JSON),  # no header: the view's first form
        ("", JSON),
        ("*/*", JSON),
        ("*", JSON),  # a lone * as some clients send
        (BROWSER, HTML),
        ("text/html", HTML),
        ("application/json", JSON),
        ("application/sparql-results+json", JSON),  # an alias of JSON
        ("text/html, application/json", HTML),  # equal q: the client's order
        ("application/json, text/html", JSON),
        ("text/html, */*", HTML),  # equal q: the named type beats the wildcard
        ("*/*, text/html", HTML),
        ("text/*", HTML),
        ("text/html;q=0.5, application/json;q=0.6", JSON),
        ("application/json;q=0.1, text/*;q=0.2", HTML),
        ("text/html;q=0, */*", JSON),  # q=0: never
        ("text/plain", None),  # neither offered form: the view decides
        ("text/html;q=0", None),
        ("application/json;q=abc", None),  # an unreadable q counts as 0
    ],
)
def test_page_or_json(accept, expected):
    assert chosen(PAGE, accept) == expected


@pytest.mark.parametrize(
    "query,accept,expected",
    [
        ("?format=json", BROWSER, JSON),  # format= wins over Accept
        ("?format=JSON", BROWSER, JSON),
        ("?format=html", "application/json", HTML),
        ("?format=%20html%20", None, HTML),
        ("?format=turtle", BROWSER, HTML),  # names no offered form: Accept decides
        ("?format=nonsense", "application/json", JSON),
        ("?format=&format=json", BROWSER, JSON),  # empty values are skipped
        ("?format=nonsense&format=html", None, HTML),  # the first value naming an offer
    ],
)
def test_format_parameter(query, accept, expected):
    assert chosen(PAGE, accept, query) == expected


@pytest.mark.parametrize(
    "query,accept,expected",
    [
        ("", None, "text/turtle"),  # the graph forms' first
        ("", "*/*", "text/turtle"),
        ("", BROWSER, HTML),
        ("", "application/ld+json", "application/ld+json"),
        ("", "application/json", "application/ld+json"),  # JSON-LD answers to application/json
        ("", "text/n3", "text/turtle"),  # an alias of Turtle
        ("", "application/xml", "application/rdf+xml"),
        ("", "application/n-triples, text/turtle", "application/n-triples"),
        ("", "text/turtle;q=0.4, application/rdf+xml;q=0.5", "application/rdf+xml"),
        ("", "image/png", None),
        ("?format=nt", BROWSER, "application/n-triples"),
        ("?format=ttl", "application/ld+json", "text/turtle"),
        ("?format=json", None, "application/ld+json"),
        ("?format=rdf", None, "application/rdf+xml"),
        ("?format=html", "text/turtle", HTML),
        ("?format=csv", "application/n-triples", "application/n-triples"),  # not a graph form
    ],
)
def test_graph_forms(query, accept, expected):
    assert chosen(GRAPH_OFFERS, accept, query, names=GRAPH_NAMES, aliases=GRAPH_ALIASES) == expected


def test_other_parameters_can_name_the_format():
    assert chosen(GRAPH_OFFERS, None, "?output=nt", names=GRAPH_NAMES, aliases=GRAPH_ALIASES) == "text/turtle"
    got = chosen(GRAPH_OFFERS, None, "?output=nt", names=GRAPH_NAMES, aliases=GRAPH_ALIASES, keys=("format", "output"))
    assert got == "application/n-triples"


def test_accept_parsing_and_quality():
    ranges = parse_accept("text/html;level=1;q=0.7, text/*;q=0.3, */*;q=0.1, bad, ;q=1")
    assert ranges == [("text", "html", 0.7), ("text", "*", 0.3), ("*", "*", 0.1)]
    assert quality("text/html", ranges) == 0.7  # the most specific range, not the highest q
    assert quality("text/plain", ranges) == 0.3
    assert quality("image/png", ranges) == 0.1
    assert quality("image/png", parse_accept("text/*")) == 0.0
    assert parse_accept("text/html;q=7")[0][2] == 1.0  # q is clamped to [0, 1]


def test_wants_html_is_the_page_choice():
    with BARE.test_request_context("/x", headers={"Accept": BROWSER}):
        assert wants_html()
    with BARE.test_request_context("/x?format=json", headers={"Accept": BROWSER}):
        assert not wants_html()
    with BARE.test_request_context("/x", headers={"Accept": "text/plain"}):
        assert not wants_html()


# ---------------------------------------------------------------------------------------------
# Every resource negotiates by the rule


def _form(response) -> str:
    return response.mimetype


@pytest.mark.parametrize(
    "url",
    [
        "/cases/SAG-2025-00964",
        "/deadlines",
        "/entities/org/greater-copenhagen-eu-office",
        "/thread?item=/id/meeting/kkr-sjaelland/2025-09-22/item/2.1",
    ],
)
@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/json"),
        (BROWSER, "text/html"),
        ("text/html, application/json", "text/html"),
        ("application/json, text/html", "application/json"),
        ("text/plain", "application/json"),  # the JSON endpoints are lenient
    ],
)
def test_json_resources(client, url, accept, expected):
    r = client.get(url, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, (url, r.status_code)
    assert _form(r) == expected
    assert "Accept" in r.headers.get("Vary", "")  # one URL, several forms: caches must know
    forced = client.get(url + ("&" if "?" in url else "?") + "format=json", headers={"Accept": BROWSER})
    assert _form(forced) == "application/json"


@pytest.mark.parametrize(
    "accept,query,expected",
    [
        (None, "", "text/turtle"),
        (BROWSER, "", "text/html"),
        ("application/ld+json", "", "application/ld+json"),
        ("application/n-triples, text/turtle", "", "application/n-triples"),
        (BROWSER, "?format=rdfxml", "application/rdf+xml"),
        ("text/turtle", "?format=html", "text/html"),
    ],
)
def test_id_resources(client, accept, query, expected):
    r = client.get("/id/meeting/kkr-sjaelland/2025-09-22" + query, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and _form(r) == expected


def test_id_refuses_what_it_cannot_give(client):
    r = client.get("/id/meeting/kkr-sjaelland/2025-09-22", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.get_data(as_text=True) and "text/html" in r.get_data(as_text=True)

"""The OpenAPI 3.1 description of every endpoint a tool uses (/openapi.json).

Parameter patterns are the ones the endpoints check (service/tracing.py), so a value the
description allows is never refused as malformed and one it forbids is refused with 400. The
JSON endpoints also answer a browser (Accept preferring text/html) with a page; that is listed as
text/html. Limits (request body → 413, over-long URL → 414, too many concurrent heavy queries
per client → 429 with Retry-After) are listed on the operations they apply to."""

from __future__ import annotations

import re
from typing import Any

from kkr.service.ask import MAX_QUESTION
from kkr.service.openapi_schemas import SCHEMAS, STRING
from kkr.service.search import MAX_K, MAX_Q
from kkr.service.tracing import CASE_PATTERN, DATE_PATTERN, MAX_IRI, MAX_TEXT, TEXT_CHAR

HTML = {"text/html": {"schema": STRING}}
PLAIN = {"text/plain": {"schema": STRING}}
RDF = {t: {"schema": STRING} for t in ("text/turtle", "application/n-triples", "application/rdf+xml")} | {
    "application/ld+json": {"schema": {"type": ["object", "array"]}}
}
SPARQL_RESULTS = (
    {"application/sparql-results+json": {"schema": {"type": "object", "required": ["head"]}}}
    | {t: {"schema": STRING} for t in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values")}
    | RDF
)
ITEM_EXAMPLE = "meeting/kkr-sjaelland/2025-09-22/item/2.1"
RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 0}}
}


def _ecma_escape(text: str) -> str:
    """A literal in a pattern that ECMA-262 (also with the u flag) and Python read alike."""
    return re.sub(r"([.^$*+?()\[\]{}|\\/])", r"\\\1", text)


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _error(
    description: str, *, json: bool = True, html: bool = False, plain: bool = False, headers: dict | None = None
) -> dict:
    """An error response: JSON {"error"} for tools, and the other forms it may take."""
    content = {}
    if json:
        content["application/json"] = {"schema": {"$ref": "#/components/schemas/Error"}}
    content |= (HTML if html else {}) | (PLAIN if plain else {})
    response = {"description": description, "content": content}
    if headers:
        response["headers"] = headers
    return response


def _ok(schema: str, description: str, *, html: bool = True) -> dict:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"description": description, "content": content | (HTML if html else {})}


def _graph_errors(*, json: bool = True, html: bool = True, plain: bool = False) -> dict:
    """The answers every graph-backed operation may give besides its own."""
    kinds: dict[str, Any] = {"json": json, "html": html, "plain": plain}
    return {
        "414": _error("The URL (a query parameter) is too long", json=True, html=html, plain=True),
        "429": _error(
            "Too many heavy queries of this client at once",
            json=True,
            html=html,
            plain=True,
            headers={"Retry-After": {**RETRY_AFTER["Retry-After"], "required": True}},
        ),
        "500": _error("Internal error: the graph store could not run the service's own query", **kinds),
        "503": _error(
            "The graph store could not answer (timeout, all workers busy, or unavailable)", headers=RETRY_AFTER, **kinds
        ),
    }


def _query(name: str, schema: dict, description: str, required: bool = False, example=None) -> dict:
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema, "description": description}
    if required:
        parameter["required"] = True
    if example is not None:
        parameter["example"] = example
    return parameter


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def _parameters(base: str) -> dict:
    """The parameter schemas: exactly the forms the endpoints accept (see the module doc)."""
    # an empty value means no limit (the pages' forms send empty fields)
    date = {
        "anyOf": [
            {"type": "string", "format": "date", "pattern": _anchored(DATE_PATTERN)},
            {"type": "string", "maxLength": 0},
        ]
    }
    text = {"type": "string", "maxLength": MAX_TEXT, "pattern": _anchored(TEXT_CHAR + "*")}
    question = {"type": "string", "minLength": 1, "maxLength": MAX_Q, "pattern": r"\S"}
    segment = r"[A-Za-z0-9_\-][A-Za-z0-9._~\-]*"  # no '.'/'..' segment, which URLs collapse
    item = {
        "type": "string",
        "maxLength": MAX_IRI,
        "pattern": _anchored(f"(?:{_ecma_escape(base)}|\\/id\\/)?{segment}(?:\\/{segment})*"),
        "example": ITEM_EXAMPLE,
    }
    return {
        "date": date,
        "text": text,
        "question": question,
        "item": item,
        "case": {"type": "string", "pattern": _anchored(CASE_PATTERN), "example": "SAG-2025-00964"},
        "entity": {
            "type": "string",
            "pattern": _anchored(r"(?:(?:org|person)\/)?[A-Za-z0-9_\-]+"),
            "example": "org/greater-copenhagen-eu-office",
        },
        "resource": {"type": "string", "pattern": _anchored(f"{segment}(?:\\/{segment})*"), "example": ITEM_EXAMPLE},
    }


def _search(p: dict) -> dict:
    return {
        "get": {
            "summary": "Hybrid (BM25 + embedding) search over the paragraphs of the minutes",
            "operationId": "search",
            "parameters": [
                _query(
                    "q", p["question"], "What to search for (at least one non-space character).", True, "akutpladser"
                ),
                _query("k", {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 10}, "How many hits."),
                _query("body", p["text"], "Only this council, e.g. KKR Sjælland.", example="KKR Sjælland"),
                _query("from", p["date"], "Meetings on or after this date (YYYY-MM-DD)."),
                _query("to", p["date"], "Meetings on or before this date (YYYY-MM-DD)."),
                _query("section", p["text"], "Section type (DecisionSection, Background, ...) or heading as printed."),
            ],
            "responses": {
                "200": _ok("SearchResult", "Hits, best first"),
                "400": _error(
                    "Malformed parameters (missing q, k out of range, not a date, control characters)", html=True
                ),
                **{k: v for k, v in _graph_errors().items() if k in ("414", "429")},
                "503": _error("No index yet, or the index was built with another model", html=True),
            },
        }
    }


def _ask(p: dict) -> dict:
    return {
        "get": {
            "summary": "A question in Danish or English, answered from the graph with citations",
            "operationId": "ask",
            "parameters": [
                _query(
                    "q",
                    p["question"] | {"maxLength": MAX_QUESTION},
                    "The question.",
                    True,
                    "Hvad besluttede KKR Sjælland om akutpladser?",
                )
            ],
            "responses": {
                "200": _ok("Answer", "The answer, its citations and how the question was read"),
                "400": _error(f"No question, or one longer than {MAX_QUESTION} characters", html=True),
                **_graph_errors(),
            },
        }
    }


def _tracing(p: dict) -> dict:
    bad = "Malformed parameters (the message says which and why)"
    return {
        "/cases/{case}": {
            "get": {
                "summary": "The items under a case number, by meeting date and item number",
                "operationId": "case",
                "parameters": [_path("case", p["case"], "A case number such as SAG-2025-03802.")],
                "responses": {
                    "200": _ok("CaseTimeline", "The case's items"),
                    "400": _error("Not a case number", html=True),
                    "404": _error("No items under the case (or, as HTML, a URL no route matches)", html=True),
                    **_graph_errors(),
                },
            }
        },
        "/thread": {
            "get": {
                "summary": "The matter of one agenda item followed across meetings",
                "operationId": "thread",
                "parameters": [_query("item", p["item"], "The item's IRI, or its /id/ path.", True)],
                "responses": {
                    "200": _ok("Thread", "The items of the matter in date order"),
                    "400": _error(bad + ": no item, not an IRI of this service, not a valid IRI", html=True),
                    "404": _error("No such agenda item", html=True),
                    **_graph_errors(),
                },
            }
        },
        "/deadlines": {
            "get": {
                "summary": "Deadlines and future treatments set in the minutes, earliest first",
                "operationId": "deadlines",
                "parameters": [
                    _query("from", p["date"], "Deadlines ending on or after this date.", example="2026-01-01"),
                    _query("to", p["date"], "Deadlines starting on or before this date."),
                    _query("body", p["text"], "Only this council (an empty value: every council)."),
                ],
                "responses": {
                    "200": _ok("Deadlines", "The deadlines"),
                    "400": _error(bad + ": not a date, control characters, too long", html=True),
                    **_graph_errors(),
                },
            }
        },
        "/entities/{ident}": {
            "get": {
                "summary": "An organisation or person, with every item that mentions it",
                "operationId": "entity",
                "parameters": [_path("ident", p["entity"], "org/<slug>, person/<slug> or a bare slug.")],
                "responses": {
                    "200": _ok("Entity", "The organisation or person and its items"),
                    "400": _error(bad + ": not a valid IRI", html=True),
                    "404": _error("No such organisation or person (or, as HTML, a URL no route matches)", html=True),
                    **_graph_errors(),
                },
            }
        },
    }


def _sparql() -> dict:
    def param(name, description):
        return {
            "name": name,
            "in": "query",
            "schema": {"type": "array", "items": STRING},
            "style": "form",
            "explode": True,
            "description": description,
        }

    dataset = [
        param("default-graph-uri", "Default graph of the dataset (repeatable)."),
        param("named-graph-uri", "Named graph of the dataset (repeatable)."),
    ]
    fmt = [
        _query(
            "format",
            STRING,
            "Result format (json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, or a media type); wins over Accept.",
        )
    ]
    text = {"type": "string", "pattern": r"\S", "description": "Not empty; the SPARQL grammar decides the rest."}
    errors = _graph_errors(json=False, html=False, plain=True)
    common = {
        "400": _error(
            "Malformed query (with the parser's message), SERVICE/LOAD refused, a bad dataset IRI",
            json=False,
            plain=True,
        ),
        "406": _error("No acceptable result format", json=False, plain=True),
        **errors,
    }
    return {
        "get": {
            "summary": "SPARQL 1.1 Protocol query (without a query: the service description)",
            "operationId": "sparqlGet",
            "parameters": [
                _query(
                    "query",
                    text,
                    "A SPARQL 1.1 query.",
                    example="SELECT ?s WHERE { ?s a <https://w3id.org/kkr/ns#Case> } LIMIT 3",
                )
            ]
            + dataset
            + fmt,
            "responses": {
                "200": {
                    "description": "Results, the service description (Turtle), or the query page for a browser",
                    "content": SPARQL_RESULTS | HTML,
                },
                **common,
            },
        },
        "post": {
            "summary": "SPARQL 1.1 Protocol query or (with a bearer token) update",
            "operationId": "sparqlPost",
            "parameters": dataset + fmt,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {"query": text, "update": text},
                            "oneOf": [{"required": ["query"]}, {"required": ["update"]}],
                        }
                    },
                    "application/sparql-query": {"schema": text},
                    "application/sparql-update": {"schema": text},
                },
            },
            "responses": {
                "200": {"description": "Results", "content": SPARQL_RESULTS},
                "204": {"description": "Update applied"},
                "401": _error("Update without a bearer token", json=False, plain=True),
                "403": _error("Updates are not allowed (read-only, or a wrong token)", json=False, plain=True),
                "413": _error("The request body is too large", plain=True),
                "415": _error("Unsupported Content-Type or charset", json=False, plain=True),
                **common,
            },
        },
    }


def _documents(p: dict) -> dict:
    graph = _graph_errors(json=False, html=True, plain=True)
    return {
        "/id/{path}": {
            "get": {
                "summary": "A resource of the graph, by content negotiation (Turtle, JSON-LD, HTML, ...)",
                "operationId": "resource",
                "parameters": [
                    _path("path", p["resource"], "The IRI after the base, e.g. meeting/…/item/2.1."),
                    _query("format", STRING, "turtle, ntriples, jsonld, rdfxml or html; wins over Accept."),
                ],
                "responses": {
                    "200": {"description": "The resource's description", "content": RDF | HTML},
                    "404": _error("Nothing is known about the IRI", json=False, html=True, plain=True),
                    "406": _error("No acceptable format", json=False, plain=True),
                    **graph,
                },
            }
        },
        "/source/{sha}": {
            "get": {
                "summary": "The source document (PDF or text) of a meeting, by a prefix of its SHA-256",
                "operationId": "source",
                "parameters": [_path("sha", STRING, "At least 8 hex digits of the document's SHA-256.")],
                "responses": {
                    "200": {
                        "description": "The document as ingested",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}} | PLAIN,
                    },
                    "404": _error("No such document, or no longer unchanged on the server", json=False, html=True),
                    **{k: v for k, v in graph.items() if k in ("414", "429")},
                    "503": _error("The graph store could not answer", json=False, html=True),
                },
            }
        },
    }


def _meta() -> dict:
    return {
        "/healthz": {
            "get": {
                "summary": "Liveness and what is loaded",
                "operationId": "health",
                "responses": {"200": _ok("Health", "Alive", html=False)},
            }
        },
        "/readyz": {
            "get": {
                "summary": "Readiness: can the service answer queries now",
                "operationId": "ready",
                "responses": {"200": _ok("Ready", "Ready", html=False), "503": _ok("Ready", "Not ready", html=False)},
            }
        },
        "/metrics": {
            "get": {
                "summary": "Metrics in the Prometheus text format",
                "operationId": "metrics",
                "responses": {
                    "200": {
                        "description": "Prometheus text exposition format 0.0.4",
                        "content": {"text/plain; version=0.0.4": {"schema": STRING}},
                    }
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This description",
                "operationId": "openapi",
                "responses": {"200": _ok("OpenAPI", "OpenAPI 3.1 document", html=False)},
            }
        },
    }


def openapi_document(server_url: str, base: str = "https://w3id.org/kkr/id/") -> dict:
    """OpenAPI 3.1 for every endpoint; `server_url` is the configured public URL (never the
    request's Host header), `base` the instance IRI base (item IRIs must start with it)."""
    p = _parameters(base)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kkr",
            "version": "0.1.0",
            "description": "Knowledge graph and search over the minutes of the KKR councils. Malformed "
            'parameters get 400 with {"error"}, unknown things 404; a failed graph '
            "query gets its own status (503 timeout/busy/unavailable, 500 internal) "
            "with a generic message.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/search": _search(p),
            "/ask": _ask(p),
            **_tracing(p),
            "/sparql": _sparql(),
            **_documents(p),
            **_meta(),
        },
        "components": {"schemas": SCHEMAS},
    }

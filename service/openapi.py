"""The OpenAPI 3.1 description of every endpoint a tool uses (/openapi.json).

Parameter patterns are the ones the endpoints check (service/params.py), so a value the
description allows is never refused as malformed and one it forbids is refused with 400. The
JSON endpoints also answer a browser (Accept preferring text/html) with a page; that is listed as
text/html. Limits (request body → 413, over-long URL → 414, too many concurrent heavy queries
per client → 429 with Retry-After) are listed on the operations they apply to."""

from __future__ import annotations

from kkr.service.openapi_parts import (
    HTML,
    PLAIN,
    RDF,
    SPARQL_RESULTS,
    error_response,
    graph_errors,
    ok_response,
    parameter_schemas,
    path_parameter,
    query_parameter,
)
from kkr.service.openapi_schemas import SCHEMAS, STRING
from kkr.service.searcher import MAX_K
from kkr.service.views.ask import MAX_QUESTION


def _search(p: dict) -> dict:
    return {
        "get": {
            "summary": "Hybrid (BM25 + embedding) search over the paragraphs of the minutes",
            "operationId": "search",
            "parameters": [
                query_parameter(
                    "q", p["question"], "What to search for (at least one non-space character).", True, "akutpladser"
                ),
                query_parameter(
                    "k", {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 10}, "How many hits."
                ),
                query_parameter("body", p["text"], "Only this council, e.g. KKR Sjælland.", example="KKR Sjælland"),
                query_parameter("from", p["date"], "Meetings on or after this date (YYYY-MM-DD)."),
                query_parameter("to", p["date"], "Meetings on or before this date (YYYY-MM-DD)."),
                query_parameter(
                    "section", p["text"], "Section type (DecisionSection, Background, ...) or heading as printed."
                ),
            ],
            "responses": {
                "200": ok_response("SearchResult", "Hits, best first"),
                "400": error_response(
                    "Malformed parameters (missing q, k out of range, not a date, control characters)", html=True
                ),
                **{k: v for k, v in graph_errors().items() if k in ("414", "429")},
                "503": error_response("No index yet, or the index was built with another model", html=True),
            },
        }
    }


def _ask(p: dict) -> dict:
    return {
        "get": {
            "summary": "A question in Danish or English, answered from the graph with citations",
            "operationId": "ask",
            "parameters": [
                query_parameter(
                    "q",
                    p["question"] | {"maxLength": MAX_QUESTION},
                    "The question.",
                    True,
                    "Hvad besluttede KKR Sjælland om akutpladser?",
                )
            ],
            "responses": {
                "200": ok_response("Answer", "The answer, its citations and how the question was read"),
                "400": error_response(f"No question, or one longer than {MAX_QUESTION} characters", html=True),
                **graph_errors(),
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
                "parameters": [path_parameter("case", p["case"], "A case number such as SAG-2025-03802.")],
                "responses": {
                    "200": ok_response("CaseTimeline", "The case's items"),
                    "400": error_response("Not a case number", html=True),
                    "404": error_response("No items under the case (or, as HTML, a URL no route matches)", html=True),
                    **graph_errors(),
                },
            }
        },
        "/thread": {
            "get": {
                "summary": "The matter of one agenda item followed across meetings",
                "operationId": "thread",
                "parameters": [query_parameter("item", p["item"], "The item's IRI, or its /id/ path.", True)],
                "responses": {
                    "200": ok_response("Thread", "The items of the matter in date order"),
                    "400": error_response(bad + ": no item, not an IRI of this service, not a valid IRI", html=True),
                    "404": error_response("No such agenda item", html=True),
                    **graph_errors(),
                },
            }
        },
        "/deadlines": {
            "get": {
                "summary": "Deadlines and future treatments set in the minutes, earliest first",
                "operationId": "deadlines",
                "parameters": [
                    query_parameter("from", p["date"], "Deadlines ending on or after this date.", example="2026-01-01"),
                    query_parameter("to", p["date"], "Deadlines starting on or before this date."),
                    query_parameter("body", p["text"], "Only this council (an empty value: every council)."),
                ],
                "responses": {
                    "200": ok_response("Deadlines", "The deadlines"),
                    "400": error_response(bad + ": not a date, control characters, too long", html=True),
                    **graph_errors(),
                },
            }
        },
        "/entities/{ident}": {
            "get": {
                "summary": "An organisation or person, with every item that mentions it",
                "operationId": "entity",
                "parameters": [path_parameter("ident", p["entity"], "org/<slug>, person/<slug> or a bare slug.")],
                "responses": {
                    "200": ok_response("Entity", "The organisation or person and its items"),
                    "400": error_response(bad + ": not a valid IRI", html=True),
                    "404": error_response(
                        "No such organisation or person (or, as HTML, a URL no route matches)", html=True
                    ),
                    **graph_errors(),
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
        query_parameter(
            "format",
            STRING,
            "Result format (json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, or a media type); wins over Accept.",
        )
    ]
    text = {"type": "string", "pattern": r"\S", "description": "Not empty; the SPARQL grammar decides the rest."}
    errors = graph_errors(json=False, html=False, plain=True)
    common = {
        "400": error_response(
            "Malformed query (with the parser's message), SERVICE/LOAD refused, a bad dataset IRI",
            json=False,
            plain=True,
        ),
        "406": error_response("No acceptable result format", json=False, plain=True),
        **errors,
    }
    return {
        "get": {
            "summary": "SPARQL 1.1 Protocol query (without a query: the service description)",
            "operationId": "sparqlGet",
            "parameters": [
                query_parameter(
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
                "401": error_response("Update without a bearer token", json=False, plain=True),
                "403": error_response("Updates are not allowed (read-only, or a wrong token)", json=False, plain=True),
                "413": error_response("The request body is too large", plain=True),
                "415": error_response("Unsupported Content-Type or charset", json=False, plain=True),
                **common,
            },
        },
    }


def _documents(p: dict) -> dict:
    graph = graph_errors(json=False, html=True, plain=True)
    return {
        "/id/{path}": {
            "get": {
                "summary": "A resource of the graph, by content negotiation (Turtle, JSON-LD, HTML, ...)",
                "operationId": "resource",
                "parameters": [
                    path_parameter("path", p["resource"], "The IRI after the base, e.g. meeting/…/item/2.1."),
                    query_parameter("format", STRING, "turtle, ntriples, jsonld, rdfxml or html; wins over Accept."),
                ],
                "responses": {
                    "200": {"description": "The resource's description", "content": RDF | HTML},
                    "404": error_response("Nothing is known about the IRI", json=False, html=True, plain=True),
                    "406": error_response("No acceptable format", json=False, plain=True),
                    **graph,
                },
            }
        },
        "/source/{sha}": {
            "get": {
                "summary": "The source document (PDF or text) of a meeting, by a prefix of its SHA-256",
                "operationId": "source",
                "parameters": [path_parameter("sha", STRING, "At least 8 hex digits of the document's SHA-256.")],
                "responses": {
                    "200": {
                        "description": "The document as ingested",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}} | PLAIN,
                    },
                    "404": error_response(
                        "No such document, or no longer unchanged on the server", json=False, html=True
                    ),
                    **{k: v for k, v in graph.items() if k in ("414", "429")},
                    "503": error_response("The graph store could not answer", json=False, html=True),
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
                "responses": {"200": ok_response("Health", "Alive", html=False)},
            }
        },
        "/readyz": {
            "get": {
                "summary": "Readiness: can the service answer queries now",
                "operationId": "ready",
                "responses": {
                    "200": ok_response("Ready", "Ready", html=False),
                    "503": ok_response("Ready", "Not ready", html=False),
                },
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
                "responses": {"200": ok_response("OpenAPI", "OpenAPI 3.1 document", html=False)},
            }
        },
    }


def openapi_document(server_url: str, base: str = "https://w3id.org/kkr/id/") -> dict:
    """OpenAPI 3.1 for every endpoint; `server_url` is the configured public URL (never the
    request's Host header), `base` the instance IRI base (item IRIs must start with it)."""
    p = parameter_schemas(base)
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

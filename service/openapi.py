"""The OpenAPI 3 description of the JSON API."""
from __future__ import annotations

HIT = {
    "type": "object",
    "required": ["rank", "score", "text", "section", "page", "item_number", "item_title", "item_iri",
                 "meeting_date", "body", "paragraph_iri"],
    "properties": {
        "rank": {"type": "integer", "minimum": 1},
        "score": {"type": "number"},
        "text": {"type": "string", "description": "The paragraph as printed (hyphenation undone)."},
        "section": {"type": "string", "description": "Section heading as printed, e.g. Beslutning."},
        "section_type": {"type": "string", "description": "kkr: section type, e.g. DecisionSection."},
        "page": {"type": "integer", "minimum": 1, "description": "Page of the source where the paragraph starts."},
        "item_number": {"type": "string", "example": "3.2"},
        "item_title": {"type": "string"},
        "item_iri": {"type": "string", "format": "uri"},
        "meeting_date": {"type": "string", "format": "date"},
        "body": {"type": "string", "example": "KKR Midtjylland"},
        "paragraph_iri": {"type": "string", "format": "uri"},
        "outcome": {"type": ["string", "null"], "description": "Outcome of the item's decision (kkr: local name)."},
    },
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document(server_url: str) -> dict:
    """OpenAPI 3.1 for /search, /sparql, /id/…, /healthz."""
    q = {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "A SPARQL 1.1 query."}
    sparql_results = {"application/sparql-results+json": {}, "application/sparql-results+xml": {},
                      "text/csv": {}, "text/tab-separated-values": {}, "text/turtle": {},
                      "application/n-triples": {}, "application/ld+json": {}, "application/rdf+xml": {}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kkr", "version": "0.1.0",
                 "description": "Knowledge graph and search over the minutes of the KKR councils."},
        "servers": [{"url": server_url}],
        "paths": {
            "/search": {"get": {
                "summary": "Hybrid (BM25 + embedding) search over the paragraphs of the minutes",
                "operationId": "search",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "minLength": 1}},
                    {"name": "k", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                                            "default": 10}},
                    {"name": "body", "in": "query", "schema": {"type": "string"}, "description": "e.g. KKR Sjælland"},
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "section", "in": "query", "schema": {"type": "string"},
                     "description": "Section type (DecisionSection, Background, ...) or heading as printed."},
                ],
                "responses": {
                    "200": _json({"type": "object", "required": ["query", "hits"], "properties": {
                        "query": {"type": "string"},
                        "expanded_with": {"type": "array", "items": {"type": "string"}},
                        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}}},
                        "Hits, best first"),
                    "400": _json({"$ref": "#/components/schemas/Error"}, "Bad parameters"),
                    "503": _json({"$ref": "#/components/schemas/Error"}, "No index yet, or a model mismatch"),
                }}},
            "/sparql": {
                "get": {"summary": "SPARQL 1.1 Protocol query (without a query: the service description)",
                        "operationId": "sparqlGet",
                        "parameters": [q, {"name": "default-graph-uri", "in": "query", "schema": {"type": "string"}},
                                       {"name": "named-graph-uri", "in": "query", "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "Results", "content": sparql_results},
                                      "400": {"description": "Malformed query, or SERVICE/LOAD refused"},
                                      "503": {"description": "The query ran past the timeout and was stopped"}}},
                "post": {"summary": "SPARQL 1.1 Protocol query or (with a bearer token) update",
                         "operationId": "sparqlPost",
                         "requestBody": {"content": {
                             "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                                 "query": {"type": "string"}, "update": {"type": "string"}}}},
                             "application/sparql-query": {"schema": {"type": "string"}},
                             "application/sparql-update": {"schema": {"type": "string"}}}},
                         "responses": {"200": {"description": "Results", "content": sparql_results},
                                       "204": {"description": "Update applied"},
                                       "400": {"description": "Malformed query, or SERVICE/LOAD refused"},
                                       "401": {"description": "Update without a valid token"},
                                       "403": {"description": "Updates are not allowed"},
                                       "503": {"description": "Timeout"}}}},
            "/id/{path}": {"get": {
                "summary": "A resource of the graph, by content negotiation (HTML, Turtle, JSON-LD, ...)",
                "operationId": "resource",
                "parameters": [{"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The resource", "content": {
                    "text/html": {}, "text/turtle": {}, "application/ld+json": {}, "application/n-triples": {},
                    "application/rdf+xml": {}}}, "404": {"description": "No such resource"}}}},
            "/healthz": {"get": {
                "summary": "Liveness and what is loaded", "operationId": "health",
                "responses": {"200": _json({"type": "object", "required": ["status"], "properties": {
                    "status": {"type": "string", "enum": ["ok"]},
                    "store": {"type": "string"},
                    "index": {"type": ["object", "null"]}}}, "Healthy")}}},
            "/openapi.json": {"get": {"summary": "This description", "operationId": "openapi",
                                      "responses": {"200": {"description": "OpenAPI 3.1 document"}}}},
        },
        "components": {"schemas": {"Hit": HIT, "Error": ERROR}},
    }

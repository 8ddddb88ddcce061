"""The building blocks of the OpenAPI description (service/openapi.py): media types, the error
responses, parameters, and the parameter schemas, which are exactly the forms the endpoints
accept (the patterns of service/params.py)."""

from __future__ import annotations

import re
from typing import Any

from kkr.service.openapi_schemas import STRING
from kkr.service.params import CASE_PATTERN, DATE_PATTERN, MAX_IRI, MAX_TEXT, TEXT_CHAR
from kkr.service.searcher import MAX_Q

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


def ecma_escape(text: str) -> str:
    """A literal in a pattern that ECMA-262 (also with the u flag) and Python read alike."""
    return re.sub(r"([.^$*+?()\[\]{}|\\/])", r"\\\1", text)


def anchored(pattern: str) -> str:
    """`pattern` matching the whole value, as OpenAPI patterns (ECMA-262, unanchored) need."""
    return f"^(?:{pattern})$"


def error_response(
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


def ok_response(schema: str, description: str, *, html: bool = True) -> dict:
    """A 200 response: the JSON schema `schema`, and the page for a browser when `html`."""
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    return {"description": description, "content": content | (HTML if html else {})}


def graph_errors(*, json: bool = True, html: bool = True, plain: bool = False) -> dict:
    """The answers every graph-backed operation may give besides its own."""
    kinds: dict[str, Any] = {"json": json, "html": html, "plain": plain}
    return {
        "414": error_response("The URL (a query parameter) is too long", json=True, html=html, plain=True),
        "429": error_response(
            "Too many heavy queries of this client at once",
            json=True,
            html=html,
            plain=True,
            headers={"Retry-After": {**RETRY_AFTER["Retry-After"], "required": True}},
        ),
        "500": error_response("Internal error: the graph store could not run the service's own query", **kinds),
        "503": error_response(
            "The graph store could not answer (timeout, all workers busy, or unavailable)", headers=RETRY_AFTER, **kinds
        ),
    }


def query_parameter(name: str, schema: dict, description: str, required: bool = False, example=None) -> dict:
    """A query-string parameter."""
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": schema, "description": description}
    if required:
        parameter["required"] = True
    if example is not None:
        parameter["example"] = example
    return parameter


def path_parameter(name: str, schema: dict, description: str) -> dict:
    """A path parameter (always required)."""
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def parameter_schemas(base: str) -> dict:
    """The parameter schemas: exactly the forms the endpoints accept (see the module doc)."""
    # an empty value means no limit (the pages' forms send empty fields)
    date = {
        "anyOf": [
            {"type": "string", "format": "date", "pattern": anchored(DATE_PATTERN)},
            {"type": "string", "maxLength": 0},
        ]
    }
    text = {"type": "string", "maxLength": MAX_TEXT, "pattern": anchored(TEXT_CHAR + "*")}
    question = {"type": "string", "minLength": 1, "maxLength": MAX_Q, "pattern": r"\S"}
    segment = r"[A-Za-z0-9_\-][A-Za-z0-9._~\-]*"  # no '.'/'..' segment, which URLs collapse
    item = {
        "type": "string",
        "maxLength": MAX_IRI,
        "pattern": anchored(f"(?:{ecma_escape(base)}|\\/id\\/)?{segment}(?:\\/{segment})*"),
        "example": ITEM_EXAMPLE,
    }
    return {
        "date": date,
        "text": text,
        "question": question,
        "item": item,
        "case": {"type": "string", "pattern": anchored(CASE_PATTERN), "example": "SAG-2025-00964"},
        "entity": {
            "type": "string",
            "pattern": anchored(r"(?:(?:org|person)\/)?[A-Za-z0-9_\-]+"),
            "example": "org/greater-copenhagen-eu-office",
        },
        "resource": {"type": "string", "pattern": anchored(f"{segment}(?:\\/{segment})*"), "example": ITEM_EXAMPLE},
    }

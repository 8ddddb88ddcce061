"""`respond`: a resource's data rendered in the form the client asked for, chosen in one place.

The pattern of Datasette's views/base.py: a view computes its data once and hands `respond` one
renderer per form it offers; the form is chosen by `kkr.service.negotiation.choose`, so every
resource negotiates by the same rule. Two variants for views whose data depends on the form:
`respond_with` takes a function per form (the search page counts facets over a wider pool than the
JSON's hits), and `graph_form` is the choice among the RDF formats and HTML for the views that
fetch their data from the engine already serialised (the /id/ descriptions, the SPARQL service
description).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, jsonify, request

from kkr.service import results as res
from kkr.service.errors import HttpError
from kkr.service.negotiation import HTML, JSON, choose

Renderer = Callable[[Any], Response]

GRAPH_FORMATS = res.formats_for("graph")
GRAPH_OFFERS = [f.media_type for f in GRAPH_FORMATS] + [HTML]
# format= values: the RDF formats' names and media types, and html
GRAPH_NAMES = {
    **{name: f.media_type for f in reversed(GRAPH_FORMATS) for name in (*f.media_types, *f.names)},
    **{f.media_type: f.media_type for f in GRAPH_FORMATS},
    "html": HTML,
    HTML: HTML,
}
GRAPH_ALIASES = {f.media_type: f.media_types for f in GRAPH_FORMATS}


def json_body(data: Any) -> Response:
    """The data as JSON (the JSON endpoints' renderer)."""
    return jsonify(data)


def not_acceptable(offers: list[str]) -> HttpError:
    """406, naming the forms the requested resource is available in."""
    return HttpError(406, f"No acceptable format; {request.path} is available as: {', '.join(offers)}.")


def graph_form(keys: tuple[str, ...] = ("format",)) -> str | None:
    """The RDF format's media type or text/html to answer with (Turtle when the client does not
    mind), or None when the client accepts none of them; `keys`: the parameters naming a format."""
    return choose(GRAPH_OFFERS, names=GRAPH_NAMES, aliases=GRAPH_ALIASES, keys=keys)


def respond_with(renderers: Mapping[str, Callable[[], Response]]) -> Response:
    """The response of the renderer (media type → function giving the response) the client asked
    for; a client accepting none of the forms gets the first (the JSON endpoints are lenient)."""
    chosen = choose(list(renderers)) or next(iter(renderers))
    response = renderers[chosen]()
    response.vary.add("Accept")
    return response


def respond(data: Any, html: Renderer, json: Renderer = json_body) -> Response:
    """`data` rendered by `html` for a browser and by `json` for a tool."""
    return respond_with({JSON: lambda: json(data), HTML: lambda: html(data)})

"""Content negotiation shared by the blueprints: a browser gets HTML, a tool JSON, from one URL."""

from __future__ import annotations

from flask import Request


def prefers_html(request: Request) -> bool:
    """True when the client ranks text/html above JSON (browsers do; curl and libraries do not)."""
    accept = request.accept_mimetypes
    if not accept or accept.best == "*/*":
        return False
    html, json_ = accept["text/html"], max(accept["application/json"], accept["application/sparql-results+json"])
    return html > json_ or (html > 0 and html == json_ and accept.best == "text/html")

"""Request limits checked before any view runs: the length of URL parameters (a search, a question,
a SPARQL query in the URL) and of the request body, answered 414 and 413 with a message that says
the limit and what to do."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from kkr.service.errors import LimitExceeded, handle

SPARQL_PARAMETERS = ("query", "update")


def register(app: Flask) -> None:
    """Install the checks on `app`."""
    app.before_request(check_parameters)
    app.register_error_handler(RequestEntityTooLarge, _body_too_large)


def check_parameters() -> None:
    """414 when a URL parameter is longer than its limit: MAX_QUERY_LENGTH for the SPARQL query
    of /sparql, MAX_PARAM_LENGTH for every other parameter of every page."""
    config = current_app.config
    sparql = request.path.rstrip("/") == "/sparql"
    for name, value in request.args.items(multi=True):
        limit = (
            config.get("MAX_QUERY_LENGTH") if sparql and name in SPARQL_PARAMETERS else config.get("MAX_PARAM_LENGTH")
        )
        if limit and len(value) > int(limit):
            raise LimitExceeded(
                414,
                f"The parameter '{name}' is {len(value):,} characters long; the limit is "
                f"{int(limit):,}. Shorten it" + (", or send the query with POST." if sparql else "."),
            )


def _body_too_large(_exc: RequestEntityTooLarge) -> Response:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    # an error handler's own raise is not handled again: answer through the one handler directly
    return handle(LimitExceeded(413, f"The request body is larger than the limit of {limit:,} bytes; send less."))

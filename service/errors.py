"""The service's one error path: every error a view (or a request check) raises is a
`kkr.errors.KkrError` carrying its HTTP status and headers, and `handle` answers it, choosing the
form by negotiation here and nowhere else (the pattern of Datasette's handle_exception):

- the protocol endpoints (/sparql, /id/ — blueprints in PLAIN_TEXT_BLUEPRINTS) answer their
  views' errors as text/plain, whatever the Accept;
- otherwise a browser (`kkr.service.negotiation.wants_html`) gets the HTML error page (with the error's Danish
  `html_message` where it has one), /sparql text/plain, everything else JSON `{"error": message}`.

Errors of request checks that run before any view (`LimitExceeded`, service/limits.py) are
negotiated the same way, also on the protocol endpoints.

A graph query the service built itself failing (a QueryError outside /sparql) answers with the
generic message of `query_error_reply`; a client's SPARQL on /sparql with the engine's message."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from kkr.errors import KkrError
from kkr.service import results as res
from kkr.service.error_replies import query_error_reply
from kkr.service.negotiation import wants_html
from kkr.service.query_errors import NotAcceptable, QueryError, QuerySyntaxError, QueryTimeout
from kkr.service.render import error_page

PLAIN_TEXT_BLUEPRINTS = ("sparql", "resources")


class HttpError(KkrError):
    """An answer of the service's own: `message` for tools, `html_message` (Danish) for pages."""

    def __init__(self, status: int, message: str, html_message: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.html_message = html_message or message
        self.headers = dict(headers or {})


class LimitExceeded(HttpError):
    """A request over one of the limits (service/limits.py), refused before any view runs."""

    before_view = True


def register(app: Flask) -> None:
    """Install the handlers on `app` (create_app calls this)."""
    app.register_error_handler(KkrError, handle)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_allowed)


def _not_found(exc: HTTPException):
    """Unknown URLs: a page for a browser, werkzeug's usual answer for a tool."""
    if wants_html():
        return error_page(f"Siden {request.path} findes ikke.", 404)
    return exc


def _not_allowed(exc: HTTPException):
    if wants_html():
        return error_page(f"{request.method} kan ikke bruges på {request.path}.", 405, title="Metoden er ikke tilladt")
    return exc


def handle(exc: KkrError) -> Response:
    """The answer to `exc`: status, message and headers from `reply`, form from `error_form`."""
    status, message, html_message, headers = reply(exc)
    form = error_form(exc)
    if form == "html":
        response = error_page(html_message, status)
    elif form == "plain":
        response = Response(message.rstrip("\n") + "\n", status=status, content_type="text/plain; charset=utf-8")
    else:
        response = jsonify({"error": message})
        response.status_code = status
    response.headers.update(headers)
    return response


def error_form(exc: KkrError) -> str:
    """ "html", "plain" or "json": the one negotiation of an error's form."""
    if request.blueprint in PLAIN_TEXT_BLUEPRINTS and not getattr(exc, "before_view", False):
        return "plain"
    if wants_html():
        return "html"
    return "plain" if request.path.rstrip("/") == "/sparql" else "json"


def reply(exc: KkrError) -> tuple[int, str, str, dict]:
    """(status, message, Danish message, headers) of `exc`."""
    if isinstance(exc, QueryError):
        if request.blueprint == "sparql":
            return _client_query_reply(exc)
        return query_error_reply(exc)
    if isinstance(exc, HttpError) or hasattr(exc, "html_message"):
        return exc.status, str(exc), getattr(exc, "html_message", None) or str(exc), dict(exc.headers)
    # another KkrError reaching a view (a store that cannot be opened, ...): its text is the operator's
    current_app.logger.error("%s: %s", type(exc).__name__, exc)
    return exc.status, "internal error; see the service's log", "Intern fejl; se tjenestens log.", dict(exc.headers)


def _client_query_reply(exc: QueryError) -> tuple[int, str, str, dict]:
    """A client's SPARQL on /sparql that was refused or failed: the engine's message, prefixed."""
    if isinstance(exc, NotAcceptable):
        offered = ", ".join(f.media_type for f in res.formats_for(exc.kind))
        message = f"No acceptable format for {exc.kind} results; this endpoint offers: {offered}."
        return 406, message, message, {}
    status = exc.status
    if status == 413 and request.method == "GET":  # the query was in the URL
        status = 414
    prefix = "Malformed SPARQL: " if isinstance(exc, QuerySyntaxError) else ""
    if isinstance(exc, QueryTimeout):
        prefix = "Query timeout: "
    return status, prefix + str(exc), prefix + str(exc), dict(exc.headers)

"""/ask: plain-language questions in Danish or English, answered from the graph with citations."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from kkr.errors import KkrError
from kkr.qa.answer import Answerer
from kkr.service.error_replies import query_error_reply
from kkr.service.errors import HttpError
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import wants_html
from kkr.service.searcher import searcher
from kkr.service.shared import shared
from kkr.service.views.answer_page import answer_page

bp = Blueprint("ask", __name__)
MAX_QUESTION = 500


def answerer(app: Flask | None = None) -> Answerer:
    """The application's answerer: labels, index and model loaded once."""
    return shared("answerer", lambda a: Answerer(pool_store(a), searcher(a)), app)


@bp.get("/ask")
def ask():
    """?q=<question> → {"answer", "citations", "sparql", "interpretation"}; no question or one
    longer than MAX_QUESTION → 414; a failed graph query → its own status (query_error_reply)."""
    raw = request.args.get("q") or ""
    q = raw.strip()
    html = wants_html()  # a browser gets the answer page (service/pages.py) with the same data
    # Errors: the answer page shows them in place for a browser; for a tool they are raised and
    # answered as JSON by service/errors.py.
    if not q:
        if html:
            return answer_page("")
        raise HttpError(400, "missing query parameter 'q' (a question)")
    if len(raw) > MAX_QUESTION:  # the raw length, as /openapi.json's maxLength says
        if html:
            return answer_page(q, error=f"Spørgsmålet er længere end {MAX_QUESTION} tegn.", status=414)
        raise HttpError(414, f"the question is {len(raw):,} characters long; the limit is {MAX_QUESTION}")
    try:
        result = answerer().ask(q)
    except QueryError as exc:  # the engine's text stays in the log (query_error_reply)
        if not html:
            raise
        status, _message, html_message, headers = query_error_reply(exc)
        response = answer_page(q, error=html_message, status=status)
        response.headers.update(headers)
        return response
    except KkrError as exc:  # (after QueryError, itself a KkrError) no index yet, or a model mismatch
        if html:
            return answer_page(q, error=f"Spørgsmålet kan ikke besvares lige nu: {exc}", status=503)
        raise HttpError(503, f"the question could not be answered now: {exc}") from exc
    if html:
        return answer_page(q, result)
    return jsonify(result)

"""/ask: plain-language questions in Danish or English, answered from the graph with citations."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from kkr.errors import KkrError
from kkr.qa.answer import Answerer
from kkr.service.pages import answer_page, wants_html
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.search import searcher
from kkr.service.shared import shared
from kkr.service.error_replies import query_error_reply

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
    if not q:
        if html:
            return answer_page("")
        return jsonify({"error": "missing query parameter 'q' (a question)"}), 400
    if len(raw) > MAX_QUESTION:  # the raw length, as /openapi.json's maxLength says
        if html:
            return answer_page(q, error=f"Spørgsmålet er længere end {MAX_QUESTION} tegn.", status=414)
        return jsonify({"error": f"the question is {len(raw):,} characters long; the limit is {MAX_QUESTION}"}), 414
    try:
        result = answerer().ask(q)
    except KkrError as exc:  # no index yet, or a model mismatch: the service's own message
        if html:
            return answer_page(q, error=f"Spørgsmålet kan ikke besvares lige nu: {exc}", status=503)
        return jsonify({"error": f"the question could not be answered now: {exc}"}), 503
    except QueryError as exc:  # the engine's text stays in the log (query_error_reply)
        status, message, html_message, headers = query_error_reply(exc)
        if html:
            response = answer_page(q, error=html_message, status=status)
        else:
            response = jsonify({"error": message})
            response.status_code = status
        response.headers.update(headers)
        return response
    if html:
        return answer_page(q, result)
    return jsonify(result)

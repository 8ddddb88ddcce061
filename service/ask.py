"""/ask: plain-language questions in Danish or English, answered from the graph with citations."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from kkr.errors import KkrError
from kkr.qa.answer import Answerer
from kkr.service.pages import answer_page, wants_html
from kkr.service.pool_store import pool_store
from kkr.service.query_pool import QueryError
from kkr.service.search import searcher
from kkr.service.shared import shared

bp = Blueprint("ask", __name__)
MAX_QUESTION = 500


def answerer(app: Flask | None = None) -> Answerer:
    """The application's answerer: labels, index and model loaded once."""
    return shared("answerer", lambda a: Answerer(pool_store(a), searcher(a)), app)


@bp.get("/ask")
def ask():
    """?q=<question> → {"answer", "citations", "sparql", "interpretation"}."""
    q = (request.args.get("q") or "").strip()
    html = wants_html()  # a browser gets the answer page (service/pages.py) with the same data
    if not q:
        if html:
            return answer_page("")
        return jsonify({"error": "missing query parameter 'q' (a question)"}), 400
    if len(q) > MAX_QUESTION:
        if html:
            return answer_page(q, error=f"Spørgsmålet er længere end {MAX_QUESTION} tegn.", status=400)
        return jsonify({"error": f"the question is longer than {MAX_QUESTION} characters"}), 400
    try:
        result = answerer().ask(q)
    except (KkrError, QueryError) as exc:
        if html:
            return answer_page(q, error=f"Spørgsmålet kan ikke besvares lige nu: {exc}", status=503)
        return jsonify({"error": f"the question could not be answered now: {exc}"}), 503
    if html:
        return answer_page(q, result)
    return jsonify(result)

"""/search: hybrid search over the paragraphs, as JSON or (for a browser) the search page."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from kkr.errors import KkrError
from kkr.index.paragraph_index import Filters
from kkr.service.errors import HttpError
from kkr.service.render import wants_html
from kkr.service.searcher import MAX_K, MAX_Q, searcher
from kkr.service.tracing import BadParameter, date_param, text_param
from kkr.service.views.search_page import search_page

bp = Blueprint("search", __name__)


def local_path(iri: str) -> str:
    """/id/… path of an instance IRI of this service's base (the IRI itself otherwise)."""
    base = current_app.config["BASE"]
    return "/id/" + iri[len(base) :] if iri.startswith(base) else iri


@bp.get("/search")
def search():
    """Query parameters: q (required, at most 500 characters), k (1-100, default 10), body, from,
    to (YYYY-MM-DD), section. Malformed → 400. A browser gets the search page (pages.search_page:
    facets, also outcome= and org=)."""
    if wants_html():
        return search_page()
    q, k, filters = _search_params()  # BadParameter: answered by service/errors.py
    try:
        result = searcher().search(q, k=k, filters=filters)
    except KkrError as exc:  # no index yet, or a model mismatch: the service's own message
        raise HttpError(503, str(exc)) from exc
    return jsonify({"query": q, "expanded_with": result.expanded_with, "hits": result.hits})


def _search_params() -> tuple[str, int, Filters]:
    """(q, k, filters) of the request, or BadParameter."""
    raw = request.args.get("q") or ""
    if len(raw) > MAX_Q:
        raise BadParameter(f"'q' is {len(raw):,} characters long; the limit is {MAX_Q}", status=414)
    q = raw.strip()
    if not q:
        raise BadParameter("missing query parameter 'q'")
    k = request.args.get("k", "10")
    # int() alone would also take " 5", "1_0" and other scripts' digits
    if not re.fullmatch(r"[0-9]{1,3}", k) or not 1 <= int(k) <= MAX_K:
        raise BadParameter(f"'k' must be a whole number between 1 and {MAX_K}")
    filters = Filters(text_param("body"), date_param("from"), date_param("to"), text_param("section"))
    return q, int(k), filters

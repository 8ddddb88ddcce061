"""/search: hybrid search over the paragraphs, as JSON or (for a browser) the search page."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from kkr.errors import KkrError
from kkr.index.paragraph_index import Filters
from kkr.index.search import Searcher
from kkr.service.pages import wants_html
from kkr.service.shared import shared

bp = Blueprint("search", __name__)
MAX_K = 100


def searcher(app: Flask | None = None) -> Searcher:
    """The application's searcher: index and model loaded once."""
    return shared("searcher", lambda a: Searcher.open(a.config["DATA_DIR"], a.config.get("MODEL")), app)


def local_path(iri: str) -> str:
    """/id/… path of an instance IRI of this service's base (the IRI itself otherwise)."""
    base = current_app.config["BASE"]
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


def _error(message: str, status: int):
    return jsonify({"error": message}), status


@bp.get("/search")
def search():
    """Query parameters: q (required), k (1-100, default 10), body, from, to (YYYY-MM-DD), section.
    A browser gets the search page (pages.search_page: facets, also outcome= and org=)."""
    if wants_html():
        from kkr.service.pages import search_page

        return search_page()
    q = (request.args.get("q") or "").strip()
    if not q:
        return _error("missing query parameter 'q'", 400)
    try:
        k = int(request.args.get("k", 10))
    except ValueError:
        return _error("'k' must be a whole number", 400)
    if not 1 <= k <= MAX_K:
        return _error(f"'k' must be between 1 and {MAX_K}", 400)
    filters = Filters(request.args.get("body"), request.args.get("from"), request.args.get("to"),
                      request.args.get("section"))
    for name in ("from", "to"):
        value = request.args.get(name)
        if value and not _is_iso_date(value):
            return _error(f"'{name}' must be a date as YYYY-MM-DD", 400)
    try:
        result = searcher().search(q, k=k, filters=filters)
    except KkrError as exc:
        return _error(str(exc), 503)
    return jsonify({"query": q, "expanded_with": result.expanded_with, "hits": result.hits})


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
        return True
    except ValueError:
        return False

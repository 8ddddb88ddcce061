"""/search: hybrid search over the paragraphs, as JSON or as a plain HTML page."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, render_template_string, request

from kkr.errors import KkrError
from kkr.index.paragraph_index import Filters
from kkr.index.search import Searcher
from kkr.service.negotiation import prefers_html
from kkr.service.shared import shared

bp = Blueprint("search", __name__)
MAX_K = 100

PAGE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Søgning: {{ q }}</title></head>
<body><h1>Søgning i KKR-referater</h1>
<form action="/search" method="get"><label for="q">Søg</label>
<input id="q" name="q" value="{{ q }}"><button type="submit">Søg</button></form>
{% if error %}<p role="alert">{{ error }}</p>{% endif %}
<ol>{% for h in hits %}<li><a href="{{ h.item_path }}">{{ h.body }} {{ h.meeting_date }}, punkt {{ h.item_number }}
{{ h.item_title }}</a> ({{ h.section }}, side {{ h.page }})<p>{{ h.text }}</p></li>{% endfor %}</ol>
</body></html>"""


def searcher(app: Flask | None = None) -> Searcher:
    """The application's searcher: index and model loaded once."""
    return shared("searcher", lambda a: Searcher.open(a.config["DATA_DIR"], a.config.get("MODEL")), app)


def local_path(iri: str) -> str:
    """/id/… path of an instance IRI of this service's base (the IRI itself otherwise)."""
    base = current_app.config["BASE"]
    return "/id/" + iri[len(base):] if iri.startswith(base) else iri


def _error(message: str, status: int):
    if prefers_html(request):
        return render_template_string(PAGE, q=request.args.get("q", ""), hits=[], error=message), status
    return jsonify({"error": message}), status


@bp.get("/search")
def search():
    """Query parameters: q (required), k (1-100, default 10), body, from, to (YYYY-MM-DD), section."""
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
    if prefers_html(request):
        hits = [dict(h, item_path=local_path(h["item_iri"])) for h in result.hits]
        return render_template_string(PAGE, q=q, hits=hits, error=None)
    return jsonify({"query": q, "expanded_with": result.expanded_with, "hits": result.hits})


def _is_iso_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
        return True
    except ValueError:
        return False

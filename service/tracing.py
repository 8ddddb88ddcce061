"""Cross-meeting tracing as JSON: /cases/<number>, /thread?item=, /deadlines, /entities/<id>.
A browser (Accept preferring text/html) gets the same data as a page (service/pages.py)."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from kkr import tracing
from kkr.service import pages
from kkr.service.pages import wants_html
from kkr.service.pool_store import pool_store
from kkr.service.query_pool import QueryError

bp = Blueprint("tracing", __name__)
CASE = re.compile(r"^[A-Za-z]{2,6}-\d{4}-\d{3,6}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _error(message: str, status: int, html_message: str | None = None):
    if wants_html():
        return pages.error_page(html_message or message, status)
    return jsonify({"error": message}), status


@bp.errorhandler(QueryError)
def _query_error(exc: QueryError):
    return _error(f"the graph could not answer: {exc}", 503, f"Grafen kunne ikke svare: {exc}")


@bp.get("/cases/<case>")
def case(case: str):
    """The items of a case number across meetings, by date and item number."""
    if not CASE.match(case):
        return _error(f"'{case}' is not a case number such as SAG-2025-03802", 400,
                      f"»{case}« er ikke et sagsnummer som SAG-2025-03802.")
    timeline = tracing.case_timeline(pool_store(), case)
    if not timeline["items"]:
        return _error(f"no items under case {case.upper()}", 404, f"Ingen punkter under sag {case.upper()}.")
    if wants_html():
        return pages.case_page(timeline)
    return jsonify(timeline)


@bp.get("/thread")
def thread():
    """The matter of one item followed across meetings: ?item=<item IRI or /id/ path>."""
    item = (request.args.get("item") or "").strip()
    if not item:
        return _error("missing query parameter 'item' (an agenda item's IRI)", 400,
                      "Angiv punktet med ?item= (punktets IRI eller /id/-sti).")
    iri = _iri_of(item)
    try:
        result = tracing.thread(pool_store(), iri)
    except ValueError as exc:
        return _error(str(exc), 400)
    if not result["items"]:
        return _error(f"no agenda item {iri}", 404, f"Intet dagsordenspunkt {iri}.")
    if wants_html():
        return pages.thread_page(result)
    return jsonify(result)


@bp.get("/deadlines")
def deadlines():
    """Deadlines and future treatments: ?from=&to= (YYYY-MM-DD), &body=."""
    date_from, date_to = request.args.get("from"), request.args.get("to")
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not ISO.match(value):
            return _error(f"'{name}' must be a date as YYYY-MM-DD", 400,
                          f"»{value}« er ikke en dato som ÅÅÅÅ-MM-DD.")
    if wants_html():  # the form sends empty fields for "no limit"
        date_from, date_to, body = date_from or None, date_to or None, request.args.get("body") or None
        return pages.deadlines_page(tracing.deadlines(pool_store(), date_from, date_to, body), date_from, date_to, body)
    return jsonify({"deadlines": tracing.deadlines(pool_store(), date_from, date_to, request.args.get("body"))})


@bp.get("/entities/<path:ident>")
def entities(ident: str):
    """An organisation or person (org/<slug>, person/<slug>, or a bare slug) and the items naming it."""
    base = current_app.config["BASE"]
    candidates = [_iri_of(ident)] if "/" in ident else [f"{base}org/{ident}", f"{base}person/{ident}"]
    store = pool_store()
    for iri in candidates:
        try:
            found = tracing.entity(store, iri)
        except ValueError as exc:
            return _error(str(exc), 400)
        if found:
            return pages.entity_page(found) if wants_html() else jsonify(found)
    return _error(f"no organisation or person '{ident}'", 404, f"Ingen organisation eller person »{ident}«.")


def _iri_of(value: str) -> str:
    base = current_app.config["BASE"]
    if value.startswith(("http://", "https://")):
        return value
    return base + value.removeprefix("/id/").lstrip("/")

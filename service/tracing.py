"""Cross-meeting tracing as JSON: /cases/<number>, /thread?item=, /deadlines, /entities/<id>."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, request

from kkr import tracing
from kkr.service.pool_store import pool_store
from kkr.service.query_pool import QueryError

bp = Blueprint("tracing", __name__)
CASE = re.compile(r"^[A-Za-z]{2,6}-\d{4}-\d{3,6}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _error(message: str, status: int):
    return jsonify({"error": message}), status


@bp.errorhandler(QueryError)
def _query_error(exc: QueryError):
    return _error(f"the graph could not answer: {exc}", 503)


@bp.get("/cases/<case>")
def case(case: str):
    """The items of a case number across meetings, by date and item number."""
    if not CASE.match(case):
        return _error(f"'{case}' is not a case number such as SAG-2025-03802", 400)
    timeline = tracing.case_timeline(pool_store(), case)
    if not timeline["items"]:
        return _error(f"no items under case {case.upper()}", 404)
    return jsonify(timeline)


@bp.get("/thread")
def thread():
    """The matter of one item followed across meetings: ?item=<item IRI or /id/ path>."""
    item = (request.args.get("item") or "").strip()
    if not item:
        return _error("missing query parameter 'item' (an agenda item's IRI)", 400)
    iri = _iri_of(item)
    try:
        result = tracing.thread(pool_store(), iri)
    except ValueError as exc:
        return _error(str(exc), 400)
    if not result["items"]:
        return _error(f"no agenda item {iri}", 404)
    return jsonify(result)


@bp.get("/deadlines")
def deadlines():
    """Deadlines and future treatments: ?from=&to= (YYYY-MM-DD), &body=."""
    date_from, date_to = request.args.get("from"), request.args.get("to")
    for name, value in (("from", date_from), ("to", date_to)):
        if value and not ISO.match(value):
            return _error(f"'{name}' must be a date as YYYY-MM-DD", 400)
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
            return jsonify(found)
    return _error(f"no organisation or person '{ident}'", 404)


def _iri_of(value: str) -> str:
    base = current_app.config["BASE"]
    if value.startswith(("http://", "https://")):
        return value
    return base + value.removeprefix("/id/").lstrip("/")

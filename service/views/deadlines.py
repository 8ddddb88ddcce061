"""/deadlines?from=&to=&body=: deadlines and future treatments named in the minutes, as JSON or as
the deadlines page (upcoming and past, with the filter form)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify

from kkr import tracing
from kkr.service.page_data import councils
from kkr.service.params import date_param, text_param
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import render
from kkr.service.views.base import respond

bp = Blueprint("deadlines", __name__)


def today() -> date:
    """The date "upcoming" deadlines are counted from (a function, so tests can fix it)."""
    return date.today()


@bp.get("/deadlines")
def deadlines():
    """from and to as YYYY-MM-DD, body a council's name; empty fields: no limit; malformed → 400."""
    return respond(deadlines_data(), html=deadlines_page, json=_json)


def deadlines_data() -> dict:
    """{"deadlines": [...], "filters": {...}} of the request; the JSON leaves out the filters."""
    date_from, date_to, body = date_param("from"), date_param("to"), text_param("body")
    found = tracing.deadlines(pool_store(), date_from, date_to, body)
    return {"deadlines": found, "filters": {"from": date_from or "", "to": date_to or "", "body": body or ""}}


def _json(data: dict) -> Response:
    return jsonify({"deadlines": data["deadlines"]})


def deadlines_page(data: dict) -> Response:
    """Upcoming deadlines (from today on) first, then past ones, newest first."""
    rows, now = data["deadlines"], today().isoformat()
    upcoming = [d for d in rows if d["end_date"] >= now]
    past = sorted((d for d in rows if d["end_date"] < now), key=lambda d: (d["date"], d["meeting_date"]), reverse=True)
    try:
        bodies = councils()
    except QueryError:
        bodies = []
    return render(
        "deadlines/deadlines.html",
        upcoming=upcoming,
        past=past,
        today=now,
        nav="deadlines",
        f=data["filters"],
        councils=bodies,
    )

"""/cases/<number>: the items of a case number across meetings, by date and item number, as JSON
or as the case page."""

from __future__ import annotations

import re

from flask import Blueprint, Response

from kkr import tracing
from kkr.service.errors import HttpError
from kkr.service.params import CASE_PATTERN
from kkr.service.pool_store import pool_store
from kkr.service.render import render
from kkr.service.views.base import respond

bp = Blueprint("cases", __name__)


@bp.get("/cases/<case>")
def case(case: str):
    """The case's timeline; a malformed number → 400, a number no item has → 404."""
    return respond(case_data(case), html=case_page)


def case_data(case: str) -> dict:
    """{"case", "items": [...]} of a case number (see kkr.tracing.case_timeline)."""
    if not re.fullmatch(CASE_PATTERN, case):
        raise HttpError(
            400,
            f"{case!r} is not a case number such as SAG-2025-03802",
            f"»{case}« er ikke et sagsnummer som SAG-2025-03802.",
        )
    timeline = tracing.case_timeline(pool_store(), case)
    if not timeline["items"]:
        raise HttpError(404, f"no items under case {case.upper()}", f"Ingen punkter under sag {case.upper()}.")
    return timeline


def case_page(timeline: dict, **context) -> Response:
    """The case page; `context` adds to it (the /id/ page of a case passes its property table)."""
    context.setdefault("title", f"Sag {timeline['case']}")
    context.setdefault("rows", None)
    return render("cases/case.html", case=timeline, **context)

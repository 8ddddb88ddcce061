"""Cross-meeting tracing as JSON: /cases/<number>, /thread?item=, /deadlines, /entities/<id>.
A browser (Accept preferring text/html) gets the same data as a page (service/pages.py).

Every parameter is checked before a query is built: malformed → 400 with a message saying what
is wrong, unknown → 404. A failed graph query answers with its own status and a generic message
(`query_error_reply`), never the engine's text: timeout / busy / unavailable → 503, too many
queries of one client → 429, a query the engine refused or could not parse → 500 (the service
built it, so it is the service's bug). The parameter checks (`date_param`, `text_param`,
`BadParameter`) and `query_error_reply` are shared with /search and /ask."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, current_app, jsonify, request

from kkr import tracing
from kkr.service import pages
from kkr.service.errors import HttpError
from kkr.service.pool_store import pool_store
from kkr.service.render import wants_html

bp = Blueprint("tracing", __name__)

# The accepted forms, as regular expressions that mean the same in Python (fullmatch) and in
# the OpenAPI description (ECMA-262, anchored there), so the description says exactly what passes.
CASE_PATTERN = r"[A-Za-z]{2,6}-[0-9]{4}-[0-9]{3,6}"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TEXT_CHAR = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"  # no control characters, no line breaks
MAX_TEXT = 200  # a council's name or a section heading
MAX_IRI = 1000


class BadParameter(HttpError, ValueError):
    """A malformed request parameter (400): an English message for tools, a Danish one for pages."""

    def __init__(self, message: str, html_message: str | None = None, status: int = 400):
        super().__init__(status, message, html_message)  # status: 414 for a parameter over its length limit


# ---------------------------------------------------------------------------------------------
# Parameter checks


def date_param(name: str) -> str | None:
    """Query parameter `name` as a YYYY-MM-DD date (None when absent or empty). Python's
    fromisoformat alone would also take 20250101 or 2025-W01-1, which the filters cannot compare."""
    value = request.args.get(name)
    if not value:
        return None
    if re.fullmatch(DATE_PATTERN, value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise BadParameter(f"'{name}' must be a date as YYYY-MM-DD", f"»{value}« er ikke en dato som ÅÅÅÅ-MM-DD.")


def text_param(name: str, max_length: int = MAX_TEXT) -> str | None:
    """Query parameter `name` as one line of text, stripped (None when absent or blank)."""
    value = request.args.get(name)
    if value is None:
        return None
    if len(value) > max_length:
        raise BadParameter(
            f"'{name}' is longer than {max_length} characters", f"»{name}« er længere end {max_length} tegn."
        )
    if not re.fullmatch(TEXT_CHAR + "*", value):
        raise BadParameter(
            f"'{name}' must be text without control characters or line breaks",
            f"»{name}« må ikke indeholde kontroltegn eller linjeskift.",
        )
    return value.strip() or None


def _iri_of(value: str) -> str:
    """The IRI meant by an item or entity reference (a full IRI, an /id/ path or a path under
    BASE), checked: under BASE, without whitespace or control characters, a valid IRI."""
    base = current_app.config["BASE"]
    if len(value) > MAX_IRI:
        raise BadParameter(f"the IRI is longer than {MAX_IRI} characters", f"IRI'en er længere end {MAX_IRI} tegn.")
    iri = value if value.startswith(("http://", "https://")) else base + value.removeprefix("/id/").lstrip("/")
    if not iri.startswith(base):
        raise BadParameter(
            f"'{value}' is not an IRI of this service (they start with {base})",
            f"»{value}« er ikke en IRI i denne tjeneste (de begynder med {base}).",
        )
    try:
        return tracing.check_iri(iri)
    except ValueError:
        raise BadParameter(
            f'{iri!r} is not a valid IRI (no spaces, control characters, <>"{{}}|^`\\ or broken %-escapes)',
            f"»{value}« er ikke en gyldig IRI.",
        ) from None


# ---------------------------------------------------------------------------------------------
# Endpoints


@bp.get("/cases/<case>")
def case(case: str):
    """The items of a case number across meetings, by date and item number."""
    if not re.fullmatch(CASE_PATTERN, case):
        raise HttpError(
            400,
            f"{case!r} is not a case number such as SAG-2025-03802",
            f"»{case}« er ikke et sagsnummer som SAG-2025-03802.",
        )
    timeline = tracing.case_timeline(pool_store(), case)
    if not timeline["items"]:
        raise HttpError(404, f"no items under case {case.upper()}", f"Ingen punkter under sag {case.upper()}.")
    if wants_html():
        return pages.case_page(timeline)
    return jsonify(timeline)


@bp.get("/thread")
def thread():
    """The matter of one item followed across meetings: ?item=<item IRI or /id/ path>."""
    item = request.args.get("item") or ""
    if not item:
        raise HttpError(
            400,
            "missing query parameter 'item' (an agenda item's IRI)",
            "Angiv punktet med ?item= (punktets IRI eller /id/-sti).",
        )
    iri = _iri_of(item)
    result = tracing.thread(pool_store(), iri)
    if not result["items"]:
        raise HttpError(404, f"no agenda item {iri}", f"Intet dagsordenspunkt {iri}.")
    if wants_html():
        return pages.thread_page(result)
    return jsonify(result)


@bp.get("/deadlines")
def deadlines():
    """Deadlines and future treatments: ?from=&to= (YYYY-MM-DD), &body= (empty fields: no limit)."""
    date_from, date_to, body = date_param("from"), date_param("to"), text_param("body")
    found = tracing.deadlines(pool_store(), date_from, date_to, body)
    if wants_html():
        return pages.deadlines_page(found, date_from, date_to, body)
    return jsonify({"deadlines": found})


@bp.get("/entities/<path:ident>")
def entities(ident: str):
    """An organisation or person (org/<slug>, person/<slug>, or a bare slug) and the items naming it."""
    candidates = [_iri_of(ident)] if "/" in ident else [_iri_of(f"org/{ident}"), _iri_of(f"person/{ident}")]
    store = pool_store()
    for iri in candidates:
        found = tracing.entity(store, iri)
        if found:
            return pages.entity_page(found) if wants_html() else jsonify(found)
    raise HttpError(404, f"no organisation or person '{ident}'", f"Ingen organisation eller person »{ident}«.")

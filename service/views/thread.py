"""/thread?item=<item IRI or /id/ path>: the matter of one agenda item followed across meetings,
as JSON or as the thread page."""

from __future__ import annotations

from flask import Blueprint, Response, request

from kkr import tracing
from kkr.service.errors import HttpError
from kkr.service.params import own_iri
from kkr.service.pool_store import pool_store
from kkr.service.render import render
from kkr.service.views.base import respond

bp = Blueprint("thread", __name__)


@bp.get("/thread")
def thread():
    """The thread of ?item=; no item → 400, a malformed IRI → 400, an unknown item → 404."""
    return respond(thread_data(), html=thread_page)


def thread_data() -> dict:
    """{"item", "items": [...], ...} of the requested item (see kkr.tracing.thread)."""
    item = request.args.get("item") or ""
    if not item:
        raise HttpError(
            400,
            "missing query parameter 'item' (an agenda item's IRI)",
            "Angiv punktet med ?item= (punktets IRI eller /id/-sti).",
        )
    iri = own_iri(item)
    result = tracing.thread(pool_store(), iri)
    if not result["items"]:
        raise HttpError(404, f"no agenda item {iri}", f"Intet dagsordenspunkt {iri}.")
    return result


def thread_page(result: dict) -> Response:
    """The thread page, with the item asked about marked."""
    asked = next((i for i in result["items"] if i["item_iri"] == result["item"]), None)
    return render("thread/thread.html", thread=result, asked=asked)

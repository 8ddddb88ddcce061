"""/entities/<org/slug | person/slug | slug>: an organisation or person, its names and the items
naming it, as JSON or as its page (a council's page also lists its meetings)."""

from __future__ import annotations

from flask import Blueprint, Response

from kkr import tracing
from kkr.service.errors import HttpError
from kkr.service.page_data import BESLUIT, council_meetings, select
from kkr.service.params import own_iri
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import render
from kkr.service.views.base import respond
from kkr.sparql_terms import iri as iri_term

bp = Blueprint("entities", __name__)


@bp.get("/entities/<path:ident>")
def entities(ident: str):
    """The organisation or person; a bare slug is looked up as an organisation, then a person."""
    return respond(entity_data(ident), html=entity_page)


def entity_data(ident: str) -> dict:
    """{"iri", "label", "names", "items", ...} of the entity (see kkr.tracing.entity), or 404."""
    candidates = [own_iri(ident)] if "/" in ident else [own_iri(f"org/{ident}"), own_iri(f"person/{ident}")]
    store = pool_store()
    for iri in candidates:
        found = tracing.entity(store, iri)
        if found:
            return found
    raise HttpError(404, f"no organisation or person '{ident}'", f"Ingen organisation eller person »{ident}«.")


def entity_page(found: dict, meetings: list | None = None, **context) -> Response:
    """The entity's page, with the meetings of a council (looked up unless given); `context` adds
    to it (the /id/ page passes its property table)."""
    if meetings is None:
        meetings = []
        try:
            types = select(f"SELECT ?t WHERE {{ {iri_term(found['iri'])} a ?t }}")
            if any(r["t"] == BESLUIT + "Bestuursorgaan" for r in types):
                meetings = council_meetings(found["iri"])
        except QueryError:
            pass
    context.setdefault("title", found["label"])
    context.setdefault("rows", None)
    context.setdefault("iri", found["iri"])
    return render("entities/entity.html", entity=found, meetings=meetings, **context)

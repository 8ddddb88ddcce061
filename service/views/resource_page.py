"""The HTML page of an /id/ resource: meetings, agenda items, councils, organisations and persons
have pages of their own; every page ends with the table of the resource's properties."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import Response, current_app

from kkr import tracing
from kkr.service import results as res
from kkr.service.page_data import (
    BESLUIT,
    DOCUMENT,
    LABELS,
    LINK_TEXTS,
    NS,
    ORG,
    PERSON,
    RDF_TYPE,
    council_meetings,
    item_data,
    meeting_data,
    source_href,
)
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import error_page, local, render, slug

# ---------------------------------------------------------------------------------------------
# /id/… pages


def _pick_label(literals: list) -> str | None:
    """Danish first, then untagged, then English, then any."""
    if not literals:
        return None

    def rank(lit):
        return {"da": 0, "": 1, "en": 2}.get((lit.language or "").lower(), 3)

    return sorted(literals, key=lambda lit: (rank(lit), lit.value))[0].value


def _label_of(node_iri: str, triples: list, properties=LINK_TEXTS) -> str | None:
    for prop in properties:
        found = [
            t.object
            for t in triples
            if isinstance(t.subject, ox.NamedNode)
            and t.subject.value == node_iri
            and t.predicate.value == prop
            and isinstance(t.object, ox.Literal)
        ]
        label = _pick_label(found)
        if label:
            return label
    return None


def compact(iri: str) -> str:
    for prefix, namespace in res.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(term, triples: list) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"href": local(term.value), "text": _label_of(term.value, triples) or compact(term.value)}
    if isinstance(term, ox.Literal):
        note = None
        if term.language:
            note = "@" + term.language
        elif term.datatype.value != res.XSD_STRING:
            note = compact(term.datatype.value)
        return {"text": term.value, "lang": term.language or None, "note": note}
    return {"text": str(term)}


def property_rows(iri: str, triples: list) -> list[dict]:
    """The resource's properties (rdf:type first) with their values, for the table of every /id/ page."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    by_property: dict[str, list] = {}
    for t in own:
        by_property.setdefault(t.predicate.value, []).append(t.object)
    rows = []
    for prop in sorted(by_property, key=lambda p: (p != RDF_TYPE, compact(p))):
        values = sorted(
            by_property[prop],
            key=lambda o: (_label_of(o.value, triples) or "", str(o)) if isinstance(o, ox.NamedNode) else ("", str(o)),
        )
        rows.append({"iri": prop, "name": compact(prop), "objects": [_value(v, triples) for v in values]})
    return rows


def resource_page(iri: str, triples: list, truncated: bool) -> Response:
    """The HTML page of an /id/ resource: a page of its own for meetings, items, cases,
    organisations and persons, else the table of its properties; all end with that table."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    types = {t.object.value for t in own if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)}
    base = current_app.config["BASE"]
    title = _label_of(iri, own, LABELS) or _fallback_title(iri, own, types)
    common = {
        "iri": iri,
        "rows": property_rows(iri, triples),
        "truncated": truncated,
        "title": title,
        "types": sorted(compact(t) for t in types),
    }
    try:
        if BESLUIT + "Zitting" in types:
            data = meeting_data(iri)
            if data:
                return render("meeting.html", meeting=data, **common)
        if BESLUIT + "Agendapunt" in types:
            data = item_data(iri)
            if data:
                return render("item.html", item=data, **dict(common, title=data["title"]))
        if NS + "Case" in types:
            number = _label_of(iri, own, ("http://purl.org/dc/terms/identifier",)) or slug(iri)
            timeline = tracing.case_timeline(pool_store(), number)
            return render("case.html", case=timeline, **dict(common, title=f"Sag {timeline['case']}"))
        if ORG in types or PERSON in types:
            found = tracing.entity(pool_store(), iri)
            if found:
                meetings = council_meetings(iri) if BESLUIT + "Bestuursorgaan" in types else []
                return render("entity.html", entity=found, meetings=meetings, **dict(common, title=found["label"]))
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    context = {}
    if DOCUMENT in types:
        sha = next((t.object.value for t in own if t.predicate.value == NS + "sha256"), None)
        src = next((t.object.value for t in own if t.predicate.value == "http://purl.org/dc/terms/source"), None)
        context["source"] = source_href(sha, src)
    item = re.match(re.escape(base) + r"(meeting/[^/]+/[^/]+/item/[^/]+)/", iri)
    if item:
        context["parent_item"] = base + item.group(1)
    return render("resource.html", **common, **context)


TYPE_NAMES = {
    BESLUIT + "Besluit": "Beslutning",
    NS + "Section": "Afsnit",
    NS + "Paragraph": "Tekststykke",
    NS + "Deadline": "Frist",
    NS + "Period": "Periode",
    "https://schema.org/MonetaryAmount": "Beløb",
    NS + "Continuation": "Kobling mellem punkter",
    DOCUMENT: "Kildedokument",
}


def _fallback_title(iri: str, own: list, types: set) -> str:
    """A heading for a node without a label: its heading, printed text or file name, else its type and path."""
    base = current_app.config["BASE"]
    name = next((TYPE_NAMES[t] for t in sorted(types) if t in TYPE_NAMES), None)
    text = _label_of(iri, own, (NS + "heading", NS + "sourceText"))
    if text:
        return f"{name}: {text}" if name else text
    source = _label_of(iri, own, ("http://purl.org/dc/terms/source",))
    if source:
        return f"{name or 'Dokument'}: {Path(source).name}"
    path = iri[len(base) :] if iri.startswith(base) else iri
    item = re.match(r"meeting/([^/]+)/([^/]+)/item/([^/]+)", path)
    if name and item:
        return f"{name} i punkt {item.group(3)} ({item.group(2)})"
    return f"{name}: {path}" if name else path


def not_found_page(iri: str) -> Response:
    return error_page(f"Grafen kender intet til <{iri}>.", 404)

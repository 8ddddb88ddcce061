"""Cross-meeting tracing over the graph: case timelines, threads of one matter, deadlines and the
items that mention an organisation or person. Each function takes any store with `select()`."""

from __future__ import annotations

from kkr.sparql_terms import PREFIXES, XSD, checked_iri, literal
from kkr.sparql_terms import iri as iri_term

# One row per item with what a timeline shows; ?focus is bound by VALUES in each query.
ITEM_ROW = """
  ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  ?item kkr:itemNumber ?number ; dct:title ?title .
  OPTIONAL { ?item kkr:case/dct:identifier ?case }
  OPTIONAL { ?item kkr:decision ?d . ?d prov:value ?decision ; kkr:outcome ?o .
             ?o skos:prefLabel ?outcome_label . FILTER(lang(?outcome_label) = "da") }
"""
ITEM_VARS = "?item ?date ?body ?number ?title ?case ?decision ?o ?outcome_label"


def check_iri(value: str) -> str:
    """`value` if it is an absolute IRI that can be written as <value> in a query and has no
    whitespace or unprintable characters, else ValueError: the check of IRIs that users give
    (/thread, /entities), stricter than the SPARQL grammar (`kkr.sparql_terms.checked_iri`)."""
    if any(c.isspace() or not c.isprintable() for c in value):
        raise ValueError(f"not an IRI: {value!r}")
    return checked_iri(value)


def number_key(number: str) -> tuple[int, ...]:
    """'3.10' after '3.9': item numbers compare numerically."""
    return tuple(int(x) if x.isdigit() else 0 for x in number.split("."))


def _item(row: dict) -> dict:
    outcome = row.get("o")
    return {
        "meeting_date": str(row["date"]),
        "body": row["body"],
        "item_number": row["number"],
        "title": row["title"],
        "case": row.get("case"),
        "outcome": outcome.rsplit("#", 1)[-1] if outcome else None,
        "outcome_label": row.get("outcome_label"),
        "decision": row.get("decision"),
        "item_iri": row["item"],
    }


def _chronological(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda i: (i["meeting_date"], number_key(i["item_number"]), i["body"]))


def case_timeline(store, case: str) -> dict:
    """Every item under a case number, by meeting date and then item number."""
    rows = store.select(
        PREFIXES
        + f"""SELECT {ITEM_VARS} WHERE {{
        ?c dct:identifier {literal(case.upper())} . ?item kkr:case ?c . {ITEM_ROW} }}"""
    )
    return {"case": case.upper(), "items": _chronological(_dedupe(map(_item, rows)))}


def thread(store, item: str) -> dict:
    """The items that continue the same matter as `item` (following kkr:continues both ways),
    in date order, each with the evidence that linked it and the link's score."""
    rows = store.select(
        PREFIXES
        + f"""SELECT {ITEM_VARS} WHERE {{
        {{ BIND({iri_term(item)} AS ?item) }} UNION {{ {iri_term(item)} (kkr:continues|^kkr:continues)+ ?item }}
        {ITEM_ROW} }}"""
    )
    items = _chronological(_dedupe(map(_item, rows)))
    if not items:
        return {"item": item, "items": []}
    members = " ".join(iri_term(i["item_iri"]) for i in items)
    rows = store.select(
        PREFIXES
        + f"""SELECT ?from ?to ?score ?e WHERE {{
        ?l a kkr:Continuation ; kkr:fromItem ?from ; kkr:toItem ?to ; kkr:score ?score ; kkr:evidence ?e .
        VALUES ?from {{ {members} }} }}"""
    )
    grouped: dict[tuple, list[str]] = {}
    for r in rows:
        grouped.setdefault((r["from"], r["to"], r["score"]), []).append(r["e"])
    links = [{"from": f, "to": t, "score": sc, "evidence": "; ".join(sorted(ev))} for (f, t, sc), ev in grouped.items()]
    # an item's reason is its link to the earlier item it continues (the first item of a
    # thread has none: it gets the link of the item that continues it)
    best: dict[str, dict] = {}
    for end, other in (("from", "to"), ("to", "from")):
        for link in sorted(links, key=lambda x: (-float(x["score"]), x["from"], x["to"])):
            if link[end] not in best:
                best[link[end]] = {"score": float(link["score"]), "reason": link["evidence"], "linked_to": link[other]}
    for i in items:
        if i["item_iri"] == item:
            i.update({"score": 1.0, "reason": "the item asked about", "linked_to": None})
        else:
            i.update(best.get(i["item_iri"], {"score": 0.0, "reason": "", "linked_to": None}))
    return {"item": item, "items": items}


def deadlines(
    store,
    date_from: str | None = None,
    date_to: str | None = None,
    body: str | None = None,
    items: list[str] | None = None,
) -> list[dict]:
    """Deadlines and future treatments, earliest first, within [date_from, date_to] and body
    (and of the given items only, when given)."""
    filters = []
    values = "VALUES ?item { " + " ".join(map(iri_term, items)) + " }" if items else ""
    if date_from:
        filters.append(f"?end >= {literal(date_from, datatype=XSD + 'date')}")
    if date_to:
        filters.append(f"?start <= {literal(date_to, datatype=XSD + 'date')}")
    if body:
        filters.append(f"LCASE(STR(?body)) = LCASE({literal(body)})")
    where = " FILTER(" + " && ".join(filters) + ")" if filters else ""
    rows = store.select(
        PREFIXES
        + f"""SELECT ?item ?date ?body ?number ?title ?kind ?start ?end ?printed ?text WHERE {{
        {values} ?item kkr:deadline ?dl . ?dl kkr:deadlineKind ?kind ; kkr:startDate ?start ; kkr:endDate ?end ;
             kkr:sourceText ?printed ; prov:value ?text .
        ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
        ?item kkr:itemNumber ?number ; dct:title ?title . {where} }}"""
    )
    out = [
        {
            "date": str(r["start"]),
            "end_date": str(r["end"]),
            "kind": r["kind"],
            "text": r["text"],
            "printed": r["printed"],
            "meeting_date": str(r["date"]),
            "body": r["body"],
            "item_number": r["number"],
            "item_title": r["title"],
            "item_iri": r["item"],
        }
        for r in rows
    ]
    return sorted(out, key=lambda d: (d["date"], d["meeting_date"], number_key(d["item_number"]), d["kind"]))


def entity(store, iri: str) -> dict | None:
    """An organisation or person and every item that mentions it, newest first, with decisions."""
    about = store.select(
        PREFIXES
        + f"""SELECT ?type ?label ?alt WHERE {{
        VALUES ?e {{ {iri_term(iri)} }}
        {{ ?e a org:Organization ; skos:prefLabel ?label . BIND("organisation" AS ?type)
           OPTIONAL {{ ?e skos:altLabel ?alt }} }}
        UNION {{ ?e a foaf:Person ; foaf:name ?label . BIND("person" AS ?type) }} }}"""
    )
    if not about:
        return None
    rows = store.select(
        PREFIXES
        + f"""SELECT DISTINCT {ITEM_VARS} WHERE {{
        ?item kkr:section/kkr:paragraph/kkr:mentions {iri_term(iri)} . {ITEM_ROW} }}"""
    )
    items = _chronological(_dedupe(map(_item, rows)))[::-1]
    aliases = sorted({r["alt"] for r in about if r.get("alt")})
    return {"iri": iri, "type": about[0]["type"], "label": about[0]["label"], "aliases": aliases, "items": items}


def _dedupe(items) -> list[dict]:
    seen, out = set(), []
    for i in items:
        if i["item_iri"] not in seen:
            seen.add(i["item_iri"])
            out.append(i)
    return out


__all__ = ["case_timeline", "thread", "deadlines", "entity", "number_key", "check_iri"]

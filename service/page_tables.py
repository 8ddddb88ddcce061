"""The tables of an agenda item for its page: each section's paragraphs and tables as one list
of blocks in document order (kkr:table, kkr:row, kkr:cell; see vocabulary.md)."""

from __future__ import annotations

from collections.abc import Callable

from kkr.service.render import section_label
from kkr.sparql_terms import iri as iri_term

TABLES_OF_ITEM = """SELECT ?s ?t ?tpos ?page ?r ?rpos ?header ?c ?cpos ?text WHERE {
    %s kkr:section ?s . ?s kkr:table ?t . ?t kkr:row ?r .
    OPTIONAL { ?t schema:position ?tpos } OPTIONAL { ?t kkr:page ?page }
    ?r kkr:cell ?c . OPTIONAL { ?r schema:position ?rpos } OPTIONAL { ?r kkr:isHeader ?header }
    ?c prov:value ?text . OPTIONAL { ?c schema:position ?cpos } }"""


def _true(value) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def item_tables(select: Callable[[str], list[dict]], item: str) -> dict[str, list[dict]]:
    """Section IRI → its tables, each {iri, position, page, header (cell texts or None), rows,
    cells (cell IRI → row label)}, rows and cells in order."""
    raw: dict[str, dict] = {}
    for r in select(TABLES_OF_ITEM % iri_term(item)):
        t = raw.setdefault(
            r["t"],
            {"section": r["s"], "iri": r["t"], "position": r.get("tpos") or 0, "page": r.get("page"), "rows": {}},
        )
        row = t["rows"].setdefault(
            r["r"], {"position": r.get("rpos") or 0, "header": _true(r.get("header")), "cells": {}}
        )
        row["cells"][r["c"]] = (r.get("cpos") or 0, r["text"])
    tables: dict[str, list[dict]] = {}
    for t in raw.values():
        rows = sorted(t["rows"].values(), key=lambda row: row["position"])
        ordered = [sorted(row["cells"].items(), key=lambda kv: kv[1][0]) for row in rows]
        texts = [[text for _, (_, text) in cells] for cells in ordered]
        header = texts[0] if rows and rows[0]["header"] else None
        labels = {c: cells[0][1][1] for cells in ordered for c, _ in cells}
        table = {
            "kind": "table",
            "iri": t["iri"],
            "position": t["position"],
            "page": t["page"],
            "header": header,
            "rows": texts[1:] if header else texts,
            "cells": labels,
        }
        tables.setdefault(t["section"], []).append(table)
    return tables


def add_blocks(sections: list[dict], tables: dict[str, list[dict]], source: Callable[[int | None], str | None]):
    """Give each section dict its `blocks`: paragraphs and tables by position, tables captioned
    ("Tabel 1 i Sagsfremstilling"); returns cell IRI → where it stands (page, section, source,
    position), as the paragraphs are for the facts of the item."""
    where: dict[str, dict] = {}
    for s in sections:
        heading = s.get("heading") or section_label(s.get("type")) or ""
        own = sorted(tables.get(s["iri"], []), key=lambda t: t["position"])
        for n, t in enumerate(own, start=1):
            t["caption"] = f"Tabel {n} i {heading}".strip() if heading else f"Tabel {n}"
            t["source"] = source(t["page"])
            for cell in t["cells"]:
                where[cell] = {"page": t["page"], "section": heading, "source": t["source"], "position": t["position"]}
        paragraphs = [{"kind": "paragraph", **p} for p in s["paragraphs"]]
        s["blocks"] = sorted(paragraphs + own, key=lambda b: b["position"])
    return where

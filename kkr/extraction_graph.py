"""Read what the extraction put in the graph back, per source document, by the public contract.

Every query is scoped to one document's named graph (`GRAPH ?g`), found through the meeting's
`prov:wasDerivedFrom` document, so an agenda and the minutes of the same meeting (which share the
meeting's and the items' IRIs) are scored separately. Terms the extraction does not produce yet
(`kkr:documentType`, `kkr:Table`, …) simply match nothing, and their fields score 0.

The result, per document (keyed by the source file's stem), has the shape of a gold document in
tests/extraction/*/gold.json (see kkr.extraction_eval), plus `texts` (every paragraph and
decision text) and `org_labels` (item, preferred label) → every label of that organisation.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath

PREFIXES = """
PREFIX kkr:     <https://w3id.org/kkr/ns#>
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX dct:     <http://purl.org/dc/terms/>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf:    <http://xmlns.com/foaf/0.1/>
PREFIX schema:  <https://schema.org/>
"""
KKR_NS = "https://w3id.org/kkr/ns#"

# ?g is a document's graph, ?src its file name, ?item one of its agenda items
_DOC = "GRAPH ?g { ?m prov:wasDerivedFrom ?doc . ?doc dct:source ?src . ?m besluit:behandelt ?item . ?item kkr:itemNumber ?number ."
# ?p: a paragraph or a table cell of the item (mentions hang on both)
_HOLDER = "?item kkr:section ?s . { ?s kkr:paragraph ?p } UNION { ?s kkr:table/kkr:row/kkr:cell ?p }"

Q_DOCS = (
    PREFIXES
    + """
SELECT ?src ?body ?date ?type WHERE { GRAPH ?g {
  ?m prov:wasDerivedFrom ?doc ; dct:date ?date ; besluit:isGehoudenDoor ?b . ?doc dct:source ?src .
  OPTIONAL { ?doc kkr:documentType ?type } }
  OPTIONAL { ?b skos:prefLabel ?body } }"""
)
Q_ITEMS = (
    PREFIXES
    + f"""
SELECT ?src ?number ?title ?case ?outcome ?pos WHERE {{ {_DOC}
  OPTIONAL {{ ?item dct:title ?title }} OPTIONAL {{ ?item schema:position ?pos }}
  OPTIONAL {{ ?item kkr:case/dct:identifier ?case }}
  OPTIONAL {{ ?item kkr:decision/kkr:outcome ?outcome }} }} }}"""
)
Q_AMOUNTS = (
    PREFIXES
    + f"""
SELECT ?src ?number ?p ?a ?value ?text WHERE {{ {_DOC} {_HOLDER}
  ?p kkr:mentionsAmount ?a . ?a schema:value ?value . OPTIONAL {{ ?a kkr:sourceText ?text }} }} }}"""
)
Q_DATES = (
    PREFIXES
    + f"""
SELECT DISTINCT ?src ?number ?date WHERE {{ {_DOC} {_HOLDER} ?p kkr:mentionsDate ?date . }} }}"""
)
Q_MENTIONS = (
    PREFIXES
    + f"""
SELECT DISTINCT ?src ?number ?x WHERE {{ {_DOC} {_HOLDER} ?p kkr:mentions ?x . }} }}"""
)
Q_ORGS = (
    PREFIXES
    + """
SELECT DISTINCT ?x ?pref ?label WHERE { ?x a org:Organization .
  OPTIONAL { ?x skos:prefLabel ?pref } OPTIONAL { ?x skos:prefLabel|skos:altLabel ?label } }"""
)
Q_PERSONS = PREFIXES + "SELECT DISTINCT ?x ?name WHERE { ?x a foaf:Person ; foaf:name ?name }"
Q_TABLES = (
    PREFIXES
    + f"""
SELECT ?src ?number ?t ?tpos ?row ?rpos ?header ?cpos ?value WHERE {{ {_DOC}
  ?item kkr:section ?s . ?s kkr:table ?t . OPTIONAL {{ ?t schema:position ?tpos }}
  ?t kkr:row ?row . OPTIONAL {{ ?row schema:position ?rpos }} OPTIONAL {{ ?row kkr:isHeader ?header }}
  ?row kkr:cell ?c . OPTIONAL {{ ?c schema:position ?cpos }} OPTIONAL {{ ?c prov:value ?value }} }} }}"""
)
Q_TEXTS = (
    PREFIXES
    + f"""
SELECT ?src ?x ?text WHERE {{ {_DOC}
  {{ ?item kkr:section/kkr:paragraph ?x . ?x prov:value ?text }}
  UNION {{ ?item kkr:decision ?x . ?x prov:value ?text }} }} }}"""
)


def _stem(source) -> str:
    name = PurePosixPath(str(source)).name
    return name.rsplit(".", 1)[0] if "." in name else name


def _local(iri) -> str | None:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri is not None else None


def _empty(stem: str) -> dict:
    keys = ("items", "amounts", "dates", "organisations", "persons", "tables", "texts")
    return {"file": stem, "body": None, "date": None, "type": None} | {k: [] for k in keys} | {"org_labels": {}}


def read_predictions(store) -> dict[str, dict]:
    """Every ingested document's meeting, items, mentions, tables and texts, keyed by file stem."""
    docs: dict[str, dict] = {}

    def doc(src) -> dict:
        return docs.setdefault(_stem(src), _empty(_stem(src)))

    for r in store.select(Q_DOCS):
        d = doc(r["src"])
        d["body"], d["date"], d["type"] = r["body"], str(r["date"]), _local(r["type"])
    _read_items(store, doc)
    for r in store.select(Q_AMOUNTS):
        doc(r["src"])["amounts"].append({"item": r["number"], "value": _whole(r["value"]), "text": r["text"]})
    for r in store.select(Q_DATES):
        doc(r["src"])["dates"].append({"item": r["number"], "date": str(r["date"])})
    _read_mentions(store, doc)
    _read_tables(store, doc)
    for r in store.select(Q_TEXTS):
        doc(r["src"])["texts"].append(r["text"])
    return docs


def _read_items(store, doc) -> None:
    rows: defaultdict[tuple, dict] = defaultdict(dict)
    for r in store.select(Q_ITEMS):
        item = rows[(_stem(r["src"]), r["number"])]
        item.setdefault("number", r["number"])
        item.setdefault("title", r["title"])
        item.setdefault("case", r["case"])
        item.setdefault("pos", r["pos"])
        item.setdefault("outcomes", set())
        if r["outcome"] is not None:
            item["outcomes"].add(_local(r["outcome"]))
        doc(r["src"])
    for (stem, _), item in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[1]["pos"] or 0)):
        outcomes = sorted(item.pop("outcomes"))
        item.pop("pos")
        docs_item = {**item, "outcome": outcomes[0] if len(outcomes) == 1 else (outcomes or None)}
        doc(stem)["items"].append(docs_item)


def _read_mentions(store, doc) -> None:
    org_labels: dict[str, set[str]] = defaultdict(set)
    org_pref: dict[str, str] = {}
    for r in store.select(Q_ORGS):
        x = str(r["x"])
        if r["pref"] is not None:
            org_pref.setdefault(x, str(r["pref"]))
        if r["label"] is not None:
            org_labels[x].add(str(r["label"]))
    persons = {str(r["x"]): str(r["name"]) for r in store.select(Q_PERSONS)}
    for r in store.select(Q_MENTIONS):
        x, d = str(r["x"]), doc(r["src"])
        if x in persons:
            d["persons"].append({"item": r["number"], "name": persons[x]})
        elif x in org_labels or x in org_pref:
            pref = org_pref.get(x) or sorted(org_labels[x])[0]
            d["organisations"].append({"item": r["number"], "name": pref})
            d["org_labels"][(r["number"], pref)] = org_labels[x] | {pref}


def _read_tables(store, doc) -> None:
    tables: dict[tuple, dict] = {}
    for r in store.select(Q_TABLES):
        key = (_stem(r["src"]), r["number"], str(r["t"]))
        t = tables.setdefault(key, {"item": r["number"], "pos": r["tpos"] or 0, "rows": {}})
        row = t["rows"].setdefault(
            str(r["row"]), {"pos": r["rpos"] or 0, "header": str(r["header"]).lower() in ("true", "1"), "cells": {}}
        )
        row["cells"][r["cpos"] or len(row["cells"])] = "" if r["value"] is None else str(r["value"])
    for (stem, _, _), t in sorted(tables.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[1]["pos"])):
        rows = sorted(t["rows"].values(), key=lambda row: row["pos"])
        cells = [[c for _, c in sorted(row["cells"].items())] for row in rows]
        header = next((c for row, c in zip(rows, cells, strict=True) if row["header"]), None)
        doc(stem)["tables"].append({"item": t["item"], "header": header, "rows": cells})


def _whole(value) -> int | float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return -1
    return int(number) if number == int(number) else number

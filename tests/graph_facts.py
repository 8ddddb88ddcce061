"""Read back from a store the facts the done-when of ingest asks about, per meeting."""

from __future__ import annotations

from collections import Counter

from kkr.contract import PREFIXES
from kkr.store import GraphStore


def meeting_iri(store: GraphStore, body: str, day: str) -> str:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?m WHERE {{ ?m a besluit:Zitting ; dct:date "{day}"^^xsd:date ;
                           besluit:isGehoudenDoor/skos:prefLabel ?b . FILTER(str(?b) = "{body}") }}"""
    )
    assert len(rows) == 1, rows
    return rows[0]["m"]


def items(store: GraphStore, meeting: str) -> list[dict]:
    """number, title, case, outcome (local name), handlers of each item, in document order."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?number ?title ?case ?outcome (GROUP_CONCAT(?h; separator="/") AS ?handlers) WHERE {{
          <{meeting}> besluit:behandelt ?item .
          ?item kkr:itemNumber ?number ; dct:title ?title ; schema:position ?pos .
          OPTIONAL {{ ?item kkr:case/dct:identifier ?case }}
          OPTIONAL {{ ?item kkr:decision/kkr:outcome ?o . BIND(STRAFTER(STR(?o), "#") AS ?outcome) }}
          OPTIONAL {{ ?item kkr:caseHandler ?h }}
        }} GROUP BY ?number ?title ?case ?outcome ?pos ORDER BY ?pos"""
    )
    return rows


def amounts(store: GraphStore, meeting: str) -> Counter:
    """Counter of (item number, printed, value) over all paragraphs and table cells of the meeting."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?number ?printed ?value ?a WHERE {{
          <{meeting}> besluit:behandelt ?item . ?item kkr:itemNumber ?number ;
          kkr:section/(kkr:paragraph|kkr:table/kkr:row/kkr:cell)/kkr:mentionsAmount ?a . ?a schema:value ?value ; kkr:sourceText ?printed ;
          schema:currency "DKK" . }}"""
    )
    return Counter((r["number"], r["printed"], int(r["value"])) for r in rows)


def dates(store: GraphStore, meeting: str) -> set[str]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT DISTINCT ?d WHERE {{ <{meeting}> besluit:behandelt/kkr:section/kkr:paragraph/kkr:mentionsDate ?d }}"""
    )
    return {str(r["d"]) for r in rows}


def periods(store: GraphStore, meeting: str) -> set[tuple[str, str, str]]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT DISTINCT ?t ?a ?b WHERE {{ <{meeting}> besluit:behandelt/kkr:section/kkr:paragraph/kkr:mentionsPeriod ?p .
          ?p kkr:sourceText ?t ; kkr:startDate ?a ; kkr:endDate ?b }}"""
    )
    return {(r["t"], str(r["a"]), str(r["b"])) for r in rows}


def organisations(store: GraphStore, meeting: str) -> dict[str, set[str]]:
    """prefLabel → all labels (pref and alt) of each organisation mentioned in the meeting."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT DISTINCT ?org ?label ?name WHERE {{
          <{meeting}> besluit:behandelt/kkr:section/kkr:paragraph/kkr:mentions ?org .
          ?org a org:Organization ; skos:prefLabel ?label ; skos:prefLabel|skos:altLabel ?name }}"""
    )
    by_org: dict[str, tuple[str, set[str]]] = {}
    for r in rows:
        by_org.setdefault(r["org"], (r["label"], set()))[1].add(r["name"])
    labels = [label for label, _ in by_org.values()]
    assert len(labels) == len(set(labels)), "two organisation nodes share a prefLabel"
    return {label: names for label, names in by_org.values()}


def persons(store: GraphStore, meeting: str) -> set[str]:
    rows = store.select(
        PREFIXES
        + f"""
        SELECT DISTINCT ?name WHERE {{ <{meeting}> besluit:behandelt/kkr:section/kkr:paragraph/kkr:mentions ?p .
          ?p a foaf:Person ; foaf:name ?name }}"""
    )
    return {r["name"] for r in rows}


def references(store: GraphStore, meeting: str) -> set[tuple[str, str, str]]:
    """(item number, referenced body, referenced date)."""
    rows = store.select(
        PREFIXES
        + f"""
        SELECT ?number ?body ?date WHERE {{ <{meeting}> besluit:behandelt ?item . ?item kkr:itemNumber ?number ;
          dct:references ?r . ?r a besluit:Zitting ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body }}"""
    )
    return {(r["number"], r["body"], str(r["date"])) for r in rows}

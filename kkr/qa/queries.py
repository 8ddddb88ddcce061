"""The SPARQL of the answers (kkr/qa/kind_answers.py, kkr/qa/relevance.py): what an answer reads from the graph, and the
query shown to the analyst beside it. Every value is written through kkr.sparql_terms."""

from __future__ import annotations

from kkr.sparql_terms import PREFIXES, XSD, iri, literal, prefixes
from kkr.vocab import KKR

ITEM_SELECT = (
    prefixes("kkr", "besluit", "dct", "prov", "skos")
    + """\
SELECT ?date ?body ?number ?title ?outcome ?decision ?item ?case WHERE {{
  {values}
  ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  ?item kkr:itemNumber ?number ; dct:title ?title .
  OPTIONAL {{ ?item kkr:case/dct:identifier ?case }}
  OPTIONAL {{ ?item kkr:decision ?d . ?d prov:value ?decision ; kkr:outcome/skos:prefLabel ?outcome .
             FILTER(lang(?outcome) = "da") }}
  {filters}
}} ORDER BY {order}"""
)


def _iris(values: list[str]) -> str:
    return " ".join(map(iri, values))


def items_query(items: list[str], order: str = "DESC(?date) ?number") -> str:
    """Date, council, number, title, outcome and decision of the given items."""
    return ITEM_SELECT.format(values="VALUES ?item { " + _iris(items) + " }", filters="", order=order)


def item_rows(store, items: list[str]) -> dict[str, dict]:
    """Item IRI → its `items_query` row (date, body, number, title, outcome, decision)."""
    if not items:
        return {}
    return {r["item"]: r for r in store.select(items_query(items))}


def list_query(body: str | None, date_from: str | None, date_to: str | None, outcome: str | None) -> str:
    """The items of a council (by its label, any case) between two dates (YYYY-MM-DD), with an
    outcome (a kkr:Outcome's local name; "Approved" also takes its narrower outcomes "ApprovedWithChanges" and "PartiallyApproved")."""
    outcome_filter = ""
    if outcome:
        # written as kkr:<name>, so only a name of the (closed) vocabulary
        if not (outcome.isascii() and outcome.isalnum() and hasattr(KKR, outcome)):
            raise ValueError(f"not an outcome of the vocabulary: {outcome!r}")
        outcomes = [outcome] + (["ApprovedWithChanges", "PartiallyApproved"] if outcome == "Approved" else [])
        outcome_filter = "FILTER(?o IN (" + ", ".join(f"kkr:{o}" for o in outcomes) + "))"
    return ITEM_SELECT.format(
        values="?item kkr:decision/kkr:outcome ?o ." if outcome else "",
        filters=outcome_filter + " " + scope_filter(body, date_from, date_to),
        order="?date ?number",
    )


def scope_filter(body: str | None, date_from: str | None, date_to: str | None) -> str:
    """FILTER(...) on ?body (a council's label, any case) and ?date (YYYY-MM-DD bounds), or ""."""
    filters = []
    if body:
        filters.append(f"LCASE(STR(?body)) = {literal(body.lower())}")
    if date_from:
        filters.append(f"?date >= {literal(date_from, datatype=XSD + 'date')}")
    if date_to:
        filters.append(f"?date <= {literal(date_to, datatype=XSD + 'date')}")
    return "FILTER(" + " && ".join(filters) + ")" if filters else ""


def mentions_query(items: list[str], entities: list[str]) -> str:
    """Which of the items mention which of the entities (in any paragraph)."""
    return (
        "SELECT DISTINCT ?item ?e WHERE { VALUES ?item { %s } VALUES ?e { %s } "
        "?item <https://w3id.org/kkr/ns#section>/<https://w3id.org/kkr/ns#paragraph>/<https://w3id.org/kkr/ns#mentions> ?e }"
        % (_iris(items), _iris(entities))
    )


def deadlines_query(items: list[str]) -> str:
    """The deadlines of the given items, earliest first."""
    return (
        prefixes("kkr", "prov")
        + "SELECT ?item ?kind ?start ?end ?text WHERE { VALUES ?item { "
        + _iris(items)
        + " }\n  ?item kkr:deadline ?d . ?d kkr:deadlineKind ?kind ; kkr:startDate ?start ; kkr:endDate ?end ;"
        " prov:value ?text } ORDER BY ?start"
    )


def amounts_query(items: list[str]) -> str:
    """The amounts the given items' paragraphs and table cells mention: value and text as printed."""
    return (
        prefixes("kkr", "schema")
        + "SELECT ?item ?value ?printed WHERE { VALUES ?item { "
        + _iris(items)
        + " }\n  ?item kkr:section/(kkr:paragraph|kkr:table/kkr:row/kkr:cell)/kkr:mentionsAmount ?a . ?a schema:value ?value ;"
        " kkr:sourceText ?printed }"
    )


def earlier_meetings_query(item: str) -> str:
    """The dates of the meetings an item refers back to."""
    return (
        "SELECT DISTINCT ?date WHERE { %s <http://purl.org/dc/terms/references> ?m . "
        "?m <http://purl.org/dc/terms/date> ?date }" % iri(item)
    )


def history_query(item: str) -> str:
    """The items of an item's thread (kkr:continues both ways), by date."""
    node = iri(item)
    return (
        PREFIXES
        + "SELECT ?item ?date ?number ?title WHERE {\n  { BIND("
        + node
        + " AS ?item) } UNION { "
        + node
        + " (kkr:continues|^kkr:continues)+ ?item }\n  ?m besluit:behandelt ?item ; dct:date ?date .\n"
        "  ?item kkr:itemNumber ?number ; dct:title ?title } ORDER BY ?date"
    )

"""Paragraph records for the index, read from the graph store: the unit of search with its citation."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kkr.sparql_terms import iri, prefixes

SECTION_LABELS = {
    "Background": "Baggrund",
    "Recommendation": "Indstilling",
    "CasePresentation": "Sagsfremstilling",
    "DecisionSection": "Beslutning",
    "OtherSection": "Andet",
}

PARAGRAPHS_OF_GRAPH = (
    "\n"
    + prefixes("kkr", "besluit", "dct", "prov", "schema", "skos")
    + """\
SELECT ?p ?text ?page ?heading ?stype ?number ?title ?item ?date ?body ?ipos ?spos ?ppos ?outcome ?agenda WHERE {
  GRAPH %s {
    ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor ?b .
    ?item kkr:itemNumber ?number ; dct:title ?title ; schema:position ?ipos ; kkr:section ?s .
    ?s kkr:heading ?heading ; kkr:sectionType ?st ; schema:position ?spos ; kkr:paragraph|kkr:table ?p .
    ?p prov:value ?text ; kkr:page ?page ; schema:position ?ppos .
    ?b skos:prefLabel ?body .
    OPTIONAL { ?item kkr:decision/kkr:outcome ?o }
    OPTIONAL { ?item kkr:agendaHeading ?agenda }
  }
  BIND(STRAFTER(STR(?st), "#") AS ?stype)
  BIND(STRAFTER(STR(?o), "#") AS ?outcome)
} ORDER BY ?ipos ?spos ?ppos
"""
)

# a meeting's introduction (kkr:introduction): its paragraphs cite the meeting, not an item
INTRODUCTION_OF_GRAPH = (
    "\n"
    + prefixes("kkr", "besluit", "dct", "prov", "schema", "skos")
    + """\
SELECT ?p ?text ?page ?heading ?m ?date ?body ?ppos WHERE {
  GRAPH %s {
    ?m kkr:introduction ?s ; dct:date ?date ; besluit:isGehoudenDoor ?b .
    ?s kkr:heading ?heading ; kkr:paragraph ?p .
    ?p prov:value ?text ; kkr:page ?page ; schema:position ?ppos .
    ?b skos:prefLabel ?body .
  }
} ORDER BY ?ppos
"""
)
INTRODUCTION_TITLE = "Mødets indledning"

DOCUMENT_GRAPHS = """
SELECT ?g ?sha WHERE { GRAPH ?g { ?d a <http://xmlns.com/foaf/0.1/Document> ;
                                     <https://w3id.org/kkr/ns#sha256> ?sha } }
"""


@dataclass
class ParagraphRecord:
    """One searchable paragraph and everything a hit must carry to cite it."""

    paragraph_iri: str
    text: str
    section: str
    section_type: str
    page: int
    item_number: str
    item_title: str
    item_iri: str
    meeting_date: str
    body: str
    graph: str
    outcome: str | None = None
    agenda_heading: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    def search_text(self) -> str:
        """What is indexed: the paragraph with its item title, so that short paragraphs
        ("Godkendt") are found by what the item is about."""
        return f"{self.item_title}. {self.text}"


def document_graphs(store) -> dict[str, str]:
    """Named graph → sha256 of every ingested source document."""
    return {r["g"]: r["sha"] for r in store.select(DOCUMENT_GRAPHS)}


def paragraphs_of(store, graph: str) -> list[ParagraphRecord]:
    """The paragraphs of one document's graph, in document order: the meeting's introduction
    first (its records' `item_iri` is the meeting's, their `item_number` ""), then the items'. A
    table (kkr:Table) counts as one paragraph: its prov:value is its text row by row, its kkr:page
    where it starts."""
    opening = [
        ParagraphRecord(
            paragraph_iri=r["p"],
            text=r["text"],
            section=r["heading"],
            section_type="OtherSection",
            page=int(r["page"]),
            item_number="",
            item_title=INTRODUCTION_TITLE,
            item_iri=r["m"],
            meeting_date=str(r["date"]),
            body=r["body"],
            graph=graph,
        )
        for r in store.select(INTRODUCTION_OF_GRAPH % iri(graph))
    ]
    rows = store.select(PARAGRAPHS_OF_GRAPH % iri(graph))
    return opening + [
        ParagraphRecord(
            paragraph_iri=r["p"],
            text=r["text"],
            section=r["heading"],
            section_type=r["stype"],
            page=int(r["page"]),
            item_number=r["number"],
            item_title=r["title"],
            item_iri=r["item"],
            meeting_date=str(r["date"]),
            body=r["body"],
            graph=graph,
            outcome=r["outcome"] or None,
            agenda_heading=r["agenda"],
        )
        for r in rows
    ]

"""Turn a parsed document into the RDF of the public contract (see vocabulary.md)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kkr.ingest.deadlines import find_deadlines
from kkr.ingest.doctype import AGENDA
from kkr.ingest.document import ParsedDocument
from kkr.ingest.nlp import gazetteer
from kkr.ingest.rdf_tables import add_table
from kkr.iris import Minter
from kkr.vocab import BESLUIT, DCT, FOAF, KKR, ORG, PROV, RDF, SCHEMA, SKOS, XSD, bind_prefixes

GENERIC_KKR = "kkr"  # the id of "Kommunekontaktrådene" (patterns/organisations.jsonl)
SECTION_ORDER_TYPES = {"Background", "Recommendation", "CasePresentation", "DecisionSection", "OtherSection"}


def _da(text: str) -> Literal:
    return Literal(text, lang="da")


def _date(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


def meeting_label(body: str, when: date) -> str:
    """The meeting's rdfs:label, e.g. "KKR Sjælland 2025-09-22"."""
    return f"{body} {when.isoformat()}"


def document_graph(doc: ParsedDocument, minter: Minter) -> Graph:
    """All triples of one source document (they go into its own named graph)."""
    g = Graph()
    bind_prefixes(g)
    body = _add_body(g, minter, doc.body)
    meeting = minter.meeting(doc.body, doc.date)
    source = minter.document(doc.sha256)
    g.add((source, RDF.type, FOAF.Document))
    # the file name only: a path would tell the layout of the machine that ran the ingest
    g.add((source, DCT.source, Literal(Path(doc.path).name)))
    g.add((source, KKR.sha256, Literal(doc.sha256)))
    g.add((source, KKR.documentType, KKR[doc.doc_type]))
    for url in doc.urls:
        g.add((source, RDFS.seeAlso, URIRef(url.replace(" ", "%20"))))
    g.add((meeting, RDF.type, BESLUIT.Zitting))
    g.add((meeting, BESLUIT.isGehoudenDoor, body))
    g.add((meeting, DCT.date, _date(doc.date)))
    g.add((meeting, PROV.wasDerivedFrom, source))
    if doc.location:
        g.add((meeting, SCHEMA.location, Literal(doc.location)))
    g.add((meeting, RDFS.label, _da(meeting_label(doc.body, doc.date))))
    orgs_seen: dict[str, tuple[str, set[str]]] = {}  # org id → (label, names seen)

    def cell_mentions(node: URIRef, cell) -> None:  # a table cell's mentions, as a paragraph's
        _add_mentions(g, minter, node, doc.doc_of(cell), orgs_seen, body)

    def add_section(owner: URIRef, link: URIRef, s_iri: URIRef, kind: URIRef, heading: str, position: int) -> None:
        g.add((owner, link, s_iri))
        g.add((s_iri, RDF.type, KKR.Section))
        g.add((s_iri, KKR.sectionType, kind))
        g.add((s_iri, KKR.heading, Literal(heading)))
        g.add((s_iri, SCHEMA.position, Literal(position)))

    def add_paragraph(s_iri: URIRef, number: int, para, position: int) -> None:
        p_iri = URIRef(f"{s_iri}/p/{number}")
        g.add((s_iri, KKR.paragraph, p_iri))
        g.add((p_iri, RDF.type, KKR.Paragraph))
        g.add((p_iri, PROV.value, Literal(para.text)))
        g.add((p_iri, KKR.page, Literal(para.page)))
        g.add((p_iri, SCHEMA.position, Literal(position)))
        _add_mentions(g, minter, p_iri, doc.doc_of(para), orgs_seen, body)

    # An agenda's sections and paragraphs are nodes of their own (…/item/2.1/agenda/section/1):
    # the minutes of the same meeting describe the same items with their own text, and the two
    # documents' graphs must not assert different values for one paragraph node.
    text_scope = "/agenda" if doc.doc_type == AGENDA else ""
    for parsed in doc.items:
        it = parsed.item
        item = minter.item(doc.body, doc.date, it.number)
        g.add((meeting, BESLUIT.behandelt, item))
        g.add((item, RDF.type, BESLUIT.Agendapunt))
        g.add((item, KKR.itemNumber, Literal(it.number)))
        g.add((item, DCT.title, _da(it.title)))
        g.add((item, SCHEMA.position, Literal(it.position)))
        if it.agenda_heading:
            g.add((item, KKR.agendaHeading, _da(it.agenda_heading)))
        if it.case:
            case = minter.case(it.case)
            g.add((case, RDF.type, KKR.Case))
            g.add((case, DCT.identifier, Literal(it.case)))
            g.add((item, KKR.case, case))
        for initials in it.handlers:
            g.add((item, KKR.caseHandler, Literal(initials)))
        for ref_body, ref_date in parsed.references:
            other = minter.meeting(ref_body, ref_date)
            g.add((item, DCT.references, other))
            g.add((other, RDF.type, BESLUIT.Zitting))
            g.add((other, BESLUIT.isGehoudenDoor, _add_body(g, minter, ref_body)))
            g.add((other, DCT.date, _date(ref_date)))
        for s_pos, section in enumerate(it.sections, start=1):
            s_iri = URIRef(f"{item}{text_scope}/section/{s_pos}")
            add_section(item, KKR.section, s_iri, KKR[section.section_type], section.heading, s_pos)
            for p_pos, para in enumerate(section.paragraphs, start=1):
                add_paragraph(s_iri, p_pos, para, section.position_of(para))  # tables count too
            for t_pos, table in enumerate(section.tables, start=1):
                add_table(g, s_iri, t_pos, table, section.position_of(table), cell_mentions)
        _add_deadlines(g, item, [p.text for sec in it.sections for p in sec.paragraphs], text_scope)
        if it.decision_text is not None and parsed.outcome and doc.doc_type != AGENDA:
            d_iri = URIRef(f"{item}/decision")
            g.add((item, KKR.decision, d_iri))
            g.add((d_iri, RDF.type, BESLUIT.Besluit))
            g.add((d_iri, PROV.value, Literal(it.decision_text)))
            g.add((d_iri, KKR.outcome, KKR[parsed.outcome]))
            if parsed.evidence:
                g.add((d_iri, KKR.outcomeEvidence, Literal(parsed.evidence)))
    if doc.introduction:
        # the meeting's introduction (who chaired, attended, sent apologies): a section of the
        # meeting, under the agenda's own nodes for an agenda, as the items' sections
        s_iri = URIRef(f"{meeting}{text_scope}/introduction")
        add_section(meeting, KKR.introduction, s_iri, KKR.OtherSection, "Indledning", 0)
        for p_pos, para in enumerate(doc.introduction, start=1):
            add_paragraph(s_iri, p_pos, para, p_pos)
    for org_id, (label, surfaces) in orgs_seen.items():
        _add_org(g, minter, org_id, surfaces, label)
    return g


def _add_deadlines(g: Graph, item: URIRef, texts: list[str], scope: str = "") -> None:
    """Deadlines and future treatments of an item, each a kkr:Deadline with its kind and dates
    (nodes under `scope`, as the item's sections)."""
    seen = set()
    for text in texts:
        for d in find_deadlines(text):
            key = (d.kind, d.start, d.end)
            if key in seen:
                continue
            seen.add(key)
            node = URIRef(f"{item}{scope}/deadline/{len(seen)}")
            g.add((item, KKR.deadline, node))
            g.add((node, RDF.type, KKR.Deadline))
            g.add((node, KKR.deadlineKind, Literal(d.kind)))
            g.add((node, KKR.startDate, _date(d.start)))
            g.add((node, KKR.endDate, _date(d.end)))
            g.add((node, KKR.sourceText, Literal(d.printed)))
            g.add((node, PROV.value, Literal(d.text)))


def _add_body(g: Graph, minter: Minter, label: str) -> URIRef:
    body = minter.body(label)
    g.add((body, RDF.type, BESLUIT.Bestuursorgaan))
    g.add((body, RDF.type, ORG.Organization))
    known = gazetteer().resolve(label)
    _add_org(g, minter, known.org_id if known else body.split("/")[-1], set(), label)
    return body


def _add_org(g: Graph, minter: Minter, org_id: str, surfaces: set[str], fallback_label: str):
    """An organisation node: the gazetteer's label where known, every alias and name seen."""
    org = minter.org(org_id)
    known = gazetteer().by_id.get(org_id)
    label = known.label if known else fallback_label
    g.add((org, RDF.type, ORG.Organization))
    g.add((org, SKOS.prefLabel, _da(label)))
    alt = set(surfaces)
    if known:
        alt.update(known.aliases)
        if known.label_en and known.label_en != label:
            g.add((org, SKOS.altLabel, Literal(known.label_en, lang="en")))
    for name in alt - {label}:
        g.add((org, SKOS.altLabel, _da(name)))


def _seen_name(surface: str, label: str) -> str:
    """The name as seen, without a genitive ending ("KD-Nets" → "KD-Net", "KL’s" → "KL")."""
    names = gazetteer().by_name
    if surface.lower() in names or surface == label:
        return surface
    stripped = re.sub(r"(’s|'s|s)$", "", surface)
    return stripped if stripped.lower() in names or stripped == label else surface


def _add_mentions(
    g: Graph,
    minter: Minter,
    p_iri: URIRef,
    sdoc,
    orgs_seen: dict[str, tuple[str, set[str]]],
    council: URIRef | None = None,
):
    """The mentions of a paragraph or table cell. In a council's minutes a bare "KKR" ("KKR
    godkendte …") is that council (`council`), not the KKRs in general."""
    for o in sdoc._.kkr_orgs:
        if council is not None and o.org_id == GENERIC_KKR and o.text.strip() == "KKR":
            g.add((p_iri, KKR.mentions, council))
            continue
        g.add((p_iri, KKR.mentions, minter.org(o.org_id)))
        seen = orgs_seen.setdefault(o.org_id, (o.label, set()))[1]
        name = _seen_name(o.text, o.label)
        if name != o.label:
            seen.add(name)
    for person in sdoc._.kkr_persons:
        p = minter.person(person.name)
        g.add((p, RDF.type, FOAF.Person))
        g.add((p, FOAF.name, Literal(person.name)))
        g.add((p_iri, KKR.mentions, p))
    for k, amount in enumerate(sdoc._.kkr_amounts, start=1):
        a = URIRef(f"{p_iri}/amount/{k}")
        g.add((p_iri, KKR.mentionsAmount, a))
        g.add((a, RDF.type, SCHEMA.MonetaryAmount))
        g.add((a, SCHEMA.value, Literal(amount.value, datatype=XSD.decimal)))
        g.add((a, SCHEMA.currency, Literal("DKK")))
        g.add((a, KKR.sourceText, Literal(amount.text)))
    for k, mention in enumerate(sdoc._.kkr_dates, start=1):
        if mention.kind == "date":
            g.add((p_iri, KKR.mentionsDate, _date(mention.start)))
            continue
        if mention.kind == "range":  # both ends are printed dates
            g.add((p_iri, KKR.mentionsDate, _date(mention.start)))
            g.add((p_iri, KKR.mentionsDate, _date(mention.end)))
        period = URIRef(f"{p_iri}/period/{k}")
        g.add((p_iri, KKR.mentionsPeriod, period))
        g.add((period, RDF.type, KKR.Period))
        g.add((period, KKR.startDate, _date(mention.start)))
        g.add((period, KKR.endDate, _date(mention.end)))
        g.add((period, KKR.sourceText, Literal(mention.text)))
    for case_id in sdoc._.kkr_cases:
        case = minter.case(case_id)
        g.add((case, RDF.type, KKR.Case))
        g.add((case, DCT.identifier, Literal(case_id)))
        g.add((p_iri, KKR.mentionsCase, case))

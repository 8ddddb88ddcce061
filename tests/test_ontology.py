"""The ontology (ontology/kkr.ttl), its generated vocabulary module and the SHACL shapes."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, Namespace

from kkr.ontology import NAMESPACE, generate, ontology_graph, shapes_graph
from kkr.vocab import BESLUIT, DCT, FOAF, KKR, ORG, PREFIXES, PROV, SCHEMA, bind_prefixes

SH = "http://www.w3.org/ns/shacl#"
# a plain Namespace: rdflib's XSD warns when pytest probes module attributes at collection
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

TABLE_CLASSES = ["Table", "TableRow", "TableCell"]
TABLE_PROPERTIES = ["table", "row", "cell", "isHeader"]
CLASSES = ["Case", "Section", "Paragraph", "Period", "SectionType", "Outcome", "Deadline", "Continuation"]
CLASSES += TABLE_CLASSES + ["DocumentType"]
SECTION_TYPES = {
    "Background": ("Baggrund", "Background"),
    "Recommendation": ("Indstilling", "Recommendation"),
    "CasePresentation": ("Sagsfremstilling", "Case presentation"),
    "DecisionSection": ("Beslutning", "Decision"),
    "OtherSection": ("Anden sektion", "Other section"),
}
OUTCOMES = {
    "Approved": ("Godkendt", "Approved"),
    "ApprovedWithChanges": ("Godkendt med ændringer", "Approved with changes"),
    "PartiallyApproved": ("Delvist godkendt", "Partially approved"),
    "Noted": ("Taget til efterretning", "Noted"),
    "Rejected": ("Ikke godkendt", "Rejected"),
    "Postponed": ("Udsat", "Postponed"),
    "Appointed": ("Valg og udpegninger", "Appointed"),
    "OtherOutcome": ("Andet udfald", "Other outcome"),
}
PROPERTIES = [
    "itemNumber",
    "case",
    "section",
    "introduction",
    "decision",
    "sectionType",
    "heading",
    "paragraph",
    "page",
    "outcome",
    "outcomeEvidence",
    "sourceText",
    "sha256",
    "mentions",
    "mentionsAmount",
    "mentionsDate",
    "mentionsCase",
    "mentionsPeriod",
    "startDate",
    "endDate",
    "caseHandler",
    "continues",
    "deadline",
    "deadlineKind",
    "fromItem",
    "toItem",
    "evidence",
    "score",
    "agendaHeading",
    *TABLE_PROPERTIES,
    "documentType",
]
SCHEMES = ["SectionTypes", "Outcomes", "DocumentTypes"]
DOCUMENT_TYPES = {"Minutes": ("Referat", "Minutes"), "Agenda": ("Dagsorden", "Agenda")}
ALL_TERMS = CLASSES + PROPERTIES + SCHEMES + list(SECTION_TYPES) + list(OUTCOMES) + list(DOCUMENT_TYPES)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def kkr_iris(graph: Graph) -> set[URIRef]:
    return {node for triple in graph for node in triple if isinstance(node, URIRef) and str(node).startswith(NAMESPACE)}


def described_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(NAMESPACE)}


def langs(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for o in graph.objects(subject, predicate):
        assert isinstance(o, Literal), f"{subject} {predicate} {o!r} is not a literal"
        out.setdefault(o.language, []).append(str(o))
    return out


# --------------------------------------------------------------------------- the ontology


def test_ontology_parses_and_has_header(onto):
    assert len(onto) > 100
    header = URIRef("https://w3id.org/kkr/ns")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert set(langs(onto, header, DCT.title)) == {"da", "en"}


@pytest.mark.parametrize("name", ALL_TERMS)
def test_term_exists(onto, name):
    iri = URIRef(NAMESPACE + name)
    assert (iri, None, None) in onto, f"kkr:{name} is not described in kkr.ttl"
    assert getattr(KKR, name) == iri


def test_every_term_has_danish_and_english_label_and_comment(onto):
    terms = described_terms(onto)
    assert terms
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            found = langs(onto, term, predicate)
            for lang in ("da", "en"):
                assert found.get(lang), f"{term} lacks {predicate.n3()} @{lang}"
                assert len(found[lang]) == 1, f"{term} has several {predicate.n3()} @{lang}"
        assert (term, RDFS.isDefinedBy, URIRef("https://w3id.org/kkr/ns")) in onto, term


def test_every_kkr_iri_used_is_described(onto, shapes):
    used = kkr_iris(onto) | kkr_iris(shapes)
    missing = used - described_terms(onto)
    assert not missing, f"used but not described in kkr.ttl: {sorted(missing)}"


def test_no_term_beyond_the_listed_ones_without_noticing(onto):
    # Adding a term is allowed; this keeps the list in this test (the contract) in step.
    assert {str(t)[len(NAMESPACE) :] for t in described_terms(onto)} == set(ALL_TERMS)


@pytest.mark.parametrize("name", CLASSES)
def test_classes_are_classes(onto, name):
    assert (KKR[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", PROPERTIES)
def test_properties_are_properties(onto, name):
    types = set(onto.objects(KKR[name], RDF.type))
    assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
    assert RDF.Property in types


@pytest.mark.parametrize(
    "prop,range_",
    [
        (KKR.page, XSD.integer),
        (KKR.mentionsDate, XSD.date),
        (KKR.startDate, XSD.date),
        (KKR.endDate, XSD.date),
        (KKR.mentionsPeriod, KKR.Period),
        (KKR.deadline, KKR.Deadline),
        (KKR.outcome, KKR.Outcome),
        (KKR.sectionType, KKR.SectionType),
        (KKR.case, KKR.Case),
        (KKR.decision, BESLUIT.Besluit),
        (KKR.mentionsAmount, SCHEMA.MonetaryAmount),
    ],
)
def test_ranges(onto, prop, range_):
    assert (prop, RDFS.range, range_) in onto


def test_mentions_ranges_over_organisations_and_persons(onto):
    (range_,) = onto.objects(KKR.mentions, RDFS.range)
    members = set(Collection(onto, onto.value(range_, OWL.unionOf)))
    assert members == {ORG.Organization, FOAF.Person}


def test_continues_is_a_subproperty_of_references(onto):
    assert (KKR.continues, RDFS.subPropertyOf, DCT.references) in onto


def test_reused_vocabularies_are_not_redefined(onto):
    for s in onto.subjects():
        if isinstance(s, URIRef):
            assert str(s).startswith(NAMESPACE) or str(s) == "https://w3id.org/kkr/ns", f"{s} redefined"


@pytest.mark.parametrize(
    "scheme,cls,concepts",
    [
        ("SectionTypes", "SectionType", SECTION_TYPES),
        ("Outcomes", "Outcome", OUTCOMES),
        ("DocumentTypes", "DocumentType", DOCUMENT_TYPES),
    ],
)
def test_concept_schemes(onto, scheme, cls, concepts):
    assert (KKR[scheme], RDF.type, SKOS.ConceptScheme) in onto
    assert set(onto.subjects(RDF.type, KKR[cls])) == {KKR[name] for name in concepts}
    for name, (da, en) in concepts.items():
        concept = KKR[name]
        assert (concept, RDF.type, SKOS.Concept) in onto
        assert (concept, SKOS.inScheme, KKR[scheme]) in onto
        assert (concept, SKOS.prefLabel, Literal(da, lang="da")) in onto, name
        assert (concept, SKOS.prefLabel, Literal(en, lang="en")) in onto, name
        assert set(langs(onto, concept, SKOS.prefLabel)) == {"da", "en"}
        for lang, values in langs(onto, concept, SKOS.prefLabel).items():
            assert len(values) == 1, f"{name} has several prefLabels @{lang}"


def test_outcome_alt_labels(onto):
    alt = {str(o) for o in onto.objects(KKR.ApprovedWithChanges, SKOS.altLabel)}
    assert "Godkendt med tilføjelse" in alt
    # a wording maps to at most one outcome, and never repeats a prefLabel
    seen: dict[str, URIRef] = {}
    for name in OUTCOMES:
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in onto.objects(KKR[name], predicate):
                key = str(label).casefold()
                assert seen.setdefault(key, KKR[name]) == KKR[name], f"{label!r} is ambiguous"


# --------------------------------------------------------------------------- the generated module


def test_generated_vocab_is_up_to_date():
    assert generate.check(), "kkr/vocab.py is stale: run python -m kkr.ontology.generate"
    assert generate.main(["--check"]) == 0


def test_generate_check_detects_a_stale_module(tmp_path, capsys):
    stale = tmp_path / "vocab.py"
    stale.write_text(generate.render().replace("    Case: URIRef", "    Cse: URIRef"), encoding="utf-8")
    assert generate.main(["--check", "--output", str(stale)]) == 1
    assert generate.main(["--check", "--output", str(tmp_path / "missing.py")]) == 1
    assert generate.main(["--output", str(stale)]) == 0
    assert generate.main(["--check", "--output", str(stale)]) == 0
    capsys.readouterr()
    assert generate.main(["--stdout"]) == 0
    assert capsys.readouterr().out == generate.render()


def test_vocab_module_matches_ontology(onto):
    assert {KKR[t.name] for t in generate.collect_terms(onto)} == described_terms(onto)


def test_unknown_term_raises():
    with pytest.raises(AttributeError):
        KKR.Nonexistent  # noqa: B018
    with pytest.raises(AttributeError):
        KKR.approved  # noqa: B018  (case matters)


def test_reused_namespaces():
    assert str(SCHEMA) == "https://schema.org/"
    assert str(BESLUIT) == "http://data.vlaanderen.be/ns/besluit#"
    assert PREFIXES["kkr"] == NAMESPACE
    g = bind_prefixes(Graph())
    assert dict(g.namespaces())["schema"] == URIRef("https://schema.org/")


# --------------------------------------------------------------------------- SHACL

ID = "https://w3id.org/kkr/id/"
BODY = URIRef(ID + "org/kkr-midtjylland")
MEETING = URIRef(ID + "meeting/kkr-midtjylland/2025-10-20")
EARLIER = URIRef(ID + "meeting/kkr-midtjylland/2025-09-03")
ITEM = URIRef(str(MEETING) + "/item/3.2")
CASE = URIRef(ID + "case/SAG-2025-03802")
SEC_REC = URIRef(str(ITEM) + "/section/1")
SEC_DEC = URIRef(str(ITEM) + "/section/2")
PARA_REC = URIRef(str(SEC_REC) + "/paragraph/1")
PARA_DEC = URIRef(str(SEC_DEC) + "/paragraph/1")
DECISION = URIRef(str(ITEM) + "/decision")
DOC = URIRef(ID + "document/0f3a")
CDEU = URIRef(ID + "org/central-denmark-eu-office")
PERSON = URIRef(ID + "person/anders-andersen")
AMOUNT = URIRef(str(PARA_DEC) + "/amount/1")
PERIOD = URIRef(str(PARA_REC) + "/period/1")
DEADLINE = URIRef(str(ITEM) + "/deadline/1")


def valid_graph() -> Graph:
    g = bind_prefixes(Graph())
    add = g.add
    add((BODY, RDF.type, BESLUIT.Bestuursorgaan))
    add((BODY, RDF.type, ORG.Organization))
    add((BODY, SKOS.prefLabel, Literal("KKR Midtjylland", lang="da")))

    add((DOC, RDF.type, FOAF.Document))
    add((DOC, DCT.source, Literal("samples/kkr-midtjylland-2025-10-20.pdf")))
    add((DOC, KKR.sha256, Literal("0f3a" * 16)))
    add((DOC, KKR.documentType, KKR.Minutes))

    add((MEETING, RDF.type, BESLUIT.Zitting))
    add((MEETING, BESLUIT.isGehoudenDoor, BODY))
    add((MEETING, DCT.date, Literal("2025-10-20", datatype=XSD.date)))
    add((MEETING, BESLUIT.behandelt, ITEM))
    add((MEETING, PROV.wasDerivedFrom, DOC))

    # a meeting known only from a reference: no items, no source document
    add((EARLIER, RDF.type, BESLUIT.Zitting))
    add((EARLIER, BESLUIT.isGehoudenDoor, BODY))
    add((EARLIER, DCT.date, Literal("2025-09-03", datatype=XSD.date)))

    add((ITEM, RDF.type, BESLUIT.Agendapunt))
    add((ITEM, KKR.itemNumber, Literal("3.2")))
    add((ITEM, DCT.title, Literal("Central Denmark EU Office: resultatkontrakt 2026")))
    add((ITEM, SCHEMA.position, Literal(7)))
    add((ITEM, KKR.case, CASE))
    add((ITEM, KKR.section, SEC_REC))
    add((ITEM, KKR.section, SEC_DEC))
    add((ITEM, KKR.decision, DECISION))
    add((ITEM, KKR.caseHandler, Literal("chbn")))
    add((ITEM, DCT.references, EARLIER))
    add((ITEM, KKR.deadline, DEADLINE))

    add((CASE, RDF.type, KKR.Case))
    add((CASE, DCT.identifier, Literal("SAG-2025-03802")))

    for section, stype, heading, para, text, page in (
        (
            SEC_REC,
            KKR.Recommendation,
            "Indstilling",
            PARA_REC,
            "Det indstilles, at KKR Midtjylland godkender kontrakten, som evalueres ultimo 2025.",
            4,
        ),
        (
            SEC_DEC,
            KKR.DecisionSection,
            "Beslutning",
            PARA_DEC,
            "Godkendt. Bevillingen på 1,3 mio. kr. udbetales 1. januar 2026.",
            5,
        ),
    ):
        add((section, RDF.type, KKR.Section))
        add((section, KKR.sectionType, stype))
        add((section, KKR.heading, Literal(heading)))
        add((section, KKR.paragraph, para))
        add((para, RDF.type, KKR.Paragraph))
        add((para, PROV.value, Literal(text)))
        add((para, KKR.page, Literal(page)))
        add((para, SCHEMA.position, Literal(1)))
        add((para, KKR.mentions, CDEU))
        add((para, KKR.mentionsCase, CASE))

    add((PARA_REC, KKR.mentions, PERSON))
    add((PARA_REC, KKR.mentionsPeriod, PERIOD))
    add((PERIOD, RDF.type, KKR.Period))
    add((PERIOD, KKR.startDate, Literal("2025-11-21", datatype=XSD.date)))
    add((PERIOD, KKR.endDate, Literal("2025-12-31", datatype=XSD.date)))
    add((PERIOD, KKR.sourceText, Literal("ultimo 2025")))

    add((PARA_DEC, KKR.mentionsDate, Literal("2026-01-01", datatype=XSD.date)))
    add((PARA_DEC, KKR.mentionsAmount, AMOUNT))
    add((AMOUNT, RDF.type, SCHEMA.MonetaryAmount))
    add((AMOUNT, SCHEMA.value, Literal(Decimal("1300000"))))
    add((AMOUNT, SCHEMA.currency, Literal("DKK")))
    add((AMOUNT, KKR.sourceText, Literal("1,3 mio. kr.")))

    add((DEADLINE, RDF.type, KKR.Deadline))
    add((DEADLINE, KKR.endDate, Literal("2025-12-01", datatype=XSD.date)))
    add((DEADLINE, KKR.deadlineKind, Literal("svarfrist")))

    add((CDEU, RDF.type, ORG.Organization))
    add((CDEU, SKOS.prefLabel, Literal("Central Denmark EU Office", lang="en")))
    add((CDEU, SKOS.altLabel, Literal("CDEU")))
    add((CDEU, SKOS.altLabel, Literal("EU-kontoret", lang="da")))
    add((PERSON, RDF.type, FOAF.Person))
    add((PERSON, FOAF.name, Literal("Anders Andersen")))

    add((DECISION, RDF.type, BESLUIT.Besluit))
    add((DECISION, PROV.value, Literal("Godkendt.")))
    add((DECISION, KKR.outcome, KKR.Approved))
    return g


def validate(data: Graph, shapes: Graph, text: bool = True) -> tuple[bool, str | Graph]:
    """(conforms, report as text or, with text=False, as a graph)."""
    pyshacl = pytest.importorskip("pyshacl")
    conforms, report, report_text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return conforms, (report_text if text else report)


def test_shapes_parse(shapes):
    assert set(shapes.subjects(RDF.type, URIRef(SH + "NodeShape")))


def test_shapes_sh_in_lists_match_the_ontology(onto, shapes):
    lists = {}
    for prop in shapes.subjects(URIRef(SH + "path"), None):
        path = shapes.value(prop, URIRef(SH + "path"))
        head = shapes.value(prop, URIRef(SH + "in"))
        if head is not None and path in (KKR.sectionType, KKR.outcome):
            lists[path] = set(Collection(shapes, head))
    assert lists[KKR.sectionType] == set(onto.subjects(RDF.type, KKR.SectionType))
    assert lists[KKR.outcome] == set(onto.subjects(RDF.type, KKR.Outcome))


def test_valid_graph_conforms(shapes):
    conforms, text = validate(valid_graph(), shapes)
    assert conforms, text


def test_valid_graph_answers_the_contract_queries():
    g = valid_graph()
    agenda = """
        SELECT ?number ?title ?outcome ?decision WHERE {
          ?m a besluit:Zitting ; dct:date "2025-10-20"^^xsd:date ; besluit:behandelt ?item .
          ?item kkr:itemNumber ?number ; dct:title ?title ; schema:position ?pos .
          OPTIONAL { ?item kkr:decision ?d . ?d prov:value ?decision ; kkr:outcome/skos:prefLabel ?outcome .
                     FILTER(lang(?outcome) = "da") }
        } ORDER BY ?pos"""
    g += ontology_graph()  # the outcome labels live in the ontology
    rows = list(g.query(agenda, initNs=PREFIXES))
    assert [(str(r.number), str(r.outcome)) for r in rows] == [("3.2", "Godkendt")]

    money = """
        SELECT ?number ?value ?printed WHERE {
          ?item kkr:itemNumber ?number ; kkr:section ?s .
          ?s kkr:sectionType kkr:DecisionSection ; kkr:paragraph/kkr:mentionsAmount ?a .
          ?a schema:value ?value ; kkr:sourceText ?printed .
        }"""
    rows = list(g.query(money, initNs=PREFIXES))
    assert [(str(r.number), r.value.toPython(), str(r.printed)) for r in rows] == [
        ("3.2", Decimal("1300000"), "1,3 mio. kr.")
    ]

    by_alias = """
        SELECT DISTINCT ?date ?number ?title WHERE {
          ?org a org:Organization ; skos:prefLabel|skos:altLabel ?name . FILTER(str(?name) = "CDEU")
          ?p kkr:mentions ?org . ?item kkr:section/kkr:paragraph ?p ;
             kkr:itemNumber ?number ; dct:title ?title .
          ?m besluit:behandelt ?item ; dct:date ?date .
        } ORDER BY ?date ?number"""
    rows = list(g.query(by_alias, initNs=PREFIXES))
    assert [str(r.number) for r in rows] == ["3.2"]


Mutation = Callable[[Graph], None]


def _set(subject: URIRef, predicate: URIRef, value) -> Mutation:
    return lambda g: g.set((subject, predicate, value))


def _remove(subject: URIRef, predicate: URIRef) -> Mutation:
    return lambda g: g.remove((subject, predicate, None))


def _add(subject: URIRef, predicate: URIRef, value) -> Mutation:
    return lambda g: g.add((subject, predicate, value))


def _add_case(g: Graph) -> None:
    other = URIRef(ID + "case/SAG-2024-00001")
    g.add((other, RDF.type, KKR.Case))
    g.add((other, DCT.identifier, Literal("SAG-2024-00001")))
    g.add((ITEM, KKR.case, other))


BROKEN: dict[str, tuple[Mutation, URIRef | None]] = {
    "decision without outcome": (_remove(DECISION, KKR.outcome), KKR.outcome),
    "paragraph on page 0": (_set(PARA_DEC, KKR.page, Literal(0)), KKR.page),
    "item without title": (_remove(ITEM, DCT.title), DCT.title),
    "outcome not in the list": (_set(DECISION, KKR.outcome, URIRef(NAMESPACE + "Adopted")), KKR.outcome),
    "outcome given as text": (_set(DECISION, KKR.outcome, Literal("Godkendt")), KKR.outcome),
    "decision with two outcomes": (_add(DECISION, KKR.outcome, KKR.Noted), KKR.outcome),
    "decision without text": (_remove(DECISION, PROV.value), PROV.value),
    "item number that is not a number": (_set(ITEM, KKR.itemNumber, Literal("3.b")), KKR.itemNumber),
    "item number as integer": (_set(ITEM, KKR.itemNumber, Literal(3)), KKR.itemNumber),
    "item with two titles": (_add(ITEM, DCT.title, Literal("En anden titel")), DCT.title),
    "item without position": (_remove(ITEM, SCHEMA.position), SCHEMA.position),
    "item position as string": (_set(ITEM, SCHEMA.position, Literal("7")), SCHEMA.position),
    "item with two cases": (_add_case, KKR.case),
    "item case not a kkr:Case": (_set(ITEM, KKR.case, URIRef(ID + "case/untyped")), KKR.case),
    "item section not a kkr:Section": (_add(ITEM, KKR.section, URIRef(ID + "untyped-section")), KKR.section),
    "case without identifier": (_remove(CASE, DCT.identifier), DCT.identifier),
    "meeting without body": (_remove(MEETING, BESLUIT.isGehoudenDoor), BESLUIT.isGehoudenDoor),
    "meeting without date": (_remove(EARLIER, DCT.date), DCT.date),
    "meeting date as dateTime": (
        _set(MEETING, DCT.date, Literal("2025-10-20T10:00:00", datatype=XSD.dateTime)),
        DCT.date,
    ),
    "section type not in the list": (_set(SEC_REC, KKR.sectionType, KKR.Approved), KKR.sectionType),
    "section without type": (_remove(SEC_REC, KKR.sectionType), KKR.sectionType),
    "section without heading": (_remove(SEC_DEC, KKR.heading), KKR.heading),
    "section without paragraph": (_remove(SEC_DEC, KKR.paragraph), KKR.paragraph),
    "paragraph without text": (_remove(PARA_REC, PROV.value), PROV.value),
    "paragraph without page": (_remove(PARA_REC, KKR.page), KKR.page),
    "paragraph page as string": (_set(PARA_REC, KKR.page, Literal("4")), KKR.page),
    "paragraph without position": (_remove(PARA_REC, SCHEMA.position), SCHEMA.position),
    "mentioned date as string": (_set(PARA_DEC, KKR.mentionsDate, Literal("1. januar 2026")), KKR.mentionsDate),
    "mentions an untyped node": (_add(PARA_DEC, KKR.mentions, URIRef(ID + "org/untyped")), KKR.mentions),
    "organisation without name": (_remove(CDEU, SKOS.prefLabel), SKOS.prefLabel),
    "person without name": (_remove(PERSON, FOAF.name), FOAF.name),
    "amount as float": (_set(AMOUNT, SCHEMA.value, Literal(1300000.0)), SCHEMA.value),
    "amount in euro": (_set(AMOUNT, SCHEMA.currency, Literal("EUR")), SCHEMA.currency),
    "amount without printed text": (_remove(AMOUNT, KKR.sourceText), KKR.sourceText),
    "document without source": (_remove(DOC, DCT.source), DCT.source),
    "document checksum in upper case": (_set(DOC, KKR.sha256, Literal("0F3A" * 16)), KKR.sha256),
    "document checksum too short": (_set(DOC, KKR.sha256, Literal("0f3a")), KKR.sha256),
    "document without type": (_remove(DOC, KKR.documentType), KKR.documentType),
    "document of another type": (_set(DOC, KKR.documentType, KKR.Background), KKR.documentType),
    "period ending before it starts": (
        _set(PERIOD, KKR.endDate, Literal("2025-01-01", datatype=XSD.date)),
        KKR.startDate,
    ),
    "deadline without date": (_remove(DEADLINE, KKR.endDate), None),
}


@pytest.mark.parametrize("mutation,path", list(BROKEN.values()), ids=list(BROKEN))
def test_broken_graph_does_not_conform(shapes, mutation, path):
    g = valid_graph()
    mutation(g)
    conforms, report = validate(g, shapes, text=False)
    assert not conforms
    if path is not None:  # the violation is reported on the property that was broken
        paths = set(report.objects(None, URIRef(SH + "resultPath")))
        assert path in paths, paths


def test_referenced_only_meeting_needs_no_source_or_items(shapes):
    g = valid_graph()
    assert (EARLIER, PROV.wasDerivedFrom, None) not in g
    assert (EARLIER, BESLUIT.behandelt, None) not in g
    conforms, text = validate(g, shapes)
    assert conforms, text


def test_language_tagged_text_is_accepted(shapes):
    g = valid_graph()
    g.set((ITEM, DCT.title, Literal("Resultatkontrakt 2026", lang="da")))
    g.set((PARA_REC, PROV.value, Literal("Det indstilles ...", lang="da")))
    conforms, text = validate(g, shapes)
    assert conforms, text


def test_the_code_s_danish_outcome_labels_are_the_ontology_s(onto):
    from kkr.ingest.outcomes import DANISH_LABELS, OUTCOMES

    assert set(DANISH_LABELS) == set(OUTCOMES)
    for name, label in DANISH_LABELS.items():
        assert (KKR[name], SKOS.prefLabel, Literal(label, lang="da")) in onto, name

"""The five queries of the public contract (vocabulary.md), exactly as written there: the graph's
promise to other tools, used by the tests and shown as examples on the SPARQL page."""

from kkr.sparql_terms import CONTRACT_PREFIXES as PREFIXES  # the prologue, as vocabulary.md writes it

MEETINGS = (
    PREFIXES
    + """
SELECT ?meeting ?body ?date WHERE {
  ?meeting a besluit:Zitting ; besluit:isGehoudenDoor/skos:prefLabel ?body ; dct:date ?date .
} ORDER BY ?date
"""
)

AGENDA = (
    PREFIXES
    + """
SELECT ?number ?title ?outcome ?decision WHERE {
  ?m a besluit:Zitting ; dct:date "%s"^^xsd:date ; besluit:behandelt ?item .
  ?item kkr:itemNumber ?number ; dct:title ?title ; schema:position ?pos .
  OPTIONAL { ?item kkr:decision ?d . ?d prov:value ?decision ; kkr:outcome/skos:prefLabel ?outcome .
             FILTER(lang(?outcome) = "da") }
} ORDER BY ?pos
"""
)

CASE = (
    PREFIXES
    + """
SELECT ?date ?number ?title WHERE {
  ?case dct:identifier "%s" .
  ?item kkr:case ?case ; kkr:itemNumber ?number ; dct:title ?title .
  ?m besluit:behandelt ?item ; dct:date ?date .
} ORDER BY ?date ?number
"""
)

MONEY_IN_DECISIONS = (
    PREFIXES
    + """
SELECT ?number ?value ?printed WHERE {
  ?item kkr:itemNumber ?number ; kkr:section ?s .
  ?s kkr:sectionType kkr:DecisionSection ; kkr:paragraph/kkr:mentionsAmount ?a .
  ?a schema:value ?value ; kkr:sourceText ?printed .
}
"""
)

ORG_MENTIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?date ?number ?title WHERE {
  ?org a org:Organization ; skos:prefLabel|skos:altLabel ?name . FILTER(str(?name) = "%s")
  ?p kkr:mentions ?org . ?item kkr:section/kkr:paragraph ?p ;
     kkr:itemNumber ?number ; dct:title ?title .
  ?m besluit:behandelt ?item ; dct:date ?date .
} ORDER BY ?date ?number
"""
)

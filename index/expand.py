"""Query expansion across Danish and English through the graph: the glossary's SKOS concepts
and the organisations' labels. An English query about "the business hub board" also searches
for "erhvervshus" and "bestyrelse"; "CDEU" also for "Central Denmark EU Office"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkr.index.lexical import tokens
from kkr.index.lexicon import WORD, lexicon
from kkr.sparql_terms import prefixes

TERMS_QUERY = (
    "\n"
    + prefixes("skos", "org")
    + """\
SELECT ?c ?label (LANG(?label) AS ?lang) ?kind WHERE {
  { ?c a skos:Concept ; skos:prefLabel|skos:altLabel ?label . BIND("concept" AS ?kind)
    FILTER NOT EXISTS { ?c a <https://w3id.org/kkr/ns#Outcome> } FILTER NOT EXISTS { ?c a <https://w3id.org/kkr/ns#SectionType> }
    FILTER NOT EXISTS { ?c a <https://w3id.org/kkr/ns#DocumentType> } }
  UNION
  { ?c a org:Organization ; skos:prefLabel|skos:altLabel ?label . BIND("org" AS ?kind) }
}"""
)


def load_terms(store) -> list[dict]:
    """Concept → labels (with language) from the graph, for the index to keep beside it.
    Any store with `select()` will do: the local store, a remote one, the service's worker pool."""
    concepts: dict[str, dict] = {}
    for row in store.select(TERMS_QUERY):
        entry = concepts.setdefault(row["c"], {"iri": row["c"], "kind": row["kind"], "da": [], "en": []})
        bucket = entry["en"] if row["lang"] == "en" else entry["da"]
        if row["label"] not in bucket:
            bucket.append(row["label"])
    return list(concepts.values())


@dataclass
class Expansion:
    query: str
    matched: list[str]  # concept IRIs found in the query
    added: list[str]  # terms added

    @property
    def text(self) -> str:
        return " ".join([self.query, *self.added])


class Expander:
    """Finds glossary terms and organisation names in a query (longest match first, any case
    for words, exact case for abbreviations) and adds the Danish labels the minutes use: for an
    English term its Danish translations, for an organisation its Danish names and aliases."""

    def __init__(self, terms: list[dict], vocabulary: set[str] | None = None):
        self.vocabulary = vocabulary  # the index's tokens: a word they hold needs no translation
        self.by_surface: dict[str, list[dict]] = {}
        for t in terms:
            for label in t["da"] + t["en"]:
                if len(label) >= 2:
                    self.by_surface.setdefault(_key(label), []).append(t)
        surfaces = sorted(self.by_surface, key=len, reverse=True)
        self.regex = (
            re.compile(r"(?<![\wæøå])(" + "|".join(map(re.escape, surfaces)) + r")(?![\wæøå])", re.IGNORECASE)
            if surfaces
            else None
        )

    def expand(self, query: str) -> Expansion:
        matched: list[str] = []
        added: list[str] = []
        for m in self.regex.finditer(query) if self.regex is not None else ():
            surface = m.group(1)
            for t in self.by_surface.get(_key(surface), []):
                if t["kind"] == "org" and len(surface) <= 5 and not surface.isupper():
                    continue  # "via" is not VIA
                if t["iri"] in matched:
                    continue
                matched.append(t["iri"])
                danish = {_key(x) for x in t["da"]}
                if t["kind"] == "concept" and _key(surface) in danish:
                    continue  # a Danish word needs no help: stemming finds its forms
                for label in t["da"][:4]:
                    if _key(label) != _key(surface) and label not in added:
                        added.append(label)
        if self.vocabulary is not None:
            added += [d for d in self._translations(query) if d not in added]
        return Expansion(query, matched, added)

    def _translations(self, query: str) -> list[str]:
        """The lexicon's Danish words for the query's English words and phrases that no minutes
        use and the glossary did not match ("upskilling pool" → opkvalificering, pulje)."""
        vocabulary = self.vocabulary or set()
        if self.regex is not None:
            query = self.regex.sub(" ", query)
        out = []
        for phrase in lexicon().phrases(WORD.findall(query)):
            if not set(tokens(phrase)) <= vocabulary:
                out += lexicon().danish(phrase)[:3]
        return out


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())

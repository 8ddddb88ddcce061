"""Entity linking for questions: organisations, persons and glossary concepts found by any of
their labels (Danish, English, abbreviations, aliases), longest match first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkr.index.expand import load_terms

PERSONS = """SELECT DISTINCT ?p ?name WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> ;
                                              <http://xmlns.com/foaf/0.1/name> ?name }"""


@dataclass
class Link:
    surface: str
    iri: str
    kind: str  # "org", "person", "concept"
    label: str
    danish: list[str]


class Linker:
    def __init__(self, terms: list[dict], persons: list[dict]):
        self.entries: dict[str, list[dict]] = {}
        for t in terms:
            label = (t["da"] or t["en"])[0]
            for surface in t["da"] + t["en"]:
                if len(surface) >= 2:
                    self.entries.setdefault(surface.lower(), []).append(
                        {
                            "iri": t["iri"],
                            "kind": t["kind"],
                            "label": label,
                            "danish": t["da"],
                            "upper": surface.isupper(),
                        }
                    )
        for p in persons:
            name = p["name"]
            for surface in {name, name.split()[-1]} if len(name.split()) > 1 else {name}:
                if len(surface) >= 4:
                    self.entries.setdefault(surface.lower(), []).append(
                        {"iri": p["p"], "kind": "person", "label": name, "danish": [name]}
                    )
        surfaces = sorted(self.entries, key=len, reverse=True)
        # an English plural finds its singular ("chairs" → chair)
        self.regex = (
            re.compile(r"(?<![\wæøå-])(" + "|".join(map(re.escape, surfaces)) + r")(?:s|es)?(?![\wæøå])", re.IGNORECASE)
            if surfaces
            else None
        )

    @classmethod
    def from_store(cls, store) -> Linker:
        return cls(load_terms(store), store.select(PERSONS))

    def find(self, text: str) -> list[Link]:
        if self.regex is None:
            return []
        links: list[Link] = []
        for m in self.regex.finditer(text):
            surface = m.group(1)
            for e in self.entries[surface.lower()]:
                if e.get("upper") and len(surface) <= 5 and not surface.isupper():
                    continue  # "via" is not VIA (a short name printed in capitals); "Movia" is Movia
                if any(link.iri == e["iri"] for link in links):
                    continue
                links.append(Link(surface, e["iri"], e["kind"], e["label"], e["danish"]))
                break
        return links

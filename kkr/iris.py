"""Deterministic instance IRIs, so that a meeting ingested later lands on the node earlier
references already point to. Part of the core: it imports no NLP (spaCy stays in kkr.ingest)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from rdflib import URIRef


def slugify(text: str) -> str:
    """ASCII slug for IRIs: 'KKR Sjælland' → 'kkr-sjaelland'."""
    text = text.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("&", " og ")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class Minter:
    """Makes the IRIs of one base, e.g. https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20."""

    def __init__(self, base: str):
        self.base = base

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def org(self, org_id: str) -> URIRef:
        return self._iri(f"org/{org_id}")

    def body(self, label: str) -> URIRef:
        return self.org(slugify(label))

    def meeting(self, body: str, when: date) -> URIRef:
        return self._iri(f"meeting/{slugify(body)}/{when.isoformat()}")

    def item(self, body: str, when: date, number: str) -> URIRef:
        return URIRef(f"{self.meeting(body, when)}/item/{number}")

    def case(self, identifier: str) -> URIRef:
        return self._iri(f"case/{identifier}")

    def person(self, name: str) -> URIRef:
        return self._iri(f"person/{slugify(name)}")

    def document(self, sha256: str) -> URIRef:
        return self._iri(f"document/{sha256[:16]}")

    def graph(self, body: str, when: date, agenda: bool = False) -> URIRef:
        """The named graph of one source document: a meeting's minutes, or with `agenda` its agenda.
        (The minutes keep the graph IRI of the time when a meeting had one document, so stores
        made then need no migration; a corrected re-issue replaces the document of its type.)"""
        path = f"graph/{slugify(body)}/{when.isoformat()}"
        return self._iri(path + "/agenda" if agenda else path)

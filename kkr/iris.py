"""Deterministic instance IRIs, so that a meeting ingested later lands on the node earlier
references already point to."""
from __future__ import annotations

from datetime import date

from rdflib import URIRef

from kkr.ingest.nlp import slugify


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

    def graph(self, body: str, when: date) -> URIRef:
        """The named graph holding one meeting's source document."""
        return self._iri(f"graph/{slugify(body)}/{when.isoformat()}")

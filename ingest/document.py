"""Parse one source document: read, clean, find structure, meeting and entities."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from spacy.language import Language

from kkr.errors import IngestError
from kkr.ingest.doctype import MINUTES, document_type
from kkr.ingest.introduction import introduction
from kkr.ingest.metadata import detect_meeting, meeting_location
from kkr.ingest.nlp import new_document
from kkr.ingest.normalise import Line, normalise
from kkr.ingest.outcomes import classify
from kkr.ingest.read import read_document
from kkr.ingest.references import find_meeting_references
from kkr.ingest.structure import Item, Paragraph, parse_structure
from kkr.ingest.tables import table_cells


@dataclass
class ParsedItem:
    item: Item
    outcome: str | None
    references: list[tuple[str, date]]
    evidence: str | None = None  # the words of the decision that gave the outcome


@dataclass
class ParsedDocument:
    """Everything extracted from one source document, before it becomes RDF."""

    path: Path
    sha256: str
    body: str
    date: date
    items: list[ParsedItem]
    urls: list[str]
    pages: int
    annotations: dict[int, Any] = field(default_factory=dict)  # id(Paragraph) → spaCy Doc
    doc_type: str = MINUTES  # kkr:documentType local name: Minutes or Agenda (ingest/doctype.py)
    location: str | None = None  # where the meeting is held, as printed (Mødested)
    introduction: list[Paragraph] = field(default_factory=list)  # before the first item (ingest/introduction.py)

    def doc_of(self, paragraph: Paragraph):
        return self.annotations[id(paragraph)]


def parse_document(
    path: Path, nlp: Language, body: str | None = None, meeting_date: date | None = None, doc_type: str | None = None
) -> ParsedDocument:
    """Parse `path`; raises IngestError with the file, the page where known, and what to do.
    `doc_type` ("minutes"/"agenda", or None to detect it) says what kind of document it is."""
    data = path.read_bytes()
    pages = read_document(path)
    lines, urls = normalise(pages)
    minutes = parse_structure(lines)
    if not minutes.items:
        raise IngestError(
            path,
            "no agenda items found (numbered headings such as '1.1. Godkendelse af referat')",
            "check that the file is KKR minutes (referat) with numbered agenda items",
        )
    # the first page's own top lines first: the cleaning takes a running header ("KKR MIDTJYLLAND")
    # off every page, the first included, and it may be where the council is named
    top = [Line(t.strip(), 1) for t in pages[0].lines[:3] if t.strip()] if pages else []
    info = detect_meeting(path, top + (minutes.preamble or lines[:25]), body, meeting_date)
    if info.date is None:
        raise IngestError(
            path,
            "the meeting date is neither printed in the header nor in the file name",
            "give it with --date YYYY-MM-DD",
        )
    if info.body is None:
        raise IngestError(
            path,
            "the council (KKR) is neither printed in the header nor in the file name",
            'give it with --body "KKR Midtjylland"',
        )
    new_document(nlp)
    opening = introduction(minutes.preamble)
    paragraphs: list[Any] = [p for it in minutes.items for s in it.sections for p in s.paragraphs] + opening
    paragraphs += table_cells(minutes.items)  # a table's cells get mentions too (doc_of(cell))
    annotations = {id(p): doc for p, doc in zip(paragraphs, nlp.pipe(p.text for p in paragraphs), strict=True)}
    items = []
    for it in minutes.items:
        decision = it.decision_text
        refs: list[tuple[str, date]] = []
        for text in [it.title] + [p.text for s in it.sections for p in s.paragraphs]:
            for ref in find_meeting_references(text, info.body, info.date):
                if ref not in refs:
                    refs.append(ref)
        recommendation = [p.text for s in it.sections_of("Recommendation") for p in s.paragraphs]
        found = classify(decision, recommendation) if decision else None
        items.append(ParsedItem(it, found.outcome if found else None, refs, found.evidence if found else None))
    kind = document_type(
        [ln.text for ln in lines[:40]], path, any(it.decision_text is not None for it in minutes.items), doc_type
    )
    location = meeting_location(top + (minutes.preamble or lines[:25]))
    return ParsedDocument(
        path,
        hashlib.sha256(data).hexdigest(),
        info.body,
        info.date,
        items,
        urls,
        len(pages),
        annotations,
        kind,
        location,
        opening,
    )

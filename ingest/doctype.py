"""Whether a source document is the minutes (referat) of a meeting or its agenda (dagsorden).

KL publishes the agenda before each meeting and the minutes after; both describe the same meeting
and items, and only the minutes have decisions. The type is read from the document's own title
near its top ("Dagsorden", "Referat", "Beslutningsprotokol"), else from the file name, else from
its content: an agenda has no Beslutning sections."""

from __future__ import annotations

import re
from pathlib import Path

MINUTES, AGENDA = "Minutes", "Agenda"  # local names of kkr:documentType values
TYPES = {"minutes": MINUTES, "referat": MINUTES, "agenda": AGENDA, "dagsorden": AGENDA}

_AGENDA_TITLE = re.compile(r"^(?:dagsorden|agenda)\b", re.IGNORECASE)
_MINUTES_TITLE = re.compile(r"^(?:referat|beslutningsprotokol|protokol|minutes)\b", re.IGNORECASE)
_AGENDA_NAME = re.compile(r"(?:^|[^a-zæøå])(?:dagsorden|agenda)(?:[^a-zæøå]|$)", re.IGNORECASE)
_MINUTES_NAME = re.compile(r"(?:^|[^a-zæøå])(?:referat|beslutningsprotokol)(?:[^a-zæøå]|$)", re.IGNORECASE)
TOP_LINES = 15  # the title is among the first printed lines


def document_type(top_lines: list[str], path: Path, has_decisions: bool, given: str | None = None) -> str:
    """MINUTES or AGENDA for a document: `given` (a --type value: minutes/referat, agenda/
    dagsorden) wins; then a title line near the top; then the file name; then the content (a
    document without any decision is an agenda only when nothing else says it is minutes)."""
    if given:
        return TYPES[given.strip().lower()]
    for line in [ln.strip() for ln in top_lines if ln.strip()][:TOP_LINES]:
        if _AGENDA_TITLE.match(line):
            return AGENDA
        if _MINUTES_TITLE.match(line):
            return MINUTES
    if _AGENDA_NAME.search(path.stem):
        return AGENDA
    if _MINUTES_NAME.search(path.stem):
        return MINUTES
    return MINUTES if has_decisions else AGENDA

"""Which body held the meeting and on which date: from the document's header, else its file name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kkr.ingest.dates import MONTHS, parse_danish_date
from kkr.ingest.normalise import Line

KNOWN_BODIES = {
    "hovedstaden": "KKR Hovedstaden",
    "sjaelland": "KKR Sjælland",
    "sjælland": "KKR Sjælland",
    "syddanmark": "KKR Syddanmark",
    "midtjylland": "KKR Midtjylland",
    "nordjylland": "KKR Nordjylland",
}
BODY_IN_TEXT = re.compile(r"\b(?:KKR|Kommunekontaktrådet(?: i| for)?)\s+(?P<name>[A-ZÆØÅ][A-Za-zæøåÆØÅ]+)")
DATE_LINE = re.compile(
    r"\b(?:mødedato|dato|mødetidspunkt|afholdt|møde(?:t)?\s+(?:i\s+\S+\s+\S+\s+)?den|referat)\b", re.IGNORECASE
)
FILE_BODY = re.compile(
    r"kkr-(?P<body>hovedstaden|sjaelland|sjælland|syddanmark|midtjylland|nordjylland)", re.IGNORECASE
)
FILE_DATE_WORDS = re.compile(
    r"(?P<day>\d{1,2})-(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")-(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)
FILE_DATE_ISO = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)")
HEADER_LINES = 25


@dataclass
class MeetingInfo:
    body: str | None
    date: date | None
    body_source: str  # "option", "header", "file name" or "" where not found
    date_source: str


def body_label(name: str) -> str:
    """'midtjylland', 'Midtjylland' or 'KKR Midtjylland' → 'KKR Midtjylland'."""
    key = re.sub(r"^(kkr[\s-]+)", "", name.strip(), flags=re.IGNORECASE).lower()
    if key in KNOWN_BODIES:
        return KNOWN_BODIES[key]
    return name.strip() if name.strip().upper().startswith("KKR") else f"KKR {name.strip()}"


def detect_meeting(
    path: Path, header: list[Line], body: str | None = None, meeting_date: date | None = None
) -> MeetingInfo:
    """Body and date: given options win, then what the header prints, then the file name."""
    info = MeetingInfo(None, None, "", "")
    head = [ln.text for ln in header if ln.text][:HEADER_LINES]
    if body:
        info.body, info.body_source = body_label(body), "option"
    else:
        for text in head:
            m = BODY_IN_TEXT.search(text)
            if m:
                info.body, info.body_source = body_label(m["name"]), "header"
                break
        else:
            m = FILE_BODY.search(path.stem)
            if m:
                info.body, info.body_source = body_label(m["body"]), "file name"
    if meeting_date:
        info.date, info.date_source = meeting_date, "option"
    else:
        for text in head:
            if DATE_LINE.search(text):
                d = parse_danish_date(text)
                if d:
                    info.date, info.date_source = d, "header"
                    break
        else:
            d = _date_from_file_name(path.stem)
            if d:
                info.date, info.date_source = d, "file name"
    return info


LOCATION_LINE = re.compile(r"^\s*(?:Mødested|Mødelokale|Sted|Location|Venue)\s*:\s*(?P<place>\S.{1,150}?)\s*$", re.I)


def meeting_location(header: list[Line]) -> str | None:
    """Where the meeting is held, from a "Mødested: …" line of the document's header."""
    for line in [ln.text for ln in header if ln.text][:HEADER_LINES]:
        m = LOCATION_LINE.match(line)
        if m:
            return m["place"].rstrip(".")
    return None


def _date_from_file_name(stem: str) -> date | None:
    m = FILE_DATE_WORDS.search(stem)
    try:
        if m:
            return date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
        m = FILE_DATE_ISO.search(stem)
        if m:
            return date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        return None
    return None

"""Danish dates in text: exact dates, ranges and vague periods ("ultimo 2025"), as ISO values."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "januar": 1,
    "februar": 2,
    "marts": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
MONTH_NAMES_DA = [
    None,
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]

_MONTH = r"(?P<month>januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|okt|nov|dec)\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# "3. september 2025", "den 19.-27. januar 2026", "1.-2. maj 2025"
DAY_MONTH_YEAR = re.compile(
    r"(?<![\d.])(?P<day>[0-3]?\d)\.(?:\s*[-–]\s*(?P<day2>[0-3]?\d)\.)?\s+" + _MONTH + r"\s+" + _YEAR + r"(?!\d)",
    re.IGNORECASE,
)
# "1.1.2026", "01.10.2025", "1/1 2026"
NUMERIC = re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./ ](?P<year>(?:19|20)\d\d)(?![\d])")
SEASONS = {
    "foråret": (3, 1, 5, 31),
    "forår": (3, 1, 5, 31),
    "sommeren": (6, 1, 8, 31),
    "sommer": (6, 1, 8, 31),
    "efteråret": (9, 1, 11, 30),
    "efterår": (9, 1, 11, 30),
    "vinteren": (12, 1, 12, 31),
}
VAGUE = re.compile(
    r"(?P<prefix>ultimo|primo|medio|sidst i|først i|midt i|slutningen af|starten af|begyndelsen af)?\s*"
    r"(?:(?P<q>[1-4])\.\s*kvartal|(?P<h>[12])\.\s*halvår|(?P<season>foråret|forår|sommeren|efteråret|vinteren)|"
    + _MONTH.replace("(?P<month>", "(?P<vmonth>")
    + r"(?:\s*/\s*(?P<prefix2>primo|ultimo|medio)?\s*(?P<vmonth2>januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december))?)?"
    r"\s*(?P<vyear>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    """A date or period found in text: start == end for an exact date."""

    start: date
    end: date
    text: str
    begin: int  # character offsets in the searched text
    stop: int
    kind: str = "date"  # "date", "range" (19.-27. januar 2026) or "period" (ultimo 2025)

    @property
    def exact(self) -> bool:
        return self.start == self.end


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _vague_interval(m: re.Match) -> tuple[date, date] | None:
    y = int(m["vyear"])
    prefix = (m["prefix"] or "").lower()
    if m["q"]:
        q = int(m["q"])
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if m["h"]:
        h = int(m["h"])
        return (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
    if m["season"]:
        m1, d1, m2, d2 = SEASONS[m["season"].lower()]
        return date(y, m1, d1), date(y, m2, d2)
    if m["vmonth"]:
        first = MONTHS[m["vmonth"].lower().rstrip(".")]
        last = MONTHS[m["vmonth2"].lower()] if m["vmonth2"] else first
        prefix2 = (m["prefix2"] or "").lower()
        end = date(y, last, 10) if prefix2 == "primo" else _month_end(y, last)
        if prefix in ("primo", "først i", "starten af", "begyndelsen af"):
            return date(y, first, 1), (date(y, last, 10) if first == last else end)
        if prefix in ("ultimo", "sidst i", "slutningen af"):
            return date(y, first, 21), end
        if prefix in ("medio", "midt i"):
            return date(y, first, 11), date(y, last, 20)
        return date(y, first, 1), end
    # a bare year only counts with a prefix ("ultimo 2025"): plain years are too common to be periods
    if prefix in ("ultimo", "sidst i", "slutningen af"):
        return date(y, 12, 1), date(y, 12, 31)
    if prefix in ("primo", "først i", "starten af", "begyndelsen af"):
        return date(y, 1, 1), date(y, 1, 31)
    if prefix in ("medio", "midt i"):
        return date(y, 6, 1), date(y, 7, 31)
    return None


def find_dates(text: str) -> list[DateMention]:
    """Every exact date, date range and vague period in `text`, in order of appearance.

    A range "19.-27. januar 2026" yields one mention with start and end.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in DAY_MONTH_YEAR.finditer(text):
        y, mo = int(m["year"]), MONTHS[m["month"].lower().rstrip(".")]
        start = _safe_date(y, mo, int(m["day"]))
        end = _safe_date(y, mo, int(m["day2"])) if m["day2"] else start
        if start and end and end >= start:
            kind = "range" if m["day2"] else "date"
            found.append(DateMention(start, end, m.group(0), m.start(), m.end(), kind))
        taken.append((m.start(), m.end()))  # an impossible date ("31. februar") is no period either
    for m in NUMERIC.finditer(text):
        if not free(m.start(), m.end()):
            continue
        d = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
        if d:
            found.append(DateMention(d, d, m.group(0), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in VAGUE.finditer(text):
        a = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        if not free(a, m.end()):
            continue
        span = _vague_interval(m)
        if span:
            found.append(DateMention(span[0], span[1], text[a : m.end()], a, m.end(), "period"))
            taken.append((a, m.end()))
    found.sort(key=lambda d: d.begin)
    return found


def parse_danish_date(text: str) -> date | None:
    """The first exact date in `text` ("3. september 2025", "2025-09-03", "3.9.2025"), or None."""
    iso = re.search(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", text)
    if iso:
        return _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
    for d in find_dates(text):
        if d.exact:
            return d.start
    return None


def format_danish_date(d: date) -> str:
    """'3. september 2025'."""
    return f"{d.day}. {MONTH_NAMES_DA[d.month]} {d.year}"

"""The scope a question gives: its dates (a meeting date, a month, a year, "siden september",
"the latest meeting") and a council named by its region ("in Zealand", "de nordjyske kommuner")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kkr.ingest.dates import MONTHS, find_dates
from kkr.qa.interpret import Interpretation

EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}


# abbreviations the minutes' own (kkr.ingest.dates.MONTHS: "jan", "okt", …) lack ("20 Oct")
ABBREVIATED_MONTHS = {"oct": 10, "dek": 12}
# written out ("i maj", not "i mar"), so that a short word is not read as a month
FULL_MONTH_NAMES = "|".join(
    sorted({*EN_MONTHS, *(m for m in MONTHS if len(m) > 3 or m == "maj")}, key=len, reverse=True)
)
MONTH_NAMES = "|".join(sorted([*MONTHS, *EN_MONTHS, *ABBREVIATED_MONTHS], key=len, reverse=True))


def year_printed(year: str) -> re.Pattern:
    """A year as printed in a text ("2027", not inside "20270" or "SAG-12027")."""
    return re.compile(rf"(?<!\d){re.escape(year)}(?!\d)")


def _month_number(name: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or EN_MONTHS.get(name) or ABBREVIATED_MONTHS.get(name) or 1


def _month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _latest(month: int, day: int, now: date) -> date | None:
    """The latest such day up to `now` (this year's, else last year's); None for no such day."""
    for year in (now.year, now.year - 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= now:
            return found
    return None


def _yearless_date(text: str, now: date) -> tuple[date, str] | None:
    """A day and a month without a year ("24. nov", "on 20 October", "March 10th"): the latest
    such day up to `now` (the newest meeting), so a question about a past meeting finds it."""
    m = re.search(
        r"(?<![\d/.-])(\d{1,2})(?:\.|st|nd|rd|th)?\s+(" + MONTH_NAMES + r")\b\.?(?!\s*(?:19|20)\d\d)", text, re.I
    ) or re.search(
        r"\b(" + MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![.,]?\s*(?:19|20)\d\d)(?![\d/.-])", text, re.I
    )
    if not m:
        # "den 10/3", "on 10/3", a question ending "10/3" (day and month; "2/3 af kommunerne" is a share)
        n = re.search(
            r"(?:\b(?:den|d\.|on|the)\s+|\s)(\d{1,2})/(\d{1,2})(?=\s*[?.!]?\s*$|\s+(?:i|in|at|på)\b)", text, re.I
        )
        found = _latest(int(n.group(2)), int(n.group(1)), now) if n else None
        return (found, n.group(0).strip()) if n and found else None
    day_first = m.group(1).isdigit()
    day, month = (
        (int(m.group(1)), _month_number(m.group(2))) if day_first else (int(m.group(2)), _month_number(m.group(1)))
    )
    found = _latest(month, day, now)
    return (found, m.group(0)) if found else None


def _english_date(text: str) -> tuple[date, str] | None:
    """A date as English writes it ("10 March 2025", "March 10th, 2025"), or a Danish one without
    its period ("12 maj 2025"), month names abbreviated or not."""
    m = re.search(
        r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + MONTH_NAMES + r")\.?\s+((?:19|20)\d\d)\b", text, re.I
    ) or re.search(r"\b(" + MONTH_NAMES + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", text, re.I)
    if not m:
        return None
    groups = m.groups()
    if groups[0].isdigit():
        day, month, year = int(groups[0]), _month_number(groups[1]), int(groups[2])
    else:
        month, day, year = _month_number(groups[0]), int(groups[1]), int(groups[2])
    try:
        return date(year, month, day), m.group(0)
    except ValueError:
        return None


# a season's first month and its number of months
SEASONS = {
    "forår": (3, 3),
    "spring": (3, 3),
    "sommer": (6, 3),
    "summer": (6, 3),
    "efterår": (9, 3),
    "autumn": (9, 3),
    "fall": (9, 3),
    "vinter": (12, 3),
    "winter": (12, 3),
}
_SEASON = re.compile(
    r"\b(?:(?:i|in|during|last|sidste|sidst|om)\s+(?:the\s+)?)?"
    r"(forår|sommer|efterår|vinter|spring|summer|autumn|fall|winter)(?:et|en)?"
    r"(?:\s+(?:of\s+)?((?:19|20)\d\d))?\b",
    re.I,
)


def _season(text: str, now: date) -> tuple[date, date, str] | None:
    """A season ("i efteråret 2025", "autumn 2025", "last spring"): its first and last day.
    Without a year, the latest such season begun by `now`. A bare season word needs a year or a
    preposition before it ("the costs fall" is no season)."""
    for m in _SEASON.finditer(text):
        preposition = m.group(0)[: m.start(1) - m.start(0)].strip().lower()
        if not (m.group(2) or preposition):
            continue
        first, months = SEASONS[m.group(1).lower()]
        year = int(m.group(2)) if m.group(2) else (now.year if date(now.year, first, 1) <= now else now.year - 1)
        start = date(year, first, 1)
        last = first + months - 1  # the season's last month
        end = _month_end(year + (last > 12), (last - 1) % 12 + 1)
        if preposition in ("last", "sidste", "sidst") and not m.group(2) and start <= now <= end:
            start, end = start.replace(year=year - 1), end.replace(year=end.year - 1)  # the one before this
        return start, end, m.group(0)
    return None


def _iso_date(text: str) -> tuple[date, str] | None:
    """A date as 2025-06-02."""
    m = re.search(r"(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])", text)
    try:
        return (date(int(m[1]), int(m[2]), int(m[3])), m.group(0)) if m else None
    except ValueError:
        return None


def read_scope(question: str, interp: Interpretation, now: date) -> None:
    """Time scope: an exact meeting date, a year, "siden september", "på seneste møde"."""
    q = question
    exact = [d for d in find_dates(q) if d.kind == "date"]
    month_scoped = False  # a month and year ("i oktober 2025") scoped the question
    english = _english_date(q) or _iso_date(q)
    if not exact and not english:
        english = _yearless_date(q, now)
    found = (exact[0].start, exact[0].text) if exact else english
    if found:
        before = q[: q.find(found[1])] if found[1] in q else ""
        if re.search(r"\b(?:efter|after|since|siden)\b[^.?]{0,40}$", before, re.I):
            interp.date_from = (found[0] + timedelta(days=1)).isoformat()  # "after the meeting on ..."
        elif re.search(r"\b(?:før|before|inden)\b[^.?]{0,40}$", before, re.I):
            interp.date_to = (found[0] - timedelta(days=1)).isoformat()
        else:
            interp.date_from = interp.date_to = found[0].isoformat()
        interp.scope_text.append(found[1])
    else:
        names = MONTH_NAMES
        # "i juni 2025", "in June 2025"; "the August 2025 minutes" (a meeting's), not "the January
        # 2025 mapping" (a thing's)
        month = re.search(r"\b(?:i|in|during|for)\s+(" + names + r")\s+((?:19|20)\d\d)\b", q, re.I) or re.search(
            # "the August 2025 minutes"; a month and year that end the question ("dagsorden KKR
            # Sjælland marts 2026")
            r"\b("
            + names
            + r")\s+((?:19|20)\d\d)(?:\s+(?:minutes|meeting|agenda|referat|møde|dagsorden)|\s*[?.!]?\s*$|\s*[-–:,]|"
            # "midtjylland april 2026 hvad blev udsat": a question after the scope
            r"\s+(?=(?:hvad|hvilke|hvem|hvornår|what|which|who|when)\b))",
            q,
            re.I,
        )
        # "between June and September 2025"; "i juni og i september 2025" (two meetings compared)
        between = re.search(
            r"\b(?:between|mellem|from|fra|i|in)\s+(?:(?:the\s+)?(?:møde[t]?|meeting)\s+(?:i|in)\s+)?("
            + names
            + r")(?:\s+((?:19|20)\d\d))?\s+(?:and|og|to|til)\s+(?:(?:i|in)\s+)?("
            + names
            + r")\s+((?:19|20)\d\d)\b",
            q,
            re.I,
        )
        if month and re.search(
            r"\b(?:siden|since|efter|after|før|before|inden|og|and|til|to)\s+$", q[: month.start(1)], re.I
        ):
            month = None  # "siden juni 2025" starts a period; it is read below
        if between:  # "between June and September 2025": from the first month to the end of the last
            first, last = (_month_number(between.group(i)) for i in (1, 3))
            y2 = int(between.group(4))
            y1 = int(between.group(2)) if between.group(2) else (y2 if first <= last else y2 - 1)
            interp.date_from = date(y1, first, 1).isoformat()
            interp.date_to = _month_end(y2, last).isoformat()
            interp.scope_text.append(between.group(0))
            month_scoped = True
        elif season := _season(q, now):
            interp.date_from, interp.date_to = season[0].isoformat(), season[1].isoformat()
            interp.scope_text.append(season[2])
            month_scoped = True
        elif month:
            m = _month_number(month.group(1))
            y = int(month.group(2))
            interp.date_from, interp.date_to = date(y, m, 1).isoformat(), _month_end(y, m).isoformat()
            interp.scope_text.append(month.group(0).strip())
            month_scoped = True
        elif meeting_month := re.search(
            r"\b(?:the\s+)?(" + names + r")(?:'s)?\s+(?:meeting|minutes|agenda)s?\b|"
            r"\b(?:mødet|møde|referatet|dagsordenen)\s+(?:i|fra)\s+(" + names + r")\b(?!\s+(?:19|20)\d\d)|"
            r"\b(?:last|past|sidste|forrige|i|in|during)\s+(" + FULL_MONTH_NAMES + r")\b(?!\s+\d)",
            q,
            re.I,
        ):
            # "the March meeting", "mødet i marts", "last January": the latest such month up to now
            m = _month_number(next(g for g in meeting_month.groups() if g))
            y = now.year if m <= now.month else now.year - 1
            interp.date_from, interp.date_to = date(y, m, 1).isoformat(), _month_end(y, m).isoformat()
            interp.scope_text.append(meeting_month.group(0))
            month_scoped = True
    since = re.search(
        r"\b(siden|since|efter|after)\s+(?:(?:its|the|dets|mødet i)\s+)?("
        + "|".join(sorted([*MONTHS, *EN_MONTHS, *ABBREVIATED_MONTHS], key=len, reverse=True))
        + r")\b(?:\s+((?:19|20)\d\d))?",
        q,
        re.I,
    )
    if since and not exact and not english:
        name = since.group(2).lower()
        since_month = MONTHS.get(name) or EN_MONTHS.get(name) or ABBREVIATED_MONTHS.get(name) or 1
        since_year = int(since.group(3)) if since.group(3) else (now.year if since_month <= now.month else now.year - 1)
        if since.group(1).lower() in ("efter", "after"):
            # "after (its) April 2026 (meeting)": from the day after that month
            interp.date_from = (_month_end(since_year, since_month) + timedelta(days=1)).isoformat()
        else:  # "siden september": from its first day
            interp.date_from = date(since_year, since_month, 1).isoformat()
        interp.date_to = None
        interp.scope_text.append(since.group(0))
    year = re.search(r"\b(?:i|in|during|år|year)\s+((?:19|20)\d\d)\b", q, re.I)
    if year:
        interp.year_from, interp.year_to = f"{year.group(1)}-01-01", f"{year.group(1)}-12-31"
        interp.scope_text.append(year.group(0))
        if not (exact or month_scoped or english or since):
            interp.date_from, interp.date_to = interp.year_from, interp.year_to
    bare = re.search(r"(?<![\d\-/.])((?:19|20)\d\d)(?![\d\-/.])", q)
    if bare and not (year or exact or month_scoped or english):  # "KKR Sjælland beslutninger 2026"
        interp.year_from, interp.year_to = f"{bare.group(1)}-01-01", f"{bare.group(1)}-12-31"
        interp.scope_text.append(bare.group(0))
    if re.search(r"\b(?:seneste|sidste|latest|last|most recent)\s+(?:[\wæøå-]+\s+){0,3}?(?:møde|meeting)", q, re.I):
        interp.latest_meeting = True
        interp.scope_text.append("seneste møde")


# A council named by its region in English or by a Danish regional adjective or compound ("in
# Zealand", "the North Jutland council", "de nordjyske kommuner", "sjællandskommunerne"); "Region X"
# itself is the region, not the KKR.
REGION_NAMES = {
    "KKR Hovedstaden": r"capital region|greater copenhagen area|hovedstadsområdet|hovedstadens|(?:i|in) hovedstaden|hovedstadskommun\w*",
    "KKR Sjælland": r"zealand|sjællandske|(?:på|i|in|on) sjælland|sjællands?kommun\w*",
    "KKR Syddanmark": r"southern denmark|south denmark|syddanske|sønderjysk\w*|(?:i|in) syddanmark|syddanmarks?kommun\w*",
    "KKR Midtjylland": r"central denmark|central jutland|mid-?jutland|midtjyske|(?:i|in) midtjylland|midtjyllands?kommun\w*",
    "KKR Nordjylland": r"north denmark|north jutland|northern jutland|nordjyske|(?:i|in) nordjylland|nordjyllands?kommun\w*",
}
# a region's name that opens a keyword question ("syddanmark januar 2026 - hvilke sager …") or
# stands before a meeting ("the Midtjylland meeting") is its council
_MEETING_AFTER = r"(?:s|'s)?\s+(?:meetings?|møde[t]?|council|kkr)"
OPENING = {
    council: rf"^\s*{name}|{name}{_MEETING_AFTER}"
    for council, name in {
        "KKR Hovedstaden": "hovedstaden",
        "KKR Sjælland": "sjælland",
        "KKR Syddanmark": "syddanmark",
        "KKR Midtjylland": "midtjylland",
        "KKR Nordjylland": "nordjylland",
    }.items()
}
_REGION = re.compile(
    r"(?<!region )\b(?:"
    + "|".join(f"(?P<c{i}>{p}|{OPENING[c]})" for i, (c, p) in enumerate(REGION_NAMES.items()))
    + r")\b",
    re.IGNORECASE,
)


def councils_by_region(question: str) -> list[tuple[str, str]]:
    """(the council's label, the words that named it) of every council named by its region, in the
    question's order ("South Denmark vs the Capital Region"), each once."""
    out: list[tuple[str, str]] = []
    for m in _REGION.finditer(question):
        label = list(REGION_NAMES)[int(next(k for k, v in m.groupdict().items() if v)[1:])]
        if all(label != seen for seen, _ in out):
            out.append((label, m.group(0)))
    return out

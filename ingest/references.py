"""References to other meetings of a body: earlier ones ("referatet fra mødet den 3. september
2025") and the next one ("Næste møde holdes den 15. juni 2026")."""

from __future__ import annotations

import re
from datetime import date

from kkr.ingest.dates import DAY_MONTH_YEAR, NUMERIC, find_dates
from kkr.ingest.metadata import body_label

# "mødet den D", "møde i KKR X den D", "KKR Xs møde den D", "det seneste møde den D"
MEETING_DATE = re.compile(
    r"(?:(?P<owner>KKR [A-ZÆØÅ][a-zæøå]+?)(?:s|’s|'s) )?\b(?:møde|mødet|møderne)\b"
    r"(?:\s+i\s+(?P<where>[^,.;:]{2,40}?))?\s+den\s+(?=\d)",
    re.IGNORECASE,
)
# Other organs whose meetings are not the body's own ("Bestyrelsen godkendte på mødet den ...").
OTHER_ORGANS = re.compile(
    r"\w*(?:bestyrelse|udvalg|formandskab|netværk|delegeret|styregruppe|kreds|partnerskab|"
    r"generalforsamling|regionsråd|klynge|forum|fora|sekretariat|direktion)\w*|\bKD-net\w*|"
    r"\bmellem\b",
    re.IGNORECASE,
)
# "Næste møde i KKR X holdes mandag den D", "næste møde den D": the meeting planned after this one
NEXT_MEETING = re.compile(
    r"\b(?:næste|kommende)\s+(?:ordinære\s+)?møde\b(?:\s+i\s+(?P<where>KKR [A-ZÆØÅ][a-zæøå]+))?"
    r"[^.;:]{0,40}?\bden\s+(?=\d)",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def find_meeting_references(text: str, body: str, meeting_date: date) -> list[tuple[str, date]]:
    """(body, date) of each earlier meeting of a KKR that `text` refers to, and of the next
    meeting it plans ("Næste møde i KKR X holdes mandag den 15. juni 2026").

    A meeting counts when the sentence says whose meeting it is (this KKR or another), or names
    no other organ before it; "Bestyrelsen godkendte på mødet den ..." or "et møde i KD-net den
    ..." is another organ's meeting and is left out. Only dates before the meeting count, except
    for the meeting named as the next one.
    """
    refs: list[tuple[str, date]] = []
    for sentence in SENTENCE_END.split(text):
        for m in MEETING_DATE.finditer(sentence):
            d = DAY_MONTH_YEAR.match(sentence, m.end()) or NUMERIC.match(sentence, m.end())
            if not d:
                continue
            when = find_dates(d.group(0))[0].start if find_dates(d.group(0)) else None
            if when is None or when >= meeting_date:
                continue
            owner = m["owner"] or ""
            where = (m["where"] or "").strip()
            if owner:
                ref_body = body_label(owner)
            elif where:
                if not where.upper().startswith("KKR "):
                    continue
                ref_body = body_label(re.sub(r"(s|’s|'s)$", "", where))
            else:
                before = sentence[: m.start()]
                if OTHER_ORGANS.search(before):
                    continue
                ref_body = body
            if (ref_body, when) not in refs:
                refs.append((ref_body, when))
        for m in NEXT_MEETING.finditer(sentence):
            d = DAY_MONTH_YEAR.match(sentence, m.end()) or NUMERIC.match(sentence, m.end())
            found = find_dates(d.group(0)) if d else []
            if (
                found
                and found[0].start > meeting_date
                and not (not m["where"] and OTHER_ORGANS.search(sentence[: m.start()]))
            ):
                ref = (body_label(m["where"]) if m["where"] else body, found[0].start)
                if ref not in refs:
                    refs.append(ref)
    return refs

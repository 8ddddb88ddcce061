"""When questions ("hvornår", "by when", "deadline"): the deadlines the graph holds and the dated
sentences of the most relevant items, in the period asked; another council's minutes where the
council's own give no date; every deadline in scope when no topic is asked."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from kkr import tracing
from kkr.index.lexical import tokens
from kkr.ingest.dates import find_dates
from kkr.qa.amounts import MEETING_WORD
from kkr.qa.evidence import (
    RELATIVE_DEADLINE,
    _cite,
    _dedupe,
    _format_date,
    _overlap,
    _record_with,
    _sentences,
    _shorten,
)
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import (
    deadlines_query,
)
from kkr.qa.relevance import Relevance
from kkr.qa.scope import year_printed
from kkr.qa.wording import TEXT, cited_at, nothing, scope_words, topic_of


def answer_when(
    rel: Relevance, interp: Interpretation, within: tuple[str, str] | None = None, council: str | None = None
):
    """Deadlines and dates about the topic: those the graph holds and the dated sentences of the
    most relevant items; with no topic, every deadline in scope. `within`: the first and last
    day the dates must fall in (a period that is the dates', not the meetings'); `council`: the
    council asked about, read in other councils' minutes (their sentences that name it answer)."""
    if interp.year_from and interp.year_to and (interp.date_from, interp.date_to) == (interp.year_from, interp.year_to):
        interp.date_from = interp.date_to = None  # "frister i 2026": the year is the deadlines', not the meetings'
        within = (interp.year_from, interp.year_to)
    groups = rel.known(rel.groups(interp))
    if not groups:
        return _deadlines_in_scope(rel, interp)
    hits = rel.relevant_items(interp, k=5)
    if not hits:
        return _when_elsewhere(rel, interp, within, council)
    items = [h.item_iri for h in hits[:3]]
    if interp.body and any(h.records and h.records[0].body != interp.body for h in hits[:3]):
        # another council's minutes speak of this one: its sentences that name it say most
        groups = [*groups, [frozenset(tokens(interp.body)), frozenset(tokens(interp.body.split()[-1]))]]
    asks_deadline = bool(re.search(r"frist|deadline|senest|by when|no later", interp.question, re.I))
    candidates = []  # (score, order, line, record)
    for d in tracing.deadlines(rel.store, items=items):
        if not _within(d["date"], d["text"], within):
            continue
        rec = _record_with(hits, d["item_iri"], d["printed"]) or rel.by_item[d["item_iri"]][0]
        # the clause of the date says which of a sentence's deadlines is asked ("svarfrist den 1.
        # marts, og kommunalbestyrelserne skal have tiltrådt senest den 1. maj")
        score = _overlap(d["text"], groups) + (1 if asks_deadline else 0.5) + 0.25 * _overlap(_clause(d), groups)
        when = _format_date(date.fromisoformat(d["date"]), interp.language)
        candidates.append((score, items.index(d["item_iri"]), f"- {when} ({d['kind']}): «{d['text']}»", rec))
    for rank, h in enumerate(hits[:3]):
        for r in h.records:
            for sentence in _sentences(r.text):
                found = [
                    x
                    for x in find_dates(sentence)
                    if (x.kind != "period" or not asks_deadline) and _within(x.start.isoformat(), sentence, within)
                ]
                if found and _overlap(sentence, groups) and not any(sentence in c[2] for c in candidates):
                    # a dated sentence that speaks of nothing asked is not a date of it
                    when = ", ".join(dict.fromkeys(_format_date(x.start, interp.language) for x in found[:2]))
                    candidates.append((_overlap(sentence, groups), rank, f"- {when}: «{_shorten(sentence)}»", r))
                elif (
                    asks_deadline
                    and RELATIVE_DEADLINE.search(sentence)
                    and _overlap(sentence, groups)
                    and not any(sentence in c[2] for c in candidates)  # a deadline already dated
                ):
                    # "senest tre hverdage før det konstituerende møde": a deadline without a date
                    candidates.append((_overlap(sentence, groups) + 0.5, rank, f"- «{_shorten(sentence)}»", r))
    if council:
        naming = re.compile(r"\b" + re.escape(council.split()[-1]) + r"\b", re.I)
        candidates = [c for c in candidates if naming.search(c[2])] or candidates
    if year := _matter_year(interp, within):
        # "bestillingerne for 2027": the dates of the items that print the year, where any does
        printing = {c[3].item_iri for c in candidates if year.search(c[2])}
        candidates = [c for c in candidates if c[3].item_iri in printing] or candidates
    if not candidates:
        return _when_elsewhere(rel, interp, within, council)
    candidates.sort(key=lambda c: (-c[0], c[1]))
    best = candidates[0][0]
    chosen = [c for c in candidates if c[0] >= best - 1][:5]
    lines = [TEXT["when"][interp.language].format(topic=topic_of(interp))]
    lines += [f"{c[2]} — {cited_at(c[3], interp.language)}" for c in chosen]
    return "\n".join(lines), _dedupe([_cite(c[3]) for c in chosen]), deadlines_query(items)


def _clause(deadline: dict) -> str:
    """The clause of a deadline's sentence that holds its date (between commas, semicolons, "og")."""
    text, printed = deadline["text"], deadline.get("printed") or ""
    at = text.find(printed) if printed else -1
    if at < 0:
        return ""
    start = max(text.rfind(sep, 0, at) for sep in (",", ";", " og ", " and "))
    ends = [e for sep in (",", ";", " og ", " and ") if (e := text.find(sep, at + len(printed))) >= 0]
    return text[start + 1 : min(ends) if ends else len(text)]


def _matter_year(interp: Interpretation, within: tuple[str, str] | None) -> re.Pattern | None:
    """The year the question names as the matter's ("bestillingerne for 2027", due in 2026), not
    as the dates' own period, as a pattern; None when it names none."""
    if within or interp.date_from or not interp.year_from:
        return None
    return year_printed(interp.year_from[:4])


def _within(day: str, sentence: str, within: tuple[str, str] | None) -> bool:
    """Whether a date is in the period asked; a year asked may also be the matter's own ("ønsker
    til busdriften i 2027", due in 2026): a sentence that names the year keeps its dates."""
    if within is None or within[0] <= day <= within[1]:
        return True
    year = within[0][:4]
    return within == (f"{year}-01-01", f"{year}-12-31") and year_printed(year).search(sentence) is not None


def _when_elsewhere(rel: Relevance, interp: Interpretation, within: tuple[str, str] | None, council: str | None):
    """When the council's own minutes give no date of it, another council's may ("the constituent
    meetings of every council" in one council's timetable); when no meeting of the period asked
    speaks of it, the period may be the date's own ("the constituent meeting in January 2026")."""
    if interp.body:
        elsewhere = replace(interp, body=None, councils=[], topic=[*interp.topic, interp.body])
        return answer_when(rel, elsewhere, within, council=interp.body)
    if interp.date_from and interp.date_to and interp.date_from != interp.date_to and not within:
        return answer_when(
            rel, replace(interp, date_from=None, date_to=None), (interp.date_from, interp.date_to), council
        )
    return nothing(interp)


def _deadlines_in_scope(rel: Relevance, interp: Interpretation):
    """ "Which deadlines in 2026 ...": every deadline of the meetings in scope, in the year asked."""
    meeting_from = interp.date_from if interp.date_from == interp.date_to else None
    if meeting_from or MEETING_WORD.search(interp.question):
        # "frister fra mødet den 22. september": the date is the meeting's
        rows = tracing.deadlines(rel.store, interp.year_from, interp.year_to, interp.body)
        if meeting_from:
            rows = [d for d in rows if d["meeting_date"] == meeting_from]
        elif interp.date_from or interp.date_to:
            first, last = interp.date_from or "0000-01-01", interp.date_to or "9999-12-31"
            rows = [d for d in rows if first <= d["meeting_date"] <= last]
    else:  # "deadlines in March 2026": the range is the deadlines'
        rows = tracing.deadlines(
            rel.store, interp.date_from or interp.year_from, interp.date_to or interp.year_to, interp.body
        )
    if not rows:
        return nothing(interp)
    lines = [TEXT["when"][interp.language].format(topic=scope_words(interp).strip() or "…")]
    citations = []
    for d in rows:
        when = _format_date(date.fromisoformat(d["date"]), interp.language)
        if d.get("end_date") and d["end_date"] != d["date"]:  # a period ("1. kvartal 2026"): both ends
            when += " – " + _format_date(date.fromisoformat(d["end_date"]), interp.language)
        lines.append(
            f"- {when} ({d['kind']}): «{d['text']}» — {d['body']} {d['meeting_date']}, "
            f"{'punkt' if interp.language == 'da' else 'item'} {d['item_number']}"
        )
        rec = next(
            (r for r in rel.by_item.get(d["item_iri"], []) if d["printed"] in r.text),
            next(iter(rel.by_item.get(d["item_iri"], [])), None),
        )
        if rec:
            citations.append(_cite(rec))
    return "\n".join(lines), _dedupe(citations), ""

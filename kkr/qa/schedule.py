"""When a council meets: the meetings the graph knows in the scope asked ("hvornår mødes KKR
Sjælland i 2026?", "when does KKR Nordjylland meet?"), with the items that set out a meeting plan
first among the citations."""

from __future__ import annotations

import re
from datetime import date

from kkr.ingest.dates import format_danish_date
from kkr.qa.evidence import _cite, _dedupe, _format_date, _sentences, _shorten
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import scope_filter
from kkr.qa.relevance import Relevance
from kkr.qa.wording import nothing, scope_words
from kkr.sparql_terms import prefixes

MEETINGS = (
    prefixes("kkr", "besluit", "dct", "skos", "prov", "schema")
    + """\
SELECT ?m ?date ?body (COUNT(DISTINCT ?item) AS ?items) (COUNT(DISTINCT ?minutes) AS ?with_minutes)
       (SAMPLE(?place) AS ?location) WHERE {{
  ?m a besluit:Zitting ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  OPTIONAL {{ ?m besluit:behandelt ?item }}
  OPTIONAL {{ ?m prov:wasDerivedFrom ?minutes . FILTER NOT EXISTS {{ ?minutes kkr:documentType kkr:Agenda }} }}
  OPTIONAL {{ ?m schema:location ?place }}
  {filters}
}} GROUP BY ?m ?date ?body ORDER BY ?date"""
)
PLANS = re.compile(r"\b(?:næste|kommende) (?:\w+ )?møde\b|\b(?:holdes|afholdes|finder sted)\b", re.IGNORECASE)
PLAN_TITLE = re.compile(r"mødeplan|mødekalender|mødedatoer|mødeplanlægning|meeting plan", re.IGNORECASE)
TEXT = {
    "da": {"head": "Møder{scope} ({n}):", "agenda": "kun dagsorden", "referenced": "kendt fra en henvisning"},
    "en": {"head": "Meetings{scope} ({n}):", "agenda": "agenda only", "referenced": "known from a reference"},
}


def meetings_query(body: str | None, date_from: str | None, date_to: str | None) -> str:
    """The meetings of a council (by its label, any case) between two dates, with their number
    of items and of documents that are minutes."""
    return MEETINGS.format(filters=scope_filter(body, date_from, date_to))


def answer_schedule(rel: Relevance, interp: Interpretation):
    """The meetings in scope, oldest first, each with its number of items and whether only its
    agenda (or only a reference to it) is in."""
    # the dates asked ("after February 2026"), else the year ("i 2026", a year after every meeting)
    lo, hi = (
        (interp.date_from, interp.date_to) if interp.date_from or interp.date_to else (interp.year_from, interp.year_to)
    )
    sparql = meetings_query(interp.body, lo, hi)
    rows = {r["m"]: r for r in rel.store.select(sparql)}.values()  # one row per meeting
    if not rows:
        return nothing(interp, sparql)
    words = TEXT[interp.language]
    lines = [words["head"].format(scope=scope_words(interp), n=len(rows))]
    meeting_records = []
    for r in rows:
        when = _format_date(date.fromisoformat(str(r["date"])), interp.language)
        note = "" if int(r["with_minutes"]) else f" ({words['agenda'] if int(r['items']) else words['referenced']})"
        place = f", {r['location']}" if r.get("location") else ""
        first = next((recs[0] for recs in rel.by_item.values() if recs[0].item_iri.startswith(r["m"] + "/")), None)
        said = _announced(rel, r["body"], date.fromisoformat(str(r["date"]))) if first is None else None
        if said:  # a meeting known from the minutes that plan it: what they say of it (time, place)
            first, sentence = said
            note += f": «{_shorten(sentence)}»"
        lines.append(f"- {when}, {r['body']}{place}{note}")
        if first is not None:
            meeting_records.append(first)
    plans = [recs[0] for recs in rel.by_item.values() if PLAN_TITLE.search(recs[0].item_title)]
    plans = [p for p in plans if not interp.body or p.body.lower() == interp.body.lower()]
    # a meeting asked for by its date or month is its own best evidence; a year's meetings, the plan
    ordered = (
        meeting_records + plans
        if interp.date_from and interp.date_from != interp.year_from
        else plans + meeting_records
    )
    return "\n".join(lines), _dedupe([_cite(r) for r in ordered]), sparql


def _announced(rel: Relevance, body: str, day: date):
    """(record, sentence) of a council's minutes that speak of its meeting on `day` ("Næste møde
    i KKR X holdes mandag den 15. juni 2026 på Randers Rådhus"), or None."""
    printed = format_danish_date(day)
    found = [
        (not PLANS.search(sentence), rec, sentence)
        for records in rel.by_item.values()
        for rec in records
        if rec.body == body and printed in rec.text
        for sentence in _sentences(rec.text)
        if printed in sentence and re.search(r"\bmøde", sentence, re.I)
    ]
    # the sentence that plans the meeting ("holdes ... på Randers Rådhus") before one that only
    # names it ("forelagt på mødet den 13. april")
    return min(found, key=lambda x: x[0])[1:] if found else None

"""When a council meets: the meetings the graph knows in the scope asked ("hvornår mødes KKR
Sjælland i 2026?", "when does KKR Nordjylland meet?"), with the items that set out a meeting plan
first among the citations."""

from __future__ import annotations

import re
from datetime import date

from kkr.qa.evidence import _cite, _dedupe, _format_date
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
    lo, hi = interp.year_from or interp.date_from, interp.year_to or interp.date_to
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
        lines.append(f"- {when}, {r['body']}{place}{note}")
        first = next((recs[0] for recs in rel.by_item.values() if recs[0].item_iri.startswith(r["m"] + "/")), None)
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

"""The question answerer: reads a question in Danish or English (its language, kind, scope and
the graph's entities and concepts it names) and answers it with the builder of its kind
(kkr/qa/kind_answers.py), from the graph and the search index."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from itertools import zip_longest

from kkr.index.lexicon import lexicon
from kkr.ingest.dates import MONTH_NAMES_DA, format_danish_date
from kkr.qa.evidence import _dedupe, _is_question_form
from kkr.qa.extremes import answer_superlative, superlative_of
from kkr.qa.interpret import (
    OUTCOME_WORDS,
    Interpretation,
    function_words,
    kind_of,
    language_of,
    outcome_of,
    topic_words,
)
from kkr.qa.kind_answers import ANSWERS
from kkr.qa.link import Linker
from kkr.qa.members import answer_members, members_asked
from kkr.qa.relevance import Relevance
from kkr.qa.scope import councils_by_region, read_scope
from kkr.qa.wording import nothing


class Answerer:
    """Reads questions and answers them from a store (anything with `select`) and a Searcher."""

    def __init__(self, store, searcher, today: date | None = None):
        self.store = store
        self.searcher = searcher
        self.linker = Linker.from_store(store)
        self.relevance = Relevance(store, searcher)
        dates = [r.meeting_date for r in searcher.index.records]
        # "now" for relative scopes ("siden september") is the newest meeting the graph knows
        self.now = today or (date.fromisoformat(max(dates)) if dates else date.today())

    # reading ------------------------------------------------------------------------------------
    def interpret(self, question: str) -> Interpretation:
        """How the question reads: its language and kind, its scope (council, dates; "the latest
        meeting" as that meeting's date), the entities and concepts it names, and its other topic words."""
        interp = Interpretation(question, language_of(question, self.relevance.vocabulary), kind_of(question))
        read_scope(question, interp, self.now)
        named_case = CASE_NUMBER.search(question)
        start = interp.date_from or ""
        if (
            start > self.now.isoformat()
            and not interp.latest_meeting
            and interp.kind not in SCOPED_AS_MATTER
            and not MEETING_DAY.search(question)  # "mødet den 15. juni 2026": a meeting, if a future one
        ):
            # a period after every meeting the graph knows is the matter's ("the funding in
            # 2027"), not a meeting's (a when, amount or count answer reads a year as the matter's
            # already; a schedule may hold planned meetings)
            year = start[:4]
            interp.date_from = interp.date_to = None
            interp.year_from, interp.year_to = f"{year}-01-01", f"{year}-12-31"
        interp.outcome = outcome_of(question) if interp.kind == "list" else None
        consumed = list(interp.scope_text)
        if named_case:  # "sag SAG-2025-03822": the case's items, the number and the word "case" no topic
            interp.case = named_case.group(0).upper()
            consumed += [named_case.group(0), *re.findall(r"\b(?:case|sag|sagen|sagsnummer|sagsnr)\b", question, re.I)]
        # an outcome asked about ("approved with changes", "udsat") is the question's form
        consumed += [m.group(0) for _, pattern in OUTCOME_WORDS if (m := re.search(pattern, question, re.I))]
        # an English phrase the lexicon lists is one thing asked about, even where the glossary
        # knows one of its words ("timetable hours" is køreplantimer, not a timetable)
        phrases = lexicon().phrases_in(question) if interp.language == "en" else []
        for link in self.linker.find(question):
            if any(link.surface.lower() in p.lower() and len(link.surface) < len(p) for p in phrases):
                continue
            if any(link.surface.lower() in scope.lower() for scope in interp.scope_text):
                continue  # "i efteråret 2025" is the scope, not autumn as a matter
            if link.kind == "org" and re.match(r"(?i)kkr ", link.label):
                interp.councils.append(link.label)
                interp.body = interp.body or link.label
                consumed.append(link.surface)
                continue
            if link.kind == "concept" and interp.language == "en" and link.surface.lower() in function_words():
                continue  # "By how much": a function word, not the glossary's "by" (senest)
            if link.kind in ("concept", "org") and _is_question_form(link.surface):
                # "decision", "minutes"; "KKR" alone: the councils all minutes are of
                consumed.append(link.surface)
                continue
            target = interp.concepts if link.kind == "concept" else interp.entities
            target.append(
                {
                    "iri": link.iri,
                    "label": link.label,
                    "kind": link.kind,
                    "surface": link.surface,
                    "danish": link.danish[:6],
                }
            )
            consumed.append(link.surface)
        for label, words in councils_by_region(question):
            if interp.body is None:
                interp.body = label
            elif label in interp.councils or label == interp.body and not interp.councils:
                continue
            if interp.councils or label != interp.body:
                interp.councils += [c for c in (interp.body, label) if c not in interp.councils]
            consumed.append(words)
            # "in Central Jutland" named the council: it is the scope, not a concept to look for
            interp.concepts = [c for c in interp.concepts if not _overlaps(c["surface"], words)]
        if len(interp.councils) < 2:
            interp.councils = []
        if interp.latest_meeting:
            latest = self._latest_meeting(interp.body, decided=interp.kind == "decision")
            if latest:
                interp.date_from = interp.date_to = latest
        # a phrase the scope or an entity took is not a topic ("central jutland" named the council)
        phrases = [p for p in phrases if not any(_overlaps(p, c) for c in consumed)]
        interp.topic = phrases + topic_words(question, consumed + phrases)
        return interp

    def _first(self, question: str, interp: Interpretation) -> tuple[str, list, str, str] | None:
        """What goes before the kind's own answer, with its name: the extreme row of a table
        ("which municipality got the most"), or the municipalities an item names ("which
        municipalities take part in …")."""
        if interp.kind not in FIRST_KINDS:
            return None
        direction = superlative_of(question)
        if direction and (extreme := answer_superlative(self.relevance, interp, direction)):
            return (*extreme, "superlative")
        asked = members_asked(question)
        if asked and (members := answer_members(self.relevance, interp, asked)):
            return (*members, "members")
        return None

    def _answer(self, interp: Interpretation) -> tuple[str, list, str]:
        """The answer of the question's kind. A day or a month that no meeting of speaks of the
        matter may be the date of what is asked about ("rettelsen til referatet fra 10. marts
        2025", corrected at the next meeting; "the January 2025 mapping"): then the items of any
        date that print that day or month."""
        answered = ANSWERS[interp.kind](self.relevance, replace(interp))
        printed = _printed_period(interp.date_from, interp.date_to)
        # a month is a thing's date only where the question asks for a figure or a date of it, or
        # where the council held no meeting in it; "who was elected in January 2026" asks of that
        # month's meeting
        month = bool(printed) and interp.date_from != interp.date_to
        of_meeting = month and interp.kind not in FIGURES and self._met_in(interp)
        # "besluttet på mødet den 15. juni 2026": the day is the meeting's, asked by name
        named = interp.kind == "decision" and MEETING_DAY.search(interp.question) is not None
        if answered[1] or not printed or interp.kind in ("list", "schedule") or of_meeting or named:
            return answered
        # a year is no evidence of the matter: items that print it come first (relevance.py)
        dated = [*interp.topic, printed] if not printed.isdigit() else interp.topic
        as_dated = replace(interp, date_from=None, date_to=None, topic=dated)
        retried = ANSWERS[interp.kind](self.relevance, as_dated)
        if month and interp.kind not in FIGURES and retried[1]:
            # read as the date of what is asked, the month must come with all of it
            whole = {h.item_iri for h in self.relevance.relevant_items(as_dated) if h.coverage == 1}
            return retried if retried[1][0]["item_iri"] in whole else answered
        return retried if retried[1] else answered

    def _side_by_side(self, interp: Interpretation, orgs: list[dict]) -> tuple[str, list, str]:
        """The question answered for each organisation it compares; the citations alternate, so
        that each organisation's best evidence comes first."""
        topic = [w for w in interp.topic if not COMPARE_WORDS.match(w)]
        others = [e for e in interp.entities if e not in orgs]
        parts = [self._answer(replace(interp, entities=[*others, e], topic=topic)) for e in orgs]
        found = [p for p in parts if p[1]]
        if not found:
            return nothing(interp)
        cited = [c for row in zip_longest(*(p[1] for p in found)) for c in row if c is not None]
        return "\n\n".join(p[0] for p in found), _dedupe(cited), found[0][2]

    def _met_in(self, interp: Interpretation) -> bool:
        """Whether a meeting (of the council asked about) falls in the question's period."""
        first, last = interp.date_from or "", interp.date_to or "9999"
        return any(
            first <= r.meeting_date <= last
            for r in self.searcher.index.records
            if interp.body is None or r.body == interp.body
        )

    def _latest_meeting(self, body: str | None, decided: bool = False) -> str | None:
        """The newest meeting (of a council); with `decided`, the newest whose minutes are in
        (what was decided at the latest meeting is in its minutes, not in a later agenda)."""
        dates = [
            r.meeting_date
            for r in self.searcher.index.records
            if (body is None or r.body == body) and not (decided and r.graph in self.relevance.agendas)
        ]
        return max(dates) if dates else None

    # answering ----------------------------------------------------------------------------------
    def ask(self, question: str) -> dict:
        """{"answer", "citations", "sparql", "interpretation"} for a question in Danish or English."""
        question = question.strip()
        interp = self.interpret(question)
        as_read = replace(interp, topic=list(interp.topic), concepts=list(interp.concepts))
        if NEXT_MEETING.search(question) and interp.kind in ("when", "schedule", "search") and _only_next(interp):
            # "hvornår er næste møde": the council's meetings after its latest minutes (known from
            # an agenda or a reference); when the graph knows none, what the minutes say of it
            # "the next meeting after 2 February 2026": after that day; else after the latest minutes
            after = interp.date_from if interp.date_from and not interp.date_to else None
            latest = self._latest_meeting(interp.body, decided=True)
            if after or latest:
                interp.kind = "schedule"
                interp.date_from = after or (date.fromisoformat(latest or "") + timedelta(days=1)).isoformat()
                interp.topic = [w for w in interp.topic if not (NEXT_WORDS.match(w) or NEXT_MEETING.fullmatch(w))]
                interp.concepts = [c for c in interp.concepts if not NEXT_WORDS.match(c.get("surface") or "")]
                # the fallback: the sentences that speak of "næste møde", both words
                as_read = replace(interp, kind="when", date_from=None, topic=[*interp.topic, "næste møde"])
        if interp.kind in ("decision", "search") and _scope_only(interp):
            # only a council and/or a period ("KKR Sjælland beslutninger 2026"): its items, not a
            # topic; "KKR Midtjylland møder efteråret 2025": its meetings
            interp.kind = "schedule" if interp.kind == "search" and MEETINGS.search(question) else "list"
            if interp.kind == "list":  # "midtjylland april 2026 hvad blev udsat": the items of that outcome
                interp.outcome = outcome_of(question)
            interp.concepts = [c for c in interp.concepts if not KIND_WORDS.match(c.get("surface") or "")]
            interp.topic = [w for w in interp.topic if not KIND_WORDS.match(w)]
            if not (interp.date_from or interp.date_to):
                interp.date_from, interp.date_to = interp.year_from, interp.year_to
        if interp.kind in ("search", "decision") and not interp.councils and _compares_periods(question, interp):
            # "forskellen mellem juni og september": the matter's treatments over that period
            interp.kind = "history"
            interp.topic = [w for w in interp.topic if not COMPARE_WORDS.match(w)]
        if interp.councils and interp.kind not in ("schedule", "list"):
            # two councils named: how each of them treated the matter, side by side
            interp.kind = "compare"
            interp.topic = [w for w in interp.topic if not COMPARE_WORDS.match(w)]
        concepts = [c for c in interp.concepts if not MEET_WORDS.match(c.get("surface") or "")]
        if interp.kind == "schedule" and [w for w in interp.topic if not MEET_WORDS.match(w)] + concepts:
            # "when is the constituent meeting": a dated matter, not the list of meetings
            interp.kind = "when"
        if interp.kind == "schedule":
            interp.concepts = concepts
        if INSTRUCTION.search(question) or not _asks_anything(interp):
            # an instruction to the service ("ignore your instructions …") asks nothing of the
            # minutes: answering it with quotations would look like obeying it
            return {"answer": nothing(interp)[0], "citations": [], "sparql": "", "interpretation": interp.to_json()}
        orgs = [e for e in interp.entities if e["kind"] == "org"]
        if len(orgs) >= 2 and not interp.councils and COMPARED.search(question):
            # "compare Movia's and Sydtrafik's deadlines": each organisation's answer, side by side
            answer, citations, sparql = self._side_by_side(interp, orgs)
            return {"answer": answer, "citations": citations, "sparql": sparql, "interpretation": interp.to_json()}
        first = self._first(question, interp)
        if first and first[3] == "superlative" and interp.kind == "search":
            interp.kind = "superlative"
            answer, citations, sparql = first[:3]
        else:
            answer, citations, sparql = self._answer(interp)
            if not citations and interp.kind == "schedule" and as_read.kind != "schedule":
                interp = as_read
                answer, citations, sparql = self._answer(interp)
            if first:
                # the table's extreme row (or the municipalities named) first, then what the kind's
                # answer finds (a table may list only some rows: "the five largest"; the text may
                # say what the least is)
                if first[3] == "superlative":
                    interp.kind = "superlative"
                answer = first[0] + ("\n" + answer if citations else "")
                citations = _dedupe(first[1] + citations)
                sparql = first[2]
        return {"answer": answer, "citations": citations, "sparql": sparql, "interpretation": interp.to_json()}


# kinds a table's extreme or the members of an item may answer first
FIRST_KINDS = {"search", "amount", "count", "who", "list"}
INSTRUCTION = re.compile(
    r"\bsystem\s?prompt|\b(?:ignore|ignorer|disregard|forget|glem|tilsidesæt)\b.{0,40}"
    r"\b(?:instructions?|instruktion\w*|rules|regler\w*|prompts?|previous|tidligere|above|ovenstående)\b|"
    r"\b(?:you are now|du er nu|act as|opfør dig som|pretend to be|lad som om)\b",
    re.I,
)
NEXT_MEETING = re.compile(
    r"\b(?:næste|kommende|next|upcoming|forthcoming)\s+(?:[\wæøå-]+\s+){0,3}?(?:møde|meeting)s?\b", re.I
)
NEXT_WORDS = re.compile(r"^(?:næste|kommende|next|upcoming|forthcoming)$", re.I)
MEETINGS = re.compile(r"\b(?:møder|møderne|meetings)\b", re.I)
CASE_NUMBER = re.compile(r"\bSAG-\d{4}-\d{3,6}\b", re.I)
MEETING_DAY = re.compile(r"\b(?:møde[t]?|meeting)\s+(?:den\s+|on\s+|of\s+)?\d", re.I)
COMPARED = re.compile(r"\b(?:compar\w*|sammenlign\w*|forskel\w*|differ\w*|versus|vs)\b", re.I)
COMPARE_WORDS = re.compile(
    r"^(?:forskel\w*|adskil\w*|sammenlign\w*|forskellig\w*|compar\w*|differ\w*|versus|vs|both|begge|og|and)$", re.I
)
MEET_WORDS = re.compile(
    r"^(?:meets?|met|meetings?|mødes|mødtes|møder?|mødet|møderne|kkr-møde[rt]?|hold|holds|holder|holdes|holdt|holdtes|afholdes|afholdt|held|"
    r"dates?|schedule|plan|mødeplan\w*|mødekalender\w*|mødedatoer|calendar|council|councils|rådet|list|show|vis|"
    r"where|hvor|place|sted|located|venue|mødested)$",
    re.I,
)
KIND_WORDS = re.compile(
    r"^(?:beslut\w*|decision\w*|decide\w*|punkt\w*|items?|sager?|cases?|agenda\w*|dagsorden\w*|what's|on|"
    r"council|councils|rådet|meetings?|møder?|mødet|show|list|vis|alle|all|me|mig|give|giv|overview|oversigt|"
    r"summary|summarise|summarize|opsummer\w*|sammenfat\w*|resumé)$",
    re.I,
)


def _overlaps(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return bool(a and b) and (a in b or b in a)


def _printed_period(first: str | None, last: str | None) -> str | None:
    """A day, a calendar month or a year as the minutes print it ("10. marts 2025", "januar 2025",
    "2025"), else None."""
    if not (first and last):
        return None
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    if start == end:
        return format_danish_date(start)
    if start.day == 1 and (end + timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{MONTH_NAMES_DA[start.month]} {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)  # "the textile waste collected in 2025", counted at a 2026 meeting
    return None


FIGURES = {"count", "amount", "when", "search"}
SCOPED_AS_MATTER = {"when", "amount", "count", "schedule"}


def _asks_anything(interp) -> bool:
    """Whether a question names anything to look for or a scope to look in ("🚌🚌🚌", "???" do not)."""
    return bool(
        interp.topic
        or interp.entities
        or interp.concepts
        or interp.body
        or interp.date_from
        or interp.year_from
        or interp.latest_meeting
        or interp.case
        or interp.kind == "schedule"
    )


def _compares_periods(question: str, interp) -> bool:
    """A question comparing a matter at two times ("what changed between June and September")."""
    spans = interp.date_from and interp.date_to and interp.date_from != interp.date_to
    return (
        bool(spans)
        and re.search(r"\b(?:forskel\w*|ændre\w*|changed?|differ\w*|compar\w*|sammenlign\w*)", question, re.I)
        is not None
    )


def _only_next(interp) -> bool:
    """A question for the next meeting and nothing else ("hvornår er næste møde i KKR X?")."""
    words = [w for w in interp.topic if not (NEXT_WORDS.match(w) or NEXT_MEETING.fullmatch(w) or MEET_WORDS.match(w))]
    concepts = [c for c in interp.concepts if not (NEXT_WORDS.match(c["surface"]) or MEET_WORDS.match(c["surface"]))]
    after = interp.date_from and not interp.date_to  # "the next meeting after 2 February"
    return not ((interp.scope_text and not after) or words or concepts or interp.entities)


def _scope_only(interp) -> bool:
    """A question that names a council or a period and nothing else to look for."""
    if not (interp.body or interp.date_from or interp.year_from or interp.latest_meeting):
        return False
    concepts = [c for c in interp.concepts if not KIND_WORDS.match(c.get("surface") or "")]
    topic = [w for w in interp.topic if not KIND_WORDS.match(w)]
    return not (interp.entities or concepts or topic)

"""The answer to each kind of question (kkr/qa/interpret.py tells the kind): its reading of the
graph and the search index, its SPARQL (shown to the analyst) and its lines. Nothing is invented:
every line either quotes the minutes or names what the graph holds, and every fact is cited
(meeting, date, item, section, page).

Each builder takes the items (`Relevance`) and the question's `Interpretation`, and returns
(answer text, citations, SPARQL); `ANSWERS` maps each kind to its builder."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from kkr import tracing
from kkr.index.lexical import tokens
from kkr.index.paragraph_index import Filters
from kkr.ingest.dates import find_dates
from kkr.ingest.nlp import find_organisations, find_persons
from kkr.qa.amounts import MEETING_WORD, answer_amount
from kkr.qa.compare import answer_compare
from kkr.qa.count import answer_count
from kkr.qa.evidence import (
    OUTCOME_LABELS,
    RELATIVE_DEADLINE,
    _cite,
    _decision_record,
    _dedupe,
    _format_date,
    _overlap,
    _record_with,
    _sentences,
    _shorten,
    closest_sentences,
)
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import (
    deadlines_query,
    earlier_meetings_query,
    history_query,
    item_rows,
    items_query,
    list_query,
)
from kkr.qa.relevance import MIN_COVERAGE, NAME, Relevance
from kkr.qa.schedule import answer_schedule
from kkr.qa.wording import TEXT, item_line, nothing, scope_words, topic_of

WHY = re.compile(r"\b(?:why|hvorfor)\b", re.I)
CAUSE = re.compile(
    r"\b(?:fordi|idet|på grund af|derfor|som følge af|afvente\w*|afventer|ønsker|behov for|because|since|due to)\b",
    re.I,
)


def answer_decision(rel: Relevance, interp: Interpretation):
    """What was decided about the topic: the decisions of the most relevant items, the most
    relevant first (the citations in the same order), each with the recommendation it decided on."""
    relevant = rel.relevant_items(interp)
    hits = [h for h in relevant if any(r.section_type == "DecisionSection" for r in h.records)]
    if not hits:
        pending = [h for h in relevant[:3] if all(r.graph in rel.agendas for r in h.records)]
        return _not_decided_yet(rel, interp, pending) if pending else nothing(interp)
    top = hits[: max(1, min(5, len(hits)))]
    best = top[0].score
    top = [h for h in top if h.score >= 0.35 * best]
    rows = item_rows(rel.store, [h.item_iri for h in top])
    lines = [TEXT["decision"][interp.language].format(topic=topic_of(interp))]
    groups = rel.groups(interp)
    for h in top:  # most relevant first, and the citations in the same order
        r = rows[h.item_iri]
        lines.append(item_line(interp, r))
        recommendation = [x.text for x in h.records if x.section_type == "Recommendation"]
        if recommendation:
            # a decision approves, changes or turns down the recommendation: quote what it was
            word = "Indstillingen" if interp.language == "da" else "The recommendation"
            lines.append(f"  {word}: «{_shorten(' '.join(recommendation), 700)}»")
        if h is top[0]:
            # what the item says of what was asked, beyond its recommendation (the amount, the date)
            said = [
                x
                for x in closest_sentences(h.records, groups, rel.weighted_overlap)
                if x not in " ".join(recommendation)
            ]
            if WHY.search(interp.question):
                # "why": the item's sentences that give a reason come first
                said = [x for r in h.records for x in _sentences(r.text) if CAUSE.search(x)][:2] + said
            lines += [
                f"  «{_shorten(x, 400)}»" for x in list(dict.fromkeys(said))[: 2 if WHY.search(interp.question) else 1]
            ]
    citations = [_cite(_decision_record(h.records)) for h in top]
    return "\n".join(lines), citations, items_query([h.item_iri for h in top])


def _not_decided_yet(rel: Relevance, interp: Interpretation, hits: list):
    """Items only an agenda speaks of: no decision yet; what the council is asked to decide."""
    rows = item_rows(rel.store, [h.item_iri for h in hits])
    da = interp.language == "da"
    lines = [
        (
            "Der er ingen beslutning om {topic} i referaterne endnu; kun dagsordenen er indlæst:"
            if da
            else "No decision about {topic} is in the minutes yet; only the agenda is in:"
        ).format(topic=topic_of(interp))
    ]
    citations = []
    for h in hits:
        r = rows[h.item_iri]
        recommendation = [x for x in h.records if x.section_type == "Recommendation"]
        lines.append(item_line(interp, r))
        if recommendation:
            word = "Indstillingen" if da else "The recommendation"
            lines.append(f"  {word}: «{_shorten(' '.join(x.text for x in recommendation), 700)}»")
        citations.append(_cite((recommendation or h.records)[0]))
    return "\n".join(lines), citations, items_query([h.item_iri for h in hits])


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
        score = _overlap(d["text"], groups) + (1 if asks_deadline else 0.5)
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
                if found and not any(sentence in c[2] for c in candidates):
                    when = ", ".join(_format_date(x.start, interp.language) for x in found[:2])
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
    if not candidates:
        return _when_elsewhere(rel, interp, within, council)
    candidates.sort(key=lambda c: (-c[0], c[1]))
    best = candidates[0][0]
    chosen = [c for c in candidates if c[0] >= best - 1][:5]
    lines = [TEXT["when"][interp.language].format(topic=topic_of(interp))]
    lines += [
        f"{c[2]} — {c[3].body} {c[3].meeting_date}, {'punkt' if interp.language == 'da' else 'item'} {c[3].item_number}"
        for c in chosen
    ]
    return "\n".join(lines), _dedupe([_cite(c[3]) for c in chosen]), deadlines_query(items)


def _within(day: str, sentence: str, within: tuple[str, str] | None) -> bool:
    """Whether a date is in the period asked; a year asked may also be the matter's own ("ønsker
    til busdriften i 2027", due in 2026): a sentence that names the year keeps its dates."""
    if within is None or within[0] <= day <= within[1]:
        return True
    year = within[0][:4]
    return within == (f"{year}-01-01", f"{year}-12-31") and re.search(rf"(?<!\d){year}(?!\d)", sentence) is not None


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


ROLE_OF = re.compile(r"\b(?:formand|næstformand|chair|direktør|director)\w*\s+(?:for|of|i|in)\b", re.I)


def names_role_of(sentence: str, groups: list[list[frozenset]]) -> bool:
    """Whether the sentence gives a role of what is asked about ("formand for kontorets
    bestyrelse"), not a role-holder acting on it ("Formand X orienterer bestyrelsen")."""
    of = ROLE_OF.search(sentence)
    return bool(of and _overlap(sentence[of.end() : of.end() + 60], groups))


def _without_organisations(text: str) -> str:
    """The text without the organisations it names: "Aarhus" in "Business Region Aarhus" is the
    organisation's name, not the place (a municipality, "Aarhus Kommune", is the place; a one-word
    name, "Sydtrafik", is the organisation asked about)."""
    for o in find_organisations(text):
        if " " in o.text.strip() and not re.search(r"\bkommune\b", o.text, re.I):
            text = text.replace(o.text, " ")
    return text


def _mayor_of(sentence: str, person, municipalities: list[str]) -> bool:
    """Whether the sentence calls the person a mayor ("borgmester Jens Hansen"), of the
    municipality asked about when one is ("…, Odense Kommune" right after the name)."""
    if not re.search(r"borgmester\w*\s*$", sentence[: person.begin], re.I):
        return False
    after = sentence[person.stop :]
    return not municipalities or any(re.match(r"\s*,?\s*" + re.escape(m), after) for m in municipalities)


def answer_who(rel: Relevance, interp: Interpretation):
    """Persons and organisations about the topic, named in its items' sentences; asked for a role
    (chair, director), only a name beside the role."""
    hits = rel.relevant_items(interp, k=5)
    groups = rel.groups(interp)
    role = re.search(
        r"\b(?:formand\w*|chair\w*|næstformand\w*|direktør\w*|director|borgmester\w*|mayor)", interp.question, re.I
    )
    # a place the question names that the graph holds no organisation for ("the mayor of
    # Aarhus") is named beside the role; an organisation's own items speak of it without its name
    named = [g for g in groups if g[0] == NAME] if role else []
    mayor = role is not None and re.match(r"(?i)borgmester|mayor", role.group(0)) is not None
    municipalities = [e["label"] for e in interp.entities if e["label"].endswith(" Kommune")]
    scored = []
    for rank, h in enumerate(hits[:4]):
        for r in h.records:
            for sentence in _sentences(r.text):
                persons = find_persons(sentence)
                if mayor:
                    persons = [p for p in persons if _mayor_of(sentence, p, municipalities)]
                orgs = [o for o in find_organisations(sentence) if o.label not in (interp.body or "")]
                if role and not (persons and re.search(r"formand|direktør|chair|borgmester", sentence, re.I)):
                    continue  # "who chairs" is answered by a name beside the role, nothing less
                if _overlap(_without_organisations(sentence + " " + r.item_title), named) < len(named):
                    continue
                if persons or orgs:
                    # "formand for bestyrelsen": the role of the thing asked about, not a chair acting on it
                    role_of = bool(role) and names_role_of(sentence, groups)
                    weight = _overlap(sentence, groups) + (1 if persons else 0) + role_of
                    scored.append((-weight, rank, r, persons, orgs, sentence))
    if not scored:
        return nothing(interp)
    scored.sort(key=lambda x: (x[0], x[1]))
    lines = [TEXT["who"][interp.language].format(topic=topic_of(interp))]
    citations = []
    for _, _, r, persons, orgs, sentence in scored[:3]:
        names = ", ".join(dict.fromkeys([p.name for p in persons] + [o.label for o in orgs])) or "—"
        lines.append(
            f"- {names}: «{_shorten(sentence)}» — {r.body} {r.meeting_date}, "
            f"{'punkt' if interp.language == 'da' else 'item'} {r.item_number}"
        )
        citations.append(_cite(r))
    return "\n".join(lines), _dedupe(citations), items_query(list(dict.fromkeys(x[2].item_iri for x in scored[:3])))


def answer_list(rel: Relevance, interp: Interpretation):
    """The items in scope (with the outcome asked for), narrowed to the topic when one is asked."""
    sparql = list_query(interp.body, interp.date_from, interp.date_to, interp.outcome)
    rows = rel.store.select(sparql)
    if interp.topic or interp.entities or interp.concepts:
        relevant = {h.item_iri for h in rel.relevant_items(interp, k=50)}
        rows = [r for r in rows if r["item"] in relevant] or rows
    if not rows:
        return nothing(interp, sparql)
    rows.sort(key=lambda r: (str(r["date"]), tracing.number_key(r["number"])))
    label = ""
    if interp.outcome:
        label = (
            " "
            + ("med udfaldet" if interp.language == "da" else "with the outcome")
            + " "
            + OUTCOME_LABELS[interp.language][interp.outcome]
        )
    lines = [TEXT["list"][interp.language].format(outcome=label, scope=scope_words(interp))]
    lines += [item_line(interp, r) for r in rows]
    citations = [_cite(_decision_record(rel.by_item.get(r["item"], []))) for r in rows if rel.by_item.get(r["item"])]
    return "\n".join(lines), citations, sparql


def answer_history(rel: Relevance, interp: Interpretation):
    """How the matter developed: the thread (or the case's timeline) of the most relevant item, each
    treatment with its sentence closest to the question."""
    hits = rel.relevant_items(interp, k=8)
    if not hits:
        return nothing(interp)
    best = hits[0].item_iri
    thread = tracing.thread(rel.store, best)["items"]
    if len(thread) < 2:
        case = thread[0]["case"] if thread else None
        timeline = tracing.case_timeline(rel.store, case)["items"] if case else []
        per_meeting = max(
            (sum(1 for t in timeline if t["meeting_date"] == d) for d in {t["meeting_date"] for t in timeline}),
            default=0,
        )
        if len(timeline) > 1 and per_meeting < 3:  # a specific case number, not a container
            thread = timeline
    if len({i["meeting_date"] for i in thread}) < 2:
        # no thread links its treatments: the items of other meetings that speak of everything asked
        known = {i["item_iri"] for i in thread}
        # or whose title names the organisation asked about (its matter, in other words)
        labels = [x.lower() for e in interp.entities for x in [e["label"], *e["danish"]] if len(x) > 2]
        for h in hits[1:]:
            titled = (
                h.coverage >= MIN_COVERAGE
                and bool(h.records)
                and any(
                    re.search(r"(?<!\w)" + re.escape(x) + r"(?!\w)", h.records[0].item_title.lower()) for x in labels
                )
            )
            if (h.coverage == 1 or titled) and h.item_iri not in known:
                thread += [i for i in tracing.thread(rel.store, h.item_iri)["items"] if i["item_iri"] not in known]
                known |= {i["item_iri"] for i in thread}
        thread.sort(key=lambda i: (str(i["meeting_date"]), tracing.number_key(i["item_number"])))
    in_scope = [
        i
        for i in thread
        if (not interp.date_from or str(i["meeting_date"]) >= interp.date_from)
        and (not interp.date_to or str(i["meeting_date"]) <= interp.date_to)
    ]
    thread = in_scope or thread  # "siden juni": the treatments since June
    lines = [TEXT["history"][interp.language].format(n=len({i["meeting_date"] for i in thread}))]
    groups = rel.groups(interp)
    for i in thread:
        row = {
            "date": i["meeting_date"],
            "body": i["body"],
            "number": i["item_number"],
            "title": i["title"],
            "outcome": i.get("outcome_label"),
            "decision": i.get("decision"),
        }
        lines.append(item_line(interp, row))
        # what the item was about, in the minutes' words: its sentences closest to the question
        lines += [
            f"  «{_shorten(x, 500)}»"
            for x in closest_sentences(rel.by_item.get(i["item_iri"], []), groups, rel.weighted_overlap)
        ]
    # the latest treatment is the best evidence of where the matter stands
    earlier = rel.store.select(earlier_meetings_query(thread[0]["item_iri"])) if thread else []
    if earlier:
        dates = ", ".join(
            _format_date(date.fromisoformat(str(r["date"])), interp.language)
            for r in sorted(earlier, key=lambda r: str(r["date"]))
        )
        lines.insert(
            1,
            (
                "- Tidligere behandlet på mødet den "
                if interp.language == "da"
                else "- Treated earlier at the meeting of "
            )
            + dates,
        )
    order = [i["item_iri"] for i in thread] or [best]  # in the answer's order
    citations = [_cite(_decision_record(rel.by_item[i])) for i in order if rel.by_item.get(i)]
    return "\n".join(lines), citations, history_query(best)


def answer_search(rel: Relevance, interp: Interpretation):
    """A question of no particular kind: the most relevant paragraphs of the items that speak of
    what it asks, the most relevant item's first."""
    relevant = [h.item_iri for h in rel.relevant_items(interp, k=5)]
    if not relevant:
        return nothing(interp)
    found = rel.searcher.search(
        " ".join([interp.question, *rel.translated(interp)]),
        k=60,
        filters=Filters(None, interp.date_from, interp.date_to),
        exclude_graphs=rel.superseded,
    ).hits
    rank = {item: n for n, item in enumerate(relevant)}
    hits = [h for h in found if h["item_iri"] in rank][:5]
    if hits:
        # the first item's paragraph that says most of what was asked, when search ranked it lower
        groups = rel.groups(interp)
        records = rel.by_item.get(hits[0]["item_iri"], [])
        best = max(records, key=lambda r: rel.weighted_overlap(r.text, groups), default=None)
        if best is not None and best.paragraph_iri not in {h["paragraph_iri"] for h in hits}:
            hits.insert(1, _cite(best))
            hits = hits[:5]
    lines = [TEXT["search"][interp.language]]
    for h in hits:
        lines.append(
            f"- {h['body']} {h['meeting_date']}, {'punkt' if interp.language == 'da' else 'item'} "
            f"{h['item_number']} «{h['item_title']}»: «{_shorten(rel.continued(h['paragraph_iri'], h['text']), 1000)}»"
        )
    citations = [
        {
            k: h[k]
            for k in (
                "meeting_date",
                "body",
                "item_number",
                "item_title",
                "section",
                "page",
                "text",
                "item_iri",
                "paragraph_iri",
            )
        }
        for h in hits
    ]
    return "\n".join(lines), citations, ""


ANSWERS = {
    "decision": answer_decision,
    "when": answer_when,
    "amount": answer_amount,
    "who": answer_who,
    "list": answer_list,
    "history": answer_history,
    "schedule": answer_schedule,
    "compare": answer_compare,
    "count": answer_count,
    "search": answer_search,
}

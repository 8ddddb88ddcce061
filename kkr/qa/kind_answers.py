"""The answer to each kind of question (kkr/qa/interpret.py tells the kind): its reading of the
graph and the search index, its SPARQL (shown to the analyst) and its lines. Nothing is invented:
every line either quotes the minutes or names what the graph holds, and every fact is cited
(meeting, date, item, section, page).

Each builder takes the items (`Relevance`) and the question's `Interpretation`, and returns
(answer text, citations, SPARQL); `ANSWERS` maps each kind to its builder."""

from __future__ import annotations

import re
from datetime import date

from kkr import tracing
from kkr.index.paragraph_index import Filters
from kkr.qa.amounts import answer_amount
from kkr.qa.compare import answer_compare
from kkr.qa.count import answer_count
from kkr.qa.evidence import (
    OUTCOME_LABELS,
    _cite,
    _decision_record,
    _format_date,
    _sentences,
    _shorten,
    closest_sentences,
)
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import (
    earlier_meetings_query,
    history_query,
    item_rows,
    items_query,
    list_query,
)
from kkr.qa.relevance import MIN_COVERAGE, Relevance
from kkr.qa.schedule import answer_schedule
from kkr.qa.when import answer_when
from kkr.qa.who import answer_who
from kkr.qa.wording import TEXT, cited_at, item_line, nothing, scope_words, topic_of

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
    if not (interp.date_from or interp.date_to or interp.year_from):
        top = latest_of_case_first(top, rows)
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


def latest_of_case_first(hits: list, rows: dict[str, dict]) -> list:
    """The hits with each case's treatments latest first, in the place of the case's best hit: asked
    with no period what was decided, the latest decision is where the matter stands."""
    cases: dict[str, list] = {}
    for h in hits:
        cases.setdefault((rows.get(h.item_iri) or {}).get("case") or h.item_iri, []).append(h)
    return [
        h
        for treated in cases.values()
        for h in sorted(treated, key=lambda x: str((rows.get(x.item_iri) or {}).get("date", "")), reverse=True)
    ]


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
        # the latest treatment says most of where the matter stands: two of its sentences
        latest = i is thread[-1]
        lines += [
            f"  «{_shorten(x, 500)}»"
            for x in closest_sentences(
                rel.by_item.get(i["item_iri"], []), groups, rel.weighted_overlap, count=2 if latest else 1
            )
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


QUESTION = re.compile(
    r"\?|^\s*(?:what|which|who|when|how|why|where|hvad|hvilke|hvilken|hvem|hvornår|hvordan|hvorfor|hvor)\b", re.I
)


def _other_items(rel: Relevance, interp: Interpretation, items, cited: set[str]) -> tuple[list[str], list[dict]]:
    """For a few keywords ("bus services"): the other items that speak of them, each with its
    sentence closest to them, like the rest of a page of search results."""
    groups = rel.groups(interp)
    lines, citations = [], []
    for h in items:
        if not h.records or h.item_iri in cited:
            continue
        said = closest_sentences(h.records, groups, rel.weighted_overlap)
        record = next((r for r in h.records if said and said[0] in r.text), h.records[0])
        lines.append(
            f"- {cited_at(record, interp.language)} «{record.item_title}»"
            + (f": «{_shorten(said[0], 300)}»" if said else "")
        )
        citations.append(_cite(record))
    return lines, citations


def answer_search(rel: Relevance, interp: Interpretation):
    """A question of no particular kind: the most relevant paragraphs of the items that speak of
    what it asks, the most relevant item's first."""
    items = rel.relevant_items(interp, k=8)
    relevant = [h.item_iri for h in items]
    if not relevant:
        return nothing(interp)

    found = rel.searcher.search(
        " ".join([interp.question, *rel.translated(interp)]),
        k=60,
        filters=Filters(None, interp.date_from, interp.date_to),
        exclude_graphs=rel.superseded,
    ).hits
    rank = {item: n for n, item in enumerate(relevant)}
    # a paragraph of a few words ("Central Denmark EU Office (CDEU)", a heading-like line) says
    # nothing by itself, unless it is a decision ("Godkendt"): paragraphs that do come first
    hits = [h for h in found if h["item_iri"] in rank]
    says = [h for h in hits if len(h["text"].split()) >= 6 or h.get("section_type") == "DecisionSection"]
    hits = says + [h for h in hits if h not in says]
    # the item that covers most of the question first (its best paragraph by search), then search's order
    top = next((h for h in hits if h["item_iri"] == relevant[0]), None)
    hits = ([top] if top else []) + [h for h in hits if h is not top]
    hits = hits[:5]
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
    if len(interp.question.split()) <= 4 and not QUESTION.search(interp.question):
        more, cited_more = _other_items(rel, interp, items, {h["item_iri"] for h in hits})
        lines += more
        citations += cited_more
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

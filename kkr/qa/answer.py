"""Answers composed from the graph: each kind of question has its reading of the graph, its
SPARQL (shown to the analyst) and its wording in the question's language; quotations stay Danish.
Nothing is invented: every sentence of an answer either quotes the minutes or names what the
graph holds, and every fact is cited (meeting, date, item, section, page)."""

from __future__ import annotations

import re
from datetime import date

from kkr import tracing
from kkr.index.lexical import tokens
from kkr.index.paragraph_index import Filters
from kkr.index.paragraphs import ParagraphRecord
from kkr.ingest.amounts import find_amounts
from kkr.ingest.dates import find_dates
from kkr.ingest.nlp import find_organisations, find_persons
from kkr.qa.evidence import (
    OUTCOME_LABELS,
    RELATIVE_DEADLINE,
    ItemHit,
    _abbreviation,
    _alt_in,
    _cite,
    _decision_record,
    _dedupe,
    _english_outcome,
    _format_date,
    _is_entity,
    _is_printed,
    _is_question_form,
    _overlap,
    _record_with,
    _sentences,
    _shorten,
)
from kkr.qa.interpret import Interpretation, kind_of, language_of, outcome_of, read_scope, topic_words
from kkr.qa.link import Linker
from kkr.qa.queries import (
    amounts_query,
    deadlines_query,
    earlier_meetings_query,
    history_query,
    items_query,
    list_query,
    mentions_query,
)

TEXT = {
    "none": {
        "da": "Jeg fandt intet i referaterne om {topic}{scope}.",
        "en": "I found nothing in the minutes about {topic}{scope}.",
    },
    "decision": {"da": "Beslutninger om {topic}, nyeste først:", "en": "Decisions about {topic}, newest first:"},
    "when": {"da": "Frister og datoer om {topic}:", "en": "Deadlines and dates about {topic}:"},
    "amount": {"da": "Beløb om {topic}:", "en": "Amounts about {topic}:"},
    "who": {"da": "Personer og organisationer om {topic}:", "en": "Persons and organisations about {topic}:"},
    "list": {"da": "Punkter{outcome}{scope}:", "en": "Items{outcome}{scope}:"},
    "history": {
        "da": "Sagens forløb over tid ({n} møder):",
        "en": "How the matter developed over time ({n} meetings):",
    },
    "search": {
        "da": "Jeg kunne ikke læse spørgsmålet som en bestemt slags spørgsmål, så her er de mest "
        "relevante afsnit fra søgningen:",
        "en": "I could not read the question as one kind of question, so here are the most relevant "
        "paragraphs from search:",
    },
    "no_deadline": {
        "da": "(ingen frist er sat; datoer nævnt i sagen)",
        "en": "(no deadline is set; dates the item mentions)",
    },
}
MIN_COVERAGE = 0.5


class Answerer:
    """Reads questions and answers them from a store (anything with `select`) and a Searcher."""

    def __init__(self, store, searcher, today: date | None = None):
        self.store = store
        self.searcher = searcher
        self.linker = Linker.from_store(store)
        self.by_item: dict[str, list[ParagraphRecord]] = {}
        for r in searcher.index.records:
            self.by_item.setdefault(r.item_iri, []).append(r)
        self.item_tokens = {
            i: set(tokens(" ".join([rs[0].item_title, rs[0].agenda_heading or ""] + [r.text for r in rs])))
            for i, rs in self.by_item.items()
        }
        self.vocabulary = set().union(*self.item_tokens.values()) if self.item_tokens else set()
        self.item_text = {i: " ".join(r.text for r in rs) for i, rs in self.by_item.items()}
        dates = [r.meeting_date for r in searcher.index.records]
        # "now" for relative scopes ("siden september") is the newest meeting the graph knows
        self.now = today or (date.fromisoformat(max(dates)) if dates else date.today())

    # reading ------------------------------------------------------------------------------------
    def interpret(self, question: str) -> Interpretation:
        interp = Interpretation(question, language_of(question), kind_of(question))
        read_scope(question, interp, self.now)
        interp.outcome = outcome_of(question) if interp.kind == "list" else None
        consumed = list(interp.scope_text)
        for link in self.linker.find(question):
            if link.kind == "org" and re.match(r"(?i)kkr ", link.label) and interp.body is None:
                interp.body = link.label
                consumed.append(link.surface)
                continue
            if link.kind == "concept" and _is_question_form(link.surface):
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
        if interp.latest_meeting:
            latest = self._latest_meeting(interp.body)
            if latest:
                interp.date_from = interp.date_to = latest
        interp.topic = topic_words(question, consumed)
        return interp

    def _latest_meeting(self, body: str | None) -> str | None:
        dates = [r.meeting_date for r in self.searcher.index.records if body is None or r.body == body]
        return max(dates) if dates else None

    # relevance ----------------------------------------------------------------------------------
    def _groups(self, interp: Interpretation) -> list[list[frozenset]]:
        """What an item must speak of: each entity, concept or topic word is one group; a group is
        met by any of its alternatives, and an alternative (a label of several words) needs all
        its words ("konstituerende møde" is not met by "møde" alone)."""
        groups = []
        for e in interp.entities:
            # an abbreviation counts only as printed ("VIA", not the word "via")
            groups.append(
                [frozenset({"@" + e["iri"]})]
                + [frozenset({"=" + x}) if _abbreviation(x) else frozenset(tokens(x)) for x in e["danish"] if tokens(x)]
            )
        for c in interp.concepts:
            groups.append([frozenset(tokens(x)) for x in c["danish"] + [c["surface"]] if tokens(x)])
        for w in interp.topic:
            if tokens(w):
                groups.append([frozenset(tokens(w))])
        return [g for g in groups if g]

    def _known(self, groups: list[list[frozenset]]) -> list[list[frozenset]]:
        """Groups the minutes could match at all: a word no minutes use (an English word without a
        glossary entry) can neither confirm nor refute an item."""
        return [g for g in groups if any(alt <= self.vocabulary or _is_entity(alt) or _is_printed(alt) for alt in g)]

    def _weighted_overlap(self, text: str, groups: list[list[frozenset]]) -> float:
        """Like _overlap, each group weighted by how rare its words are among the items (idf)."""
        import math

        have = set(tokens(text))
        n = max(1, len(self.item_tokens))
        total = 0.0
        for g in groups:
            matched = [alt for alt in g if not _is_entity(alt) and alt and _alt_in(alt, have, text)]
            if matched:
                df = min(
                    sum(1 for toks in self.item_tokens.values() if alt <= toks)
                    if not _is_printed(alt)
                    else sum(1 for t in self.item_text.values() if _alt_in(alt, set(), t))
                    for alt in matched
                )
                total += math.log(1 + n / max(1, df))
        return total

    def _covers(self, item: str, groups: list[list[frozenset]], mentions: set[str]) -> float:
        if not groups:
            return 1.0
        have = self.item_tokens.get(item, set())
        text = self.item_text.get(item, "")
        hit = sum(
            1
            for g in groups
            if any(_alt_in(alt, have, text) or (_is_entity(alt) and next(iter(alt))[1:] in mentions) for alt in g)
        )
        return hit / len(groups)

    def relevant_items(self, interp: Interpretation, k: int = 12) -> list[ItemHit]:
        """Items in scope that speak of what the question is about, most relevant first."""
        words = [e["label"] for e in interp.entities] + [c["surface"] for c in interp.concepts] + interp.topic
        query = " ".join(words) or interp.question
        filters = Filters(interp.body, interp.date_from, interp.date_to)
        groups = self._known(self._groups(interp))
        if not groups and (interp.topic or interp.entities or interp.concepts):
            return []  # the question is about something no minutes speak of
        hits = self.searcher.search(query, k=k * 3, filters=filters, per_item=True).hits
        mentioned = self._mentions([h["item_iri"] for h in hits], [e["iri"] for e in interp.entities])
        out = []
        for h in hits:
            coverage = self._covers(h["item_iri"], groups, mentioned.get(h["item_iri"], set()))
            if coverage >= MIN_COVERAGE:
                out.append(
                    (
                        round(coverage, 2),
                        h["score"],
                        ItemHit(h["item_iri"], h["score"] * coverage, self.by_item.get(h["item_iri"], [])),
                    )
                )
        out.sort(key=lambda x: (-x[0], -x[1]))  # the item that speaks of everything asked, then the best ranked
        return [x[2] for x in out[:k]]

    def _mentions(self, items: list[str], entities: list[str]) -> dict[str, set[str]]:
        if not items or not entities:
            return {}
        rows = self.store.select(mentions_query(items, entities))
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r["item"], set()).add(r["e"])
        return out

    # answering ----------------------------------------------------------------------------------
    def ask(self, question: str) -> dict:
        """{"answer", "citations", "sparql", "interpretation"} for a question in Danish or English."""
        question = question.strip()
        interp = self.interpret(question)
        handler = getattr(self, f"_answer_{interp.kind}")
        answer, citations, sparql = handler(interp)
        return {"answer": answer, "citations": citations, "sparql": sparql, "interpretation": interp.to_json()}

    def _topic(self, interp: Interpretation) -> str:
        words = [e["label"] for e in interp.entities] + [c["surface"] for c in interp.concepts] + interp.topic
        return " ".join(words) or interp.question

    def _scope_words(self, interp: Interpretation) -> str:
        parts = []
        if interp.body:
            parts.append(("i " if interp.language == "da" else "in ") + interp.body)
        if interp.date_from and interp.date_from == interp.date_to:
            d = date.fromisoformat(interp.date_from)
            parts.append(("den " if interp.language == "da" else "on ") + _format_date(d, interp.language))
        else:
            if interp.date_from:
                parts.append(
                    ("fra " if interp.language == "da" else "from ")
                    + _format_date(date.fromisoformat(interp.date_from), interp.language)
                )
            if interp.date_to:
                parts.append(
                    ("til " if interp.language == "da" else "to ")
                    + _format_date(date.fromisoformat(interp.date_to), interp.language)
                )
        return (" " + " ".join(parts)) if parts else ""

    def _nothing(self, interp: Interpretation, sparql: str = "") -> tuple[str, list, str]:
        text = TEXT["none"][interp.language].format(topic=self._topic(interp), scope=self._scope_words(interp))
        return text, [], sparql

    def _item_rows(self, items: list[str]) -> dict[str, dict]:
        if not items:
            return {}
        return {r["item"]: r for r in self.store.select(items_query(items))}

    def _answer_decision(self, interp: Interpretation):
        hits = [h for h in self.relevant_items(interp) if any(r.section_type == "DecisionSection" for r in h.records)]
        if not hits:
            return self._nothing(interp)
        top = hits[: max(1, min(5, len(hits)))]
        best = top[0].score
        top = [h for h in top if h.score >= 0.35 * best]
        rows = self._item_rows([h.item_iri for h in top])
        lines = [TEXT["decision"][interp.language].format(topic=self._topic(interp))]
        for h in sorted(top, key=lambda h: (rows[h.item_iri]["date"], h.item_iri), reverse=True):
            r = rows[h.item_iri]
            lines.append(self._item_line(interp, r))
            recommendation = [x.text for x in h.records if x.section_type == "Recommendation"]
            if recommendation:
                # a decision approves, changes or turns down the recommendation: quote what it was
                word = "Indstillingen" if interp.language == "da" else "The recommendation"
                lines.append(f"  {word}: «{_shorten(' '.join(recommendation), 700)}»")
        citations = [_cite(_decision_record(h.records)) for h in top]
        return "\n".join(lines), citations, items_query([h.item_iri for h in top])

    def _item_line(self, interp: Interpretation, r: dict) -> str:
        d = _format_date(date.fromisoformat(str(r["date"])), interp.language)
        item_word = "punkt" if interp.language == "da" else "item"
        outcome = r.get("outcome") or ""
        if interp.language == "en" and outcome:
            outcome = f"{outcome} ({_english_outcome(outcome)})"
        decision = _shorten(r.get("decision") or "", 1200)
        quote = f": «{decision}»" if decision and decision.rstrip(".") != (r.get("outcome") or "") else ""
        return f"- {d}, {r['body']}, {item_word} {r['number']} «{r['title']}»: {outcome}{quote}"

    def _answer_when(self, interp: Interpretation):
        if interp.year_from and interp.date_from == interp.year_from and interp.date_to == interp.year_to:
            interp.date_from = interp.date_to = None  # "frister i 2026": the year is the deadlines', not the meetings'
        groups = self._known(self._groups(interp))
        if not groups:
            return self._deadlines_in_scope(interp)
        hits = self.relevant_items(interp, k=5)
        if not hits:
            return self._nothing(interp)
        items = [h.item_iri for h in hits[:3]]
        asks_deadline = bool(re.search(r"frist|deadline|senest|by when|no later", interp.question, re.I))
        candidates = []  # (score, order, line, record)
        for d in tracing.deadlines(self.store, items=items):
            rec = _record_with(hits, d["item_iri"], d["printed"]) or self.by_item[d["item_iri"]][0]
            score = _overlap(d["text"], groups) + (1 if asks_deadline else 0.5)
            when = _format_date(date.fromisoformat(d["date"]), interp.language)
            candidates.append((score, items.index(d["item_iri"]), f"- {when} ({d['kind']}): «{d['text']}»", rec))
        for rank, h in enumerate(hits[:3]):
            for r in h.records:
                for sentence in _sentences(r.text):
                    found = [x for x in find_dates(sentence) if x.kind != "period" or not asks_deadline]
                    if found and not any(sentence in c[2] for c in candidates):
                        when = ", ".join(_format_date(x.start, interp.language) for x in found[:2])
                        candidates.append((_overlap(sentence, groups), rank, f"- {when}: «{_shorten(sentence)}»", r))
                    elif asks_deadline and RELATIVE_DEADLINE.search(sentence) and _overlap(sentence, groups):
                        # "senest tre hverdage før det konstituerende møde": a deadline without a date
                        candidates.append((_overlap(sentence, groups) + 0.5, rank, f"- «{_shorten(sentence)}»", r))
        if not candidates:
            return self._nothing(interp)
        candidates.sort(key=lambda c: (-c[0], c[1]))
        best = candidates[0][0]
        chosen = [c for c in candidates if c[0] >= best - 1][:5]
        lines = [TEXT["when"][interp.language].format(topic=self._topic(interp))]
        lines += [
            f"{c[2]} — {c[3].body} {c[3].meeting_date}, {'punkt' if interp.language == 'da' else 'item'} "
            f"{c[3].item_number}"
            for c in chosen
        ]
        return "\n".join(lines), _dedupe([_cite(c[3]) for c in chosen]), deadlines_query(items)

    def _deadlines_in_scope(self, interp: Interpretation):
        """ "Which deadlines in 2026 ...": every deadline of the meetings in scope, in the year asked."""
        meeting_from = interp.date_from if interp.date_from == interp.date_to else None
        rows = tracing.deadlines(self.store, interp.year_from, interp.year_to, interp.body)
        if meeting_from:
            rows = [d for d in rows if d["meeting_date"] == meeting_from]
        if not rows:
            return self._nothing(interp)
        lines = [TEXT["when"][interp.language].format(topic=self._scope_words(interp).strip() or "…")]
        citations = []
        for d in rows:
            when = _format_date(date.fromisoformat(d["date"]), interp.language)
            lines.append(
                f"- {when} ({d['kind']}): «{d['text']}» — {d['body']} {d['meeting_date']}, "
                f"{'punkt' if interp.language == 'da' else 'item'} {d['item_number']}"
            )
            rec = next(
                (r for r in self.by_item.get(d["item_iri"], []) if d["printed"] in r.text),
                next(iter(self.by_item.get(d["item_iri"], [])), None),
            )
            if rec:
                citations.append(_cite(rec))
        return "\n".join(lines), _dedupe(citations), ""

    def _answer_amount(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        groups = self._groups(interp)
        scored = []
        for rank, h in enumerate(hits[:4]):
            for r in h.records:
                for sentence in _sentences(r.text):
                    amounts = find_amounts(sentence)
                    if amounts:
                        decided = r.section_type == "DecisionSection"
                        weight = self._weighted_overlap(sentence, groups)
                        scored.append((-weight * (1.15 if decided else 1.0), rank, r, amounts, sentence))
        if not scored:
            return self._nothing(interp)
        scored.sort(
            key=lambda x: (x[0], x[1])
        )  # the sentence that says most of what was asked, rare words weighing most
        best = scored[0][0]
        scored = [x for x in scored if x[0] <= best * 0.6][:4]
        lines = [TEXT["amount"][interp.language].format(topic=self._topic(interp))]
        citations = []
        for _, _, r, amounts, sentence in scored:
            printed = ", ".join(a.text for a in amounts[:3])
            lines.append(
                f"- {printed}: «{_shorten(sentence)}» — {r.body} {r.meeting_date}, "
                f"{'punkt' if interp.language == 'da' else 'item'} {r.item_number}"
            )
            citations.append(_cite(r))
        items = list(dict.fromkeys(x[2].item_iri for x in scored))
        return "\n".join(lines), _dedupe(citations), amounts_query(items)

    def _answer_who(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        groups = self._groups(interp)
        role = re.search(r"\b(?:formand\w*|chair\w*|næstformand\w*|direktør\w*|director)", interp.question, re.I)
        scored = []
        for rank, h in enumerate(hits[:4]):
            for r in h.records:
                for sentence in _sentences(r.text):
                    persons = find_persons(sentence)
                    orgs = [o for o in find_organisations(sentence) if o.label not in (interp.body or "")]
                    if role and not (persons and re.search(r"formand|direktør|chair", sentence, re.I)):
                        continue  # "who chairs" is answered by a name beside the role, nothing less
                    if persons or orgs:
                        scored.append(
                            (-_overlap(sentence, groups) - (1 if persons else 0), rank, r, persons, orgs, sentence)
                        )
        if not scored:
            return self._nothing(interp)
        scored.sort(key=lambda x: (x[0], x[1]))
        lines = [TEXT["who"][interp.language].format(topic=self._topic(interp))]
        citations = []
        for _, _, r, persons, orgs, sentence in scored[:3]:
            names = ", ".join(dict.fromkeys([p.name for p in persons] + [o.label for o in orgs])) or "—"
            lines.append(
                f"- {names}: «{_shorten(sentence)}» — {r.body} {r.meeting_date}, "
                f"{'punkt' if interp.language == 'da' else 'item'} {r.item_number}"
            )
            citations.append(_cite(r))
        return "\n".join(lines), _dedupe(citations), items_query(list(dict.fromkeys(x[2].item_iri for x in scored[:3])))

    def _answer_list(self, interp: Interpretation):
        sparql = list_query(interp.body, interp.date_from, interp.date_to, interp.outcome)
        rows = self.store.select(sparql)
        if interp.topic or interp.entities or interp.concepts:
            relevant = {h.item_iri for h in self.relevant_items(interp, k=50)}
            rows = [r for r in rows if r["item"] in relevant] or rows
        if not rows:
            return self._nothing(interp, sparql)
        rows.sort(key=lambda r: (str(r["date"]), tracing.number_key(r["number"])))
        label = ""
        if interp.outcome:
            label = (
                " "
                + ("med udfaldet" if interp.language == "da" else "with the outcome")
                + " "
                + OUTCOME_LABELS[interp.language][interp.outcome]
            )
        lines = [TEXT["list"][interp.language].format(outcome=label, scope=self._scope_words(interp))]
        lines += [self._item_line(interp, r) for r in rows]
        citations = [
            _cite(_decision_record(self.by_item.get(r["item"], []))) for r in rows if self.by_item.get(r["item"])
        ]
        return "\n".join(lines), citations, sparql

    def _answer_history(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        if not hits:
            return self._nothing(interp)
        best = hits[0].item_iri
        thread = tracing.thread(self.store, best)["items"]
        if len(thread) < 2:
            case = thread[0]["case"] if thread else None
            timeline = tracing.case_timeline(self.store, case)["items"] if case else []
            per_meeting = max(
                (sum(1 for t in timeline if t["meeting_date"] == d) for d in {t["meeting_date"] for t in timeline}),
                default=0,
            )
            if len(timeline) > 1 and per_meeting < 3:  # a specific case number, not a container
                thread = timeline
        lines = [TEXT["history"][interp.language].format(n=len({i["meeting_date"] for i in thread}))]
        groups = self._groups(interp)
        for i in thread:
            row = {
                "date": i["meeting_date"],
                "body": i["body"],
                "number": i["item_number"],
                "title": i["title"],
                "outcome": i.get("outcome_label"),
                "decision": i.get("decision"),
            }
            lines.append(self._item_line(interp, row))
            sentences = [
                (-_overlap(s, groups), n, s)
                for n, r in enumerate(self.by_item.get(i["item_iri"], []))
                if r.section_type != "DecisionSection"
                for s in _sentences(r.text)
            ]
            if sentences:
                # what the item was about, in the minutes' words: its sentence closest to the question
                lines.append(f"  «{_shorten(min(sentences)[2], 500)}»")
        # the latest treatment is the best evidence of where the matter stands
        earlier = self.store.select(earlier_meetings_query(thread[0]["item_iri"])) if thread else []
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
        order = [i["item_iri"] for i in reversed(thread)] or [best]
        citations = [_cite(_decision_record(self.by_item[i])) for i in order if self.by_item.get(i)]
        return "\n".join(lines), citations, history_query(best)

    def _answer_search(self, interp: Interpretation):
        if not self.relevant_items(interp, k=3):
            return self._nothing(interp)
        hits = self.searcher.search(
            interp.question, k=5, filters=Filters(interp.body, interp.date_from, interp.date_to)
        ).hits
        lines = [TEXT["search"][interp.language]]
        for h in hits:
            lines.append(
                f"- {h['body']} {h['meeting_date']}, {'punkt' if interp.language == 'da' else 'item'} "
                f"{h['item_number']} «{h['item_title']}»: «{_shorten(h['text'])}»"
            )
        citations = [
            {
                k: h[k]
                for k in ("meeting_date", "body", "item_number", "item_title", "section", "page", "text", "item_iri")
            }
            for h in hits
        ]
        return "\n".join(lines), citations, ""

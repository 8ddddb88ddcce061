"""Answers composed from the graph: each kind of question has its reading of the graph, its
SPARQL (shown to the analyst) and its wording in the question's language; quotations stay Danish.
Nothing is invented: every sentence of an answer either quotes the minutes or names what the
graph holds, and every fact is cited (meeting, date, item, section, page)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kkr import tracing
from kkr.index.lexical import tokens
from kkr.index.paragraph_index import Filters
from kkr.index.paragraphs import ParagraphRecord
from kkr.ingest.amounts import find_amounts
from kkr.ingest.dates import find_dates, format_danish_date
from kkr.ingest.nlp import find_persons
from kkr.qa.interpret import Interpretation, kind_of, language_of, outcome_of, read_scope, topic_words
from kkr.qa.link import Linker

OUTCOME_LABELS = {
    "da": {"Approved": "Godkendt", "ApprovedWithChanges": "Godkendt med ændringer", "Noted": "Taget til efterretning",
           "Rejected": "Ikke godkendt", "Postponed": "Udsat", "OtherOutcome": "Andet udfald"},
    "en": {"Approved": "approved", "ApprovedWithChanges": "approved with changes", "Noted": "noted",
           "Rejected": "rejected", "Postponed": "postponed", "OtherOutcome": "other outcome"},
}
TEXT = {
    "none": {"da": "Jeg fandt intet i referaterne om {topic}{scope}.",
             "en": "I found nothing in the minutes about {topic}{scope}."},
    "decision": {"da": "Beslutninger om {topic}, nyeste først:", "en": "Decisions about {topic}, newest first:"},
    "when": {"da": "Frister og datoer om {topic}:", "en": "Deadlines and dates about {topic}:"},
    "amount": {"da": "Beløb om {topic}:", "en": "Amounts about {topic}:"},
    "who": {"da": "Personer og organisationer om {topic}:", "en": "Persons and organisations about {topic}:"},
    "list": {"da": "Punkter{outcome}{scope}:", "en": "Items{outcome}{scope}:"},
    "history": {"da": "Sagens forløb over tid ({n} møder):", "en": "How the matter developed over time ({n} meetings):"},
    "search": {"da": "Jeg kunne ikke læse spørgsmålet som en bestemt slags spørgsmål, så her er de mest "
                     "relevante afsnit fra søgningen:",
               "en": "I could not read the question as one kind of question, so here are the most relevant "
                     "paragraphs from search:"},
    "no_deadline": {"da": "(ingen frist er sat; datoer nævnt i sagen)", "en": "(no deadline is set; dates the item mentions)"},
}
ITEM_SELECT = """PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?date ?body ?number ?title ?outcome ?decision ?item WHERE {{
  {values}
  ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  ?item kkr:itemNumber ?number ; dct:title ?title .
  OPTIONAL {{ ?item kkr:decision ?d . ?d prov:value ?decision ; kkr:outcome/skos:prefLabel ?outcome .
             FILTER(lang(?outcome) = "da") }}
  {filters}
}} ORDER BY {order}"""
MIN_COVERAGE = 0.5


@dataclass
class ItemHit:
    item_iri: str
    score: float
    records: list[ParagraphRecord]


class Answerer:
    """Reads questions and answers them from a store (anything with `select`) and a Searcher."""

    def __init__(self, store, searcher, today: date | None = None):
        self.store = store
        self.searcher = searcher
        self.linker = Linker.from_store(store)
        self.by_item: dict[str, list[ParagraphRecord]] = {}
        for r in searcher.index.records:
            self.by_item.setdefault(r.item_iri, []).append(r)
        self.item_tokens = {i: set(tokens(" ".join([rs[0].item_title] + [r.text for r in rs])))
                            for i, rs in self.by_item.items()}
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
            target = interp.concepts if link.kind == "concept" else interp.entities
            target.append({"iri": link.iri, "label": link.label, "kind": link.kind, "surface": link.surface,
                           "danish": link.danish[:6]})
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
    def _groups(self, interp: Interpretation) -> list[set[str]]:
        """What an item must speak of: each topic word, concept or entity is one group of stems."""
        groups = []
        for e in interp.entities:
            groups.append({"@" + e["iri"]} | set(tokens(e["label"])))
        for c in interp.concepts:
            groups.append({t for label in c["danish"] for t in tokens(label)} | set(tokens(c["surface"])))
        for w in interp.topic:
            stems = set(tokens(w))
            if stems:
                groups.append(stems)
        return groups

    def _covers(self, item: str, groups: list[set[str]], mentions: set[str]) -> float:
        if not groups:
            return 1.0
        have = self.item_tokens.get(item, set())
        hit = sum(1 for g in groups if (g & have) or any(x[1:] in mentions for x in g if x.startswith("@")))
        return hit / len(groups)

    def relevant_items(self, interp: Interpretation, k: int = 12) -> list[ItemHit]:
        """Items in scope that speak of what the question is about, most relevant first."""
        words = [e["label"] for e in interp.entities] + [c["surface"] for c in interp.concepts] + interp.topic
        query = " ".join(words) or interp.question
        filters = Filters(interp.body, interp.date_from, interp.date_to)
        hits = self.searcher.search(query, k=k * 3, filters=filters, per_item=True).hits
        groups = self._groups(interp)
        mentioned = self._mentions([h["item_iri"] for h in hits], [e["iri"] for e in interp.entities])
        out = []
        for h in hits:
            coverage = self._covers(h["item_iri"], groups, mentioned.get(h["item_iri"], set()))
            if coverage >= MIN_COVERAGE:
                out.append(ItemHit(h["item_iri"], h["score"] * coverage, self.by_item.get(h["item_iri"], [])))
        out.sort(key=lambda x: -x.score)
        return out[:k]

    def _mentions(self, items: list[str], entities: list[str]) -> dict[str, set[str]]:
        if not items or not entities:
            return {}
        rows = self.store.select(
            "SELECT DISTINCT ?item ?e WHERE { VALUES ?item { %s } VALUES ?e { %s } "
            "?item <https://w3id.org/kkr/ns#section>/<https://w3id.org/kkr/ns#paragraph>/<https://w3id.org/kkr/ns#mentions> ?e }"
            % (" ".join(f"<{i}>" for i in items), " ".join(f"<{e}>" for e in entities)))
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
                parts.append(("fra " if interp.language == "da" else "from ") +
                             _format_date(date.fromisoformat(interp.date_from), interp.language))
            if interp.date_to:
                parts.append(("til " if interp.language == "da" else "to ") +
                             _format_date(date.fromisoformat(interp.date_to), interp.language))
        return (" " + " ".join(parts)) if parts else ""

    def _nothing(self, interp: Interpretation, sparql: str = "") -> tuple[str, list, str]:
        text = TEXT["none"][interp.language].format(topic=self._topic(interp), scope=self._scope_words(interp))
        return text, [], sparql

    def _sparql_items(self, items: list[str], order: str = "DESC(?date) ?number") -> str:
        values = "VALUES ?item { " + " ".join(f"<{i}>" for i in items) + " }"
        return ITEM_SELECT.format(values=values, filters="", order=order)

    def _item_rows(self, items: list[str]) -> dict[str, dict]:
        if not items:
            return {}
        return {r["item"]: r for r in self.store.select(self._sparql_items(items))}

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
        citations = [_cite(_decision_record(h.records)) for h in top]
        return "\n".join(lines), citations, self._sparql_items([h.item_iri for h in top])

    def _item_line(self, interp: Interpretation, r: dict) -> str:
        d = _format_date(date.fromisoformat(str(r["date"])), interp.language)
        item_word = "punkt" if interp.language == "da" else "item"
        outcome = r.get("outcome") or ""
        if interp.language == "en" and outcome:
            outcome = f"{outcome} ({_english_outcome(outcome)})"
        decision = _shorten(r.get("decision") or "")
        quote = f": «{decision}»" if decision and decision.rstrip(".") != (r.get("outcome") or "") else ""
        return f"- {d}, {r['body']}, {item_word} {r['number']} «{r['title']}»: {outcome}{quote}"

    def _answer_when(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        if not hits:
            return self._nothing(interp)
        items = [h.item_iri for h in hits[:3]]
        deadlines = [d for d in tracing.deadlines(self.store) if d["item_iri"] in items]
        groups = self._groups(interp)
        lines = [TEXT["when"][interp.language].format(topic=self._topic(interp))]
        citations = []
        if deadlines:
            deadlines.sort(key=lambda d: (items.index(d["item_iri"]), -_overlap(d["text"], groups), d["date"]))
            for d in deadlines[:6]:
                when = _format_date(date.fromisoformat(d["date"]), interp.language)
                lines.append(f"- {when} ({d['kind']}): «{d['text']}» — {d['body']} {d['meeting_date']}, "
                             f"{'punkt' if interp.language == 'da' else 'item'} {d['item_number']}")
                rec = _record_with(hits, d["item_iri"], d["printed"]) or hits[0].records[0]
                citations.append(_cite(rec))
        else:
            lines.append(TEXT["no_deadline"][interp.language])
            recs = [r for h in hits[:3] for r in h.records if find_dates(r.text)]
            recs.sort(key=lambda r: -_overlap(r.text, groups))
            for r in recs[:4]:
                for d in find_dates(r.text)[:2]:
                    lines.append(f"- {_format_date(d.start, interp.language)}: «{_sentence_with(r.text, d.text)}»")
                citations.append(_cite(r))
        if not citations:
            return self._nothing(interp)
        sparql = ("PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX prov: <http://www.w3.org/ns/prov#>\n"
                  "SELECT ?item ?kind ?start ?end ?text WHERE { VALUES ?item { " + " ".join(f"<{i}>" for i in items) +
                  " }\n  ?item kkr:deadline ?d . ?d kkr:deadlineKind ?kind ; kkr:startDate ?start ; kkr:endDate ?end ;"
                  " prov:value ?text } ORDER BY ?start")
        return "\n".join(lines), _dedupe(citations), sparql

    def _answer_amount(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        groups = self._groups(interp)
        scored = []
        for rank, h in enumerate(hits[:4]):
            for r in h.records:
                amounts = find_amounts(r.text)
                if amounts:
                    scored.append((-_overlap(r.text, groups), rank, r, amounts))
        if not scored:
            return self._nothing(interp)
        scored.sort(key=lambda x: (x[0], x[1]))
        lines = [TEXT["amount"][interp.language].format(topic=self._topic(interp))]
        citations = []
        for _, _, r, amounts in scored[:4]:
            for a in amounts[:3]:
                lines.append(f"- {a.text} ({int(a.value):,} kr.".replace(",", ".") + f"): «{_sentence_with(r.text, a.text)}»"
                             f" — {r.body} {r.meeting_date}, {'punkt' if interp.language == 'da' else 'item'} {r.item_number}")
            citations.append(_cite(r))
        items = list(dict.fromkeys(r.item_iri for _, _, r, _ in scored[:4]))
        sparql = ("PREFIX kkr: <https://w3id.org/kkr/ns#> PREFIX schema: <https://schema.org/>\n"
                  "SELECT ?item ?value ?printed WHERE { VALUES ?item { " + " ".join(f"<{i}>" for i in items) +
                  " }\n  ?item kkr:section/kkr:paragraph/kkr:mentionsAmount ?a . ?a schema:value ?value ;"
                  " kkr:sourceText ?printed }")
        return "\n".join(lines), _dedupe(citations), sparql

    def _answer_who(self, interp: Interpretation):
        hits = self.relevant_items(interp, k=5)
        groups = self._groups(interp)
        role = re.search(r"formand|chair|leder|leads?|head", interp.question, re.I)
        scored = []
        for rank, h in enumerate(hits[:4]):
            for r in h.records:
                persons = find_persons(r.text)
                if persons or (role and re.search(r"formand|direktør", r.text, re.I)):
                    scored.append((-_overlap(r.text, groups) - (2 if persons else 0), rank, r, persons))
        if not scored:
            return self._nothing(interp)
        scored.sort(key=lambda x: (x[0], x[1]))
        lines = [TEXT["who"][interp.language].format(topic=self._topic(interp))]
        citations = []
        for _, _, r, persons in scored[:3]:
            names = ", ".join(dict.fromkeys(p.name for p in persons)) or "—"
            quote = _sentence_with(r.text, persons[0].name) if persons else _shorten(r.text)
            lines.append(f"- {names}: «{quote}» — {r.body} {r.meeting_date}, "
                         f"{'punkt' if interp.language == 'da' else 'item'} {r.item_number}")
            citations.append(_cite(r))
        return "\n".join(lines), _dedupe(citations), self._sparql_items(list(dict.fromkeys(x[2].item_iri for x in scored[:3])))

    def _answer_list(self, interp: Interpretation):
        filters = []
        if interp.body:
            filters.append(f'LCASE(STR(?body)) = "{interp.body.lower()}"')
        if interp.date_from:
            filters.append(f'?date >= "{interp.date_from}"^^<http://www.w3.org/2001/XMLSchema#date>')
        if interp.date_to:
            filters.append(f'?date <= "{interp.date_to}"^^<http://www.w3.org/2001/XMLSchema#date>')
        outcome = ""
        if interp.outcome:
            outcomes = [interp.outcome] + (["ApprovedWithChanges"] if interp.outcome == "Approved" else [])
            outcome = "FILTER(?o IN (" + ", ".join(f"kkr:{o}" for o in outcomes) + "))"
        sparql = ITEM_SELECT.format(
            values="?item kkr:decision/kkr:outcome ?o ." if interp.outcome else "",
            filters=outcome + (" FILTER(" + " && ".join(filters) + ")" if filters else ""), order="?date ?number")
        rows = self.store.select(sparql)
        if interp.topic or interp.entities or interp.concepts:
            relevant = {h.item_iri for h in self.relevant_items(interp, k=50)}
            rows = [r for r in rows if r["item"] in relevant] or rows
        if not rows:
            return self._nothing(interp, sparql)
        rows.sort(key=lambda r: (str(r["date"]), tracing.number_key(r["number"])))
        label = ""
        if interp.outcome:
            label = (" " + ("med udfaldet" if interp.language == "da" else "with the outcome") + " " +
                     OUTCOME_LABELS[interp.language][interp.outcome])
        lines = [TEXT["list"][interp.language].format(outcome=label, scope=self._scope_words(interp))]
        lines += [self._item_line(interp, r) for r in rows]
        citations = [_cite(_decision_record(self.by_item.get(r["item"], []))) for r in rows if self.by_item.get(r["item"])]
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
            if 1 < len(timeline) <= 6:
                thread = timeline
        lines = [TEXT["history"][interp.language].format(n=len({i["meeting_date"] for i in thread}))]
        for i in thread:
            row = {"date": i["meeting_date"], "body": i["body"], "number": i["item_number"], "title": i["title"],
                   "outcome": i.get("outcome_label"), "decision": i.get("decision")}
            lines.append(self._item_line(interp, row))
        order = [best] + [i["item_iri"] for i in thread if i["item_iri"] != best]
        citations = [_cite(_decision_record(self.by_item[i])) for i in order if self.by_item.get(i)]
        sparql = (tracing.PREFIXES + "SELECT ?item ?date ?number ?title WHERE {\n  { BIND(<" + best + "> AS ?item) } UNION { <"
                  + best + "> (kkr:continues|^kkr:continues)+ ?item }\n  ?m besluit:behandelt ?item ; dct:date ?date .\n"
                  "  ?item kkr:itemNumber ?number ; dct:title ?title } ORDER BY ?date")
        return "\n".join(lines), citations, sparql

    def _answer_search(self, interp: Interpretation):
        if not self.relevant_items(interp, k=3):
            return self._nothing(interp)
        hits = self.searcher.search(interp.question, k=5, filters=Filters(interp.body, interp.date_from,
                                                                           interp.date_to)).hits
        lines = [TEXT["search"][interp.language]]
        for h in hits:
            lines.append(f"- {h['body']} {h['meeting_date']}, {'punkt' if interp.language == 'da' else 'item'} "
                         f"{h['item_number']} «{h['item_title']}»: «{_shorten(h['text'])}»")
        citations = [{k: h[k] for k in ("meeting_date", "body", "item_number", "item_title", "section", "page", "text",
                                        "item_iri")} for h in hits]
        return "\n".join(lines), citations, ""


def _format_date(d: date, language: str) -> str:
    if language == "da":
        return format_danish_date(d)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _english_outcome(label: str) -> str:
    reverse = {v: k for k, v in OUTCOME_LABELS["da"].items()}
    return OUTCOME_LABELS["en"].get(reverse.get(label, ""), label)


def _shorten(text: str, limit: int = 400) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _sentence_with(text: str, needle: str) -> str:
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–-])", text):
        if needle in sentence:
            return _shorten(sentence)
    return _shorten(text)


def _overlap(text: str, groups: list[set[str]]) -> int:
    have = set(tokens(text))
    return sum(1 for g in groups if g & have)


def _decision_record(records: list[ParagraphRecord]) -> ParagraphRecord:
    for r in records:
        if r.section_type == "DecisionSection":
            return r
    return records[0]


def _record_with(hits: list[ItemHit], item: str, needle: str) -> ParagraphRecord | None:
    for h in hits:
        if h.item_iri == item:
            for r in h.records:
                if needle in r.text:
                    return r
    return None


def _cite(r: ParagraphRecord) -> dict:
    return {"meeting_date": r.meeting_date, "body": r.body, "item_number": r.item_number, "item_title": r.item_title,
            "section": r.section, "page": r.page, "text": r.text, "item_iri": r.item_iri,
            "paragraph_iri": r.paragraph_iri}


def _dedupe(citations: list[dict]) -> list[dict]:
    seen, out = set(), []
    for c in citations:
        if c["paragraph_iri"] not in seen:
            seen.add(c["paragraph_iri"])
            out.append(c)
    return out

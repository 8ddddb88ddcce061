"""Evidence for answers: the hits an answer draws on, the sentences quoted from them and their
citations (meeting, date, item, section, page), and the small text helpers of composing an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kkr.index.lexical import tokens
from kkr.index.paragraphs import ParagraphRecord
from kkr.ingest.dates import format_danish_date
from kkr.ingest.outcomes import DANISH_LABELS

OUTCOME_LABELS = {
    "da": DANISH_LABELS,
    "en": {
        "Approved": "approved",
        "ApprovedWithChanges": "approved with changes",
        "PartiallyApproved": "partially approved",
        "Noted": "noted",
        "Rejected": "rejected",
        "Postponed": "postponed",
        "Appointed": "appointed",
        "OtherOutcome": "other outcome",
    },
}


@dataclass
class ItemHit:
    item_iri: str
    score: float
    records: list[ParagraphRecord]
    coverage: float = 1.0  # the share of what the question asks about that the item speaks of


RELATIVE_DEADLINE = re.compile(r"\b(?:senest|frist\w*|inden)\b", re.IGNORECASE)
QUESTION_FORMS = {
    "referat",
    "referatet",
    "minutes",
    "dagsorden",
    "dagsordenen",
    "agenda",
    "frist",
    "fristen",
    "frister",
    "deadline",
    "deadlines",
    "beslutning",
    "besluttet",
    "besluttede",
    "beslutte",
    "decision",
    "decided",
    "decide",
    "penge",
    "money",
    "amount",
    "beløb",
    "dato",
    "date",
    "møde",
    "mødet",
    "meeting",
    "punkt",
    "punkter",
    "item",
    "items",
    "sag",
    "sagen",
    "matter",
    "kkr",
    "godkendt",
    "approved",
    "taget til efterretning",
    "noted",
    "udsat",
    "postponed",
    "afvist",
    "rejected",
}


def _is_question_form(surface: str) -> bool:
    return surface.lower().rstrip("s") in QUESTION_FORMS or surface.lower() in QUESTION_FORMS


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


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–-])", text) if s.strip()]


def _overlap(text: str, groups: list[list[frozenset]]) -> int:
    have = set(tokens(text))
    return sum(1 for g in groups if any(_alt_in(alt, have, text) for alt in g if not _is_entity(alt) and alt))


def _abbreviation(label: str) -> bool:
    return len(label) <= 6 and label.replace("-", "").isupper()


def _is_printed(alt: frozenset) -> bool:
    return len(alt) == 1 and next(iter(alt)).startswith("=")


def _alt_in(alt: frozenset, have: set[str], text: str) -> bool:
    if _is_printed(alt):
        needle = next(iter(alt))[1:]
        # an abbreviation as printed ("VIA", not "via"); a lower-case word in any case
        flags = re.IGNORECASE if needle.islower() else 0
        return re.search(r"(?<![\wæøå])" + re.escape(needle) + r"(?![\wæøå])", text, flags) is not None
    return alt <= have


def _is_entity(alt: frozenset) -> bool:
    return len(alt) == 1 and next(iter(alt)).startswith("@")


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
    return {
        "meeting_date": r.meeting_date,
        "body": r.body,
        "item_number": r.item_number,
        "item_title": r.item_title,
        "section": r.section,
        "page": r.page,
        "text": r.text,
        "item_iri": r.item_iri,
        "paragraph_iri": r.paragraph_iri,
    }


def _dedupe(citations: list[dict]) -> list[dict]:
    seen, out = set(), []
    for c in citations:
        if c["paragraph_iri"] not in seen:
            seen.add(c["paragraph_iri"])
            out.append(c)
    return out


# a sentence with a figure (an amount, a count, a share) says more of where a matter stood
FIGURE = re.compile(r"\d[\d.,]*\s*(?:mio\.|mia\.|kr\.|pct\.|%|procent)|\b\d{1,3}(?:\.\d{3})+\b")


def closest_sentences(
    records: list[ParagraphRecord], groups: list[list[frozenset]], weigh=None, count: int = 1
) -> list[str]:
    """The `count` sentences of an item's text (its decision aside; a table's rows) that speak
    most of what is asked (the number of groups they meet, then `weigh(text, groups)`), a
    sentence with a figure first among equals; and when none of them has a figure, the closest
    sentence that has one."""
    sentences = sorted(
        (-_overlap(s, groups), -(weigh(s, groups) if weigh else 0), -bool(FIGURE.search(s) or _row(r, s)), n, s)
        for n, r in enumerate(records)
        if r.section_type != "DecisionSection"
        for s in (r.text.splitlines() if "/table/" in r.paragraph_iri else _sentences(r.text))
    )
    if not sentences:
        return []
    best = sentences[:count]
    figures = [x for x in sentences if x[2]]
    return [x[-1] for x in best] + ([figures[0][-1]] if figures and not any(x[2] for x in best) else [])


def _row(r: ParagraphRecord, text: str) -> bool:
    """A table row with figures ("Københavns Kommune: 2025 412,5; 2026 418,0")."""
    return "/table/" in r.paragraph_iri and re.search(r"\d", text.partition(":")[2]) is not None

"""Amounts asked about ("hvor meget …", "how much …"): the sentences with amounts, or a table's
rows with their figures, that say most of what was asked and are tied to what the amount is for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kkr.index.lexical import tokens
from kkr.ingest.amounts import find_amounts
from kkr.qa.evidence import _cite, _dedupe, _overlap, _sentences, _shorten
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import amounts_query
from kkr.qa.relevance import Relevance, _names
from kkr.qa.wording import TEXT, cited_at, nothing, topic_of

# the words that ask for an amount rather than say what it is for (as lexical tokens)
AMOUNT_WORDS = frozenset(
    tokens(
        "budget budgettet budgetter beløb beløbet amount amounts cost costs koster pris price penge money midler "
        "kroner kr mio millioner million afsat afsætte finansiering funding"
    )
)
MEETING_WORD = re.compile(r"\bmødet?\b|\bmeeting\b", re.IGNORECASE)


def answer_amount(rel: Relevance, interp: Interpretation):
    """Amounts about the topic: the sentences with amounts that say most of what was asked."""
    year = None
    if interp.year_from and interp.date_from == interp.year_from and not MEETING_WORD.search(interp.question):
        # "how much in 2026": the year of the money, decided at a meeting of an earlier year
        year, interp.date_from, interp.date_to = interp.year_from[:4], None, None
    hits = rel.relevant_items(interp, k=5)
    groups = rel.groups(interp)
    shares = bool(CHANGE_WORDS.search(interp.question))
    asks_total = bool(TOTAL_WORDS.search(interp.question))  # "hvor meget stiger …": a percentage answers
    scored = []
    for rank, h in enumerate(hits[:4]):
        for r in h.records:
            for sentence, amounts in _amount_sentences(r, shares):
                if amounts and not ("/table/" in r.paragraph_iri and _other_unit(sentence, interp.question)):
                    decided = r.section_type == "DecisionSection"
                    # the sentence's words and its item's title alike: "the estimate" of
                    # the item about Hærvejsmotorvejen over an estimate of something else
                    weight = rel.weighted_overlap(sentence, groups) + rel.weighted_overlap(r.item_title, groups)
                    weight *= 1.15 if decided else 1.0
                    if year and year in sentence:
                        weight *= 1.2
                    if asks_total and TOTAL_ROW.match(sentence):
                        weight += 2  # "the total …": a table's sum row
                    scored.append((-weight, rank, r, amounts, sentence))
    if not scored:
        return nothing(interp)
    # what the amount is for ("budget for Erhvervshus": Erhvervshus): at least one sentence, or its
    # item's title, must speak of it; an amount of something else is no answer
    # (a group's first alternative is the word asked; the rest are its synonyms and compounds)
    specific = [g for g in rel.known(groups) if not g[0] <= AMOUNT_WORDS]
    if specific:
        scored = [x for x in scored if rel.weighted_overlap(x[4] + " " + x[2].item_title, specific) > 0]
        # an organisation or a place the question names ("KL's budget") is the amount's owner:
        # the amount's paragraph or its item's title names it
        named = [g for g in specific if _names(g)]
        scored = [x for x in scored if _overlap(x[2].text + " " + x[2].item_title, named) == len(named)]
        if not scored:
            return nothing(interp)
    scored.sort(key=lambda x: (x[0], x[1]))  # the sentence that says most of what was asked, rare words weighing most
    best = scored[0][0]
    scored = [x for x in scored if x[0] <= best * 0.6][:4]
    lines = [TEXT["amount"][interp.language].format(topic=topic_of(interp))]
    citations = []
    for _, _, r, amounts, sentence in scored:
        printed = ", ".join(a.text for a in amounts[:3])
        lines.append(f"- {printed}: «{_shorten(sentence)}» — {cited_at(r, interp.language)}")
        citations.append(_cite(r))
    items = list(dict.fromkeys(x[2].item_iri for x in scored))
    return "\n".join(lines), _dedupe(citations), amounts_query(items)


# a table column's unit as printed in its heading ("Tekstilaffald 2025 (ton)")
UNIT = re.compile(r"\(([^()\d]{1,20})\)")
MONEY_UNIT = re.compile(r"kr\.?|kroner|dkk|mio|mia|tusind|1\.000|beløb|pct|procent|%", re.I)


def _other_unit(row: str, question: str) -> bool:
    """Whether a table row's figures are in a unit that is not money ("(ton)", "(antal)") and the
    question does not name it: "hvor meget sparer udbuddet" is not answered in tonnes."""
    units = [u.strip() for u in UNIT.findall(row.partition(": ")[2])]
    return bool(units) and not any(
        MONEY_UNIT.search(u) or re.search(rf"\b{re.escape(u[:3])}", question, re.I) for u in units
    )


TABLE_NUMBER = re.compile(r"(?<![\w.,])-?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?![\w.,]?\d)")


TOTAL_WORDS = re.compile(r"\btotal\b|\bi alt\b|\bsamlet?\b|\bsamlede\b|\bin all\b|\baltogether\b", re.I)
TOTAL_ROW = re.compile(r"\s*(?:i alt|total|samlet|sum|hele regionen)\b", re.I)
PERCENT = re.compile(r"\d+(?:,\d+)?\s*(?:pct\.|procent\b|%|per cent\b|percent\b)", re.I)
CHANGE_WORDS = re.compile(
    r"\b(?:stiger|stigning\w*|øges|øget|forhøje\w*|falder|fald|reducer\w*|nedsæt\w*|andel\w*|procent\w*|pct|"
    r"increase\w*|rise\w*|grow\w*|fall\w*|decrease\w*|cut|reduc\w*|share|percent\w*|per cent)\b",
    re.I,
)


@dataclass
class _TableFigure:
    text: str


def _amount_sentences(r, shares: bool = False):
    """(sentence, amounts) of a paragraph, with its percentages when `shares`; of a table
    (kkr:Table), each row with its figures: a table's cells carry no "kr.", its caption or header
    gives the unit."""
    if "/table/" not in r.paragraph_iri:
        return [
            (s, find_amounts(s) + ([_TableFigure(m.group(0)) for m in PERCENT.finditer(s)] if shares else []))
            for s in _sentences(r.text)
        ]
    rows = r.text.splitlines()
    if rows and ": " not in rows[0]:
        rows = rows[1:]  # the header row (a table printed without one starts with a row)
    out = []
    for row in rows:
        cells = row.partition(":")[2]
        figures: list = list(find_amounts(cells)) or [
            _TableFigure(m.group(0))
            for m in TABLE_NUMBER.finditer(cells)
            if not re.fullmatch(r"(?:19|20)\d\d", m.group(0))
        ]
        out.append((row, figures))
    return out

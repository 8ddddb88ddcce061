"""How many ("hvor mange nye sundhedsråd", "how many municipalities"): the sentences of the
relevant items that put a number beside the thing counted ("17 sundhedsråd", "de 19 kommuner"),
those that say most of what was asked first."""

from __future__ import annotations

import re

from kkr.index.lexical import tokens
from kkr.qa.amounts import TOTAL_ROW, TOTAL_WORDS, _amount_sentences
from kkr.qa.evidence import _cite, _dedupe, _sentences, _shorten, closest_sentences
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import items_query
from kkr.qa.relevance import Relevance
from kkr.qa.schedule import answer_schedule
from kkr.qa.wording import TEXT, cited_at, nothing, topic_of

NUMBER_WORDS = (
    "to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten sytten atten nitten tyve "
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
).split()
NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:\.\d{3})*|" + "|".join(NUMBER_WORDS) + r")(?![\w,]|\.\d)", re.I)
MEETINGS_COUNTED = re.compile(r"(?:møder|meetings|gange|times)\b", re.I)
ASKED = re.compile(r"\b(?:hvor mange|how many|number of|antallet af)\s+((?:[\wæøåÆØÅ-]+\s*){1,3})", re.I)


def answer_count(rel: Relevance, interp: Interpretation):
    """Numbers beside the thing counted, from the most relevant items; meetings are counted
    from the graph."""
    m = ASKED.search(interp.question)
    if m and MEETINGS_COUNTED.match(m.group(1)):
        return answer_schedule(rel, interp)
    counted = _counted_groups(rel, interp)
    groups = rel.groups(interp)
    scored = []
    for rank, h in enumerate(rel.relevant_items(interp, k=5)[:4]):
        for r in h.records:
            for numbers, text in _counts(rel, r, counted, groups):
                total = 2 if TOTAL_WORDS.search(interp.question) and TOTAL_ROW.match(text) else 0
                scored.append((-rel.weighted_overlap(text, groups) - total, rank, r, numbers, text))
    if not scored:
        return nothing(interp)
    scored.sort(key=lambda x: (x[0], x[1]))
    lines = [TEXT["count"][interp.language].format(topic=topic_of(interp))]
    citations = []
    for _, _, r, numbers, sentence in scored[:3]:
        lines.append(f"- {', '.join(numbers)}: «{_shorten(sentence)}» — {cited_at(r, interp.language)}")
        citations.append(_cite(r))
    top = scored[0][2].item_iri
    # what else the best item says of the question ("… and which one was recommended?")
    said = [x for x in closest_sentences(rel.by_item.get(top, []), groups, rel.weighted_overlap) if x not in lines[1]]
    lines += [f"  «{_shorten(x, 400)}»" for x in said[:1]]
    items = list(dict.fromkeys(x[2].item_iri for x in scored[:3]))
    return "\n".join(lines), _dedupe(citations), items_query(items)


def _counts(rel: Relevance, r, counted, groups) -> list[tuple[list[str], str]]:
    """(numbers, text) of a paragraph's sentences that put a number beside what is counted; a
    table counts in its cells ("Frederikshavn Kommune: 58.500"): the rows that name what is asked."""
    if "/table/" not in r.paragraph_iri:
        return [(n, s) for s in _sentences(r.text) if (n := _numbers_beside(s, counted))]
    # a table's number stands before the next column's heading: its columns are read first
    if by_column := _column_counts(rel, r.text, counted):
        return by_column
    if numbers := _numbers_beside(r.text, counted):
        return [(numbers, r.text)]
    return [
        ([f.text for f in figures], row)
        for row, figures in _amount_sentences(r)
        if figures and rel.weighted_overlap(row.partition(":")[0], groups) > 0
    ]


def _column_counts(rel: Relevance, table: str, counted) -> list[tuple[list[str], str]]:
    """(numbers, row) of a table's rows ("I alt: Introstillinger 125; Udgift (kr.) 2.500.000") in
    the column whose heading names what is counted; a total row first."""
    out = []
    for row in table.splitlines():
        _, colon, cells = row.partition(": ")
        if not colon:
            continue
        numbers = [
            value
            for cell in cells.split("; ")
            for heading, _, value in [cell.rpartition(" ")]
            if heading and NUMBER.fullmatch(value) and rel.weighted_overlap(heading, counted) > 0
        ]
        if numbers:
            out.append((numbers, row))
    return sorted(out, key=lambda x: not TOTAL_ROW.match(x[1]))


def _counted_groups(rel: Relevance, interp: Interpretation) -> list[list[frozenset]]:
    """The groups of the words right after "hvor mange" / "how many": what is counted."""
    m = ASKED.search(interp.question)
    words = set(tokens(m.group(1))) if m else set()
    return [g for g in rel.groups(interp) if any(alt & words for alt in g)] or rel.groups(interp)


def _numbers_beside(sentence: str, counted: list[list[frozenset]]) -> list[str]:
    """The numbers of the sentence followed within three words by a word of what is counted."""
    out = []
    for m in NUMBER.finditer(sentence):
        following = set(tokens(" ".join(sentence[m.end() :].split()[:3])))
        # "ti pladser" counts akutpladser: a word of the minutes that ends a compound asked about
        if any(
            len(alt) == 1 and any(f == t or (len(f) >= 4 and t.endswith(f)) for t in alt for f in following)
            for g in counted
            for alt in g
        ):
            out.append(m.group(1))
    return out

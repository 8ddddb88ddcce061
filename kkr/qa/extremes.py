"""Superlatives over tables ("which municipality got the most", "hvilket område fik færrest"):
the row of the most relevant item's table with the highest or the lowest figure, in the column
the question speaks of (else the table's last column of figures)."""

from __future__ import annotations

import re

from kkr.index.lexical import tokens
from kkr.qa.amounts import AMOUNT_WORDS, TOTAL_ROW, _amount_sentences
from kkr.qa.evidence import _cite, _shorten
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import amounts_query
from kkr.qa.relevance import Relevance
from kkr.qa.wording import cited_at

HIGHEST = re.compile(
    r"\b(?:most|largest|biggest|highest|greatest|flest|mest|størst\w*|højest\w*|stør\w+ beløb)\b", re.I
)
LOWEST = re.compile(r"\b(?:least|smallest|lowest|fewest|færrest|mindst\w*|lavest\w*)\b", re.I)
# "at least", "mindst tre": a lower bound, not a superlative
BOUND = re.compile(r"\bat least\b|\bmindst\s+(?:\d|en\b|et\b|to\b|tre\b|fire\b|fem\b|halvdelen\b)", re.I)
MONEY_HEADING = re.compile(r"\bkr\b|\bkroner|\bbeløb|\bmio\b|\bDKK\b|\bbudget|\btilskud|\bandel", re.I)
NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?")

WORDING = {
    "da": {"high": "Højest", "low": "Lavest", "of": "af {n} rækker i tabellen", "same": "Samme tal"},
    "en": {"high": "Highest", "low": "Lowest", "of": "of {n} rows in the table", "same": "The same figure"},
}


# "the same co-financing amount", "samme beløb": a figure named within two words of "same"
SAME = re.compile(
    r"\b(?:same|samme|equal|identical|lige store?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:amounts?|figures?|numbers?|sums?|shares?|contributions?|prices?|rates?|fees?|budgets?|beløb\w*|tal(?:let)?|"
    r"andel\w*|bidrag\w*|sats\w*|pris\w*|kontingent\w*|tilskud\w*|budget\w*)\b|\blige meget\b",
    re.I,
)


def superlative_of(question: str) -> str | None:
    """The extreme a question asks for: "high" ("the most", "flest"), "low" ("færrest"), "same"
    (rows of the same figure: "which have the same amount"), else None."""
    text = BOUND.sub(" ", question)
    if SAME.search(text):
        return "same"
    if HIGHEST.search(text):
        return "high"
    if LOWEST.search(text):
        return "low"
    return None


def _value(cell: str) -> float | None:
    found = NUMBER.findall(cell)
    if not found:
        return None
    return float(found[-1].replace(".", "").replace(",", "."))


def _speaks_of(heading: str, asked: set[str], k: int) -> tuple[int, int, int]:
    """How much a column's heading is what the question asks for: a money column when it asks for
    money, then the words it shares with the question, then the later column."""
    money = bool(asked & AMOUNT_WORDS) and MONEY_HEADING.search(heading) is not None
    return int(money), len(set(tokens(heading)) & asked), k


def _cells(row: str) -> tuple[str, list[str]]:
    """A table row as kkr writes it ("Odense Kommune: Ledige 2024 4.120; Andel (mio. kr.) 3,9"):
    its label and its cells, each with its column's heading before the figure."""
    label, _, rest = row.partition(": ")
    return label, [c.strip() for c in rest.split("; ") if c.strip()]


def _same_rows(valued, column: int, words: dict, table, interp: Interpretation) -> str | None:
    """The rows that share a figure in the column, each set of them on a line; None when no two do."""
    by_value: dict[float, list] = {}
    for value, label, cells in valued:
        by_value.setdefault(value, []).append((label, cells))
    shared = [rows for rows in by_value.values() if len(rows) > 1]
    if not shared:
        return None
    where = f" — {cited_at(table, interp.language)}"
    lines = [f"{words['same']} {words['of'].format(n=len(valued))}:"]
    lines += [f"- {rows[0][1][column]}: " + ", ".join(label for label, _ in rows) + where for rows in shared]
    return "\n".join(lines)


def answer_superlative(rel: Relevance, interp: Interpretation, direction: str):
    """The row of the most relevant item's table with the extreme figure, or None when no item in
    scope that speaks of the question has a table (the question is then answered by its kind)."""
    groups = rel.groups(interp)
    asked = set(tokens(interp.question))
    for hit in rel.relevant_items(interp, k=3)[:2]:
        tables = [r for r in hit.records if "/table/" in r.paragraph_iri]
        if not tables:
            continue
        table = max(tables, key=lambda r: rel.weighted_overlap(r.text, groups))
        rows = [_cells(row) for row, _ in _amount_sentences(table) if not TOTAL_ROW.match(row)]
        rows = [(label, cells) for label, cells in rows if cells]
        if len(rows) < 2:
            continue
        width = min(len(cells) for _, cells in rows)
        headings = rows[0][1][:width]
        column = max(range(width), key=lambda k: _speaks_of(headings[k], asked, k))
        valued = [(v, label, cells) for label, cells in rows if (v := _value(cells[column])) is not None]
        if len(valued) < 2:
            continue
        words = WORDING[interp.language]
        if direction == "same":
            answer = _same_rows(valued, column, words, table, interp)
            if answer:
                return answer, [_cite(table)], amounts_query([hit.item_iri])
            continue
        pick = max(valued) if direction == "high" else min(valued)
        cell = pick[2][column]
        heading = cell[: cell.rfind(NUMBER.findall(cell)[-1])].strip()  # "Andel (mio. kr.) 3,9": "Andel (mio. kr.)"
        line = f"{words[direction]}{' (' + heading + ')' if heading else ''} {words['of'].format(n=len(valued))}:"
        where = f" — {cited_at(table, interp.language)}"
        # the extreme row, and the rows the question names ("how much more than Sønderjylland")
        named = [x for x in valued if x is not pick and set(tokens(x[1])) & asked]
        lines = [line] + [f"- {x[1]}: «{_shorten(x[1] + ': ' + '; '.join(x[2]))}»{where}" for x in [pick, *named]]
        return "\n".join(lines), [_cite(table)], amounts_query([hit.item_iri])
    return None

"""Find tables in the cleaned lines of minutes: rows of a label and numeric cells.

Extraction flattens a table into one line per row: "Greve Kommune 120.000 95.000",
"I alt 1,3 mio. kr. 0,8 mio. kr.", with a header row such as "Kommune 2025 2026 2027" or
"Område Kr." above. A row's cells are the amounts, numbers, percentages and empty marks ("–")
at the end of its line; everything before them is the row's label. Where the source gives
the x positions of text (PDF), a line whose text runs stand apart in columns is split there.

Precision comes first: a table needs several consecutive rows with the same number of cells,
short labels that begin with a capital, and no bullet or list number; a sentence that
happens to end in an amount does not pass, nor does a numbered list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SIGN = r"[-−÷]\s?|–(?=\d)"
_AMOUNT_CELL = (
    rf"(?:{_SIGN})?(?:{_NUM})"
    r"(?:\s?(?:mio|mia|mill|t)\.?)?(?:\s?(?:kr\.?|DKK|pct\.?|%))?"
)
_EMPTY_CELL = r"[–—-]"
CELL_AT_END = re.compile(rf"(?:^|(?<=\s))({_AMOUNT_CELL}|{_EMPTY_CELL})\s*$", re.IGNORECASE)
YEAR = re.compile(r"^(?:19|20)\d\d$")
# header cells: years ("2026", "2025-tal", "B2026"), year spans and units
_HEADER_CELL = (
    r"[BR]?(?:19|20)\d\d(?:-tal)?|(?:19|20)\d\d[-–/](?:19|20)?\d\d|"
    r"(?:1\.000\s|mio\.\s|mia\.\s|t\.)?kr\.?|DKK|pct\.?|%|beløb|budget|regnskab|i alt"
)
HEADER_AT_END = re.compile(rf"(?:^|(?<=\s))({_HEADER_CELL})\s*$", re.IGNORECASE)
UNIT = re.compile(r"^(?:(?:1\.000\s|mio\.\s|mia\.\s|t\.)?kr\.?|DKK|pct\.?|%)$", re.IGNORECASE)
LISTED = re.compile(r"^(?:[-–•*▪]\s|\d{1,4}[.)]\s|[a-z]\)\s)")
# words that end the first part of a sentence rather than a row label ("… koster cirka 1,3 mio. kr.")
PROSE_ENDINGS = {
    "af", "at", "ca.", "cirka", "de", "den", "der", "det", "en", "end", "er", "et", "for", "fra", "har",
    "højst", "i", "med", "mindst", "og", "om", "op", "over", "på", "som", "til", "under", "ved", "være",
}  # fmt: skip
MAX_LABEL_CHARS = 60
MAX_LABEL_WORDS = 8


@dataclass
class TableCell:
    """One cell as printed; mentions (amounts, dates, organisations) are found in its text."""

    text: str


@dataclass
class TableRow:
    """A row: the label is its first cell; `header` for a row of column headings."""

    cells: list[TableCell]
    header: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    """A table of a section, on the page where it starts; `after` paragraphs of the section precede it."""

    rows: list[TableRow]
    page: int
    after: int = 0

    @property
    def header(self) -> TableRow | None:
        return self.rows[0] if self.rows and self.rows[0].header else None

    @property
    def text(self) -> str:
        """The table as searchable text, one row a line: the header row as printed, then rows as
        "Greve Kommune: 2025 120.000; 2026 95.000" (a column's heading before each cell, units left out)."""
        head = self.header.texts[1:] if self.header else []
        lines = [" ".join(t for t in self.header.texts if t)] if self.header else []
        for row in self.rows:
            if row.header:
                continue
            label, *cells = row.texts
            named = [f"{head[k]} {c}" if k < len(head) and not UNIT.match(head[k]) else c for k, c in enumerate(cells)]
            lines.append(f"{label}: " + "; ".join(named))
        return "\n".join(lines)


@dataclass
class TableSpan:
    """Where a table was found: lines start..end (exclusive) of the lines given."""

    start: int
    end: int
    rows: list[list[str]] = field(default_factory=list)
    header: bool = False

    def table(self, page: int, after: int = 0) -> Table:
        rows = [TableRow([TableCell(t) for t in r], header=self.header and k == 0) for k, r in enumerate(self.rows)]
        return Table(rows, page, after)


def split_cells(text: str, pattern: re.Pattern = CELL_AT_END, limit: int = 12) -> tuple[str, list[str]]:
    """The label and the cells at the end of a line: "Greve Kommune 120.000 –" → ("Greve Kommune", ["120.000", "–"])."""
    rest, cells = text.strip(), list[str]()
    while len(cells) < limit:
        m = pattern.search(rest)
        if not m:
            break
        cells.insert(0, m.group(1).strip())
        rest = rest[: m.start()].rstrip()
    return rest, cells


def _label_ok(label: str) -> bool:
    if not label or len(label) > MAX_LABEL_CHARS or not re.search(r"[^\W\d_]", label):
        return False
    words = label.split()
    if len(words) > MAX_LABEL_WORDS or LISTED.match(label + " ") or re.match(r"^\d+[.)]", label):
        return False
    first = next(ch for ch in label if ch.isalpha())
    if first.islower() or label.endswith((",", ":", ";", "-", "–")) or words[-1].lower() in PROSE_ENDINGS:
        return False
    return not re.search(r"[.!?]\s+[A-ZÆØÅ]", label)  # two sentences


def parse_row(text: str) -> tuple[str, list[str]] | None:
    """(label, cells) of a line that can be a table row; the label is "" for a line of cells only."""
    if not text or LISTED.match(text):
        return None
    label, cells = split_cells(text)
    if not cells or any(YEAR.match(c) for c in cells):
        return None
    if label and not _label_ok(label):
        return None
    return label, cells


def parse_header(text: str, width: int) -> tuple[str, list[str]] | None:
    """(label, headings) of a header row with `width` column headings ("Kommune 2025 2026")."""
    if not text or LISTED.match(text) or text.endswith((".", ":")) and not text.lower().endswith("kr."):
        return None
    label, cells = split_cells(text, HEADER_AT_END)
    if len(cells) != width or (label and not _label_ok(label)):
        return None
    return label, cells


def _plain(text: str) -> bool:
    """A line that may be the first part of a wrapped row label."""
    return bool(text) and len(text) <= MAX_LABEL_CHARS and not text.endswith((".", ":", ",")) and not LISTED.match(text)


def tab_row(line: str) -> tuple[str, list[str]] | None:
    """(label, cells) of a line printed in tab-separated columns whose cells after the first are
    figures ("2026\t60\t1.200.000"): its columns say what a row is, so a year may be its label."""
    parts = [p.strip() for p in line.split("\t")]
    if len(parts) < 2 or not all(parts) or len(parts[0]) > MAX_LABEL_CHARS or LISTED.match(line.strip()):
        return None
    if not all(re.fullmatch(r"[–-]|[-–+]?\d[\d.,]*\s*(?:%|pct\.|kr\.|mio\. kr\.)?", p) for p in parts[1:]):
        return None
    return parts[0], parts[1:]


def _unit(
    texts: list[str], i: int, stop: Callable[[str], bool], columns: list[str] | None = None
) -> tuple[int, list[str], bool] | None:
    """The row that starts at line i: (end, [label, *cells], wrapped), or None.

    A wrapped row is one or two label lines followed by a line of cells only
    ("Basisfinansiering fra kommunerne" / "(2024-niveau)" / "5,8 mio. kr.")."""
    if stop(texts[i]):
        return None
    row = (tab_row(columns[i]) if columns and "\t" in columns[i] else None) or parse_row(texts[i])
    if row and row[0]:
        return i + 1, [row[0], *row[1]], False
    if row or not _plain(texts[i]):
        return None
    label = [texts[i]]
    j = i + 1
    while j < len(texts) and len(label) <= 2:
        if not texts[j] or stop(texts[j]):
            return None
        nxt = parse_row(texts[j])
        if nxt and not nxt[0]:
            joined = " ".join(label)
            return (j + 1, [joined, *nxt[1]], True) if _label_ok(joined) else None
        if nxt or not _plain(texts[j]):
            return None
        label.append(texts[j])
        j += 1
    return None


def find_tables(texts: list[str], stop: Callable[[str], bool] = lambda t: False) -> list[TableSpan]:
    """The tables among lines ("" is a paragraph break); `stop` tells headings no table may take in.
    A line may hold its columns tab-separated (a PDF line whose text runs stand apart): rows are
    read from the text alone, the tabs only tell the headings of a header row."""
    columns = texts
    texts = [t.replace("\t", " ") for t in texts]
    spans: list[TableSpan] = []
    i = 0
    while i < len(texts):
        span = _table_at(texts, i, stop, columns)
        if span:
            spans.append(span)
            i = span.end
        else:
            i += 1
    return spans


def _table_at(texts: list[str], i: int, stop: Callable[[str], bool], columns: list[str]) -> TableSpan | None:
    first = _unit(texts, i, stop, columns)
    if first is None:
        return None
    width = len(first[1]) - 1
    rows, plain_rows, end = [first[1]], int(not first[2]), first[0]
    j = end
    while j < len(texts):
        # rows of several columns may stand one blank line apart (PDF line spacing)
        k = j + 1 if width >= 2 and not texts[j] and j + 1 < len(texts) and texts[j + 1] else j
        nxt = _unit(texts, k, stop, columns) if k < len(texts) else None
        if nxt is None or len(nxt[1]) - 1 != width:
            break
        rows.append(nxt[1])
        plain_rows += not nxt[2]
        end = j = nxt[0]
    header = _header_before(columns, i, width, stop)
    if plain_rows < 2 or not _enough(rows, width, header is not None):
        return None
    if header is not None:
        return TableSpan(i - 1, end, [header, *rows], header=True)
    return TableSpan(i, end, rows)


def _header_before(texts: list[str], i: int, width: int, stop: Callable[[str], bool]) -> list[str] | None:
    if i == 0 or not texts[i - 1] or stop(texts[i - 1].replace("\t", " ")):
        return None
    above = texts[i - 1]
    if "\t" in above:  # headings printed in columns: one per column, whatever their words
        parts = [p.strip() for p in above.split("\t")]
        if len(parts) == width + 1 and all(parts) and not any(parse_row(p) for p in parts[:1]):
            if not LISTED.match(parts[0]) and not above.rstrip().endswith((".", ":")):
                return parts
    found = parse_header(above.replace("\t", " "), width)
    return [found[0], *found[1]] if found else None


def _enough(rows: list[list[str]], width: int, header: bool) -> bool:
    """Enough evidence for a table: three rows, or two with a header or with several columns;
    and some cell holds a number."""
    if not any(re.search(r"\d", c) for r in rows for c in r[1:]):
        return False
    return len(rows) >= 3 or (len(rows) >= 2 and (header or width >= 2))


def table_cells(items) -> list[TableCell]:
    """Every cell of every table in the sections of `items` (agenda items), in document order."""
    return [c for it in items for s in it.sections for t in s.tables for r in t.rows for c in r.cells]

"""Clean extracted pages: running headers and footers, page numbers, hyphenation, boilerplate."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kkr.ingest.read import Page

PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,3}(?:\s*(?:af|/|of)\s*\d{1,3})?$|^[-–]\s*\d{1,3}\s*[-–]$", re.IGNORECASE)
# a running label with a page number: "KKR SJÆLLAND | Side 2", "Referat · side 3 af 7", "Side 2/7"
PAGE_LABEL = re.compile(
    r"^.{0,80}?(?:^|[\s|·•–-])(?:side|page|s\.)\s*\d{1,3}(?:\s*(?:af|/|of)\s*\d{1,3})?\s*$", re.IGNORECASE
)
# the parts of a running label ("KKR Midtjylland | Dagsorden | 16. juni 2025"): a date, a page,
# or what the document is
LABEL_SEPARATOR = re.compile(r"\s+[|·•]\s+")
LABEL_PART = re.compile(
    r"^(?:\d{1,2}\.\s*[a-zæøå]+\s+\d{4}|\d{4}-\d{2}-\d{2}|(?:side|page)\s*\d{1,3}.*|referat|dagsorden|beslutningsprotokol)$",
    re.IGNORECASE,
)
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
ATTACHMENT_MARK = re.compile(r"^\s*\./\.\s*")
# Words that follow a hyphenated first part of a compound ("små- og mellemstore"): the hyphen stays.
CONJUNCTIONS = {"og", "eller", "samt", "til", "som", "and", "or"}


@dataclass
class Line:
    """A cleaned line with the page it is printed on; text "" is a paragraph break."""

    text: str
    page: int
    columns: str | None = None  # a table row's cells as printed in columns, tab-separated (PDF)

    @property
    def blank(self) -> bool:
        return not self.text


def normalise(pages: list[Page]) -> tuple[list[Line], list[str]]:
    """Cleaned lines of a document, and the URLs printed on lines of their own.

    Running headers and footers are lines at the top or bottom of a page that recur, digits
    masked (so "Side 2" and "Side 3 af 7" are one line), on at least two pages and on half of
    the pages after the first (a first page often has a header of its own): at the same height
    where the source gives positions (PDF), else as the very first or last line. Lines at the
    top or bottom that are a page label ("3", "Side 3 af 7", "3/7", "KKR Sjælland | Side 2") are
    dropped on any page, also in a one-page document. A line such as "Godkendt" that ends two
    pages is no running footer: a footer stands apart from the text above it (see `_apart`).
    """
    repeated = _running_lines(pages)
    lines: list[Line] = []
    urls: list[str] = []
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.strip()]
        edges = set(content[:3] + content[-3:])
        for i, raw in enumerate(page.lines):
            text = _undo_joined_hyphens(raw).replace("\u00ad", "-").replace("\u00a0", " ")
            text = ATTACHMENT_MARK.sub("", text).strip()
            if not text:
                lines.append(Line("", page.number))
                continue
            if i in edges and (
                PAGE_NUMBER.match(text)
                or PAGE_LABEL.match(text)
                or ((_key(page, i) in repeated or _running_label(text)) and _apart(page, i))
            ):
                continue
            if URL_ONLY.match(text):
                urls.append(text)
                continue
            columns = page.columns[i] if page.columns else None
            lines.append(Line(re.sub(r"\s+", " ", text), page.number, _clean_columns(columns)))
    return lines, urls


JOINED_HYPHEN = re.compile(r"(\S*)[\ufffe\x02]\s*(\S*)")


def _undo_joined_hyphens(text: str) -> str:
    """pdfium joins a word hyphenated at a line end and marks the hyphen with U+FFFE (or U+0002):
    'sep\ufffetember' → 'september', 'KD\ufffeNets' → 'KD-Nets', 'bygge\ufffeog' → 'bygge- og'."""

    def repl(m: re.Match) -> str:
        before, after = m[1], m[2]
        return join_lines([before + "-", after]) if after else before + "-"

    return JOINED_HYPHEN.sub(repl, text)


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _key(page: Page, i: int) -> tuple:
    height = page.heights[i] if page.heights else None
    return _mask(page.lines[i]), height


def _running_lines(pages: list[Page]) -> set[tuple]:
    """Keys (masked text, height) of the lines at the page edges that recur as running lines.

    With positions (PDF), a line recurring at one height on two pages, and on half of the pages
    after the first, is a candidate (`_apart` then checks it stands apart from the text). In
    plain text only the first and last lines are candidates: the first line of every page after
    the first is a header; a last line must recur on most pages (three at least), since a page
    of minutes may well end with "Godkendt"."""
    if len(pages) < 2:
        return set()
    top: Counter[tuple] = Counter()
    bottom: Counter[tuple] = Counter()
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.strip()]
        if not content:
            continue
        if page.heights:
            top.update({_key(page, i) for i in content[:2] + content[-2:]})
        else:
            top.update({_key(page, content[0])})
            bottom.update({_key(page, content[-1])})
    if pages[0].heights:
        return {key for key, n in top.items() if n >= max(2, len(pages) // 2)}
    return {key for key, n in top.items() if n >= max(2, len(pages) - 1)} | {
        key for key, n in bottom.items() if n >= max(3, int(0.6 * len(pages)))
    }


def _clean_columns(columns: str | None) -> str | None:
    """Column texts as the line's text is cleaned (spaces collapsed), still tab-separated."""
    if not columns:
        return None
    return "\t".join(re.sub(r"\s+", " ", part.replace("\u00a0", " ")).strip() for part in columns.split("\t"))


def _running_label(text: str) -> bool:
    """Whether a line is a running label of parts joined by "|" or "·", one of them a date, a page
    or the document's kind: a header of this layout even where it is printed on one page only."""
    parts = LABEL_SEPARATOR.split(text.strip())
    return len(parts) >= 2 and any(LABEL_PART.match(part.strip()) for part in parts)


def _apart(page: Page, i: int) -> bool:
    """Whether line `i`, among the two lines nearest a page edge, stands apart from the body text
    as a header or footer does: it (or the two-line block it ends) is further from the next line
    towards the middle than 1.8 times the page's line spacing (always true without positions)."""
    if not page.heights:
        return True
    placed = [(h, k) for k, h in enumerate(page.heights) if h is not None and page.lines[k].strip()]
    if len(placed) < 3:
        return True
    order = sorted(placed, key=lambda hk: -hk[0])  # top of the page first
    steps = [a[0] - b[0] for a, b in zip(order, order[1:], strict=False)]
    # the line spacing: the smallest step between lines (a median would be pulled up by paragraph
    # gaps and by the edges themselves on a short page); under 4 pt is one printed line
    usual = min((d for d in steps if d >= 4), default=0)
    position = next(n for n, (_h, k) in enumerate(order) if k == i)
    last = len(order) - 1
    if position == 0:  # the top line: a wide gap below it, or below the header line under it
        near = steps[0:2]
    elif position == 1:
        near = steps[1:2]
    elif position == last:  # the bottom line: a wide gap above it, or above the footer line over it
        near = steps[last - 2 : last]
    elif position == last - 1:
        near = steps[last - 2 : last - 1]
    else:
        return False
    return max(near, default=0) > 1.8 * usual


def join_lines(parts: list[str]) -> str:
    """Join the printed lines of one paragraph, undoing hyphenation at line ends.

    "sep-" + "tember" → "september"; but "KD-" + "Nets" → "KD-Nets", "2026-" + "2030" →
    "2026-2030" and "små-" + "og" → "små- og": a hyphen before a capital, a digit or a
    conjunction is a real one.
    """
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not text:
            text = part
            continue
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            first = part.split(" ", 1)[0]
            word = re.split(r"[\s/(]", text[:-1])[-1]
            if first.lower().strip(",.") in CONJUNCTIONS:
                text += " " + part
            elif len(word) >= 2 and word.isupper():  # "EU-" + "kontoret": an abbreviation's hyphen stays
                text += part
            elif part[0].islower():
                text = text[:-1] + part
            else:
                text += part
        elif text.endswith("-") and len(text) > 1 and text[-2].isdigit() and part[0].isdigit():
            text += part
        else:
            text += " " + part
    return text

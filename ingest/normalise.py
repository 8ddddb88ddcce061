"""Clean extracted pages: running headers and footers, page numbers, hyphenation, boilerplate."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kkr.ingest.read import Page

PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,3}(?:\s*(?:af|/|of)\s*\d{1,3})?$|^[-–]\s*\d{1,3}\s*[-–]$", re.IGNORECASE)
URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
ATTACHMENT_MARK = re.compile(r"^\s*\./\.\s*")
# Words that follow a hyphenated first part of a compound ("små- og mellemstore"): the hyphen stays.
CONJUNCTIONS = {"og", "eller", "samt", "til", "som", "and", "or"}


@dataclass
class Line:
    """A cleaned line with the page it is printed on; text "" is a paragraph break."""

    text: str
    page: int

    @property
    def blank(self) -> bool:
        return not self.text


def normalise(pages: list[Page]) -> tuple[list[Line], list[str]]:
    """Cleaned lines of a document, and the URLs printed on lines of their own.

    Running headers and footers are lines that recur, digits masked, on most pages: at the same
    height on the page where the source gives positions (PDF), else as the very first or last
    line. Page-number lines at the top or bottom are dropped too. A line such as "Godkendt" that
    often ends a page is no running footer: its height varies.
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
            if i in edges and (PAGE_NUMBER.match(text) or _key(page, i) in repeated):
                continue
            if URL_ONLY.match(text):
                urls.append(text)
                continue
            lines.append(Line(re.sub(r"\s+", " ", text), page.number))
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
    if len(pages) < 3:
        return set()
    counts: Counter[tuple] = Counter()
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.strip()]
        edges = content[:2] + content[-2:] if page.heights else content[:1] + content[-1:]
        counts.update({_key(page, i) for i in edges})
    threshold = max(3, int(0.6 * len(pages)))
    return {key for key, n in counts.items() if n >= threshold}


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

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

    Lines that recur at the top or bottom of most pages (after digits are masked) are running
    headers or footers; page-number lines at the top or bottom are dropped too.
    """
    repeated = _running_lines(pages)
    lines: list[Line] = []
    urls: list[str] = []
    for page in pages:
        content = [i for i, ln in enumerate(page.lines) if ln.strip()]
        edges = set(content[:3] + content[-3:])
        for i, raw in enumerate(page.lines):
            text = raw.replace("\ufffe", "-").replace("\u00ad", "-").replace("\u00a0", " ")
            text = ATTACHMENT_MARK.sub("", text).strip()
            if not text:
                lines.append(Line("", page.number))
                continue
            if i in edges and (PAGE_NUMBER.match(text) or _mask(text) in repeated):
                continue
            if URL_ONLY.match(text):
                urls.append(text)
                continue
            lines.append(Line(re.sub(r"\s+", " ", text), page.number))
    return lines, urls


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _running_lines(pages: list[Page]) -> set[str]:
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        content = [ln for ln in page.lines if ln.strip()]
        counts.update({_mask(ln) for ln in content[:3] + content[-3:]})
    threshold = max(3, int(0.5 * len(pages)))
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
            if first.lower().strip(",.") in CONJUNCTIONS:
                text += " " + part
            elif part[0].islower():
                text = text[:-1] + part
            else:
                text += part
        elif text.endswith("-") and len(text) > 1 and text[-2].isdigit() and part[0].isdigit():
            text += part
        else:
            text += " " + part
    return text

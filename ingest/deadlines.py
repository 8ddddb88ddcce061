"""Deadlines and future treatments set in an item ("svarfrist den 1. marts 2026", "senest den 1. maj
2026", "inden den 1. april 2026", "forelægges igen på mødet den 22. september 2025", "frem mod
møderne i 1. kvartal 2026"), by patterns kept in patterns/deadlines.jsonl."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

from kkr.ingest.dates import find_dates


@dataclass(frozen=True)
class Deadline:
    kind: str  # svarfrist, frist, senest, inden, forelæggelse, genforelæggelse
    start: date
    end: date
    text: str  # the sentence that sets it
    printed: str  # the words that set it ("senest den 1. maj 2026")


def _rules() -> list[tuple[str, re.Pattern]]:
    text = resources.files("kkr.ingest").joinpath("patterns/deadlines.jsonl").read_text(encoding="utf-8")
    return [
        (r["kind"], re.compile(r["pattern"], re.IGNORECASE))
        for r in map(json.loads, filter(str.strip, text.splitlines()))
    ]


RULES = _rules()
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ–-])")


def find_deadlines(text: str) -> list[Deadline]:
    """Deadlines in `text`, each with the date or period right after its trigger words."""
    found: list[Deadline] = []
    for sentence in SENTENCE.split(text):
        dates = find_dates(sentence)
        for kind, pattern in RULES:
            for m in pattern.finditer(sentence):
                when = next((d for d in dates if d.begin == m.end()), None)
                if when is None:
                    continue
                label = "genforelæggelse" if kind == "forelæggelse" and m.groupdict().get("again") else kind
                printed = sentence[m.start() : when.stop]
                if any(d.start == when.start and d.printed == printed for d in found):
                    continue
                found.append(Deadline(label, when.start, when.end, sentence.strip(), printed))
    return found

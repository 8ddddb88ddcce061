"""English words and phrases → the Danish words the minutes use for them
(ingest/patterns/lexicon_en_da.tsv), for English questions and queries over Danish minutes.

The glossary (SKOS concepts in the graph) names the domain's terms; this lexicon is a plain word
list beside it, so that an English word the glossary does not hold ("bus", "pool", "contract")
still reaches its Danish forms. Danish compounds are not listed: the callers match each Danish
word as a part of the minutes' compounds ("kontrakt" → "resultatkontrakt")."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

LEXICON_FILE = "patterns/lexicon_en_da.tsv"
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class Lexicon:
    """`danish(word)`: the Danish words for an English word or phrase, its inflections
    ("subsidies", "appointed", "training") read back to the base form the lexicon lists."""

    def __init__(self, entries: dict[str, list[str]]):
        self.entries = entries
        self.longest = max((len(k.split()) for k in entries), default=1)

    @classmethod
    def from_text(cls, text: str) -> Lexicon:
        entries: dict[str, list[str]] = {}
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            english, sep, danish = line.partition("\t")
            words = [w.strip() for w in danish.split("|") if w.strip()]
            if not sep or not english.strip() or not words:
                raise ValueError(f"{LEXICON_FILE} line {n}: expected 'english<TAB>danish|danish', got {line!r}")
            key = english.strip().lower()
            entries[key] = list(dict.fromkeys(entries.get(key, []) + words))
        return cls(entries)

    def danish(self, english: str) -> list[str]:
        """The Danish words for `english` (a word or phrase, any case), [] when none is listed."""
        words = english.lower().split()
        if not words:
            return []
        for last in _base_forms(words[-1]):
            key = " ".join(words[:-1] + [last])
            if key in self.entries:
                return self.entries[key]
        return []

    def phrases(self, words: list[str]) -> list[str]:
        """`words` with runs that the lexicon lists as one phrase joined ("public", "transport"
        → "public transport"), longest first, left to right."""
        out, i = [], 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 1, -1):
                phrase = " ".join(words[i : i + n])
                if self.danish(phrase):
                    out.append(phrase)
                    i += n
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def phrases_in(self, text: str) -> list[str]:
        """The phrases of several words the lexicon lists that `text` holds, as printed, left to
        right, the longest at each place ("timetable hours" before "timetable")."""
        words = WORD.findall(text)
        joined = self.phrases(words)
        return [p for p in joined if " " in p]


def _base_forms(word: str) -> list[str]:
    """The word and the base forms an English inflection may hide, most likely first."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    if word.endswith("'s"):
        forms.append(word[:-2])
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])  # "planned" → "plan"
            if stem.endswith("i"):
                forms.append(stem[:-1] + "y")  # "applied" → "apply"
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, read once."""
    text = resources.files("kkr.ingest").joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    return Lexicon.from_text(text)

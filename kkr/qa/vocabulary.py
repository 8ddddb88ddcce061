"""The minutes' vocabulary as the question reader meets it: the compounds a word is a part of,
the words one typing error away, and an English word's spelling as Danish spells it."""

from __future__ import annotations

import bisect
import re


class Bounded(dict):
    """A cache that forgets everything once it holds `size` entries: what questions bring to it
    (words, parts, alternatives) cannot grow it without end."""

    def __init__(self, size: int = 4096):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.size:
            self.clear()
        super().__setitem__(key, value)


def edits(a: str, b: str, limit: int) -> int:
    """The optimal-string-alignment distance of `a` and `b` (insertions, deletions, substitutions,
    swaps of neighbours), or limit + 1 once it exceeds `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def english_stem(word: str) -> str:
    """An English word without its inflection or derivation ending ("financing" → financ)."""
    for ending in ("ations", "ation", "ings", "ing", "ions", "ion", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[: -len(ending)]
    return word


def spelt_danish(word: str) -> str:
    """English spelling as Danish spells the same sounds (c before e/i/y → s, other c → k, ph →
    f, th → t, y → i, w → v, x → ks, qu → kv)."""
    word = word.replace("ph", "f").replace("th", "t").replace("qu", "kv").replace("x", "ks").replace("w", "v")
    word = re.sub(r"c(?=[eiy])", "s", word).replace("c", "k")
    return word.replace("y", "i")


class CompoundIndex:
    """`get(part)`: the vocabulary's words that begin or end with `part` and are longer by at
    least three letters (a compound's other part), computed on first use of each part."""

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = sorted(vocabulary)
        self.found: dict[str, set[str]] = Bounded()

    def inflections(self, stem: str) -> list[str]:
        """The vocabulary's words that are `stem` and one or two letters more."""
        return [t for t in self.starting(stem) if 0 < len(t) - len(stem) <= 2]

    def starting(self, prefix: str) -> list[str]:
        """The vocabulary's words that begin with `prefix`."""
        at = bisect.bisect_left(self.vocabulary, prefix)
        out = []
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(prefix):
            out.append(self.vocabulary[at])
            at += 1
        return out

    def get(self, part: str, default=()):
        # a four-letter part only as a compound's head, its end ("elev": sundhedselev)
        if part not in self.found:
            self.found[part] = {
                t
                for t in self.vocabulary
                if len(t) >= len(part) + 3 and ((t.startswith(part) and len(part) >= 5) or t.endswith(part))
            }
        return self.found[part] or default

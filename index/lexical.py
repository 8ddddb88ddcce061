"""Danish-aware lexical ranking: BM25 (bm25s) over Snowball-stemmed tokens (PyStemmer)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

TOKEN = re.compile(r"[0-9a-zæøåéü]+(?:[-.][0-9a-zæøåéü]+)*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("danish")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DANISH, STOPWORDS_EN

    return frozenset(STOPWORDS_DANISH) | frozenset(STOPWORDS_EN)


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed tokens without stop words; hyphenated forms also split
    ("KD-Net" → "kd-net", "kd", "net")."""
    out = []
    stops = _stopwords()
    for raw in TOKEN.findall(text.lower()):
        parts = [raw] + (re.split(r"[-.]", raw) if "-" in raw else [])
        for part in parts:
            if part and part not in stops and (len(part) > 1 or part.isdigit()):
                out.append(part)
    return _stemmer().stemWords(out)


class LexicalIndex:
    """BM25 over a list of texts; scores for all documents of a query."""

    def __init__(self, texts: list[str]):
        import bm25s

        self.size = len(texts)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [tokens(t) or ["∅"] for t in texts]
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def vocabulary(self) -> set[str]:
        """The stemmed tokens of the indexed texts."""
        return set(self._bm25.vocab_dict) if self.size else set()

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros where nothing matches)."""
        if not self.size:
            return np.zeros(0, dtype="float32")
        q = [t for t in tokens(query) if t in self._bm25.vocab_dict]
        if not q:
            return np.zeros(self.size, dtype="float32")
        return self._bm25.get_scores(q).astype("float32")

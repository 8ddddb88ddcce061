"""Search evaluation: hit@1, hit@3 and MRR over distinct agenda items, per ranking and language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kkr.index.search import Searcher

RANKINGS = {  # name → search options
    "bm25": {"mode": "bm25", "expand": False},
    "bm25+glossary": {"mode": "bm25"},
    "dense": {"mode": "dense", "expand": False},
    "dense+glossary": {"mode": "dense"},
    "fused rrf": {"mode": "fused", "fusion": "rrf"},
    "fused weighted": {"mode": "fused", "fusion": "weighted"},
    "fused (no glossary)": {"mode": "fused", "fusion": "weighted", "expand": False},
}


@dataclass
class Scores:
    n: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0

    def add(self, rank: int | None) -> None:
        self.n += 1
        if rank is not None:
            self.hit1 += rank == 1
            self.hit3 += rank <= 3
            self.mrr += 1.0 / rank

    def row(self) -> tuple[float, float, float]:
        return (self.hit1 / self.n, self.hit3 / self.n, self.mrr / self.n) if self.n else (0.0, 0.0, 0.0)


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def item_key(item_iri: str) -> str:
    """'…/meeting/kkr-midtjylland/2025-10-20/item/3.2' → 'kkr-midtjylland/2025-10-20/3.2'; a
    meeting's own IRI → 'kkr-midtjylland/2025-10-20'."""
    tail = item_iri.split("/meeting/", 1)[1]
    if "/item/" not in tail:  # a meeting's introduction is cited as the meeting: 'kkr-midtjylland/2025-10-20'
        return tail.rstrip("/")
    body, day, _, number = tail.split("/")
    return f"{body}/{day}/{number}"


def first_relevant_rank(searcher: Searcher, query: dict, options: dict, depth: int = 20) -> int | None:
    hits = searcher.search(query["query"], k=depth, per_item=True, **options).hits
    for hit in hits:
        if item_key(hit["item_iri"]) in set(query["relevant"]):
            return hit["rank"]
    return None


def evaluate(searcher: Searcher, queries: list[dict], rankings: dict = RANKINGS) -> dict[str, dict[str, Scores]]:
    """ranking → language ("all", "da", "en") → Scores."""
    table: dict[str, dict[str, Scores]] = {}
    for name, options in rankings.items():
        per_lang = {"all": Scores(), "da": Scores(), "en": Scores()}
        for q in queries:
            rank = first_relevant_rank(searcher, q, options)
            per_lang["all"].add(rank)
            per_lang[q["lang"]].add(rank)
        table[name] = per_lang
    return table


def format_table(table: dict[str, dict[str, Scores]]) -> str:
    lines = [f"{'ranking':16s} {'lang':4s} {'n':>3s} {'hit@1':>6s} {'hit@3':>6s} {'MRR':>6s}"]
    for name, per_lang in table.items():
        for lang, s in per_lang.items():
            h1, h3, mrr = s.row()
            lines.append(f"{name:16s} {lang:4s} {s.n:3d} {h1:6.2f} {h3:6.2f} {mrr:6.2f}")
    return "\n".join(lines)

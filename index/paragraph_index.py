"""The paragraph index: dense vectors in FAISS beside BM25, one fused ranking.

Files (in DATA_DIR/index/<generation>/): manifest.json (model, dimension, documents indexed with
their sha256), paragraphs.jsonl (the records hits are made of), vectors.npy (float32, unit length).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kkr.errors import KkrError
from kkr.index import files
from kkr.index.expand import load_terms
from kkr.index.lexical import LexicalIndex
from kkr.index.model import dimension, embed, model_name
from kkr.index.paragraphs import ParagraphRecord, document_graphs, paragraphs_of

FUSIONS = ("rrf", "weighted")
RRF_K = 60
# Chosen on tests/eval/search_queries.jsonl (see README, "Search quality").
ALPHA = 0.7
EXPANSION_WEIGHT = 0.35
# Dense candidates per query: enough for fusion and filters, without sorting every paragraph.
DENSE_DEPTH = 1000


class IndexError_(KkrError):
    """The index is missing, or was built with another model."""


@dataclass
class SyncReport:
    embedded: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"index: {len(self.added)} documents (re)indexed, {len(self.removed)} removed, "
            f"{self.embedded} paragraphs embedded, {self.seconds:.1f} s"
        )


@dataclass
class Filters:
    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    section: str | None = None  # section type (Background, DecisionSection, ...) or heading as printed

    def mask(self, records: list[ParagraphRecord]) -> np.ndarray | None:
        if not any((self.body, self.date_from, self.date_to, self.section)):
            return None
        keep = np.ones(len(records), dtype=bool)
        for i, r in enumerate(records):
            if (
                self.body
                and r.body.lower() != self.body.lower()
                and r.body.lower().replace("kkr ", "") != self.body.lower().replace("kkr ", "")
            ):
                keep[i] = False
            elif self.date_from and r.meeting_date < self.date_from:
                keep[i] = False
            elif self.date_to and r.meeting_date > self.date_to:
                keep[i] = False
            elif self.section and self.section.lower() not in (r.section_type.lower(), r.section.lower()):
                keep[i] = False
        return keep


class ParagraphIndex:
    """Records, their vectors and BM25, loaded from the current generation."""

    def __init__(
        self, manifest: dict, records: list[ParagraphRecord], vectors: np.ndarray, terms: list[dict] | None = None
    ):
        import faiss

        self.terms = terms or []
        self.manifest = manifest
        self.records = records
        self.vectors = vectors
        self.faiss = faiss.IndexFlatIP(int(manifest["dimension"]))
        if len(vectors):
            self.faiss.add(vectors)
        self.lexical = LexicalIndex([r.search_text() for r in records])

    @property
    def model(self) -> str:
        return self.manifest["model"]

    @classmethod
    def load(cls, index_dir: Path) -> ParagraphIndex:
        gen = files.current_generation(index_dir)
        if gen is None:
            raise IndexError_(f"{index_dir}: no search index yet; run 'kkr ingest' or 'kkr index'")
        manifest = files.read_json(gen / "manifest.json")
        records = [
            ParagraphRecord(**json.loads(line))
            for line in (gen / "paragraphs.jsonl").read_text(encoding="utf-8").splitlines()
            if line
        ]
        vectors = np.load(gen / "vectors.npy")
        terms = files.read_json(gen / "terms.json") if (gen / "terms.json").exists() else []
        return cls(manifest, records, vectors, terms)

    def check_model(self, name: str) -> None:
        """Refuse a query embedded by another model than the one that built the index."""
        if name != self.model:
            raise IndexError_(
                f"the index was built with model '{self.model}' (dimension {self.manifest['dimension']}), "
                f"not '{name}'; query with --model {self.model}, or rebuild with 'kkr index --rebuild --model {name}'"
            )

    # ranking -----------------------------------------------------------------------------------
    def dense_scores(self, query_vector: np.ndarray, depth: int = DENSE_DEPTH) -> np.ndarray:
        """Cosine similarity of the `depth` nearest paragraphs (FAISS); the rest get the lowest of those."""
        n = len(self.records)
        if not n:
            return np.zeros(0, dtype="float32")
        scores, ids = self.faiss.search(query_vector.reshape(1, -1).astype("float32"), min(n, depth))
        out = np.full(n, scores[0][-1], dtype="float32")
        out[ids[0]] = scores[0]
        return out

    def rank(
        self,
        query: str,
        query_vector: np.ndarray | None,
        *,
        mode: str = "fused",
        fusion: str = "weighted",
        alpha: float = ALPHA,
        filters: Filters | None = None,
        expansion: str = "",
        expansion_weight: float = EXPANSION_WEIGHT,
        limit: int = 1000,
    ) -> list[tuple[int, float]]:
        """(record index, score) best first, over every paragraph that passes the filters.

        BM25 scores the query's own words, plus `expansion` (glossary and organisation labels
        added to the query) at `expansion_weight`, so added words help without drowning the
        query's own; the dense side ranks by `query_vector`. Fusion "weighted" mixes min-max
        normalised scores (alpha for BM25), "rrf" adds reciprocal ranks.
        """
        n = len(self.records)
        if n == 0:
            return []
        keep = filters.mask(self.records) if filters else None
        lex: np.ndarray | None = None
        if mode in ("fused", "bm25"):
            lex = self.lexical.scores(query)
            if expansion:
                lex = lex + expansion_weight * self.lexical.scores(expansion)
        den = self.dense_scores(query_vector) if mode in ("fused", "dense") and query_vector is not None else None
        if mode == "bm25":
            score = lex
        elif mode == "dense":
            score = den
        else:
            assert den is not None and lex is not None  # the fused modes have both
            if fusion == "rrf":
                score = _rrf(lex, keep, sparse=True) + _rrf(den, keep)
            else:
                score = alpha * _minmax(lex) + (1 - alpha) * _minmax(den)
        assert score is not None
        if mode == "bm25":
            candidates = np.flatnonzero(score > 0)
        else:
            candidates = np.arange(n)
        if keep is not None:
            candidates = candidates[keep[candidates]]
        if len(candidates) > limit:  # partial sort: only the best `limit` need an order
            top = np.argpartition(-score[candidates], limit - 1)[:limit]
            candidates = candidates[top]
        order = candidates[np.argsort(-score[candidates], kind="stable")]
        return [(int(i), float(score[i])) for i in order]


def _rrf(scores: np.ndarray, keep: np.ndarray | None, sparse: bool = False) -> np.ndarray:
    """Reciprocal-rank fusion term 1/(k + rank) per document, ranks among the kept documents;
    with `sparse` (BM25) a document that matches no query term gets no share."""
    n = len(scores)
    idx = np.arange(n) if keep is None else np.flatnonzero(keep)
    order = idx[np.argsort(-scores[idx], kind="stable")]
    out = np.zeros(n, dtype="float32")
    out[order] = 1.0 / (RRF_K + np.arange(1, len(order) + 1, dtype="float32"))
    if sparse:
        out[scores <= 0] = 0.0
    return out


def _minmax(scores: np.ndarray) -> np.ndarray:
    lo, hi = float(scores.min()), float(scores.max())
    return (scores - lo) / (hi - lo) if hi > lo else np.zeros_like(scores)


# building ----------------------------------------------------------------------------------------
def index_dir_of(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def sync_index(
    store, data_dir: Path, model: str | None = None, rebuild: bool = False, progress=lambda it, total: it
) -> SyncReport:
    """Bring the index in step with the store: embed only documents added or changed since the
    last sync, drop those no longer in the store. A new generation is published atomically."""
    started = time.perf_counter()
    name = model_name(model)
    index_dir = index_dir_of(data_dir)
    gen = files.current_generation(index_dir)
    old_manifest, old_records, old_vectors = None, [], None
    if gen is not None and not rebuild:
        old = ParagraphIndex.load(index_dir)
        old.check_model(name)
        old_manifest, old_records, old_vectors = old.manifest, old.records, old.vectors
    indexed = (old_manifest or {}).get("documents", {})
    in_store = document_graphs(store)
    changed = [g for g, sha in sorted(in_store.items()) if indexed.get(g) != sha]
    removed = [g for g in indexed if g not in in_store]
    report = SyncReport(added=changed, removed=removed)
    if not changed and not removed and gen is not None and not rebuild:
        report.seconds = time.perf_counter() - started
        return report
    drop = set(changed) | set(removed)
    keep = [i for i, r in enumerate(old_records) if r.graph not in drop]
    records = [old_records[i] for i in keep]
    dim = dimension(name)
    parts = [old_vectors[keep] if old_vectors is not None and keep else np.zeros((0, dim), dtype="float32")]
    for graph in progress(changed, len(changed)):
        new = paragraphs_of(store, graph)
        parts.append(embed(name, [r.search_text() for r in new]))
        records.extend(new)
        report.embedded += len(new)
    vectors = np.concatenate(parts).astype("float32")
    manifest = {
        "model": name,
        "dimension": dim,
        "paragraphs": len(records),
        "documents": {g: in_store[g] for g in in_store},
        "format": 1,
    }
    target = files.new_generation(index_dir)
    with open(target / "paragraphs.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    np.save(target / "vectors.npy", vectors)
    files.write_json(target / "terms.json", load_terms(store))
    files.write_json(target / "manifest.json", manifest)
    files.publish(index_dir, target)
    report.seconds = time.perf_counter() - started
    return report

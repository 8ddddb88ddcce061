"""Hybrid search over the paragraph index: every hit carries what is needed to cite it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kkr.index.expand import Expander
from kkr.index.model import embed, model_name
from kkr.index.paragraph_index import Filters, ParagraphIndex, index_dir_of

DEFAULT_FUSION = "weighted"
HIT_FIELDS = (
    "rank",
    "score",
    "text",
    "section",
    "page",
    "item_number",
    "item_title",
    "item_iri",
    "meeting_date",
    "body",
    "paragraph_iri",
)


@dataclass
class SearchResult:
    query: str
    hits: list[dict]
    expanded_with: list[str] = field(default_factory=list)


class Searcher:
    """The index, the model and the expander, loaded once; `search` is cheap."""

    def __init__(self, index: ParagraphIndex, model: str | None = None):
        self.index = index
        self.model = model_name(model)
        index.check_model(self.model)
        self.expander = Expander(index.terms, index.lexical.vocabulary())

    @classmethod
    def open(cls, data_dir: Path, model: str | None = None) -> Searcher:
        return cls(ParagraphIndex.load(index_dir_of(data_dir)), model)

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "fused",
        fusion: str = DEFAULT_FUSION,
        expand: bool = True,
        per_item: bool = False,
        exclude_graphs: frozenset[str] = frozenset(),
        **tuning,
    ) -> SearchResult:
        """The best `k` paragraphs for `query` (with `per_item`, the best paragraph of each item),
        leaving out the paragraphs of the documents in `exclude_graphs` (agendas whose minutes
        are in)."""
        expansion = self.expander.expand(query) if expand else None
        added = " ".join(expansion.added) if expansion else ""
        vector = embed(self.model, [f"{query} {added}".strip()])[0] if mode != "bm25" else None
        # per item, many paragraphs of one item may precede the next item's best one
        limit = (k * 50 if per_item else k) + (k * 5 if exclude_graphs else 0)
        ranked = self.index.rank(
            query, vector, mode=mode, fusion=fusion, filters=filters, expansion=added, limit=limit, **tuning
        )
        hits: list[dict] = []
        seen: set = set()
        for i, score in ranked:
            r = self.index.records[i]
            if r.graph in exclude_graphs:
                continue
            if per_item:
                if r.item_iri in seen:
                    continue
                seen.add(r.item_iri)
            hits.append(
                {
                    "rank": len(hits) + 1,
                    "score": round(score, 6),
                    "text": r.text,
                    "section": r.section,
                    "section_type": r.section_type,
                    "page": r.page,
                    "item_number": r.item_number,
                    "item_title": r.item_title,
                    "item_iri": r.item_iri,
                    "meeting_date": r.meeting_date,
                    "body": r.body,
                    "paragraph_iri": r.paragraph_iri,
                    "outcome": r.outcome,
                    "graph": r.graph,
                }
            )
            if len(hits) >= k:
                break
        return SearchResult(query, hits, expansion.added if expansion else [])

"""Ingest source documents into the graph store, one named graph per document."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from kkr.errors import IngestError, StoreError
from kkr.ingest.document import ParsedDocument, parse_document
from kkr.ingest.glossary import ensure_glossary
from kkr.ingest.nlp import build_pipeline
from kkr.ingest.read import SUPPORTED_SUFFIXES
from kkr.ingest.rdf import document_graph
from kkr.ingest.threads import update_links
from kkr.iris import Minter
from kkr.store import ONTOLOGY_GRAPH, GraphStore


@dataclass
class IngestSummary:
    documents: int = 0
    unchanged: int = 0
    meetings: int = 0
    items: int = 0
    triples: int = 0
    seconds: float = 0.0
    errors: list[IngestError] = field(default_factory=list)
    parsed: list[ParsedDocument] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.documents} documents ingested ({self.unchanged} unchanged, {len(self.errors)} failed), "
                f"{self.meetings} meetings, {self.items} items, {self.triples} triples in the store, "
                f"{self.seconds:.1f} s")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files given, and the .pdf/.txt files inside folders given (recursively, sorted)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            files.append(path)
    return files


def ensure_ontology(store: GraphStore) -> None:
    """Keep kkr.ttl (outcome and section-type labels included) in its own named graph,
    replaced when the file changes."""
    from kkr.ontology import ontology_text

    text = ontology_text()
    sha = hashlib.sha256(text.encode()).hexdigest()
    if store.graph_with_sha(sha) == ONTOLOGY_GRAPH:
        return
    import rdflib
    g = rdflib.Graph().parse(data=text, format="turtle")
    nt = g.serialize(format="nt") + f'<{ONTOLOGY_GRAPH}> <https://w3id.org/kkr/ns#sha256> "{sha}" .\n'
    store.replace_graph(ONTOLOGY_GRAPH, nt)


def ingest_paths(paths: Iterable[Path], store: GraphStore, *, base: str, body: str | None = None,
                 meeting_date: date | None = None,
                 progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda files: files) -> IngestSummary:
    """Ingest every file; a failing file is reported in the summary and leaves the store as it was."""
    started = time.perf_counter()
    summary = IngestSummary()
    minter = Minter(base)
    nlp = build_pipeline()
    ensure_ontology(store)
    ensure_glossary(store, base)
    for path in progress(expand_paths(paths)):
        try:
            outcome = ingest_file(path, store, nlp, minter, body, meeting_date)
        except IngestError as exc:
            summary.errors.append(exc)
            continue
        except StoreError:
            raise  # the store is unreachable: no further file can be written either
        except Exception as exc:  # one bad file must not stop the others
            summary.errors.append(IngestError(path, f"unexpected error: {type(exc).__name__}: {exc}",
                                              "please report this with the file"))
            continue
        if outcome is None:
            summary.unchanged += 1
        else:
            summary.documents += 1
            summary.items += len(outcome.items)
            summary.parsed.append(outcome)
    if summary.parsed:  # links depend on every document: recompute them from the store
        update_links(store)
    summary.meetings = len({(d.body, d.date) for d in summary.parsed})
    summary.triples = len(store)
    summary.seconds = time.perf_counter() - started
    return summary


def ingest_file(path: Path, store: GraphStore, nlp, minter: Minter, body: str | None,
                meeting_date: date | None) -> ParsedDocument | None:
    """Ingest one file; None when the store already holds exactly these bytes."""
    if not path.exists():
        raise IngestError(path, "no such file", "check the path")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    existing = store.graph_with_sha(sha)
    if existing is not None and body is None and meeting_date is None:
        return None
    doc = parse_document(path, nlp, body, meeting_date)
    graph_iri = str(minter.graph(doc.body, doc.date))
    if existing == graph_iri:
        return None
    stale = tuple(g for g in store.graphs_from_source(str(path)) if g != graph_iri)
    if existing is not None and existing != graph_iri:
        stale += (existing,)
    store.replace_graph(graph_iri, document_graph(doc, minter).serialize(format="nt"), drop=stale)
    return doc

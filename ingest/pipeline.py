"""Ingest source documents into the graph store, one named graph per document."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kkr.errors import IngestError, StoreError
from kkr.ingest.doctype import AGENDA
from kkr.ingest.document import ParsedDocument, parse_document
from kkr.ingest.glossary import ensure_glossary
from kkr.ingest.nlp import build_pipeline
from kkr.ingest.rdf import document_graph, meeting_label
from kkr.ingest.read import SUPPORTED_SUFFIXES
from kkr.ingest.threads import update_links
from kkr.iris import Minter
from kkr.sources import keep_copy, sources_dir
from kkr.sparql_terms import iri, literal
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
    # (file ingested, file whose graph it replaced): a corrected re-issue, or --replaces
    replaced: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.documents} documents ingested ({self.unchanged} unchanged, {len(self.errors)} failed), "
            f"{self.meetings} meetings, {self.items} items, {self.triples} triples in the store, "
            f"{self.seconds:.1f} s"
        )


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
    nt = g.serialize(format="nt") + f"{iri(ONTOLOGY_GRAPH)} <https://w3id.org/kkr/ns#sha256> {literal(sha)} .\n"
    store.replace_graph(ONTOLOGY_GRAPH, nt)


def ingest_paths(
    paths: Iterable[Path],
    store: GraphStore,
    *,
    base: str,
    body: str | None = None,
    meeting_date: date | None = None,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda files: files,
    data_dir: Path | None = None,
    doc_type: str | None = None,
    replaces: tuple[str, ...] = (),
) -> IngestSummary:
    """Ingest every file; a failing file is reported in the summary and leaves the store as it was.

    Each document goes into a named graph of its own: a meeting's minutes and its agenda
    (`doc_type` "minutes"/"agenda", detected when None) are two graphs, and neither ingest removes
    triples of the other. A document of the same meeting and type as one in the store (a corrected
    re-issue under another file name) replaces it, and the summary says so (`replaced`);
    `replaces` names files whose graphs the ingested documents replace explicitly.

    A copy of each document is kept in `data_dir`/sources/ (for the service's /source page);
    `data_dir` defaults to the local store's data directory, and without either no copy is kept."""
    started = time.perf_counter()
    summary = IngestSummary()
    minter = Minter(base)
    nlp = build_pipeline()
    ensure_ontology(store)
    ensure_glossary(store, base)
    data_dir = data_dir if data_dir is not None else getattr(store, "data_dir", None)
    copies = sources_dir(data_dir) if data_dir is not None else None
    for path in progress(expand_paths(paths)):
        try:
            outcome = ingest_file(
                path, store, nlp, minter, body, meeting_date, copies, doc_type, replaces, summary.replaced
            )
        except IngestError as exc:
            summary.errors.append(exc)
            continue
        except StoreError:
            raise  # the store is unreachable: no further file can be written either
        except Exception as exc:  # one bad file must not stop the others
            summary.errors.append(
                IngestError(path, f"unexpected error: {type(exc).__name__}: {exc}", "please report this with the file")
            )
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


def ingest_file(
    path: Path,
    store: GraphStore,
    nlp,
    minter: Minter,
    body: str | None,
    meeting_date: date | None,
    copies: Path | None = None,
    doc_type: str | None = None,
    replaces: tuple[str, ...] = (),
    replaced: list[tuple[str, str]] | None = None,
) -> ParsedDocument | None:
    """Ingest one file; None when the store already holds exactly these bytes. The copy in
    `copies` is written before the graph, so a graph in the store always has its copy. The names
    of the documents whose graphs it replaced are appended to `replaced`."""
    if not path.exists():
        raise IngestError(path, "no such file", "check the path")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    existing = store.graph_with_sha(sha)
    if existing is not None and body is None and meeting_date is None:
        _keep_copy(copies, path, data, sha)  # a data directory from before copies were kept gets one
        return None
    doc = parse_document(path, nlp, body, meeting_date, doc_type)
    if doc.sha256 != sha:
        raise IngestError(path, "the file changed while it was read", "ingest it again when it is complete")
    _keep_copy(copies, path, data, sha)
    graph_iri = str(minter.graph(doc.body, doc.date, agenda=doc.doc_type == AGENDA))
    if existing == graph_iri:
        return None
    label = meeting_label(doc.body, doc.date)
    # same file name and same meeting: an earlier version of this document (under another
    # --base, say); the name alone could be another council's "referat.pdf" (see graphs_from_source_query)
    stale = tuple(g for g in store.graphs_from_source(path.name, label) if g != graph_iri)
    for name in replaces:  # named by the user: that document of this meeting goes
        stale += tuple(g for g in store.graphs_from_source(name, label) if g != graph_iri)
    if existing is not None and existing != graph_iri:
        stale += (existing,)
    previous = store.source_of(graph_iri)
    if previous is not None and previous != path.name and replaced is not None:
        replaced.append((path.name, previous))  # same meeting, same type: a re-issue
    for g in stale:
        former = store.source_of(g)
        if former is not None and former != path.name and replaced is not None:
            replaced.append((path.name, former))
    meeting = str(minter.meeting(doc.body, doc.date))
    store.replace_graph(
        graph_iri,
        document_graph(doc, minter).serialize(format="nt"),
        drop=tuple(dict.fromkeys(stale)),
        meetings=(meeting,),
    )
    return doc


def _keep_copy(copies: Path | None, path: Path, data: bytes, sha: str) -> None:
    """Keep the document's bytes in the data directory; an IngestError (store untouched) if impossible."""
    if copies is None:
        return
    try:
        keep_copy(copies, data, sha, path.name)
    except OSError as exc:
        raise IngestError(
            path,
            f"cannot keep a copy in the data directory's sources/ folder ({exc.strerror or exc})",
            "check the free space and permissions of the data directory",
        ) from None

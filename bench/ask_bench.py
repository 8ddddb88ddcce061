"""Benchmark: /ask through the running service (waitress, HTTP on loopback) on the test split of
the held-out questions (tests/eval/ask_test.jsonl), beside the answerer alone doing the same work
in the same run (Answerer.ask in-process over the embedded store): median and p95 of each, and
their ratio (these machines are shared and noisy: compare the ratio, not the milliseconds).

The data: the bundled samples, the extraction documents and agendas of tests/, and the real
minutes when ../shared/corpus is there (as `kkr eval --ask` is run), ingested into a temporary
data directory unless --data names one.

Run: python bench/ask_bench.py [--data DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kkr.index.search import Searcher  # noqa: E402
from kkr.ingest.pipeline import ingest_paths  # noqa: E402
from kkr.qa.answer import Answerer  # noqa: E402
from kkr.store import GraphStore  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "ask_test.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "kkr-midtjylland-2025-10-20-referat.txt"
BASE = "https://w3id.org/kkr/id/"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, p95 {pct(values, 95) * 1000:.0f} ms (n={len(values)})"


def build(data: Path) -> None:
    """The evaluation's documents ingested and indexed into `data`."""
    store = GraphStore.in_data_dir(data)
    tests = ROOT / "tests"
    sources = [ROOT / "samples", tests / "extraction" / "dev", tests / "extraction" / "test", tests / "agendas"]
    ingest_paths(sources, store, base=BASE)
    if CORPUS.exists():
        ingest_paths([CORPUS], store, base=BASE, body="KKR Midtjylland", meeting_date=date(2025, 10, 20))
    del store
    kkr = Path(sys.executable).parent / "kkr"
    subprocess.run([str(kkr), "index", "--data", str(data)], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="an ingested and indexed data directory")
    parser.add_argument("--repeat", type=int, default=1, help="times each question is asked")
    parser.add_argument(
        "--questions", type=Path, default=QUESTIONS, help="a question file (JSON lines); default: ask_test.jsonl"
    )
    args = parser.parse_args()
    questions = [
        json.loads(line)["question"] for line in args.questions.read_text(encoding="utf-8").splitlines() if line
    ]
    with tempfile.TemporaryDirectory(prefix="kkr-ask-bench-") as tmp:
        data = args.data or Path(tmp) / "data"
        if args.data is None:
            t0 = time.perf_counter()
            build(data)
            print(f"data: built in {time.perf_counter() - t0:.1f} s")

        import waitress

        from kkr.service.app import create_app, warm_up
        from kkr.service.backends import close_pools
        from kkr.service.views.ask import answerer

        app = create_app({"DATA_DIR": str(data), "QUERY_TIMEOUT": 60})
        warm_up(app)
        with app.app_context():
            answerer(app)  # labels, vocabulary and linker loaded before the first timed question
        server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        http = requests.Session()
        raw = Answerer(GraphStore.in_data_dir(data, read_only=True), Searcher.open(data))
        for q in questions[:3]:  # warm-up
            http.get(f"{base}/ask", params={"q": q}).raise_for_status()
            raw.ask(q)
        service_t, raw_t = [], []
        for _ in range(args.repeat):
            for q in questions:
                t0 = time.perf_counter()
                r = http.get(f"{base}/ask", params={"q": q})
                service_t.append(time.perf_counter() - t0)
                assert r.status_code in (200, 414), (q, r.status_code)
                t0 = time.perf_counter()
                raw.ask(q[:500])
                raw_t.append(time.perf_counter() - t0)
        print(f"/ask via the service (HTTP, test split): {ms(service_t)}")
        print(f"answerer alone (in-process):             {ms(raw_t)}")
        print(
            f"ratio service/answerer: median {statistics.median(service_t) / statistics.median(raw_t):.2f}, "
            f"p95 {pct(service_t, 95) / pct(raw_t, 95):.2f}"
        )
        server.close()
        close_pools(app)


if __name__ == "__main__":
    main()

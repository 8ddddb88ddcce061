"""Benchmark: mixed concurrent load on `kkr serve`, with heavy SPARQL queries running alongside.

1. Ingests samples/*.txt (and ../shared/corpus/*.txt if present) into a temporary data dir with
   `.venv/bin/kkr ingest`, then starts `.venv/bin/kkr serve --data DIR --host 127.0.0.1 --port P
   --query-timeout T [--serve-args ...]` as a subprocess (loopback only).
2. At start, a SPARQL query finds meeting and agenda-item IRIs (for /id/...), dates, case ids and
   organisation names (for the contract queries of kkr/contract.py).
3. For each client count N in --clients: N threads (one requests.Session each) send for --seconds a
   mix of /search (30%), /ask (15%), /id/... (25%), light contract SPARQL (20%) and /healthz (10%),
   while --heavy clients (default 2) keep sending cross-product SPARQL queries that run into the
   timeout / memory limit. 503/429/413 on the heavy class are expected outcomes, not errors.
4. Per class: count, req/s, p50/p95/p99 latency (ms, over requests that got an HTTP answer), non-2xx
   by status, connection errors by kind; peak VmRSS of the server process and of the sum of its
   descendants (sampled every 0.2 s; psutil if installed, else /proc walking).
Options in --serve-args that `kkr serve --help` does not list are dropped with a warning, so the
benchmark runs against servers without e.g. --max-query-memory or --heavy-per-client yet. As a guard
(no swap here), the server is killed if its process tree passes --rss-abort MB.
Run: .venv/bin/python bench/load_bench.py [--clients 4,16,64] [--seconds 20] [--query-timeout 5]
     [--heavy 2] [--serve-args "--max-query-memory 1024"] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
import requests.adapters

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.proctree import RssSampler, reap, snapshot  # noqa: E402
from kkr import contract as cq  # noqa: E402

KKR = str(ROOT / ".venv" / "bin" / "kkr")
CLASSES = ["search", "ask", "id", "sparql-light", "sparql-heavy", "healthz"]
MIX = [("search", 30), ("ask", 15), ("id", 25), ("sparql-light", 20), ("healthz", 10)]
EXPECTED_HEAVY = {503, 429, 413}
MAX_PER_CLIENT = 1_000_000  # count bound beside the time bound
WORDS = (
    "sundhedsreform akutpladser kommunerne regionen finansiering kontingent erhvervshus klimasekretariat "
    "rammeaftale danskuddannelse beskæftigelse udpegning budget kultursamarbejde sundhedsråd "
    "health reform emergency beds municipalities budget climate education employment business"
).split()
QUESTIONS = [
    "Hvad besluttede KKR Sjælland om sundhedsreformen?",
    "Hvornår holdt KKR Nordjylland møde?",
    "Hvem blev udpeget til sundhedsrådet?",
    "Hvilke beløb nævnes i beslutningerne?",
    "What did KKR Midtjylland decide about the climate secretariat?",
    "Which meetings were held in 2025?",
    "Hvad sagde KKR om akutpladser?",
    "Who was elected chair?",
]
HEAVY = [
    "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
]
DISCOVER = (
    cq.PREFIXES
    + """SELECT ?s ?kind WHERE {
  { ?s a besluit:Zitting . BIND("meeting" AS ?kind) } UNION { ?s a besluit:Agendapunt . BIND("item" AS ?kind) }
  UNION { ?m a besluit:Zitting ; dct:date ?s . BIND("date" AS ?kind) }
  UNION { ?c dct:identifier ?s . ?i kkr:case ?c . BIND("case" AS ?kind) }
  UNION { ?o a org:Organization ; skos:prefLabel ?s . BIND("org" AS ?kind) } } LIMIT 2000"""
)
JSON_ACCEPT = {"Accept": "application/sparql-results+json"}


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def supported_options() -> set[str]:
    out = subprocess.run([KKR, "serve", "--help"], capture_output=True, text=True, timeout=120).stdout
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", out))


def filter_serve_args(extra: str, supported: set[str]) -> list[str]:
    tokens, kept, i = shlex.split(extra), [], 0
    while i < len(tokens):
        tok = tokens[i]
        takes_value = "=" not in tok and i + 1 < len(tokens) and not tokens[i + 1].startswith("--")
        group = tokens[i : i + 2] if takes_value else [tok]
        if tok.startswith("--") and tok.split("=")[0] not in supported:
            print(f"warning: `kkr serve` has no {tok.split('=')[0]} (yet); dropped {' '.join(group)}")
        else:
            kept += group
        i += len(group)
    return kept


def ingest(data: Path) -> None:
    files = sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
    t0 = time.perf_counter()

    def run(fs):
        return subprocess.run(
            [KKR, "ingest", *map(str, fs), "--data", str(data)], capture_output=True, text=True, timeout=900
        )

    if (r := run(files)).returncode != 0:  # one at a time, skipping the ones that fail
        print(f"ingest of all files failed ({r.stderr.strip()[-300:]}); ingesting one by one")
        for f in files:
            if (one := run([f])).returncode != 0:
                print(f"  skipped {f.name}: {one.stderr.strip()[-200:]}")
    print(f"ingested {len(files)} files in {time.perf_counter() - t0:.1f} s")


def start_server(data: Path, args, extra: list[str]) -> tuple[subprocess.Popen, str, Path]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = data.parent / "serve.log"
    cmd = [
        KKR,
        "serve",
        "--data",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--query-timeout",
        str(args.query_timeout),
        *extra,
    ]
    print("server:", " ".join(cmd[1:]))
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base, log
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"server did not come up (exit {proc.poll()}):\n{log.read_text()[-2000:]}")


def discover(base: str) -> dict[str, list[str]]:
    r = requests.post(f"{base}/sparql", data={"query": DISCOVER}, headers=JSON_ACCEPT, timeout=60)
    r.raise_for_status()
    rows = [(b["kind"]["value"], b["s"]["value"]) for b in r.json()["results"]["bindings"]]
    return {k: sorted({v for kind, v in rows if kind == k}) for k in ("meeting", "item", "date", "case", "org")}


def make_request(cls: str, rng: random.Random, found: dict, base: str, qt: float):
    if cls == "search":
        return "GET", f"{base}/search", {"q": " ".join(rng.sample(WORDS, rng.randint(1, 3)))}, {}, 60
    if cls == "ask":
        return "GET", f"{base}/ask", {"q": rng.choice(QUESTIONS)}, {}, 60
    if cls == "id":
        iri = rng.choice(found["meeting"] + found["item"])
        return "GET", f"{base}/id/{iri.split('/id/', 1)[1]}", {}, {"Accept": "application/n-triples"}, 60
    if cls == "sparql-light":
        choices = [cq.MEETINGS, cq.MONEY_IN_DECISIONS]
        choices += [cq.AGENDA % rng.choice(found["date"])] if found["date"] else []
        choices += [cq.CASE % rng.choice(found["case"])] if found["case"] else []
        choices += [cq.ORG_MENTIONS % rng.choice(found["org"])] if found["org"] else []
        return "GET", f"{base}/sparql", {"query": rng.choice(choices)}, JSON_ACCEPT, 60
    if cls == "sparql-heavy":
        return "POST", f"{base}/sparql", {"query": rng.choice(HEAVY)}, JSON_ACCEPT, qt + 60
    return "GET", f"{base}/healthz", {}, {}, 30


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connections from one loopback address: each bench client is a client of its own to the
    service (which limits concurrent SPARQL per client address)."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def loopback(i: int, heavy: bool = False) -> str:
    """The loopback address of client i (127.0.x.y for mixed clients, 127.9.0.y for heavy ones)."""
    return f"127.9.0.{i + 1}" if heavy else f"127.0.{1 + i // 250}.{1 + i % 250}"


def client(
    classes: list[str],
    weights: list[int],
    seed: int,
    deadline: float,
    found,
    base,
    qt,
    out: list,
    source: str = "127.0.0.1",
):
    rng, http = random.Random(seed), requests.Session()
    http.mount("http://", SourceAddressAdapter(source))
    for _ in range(MAX_PER_CLIENT):
        if time.monotonic() >= deadline:
            break
        cls = rng.choices(classes, weights)[0]
        method, url, params, headers, timeout = make_request(cls, rng, found, base, qt)
        t0 = time.perf_counter()
        try:
            kw = {"data": params} if method == "POST" else {"params": params}
            r = http.request(method, url, headers=headers, timeout=timeout, **kw)
            _ = r.content
            out.append((cls, time.perf_counter() - t0, r.status_code))
        except requests.RequestException as exc:
            out.append((cls, time.perf_counter() - t0, type(exc).__name__))
            time.sleep(0.05)  # a refused connection fails at once: do not spin
    http.close()


def summarise(records: list, elapsed: float) -> dict:
    res = {"total_requests": len(records), "mixed_rps": sum(1 for r in records if r[0] != "sparql-heavy") / elapsed}
    for cls in CLASSES:
        rows = [r for r in records if r[0] == cls]
        lat = [r[1] * 1000 for r in rows if isinstance(r[2], int)]
        statuses = Counter(r[2] for r in rows if isinstance(r[2], int) and not 200 <= r[2] < 300)
        expected = {s: n for s, n in statuses.items() if cls == "sparql-heavy" and s in EXPECTED_HEAVY}
        res[cls] = {
            "count": len(rows),
            "rps": len(rows) / elapsed,
            "ok": sum(1 for r in rows if r[2] in range(200, 300)),
            "p50_ms": pct(lat, 50),
            "p95_ms": pct(lat, 95),
            "p99_ms": pct(lat, 99),
            "expected": {str(s): n for s, n in expected.items()},
            "errors_by_status": {str(s): n for s, n in statuses.items() if s not in expected},
            "connection_errors": dict(Counter(r[2] for r in rows if isinstance(r[2], str))),
        }
    return res


def print_table(n: int, res: dict) -> None:
    m = res["memory"]
    print(
        f"\n== {n} clients + {res['heavy_clients']} heavy, {res['elapsed_s']:.1f} s: mixed {res['mixed_rps']:.1f} req/s, "
        f"all {res['total_requests'] / res['elapsed_s']:.1f} req/s; peak RSS server {m['server_mb']:.0f} MB, "
        f"children {m['children_sum_mb']:.0f} MB (sum; largest {m['largest_child_mb']:.0f} MB, up to {m['children']})"
        + ("" if res["server_alive"] else "  ** SERVER DIED **")
    )
    print(f"{'class':13s} {'count':>6s} {'req/s':>7s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}  outcomes")
    for cls in CLASSES:
        c = res[cls]
        notes = [f"{c['ok']} ok"] + [f"{s}×{k} (expected)" for s, k in c["expected"].items()]
        notes += [f"{s}×{k} ERR" for s, k in c["errors_by_status"].items()]
        notes += [f"{e}×{k} CONN-ERR" for e, k in c["connection_errors"].items()]
        print(
            f"{cls:13s} {c['count']:6d} {c['rps']:7.1f} {c['p50_ms']:8.1f} {c['p95_ms']:8.1f} {c['p99_ms']:8.1f}  "
            + ", ".join(notes)
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="4,16,64")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--heavy", type=int, default=2, help="extra clients sending heavy SPARQL")
    ap.add_argument("--query-timeout", type=float, default=5)
    ap.add_argument("--serve-args", default="", help='extra `kkr serve` options, e.g. "--workers 4"')
    ap.add_argument("--rss-abort", type=int, default=None, help="MB; default 60%% of MemTotal")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    mem_total = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    abort_kb = (args.rss_abort * 1024) if args.rss_abort else int(mem_total * 0.6)
    extra = filter_serve_args(args.serve_args, supported_options())
    report = {"args": {k: str(v) for k, v in vars(args).items()}, "serve_args_used": extra, "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ingest(data)
        try:
            proc, base, log = start_server(data, args, extra)
        except RuntimeError as exc:
            if not extra:
                raise
            print(f"{exc}\nretrying without --serve-args")
            report["serve_args_used"] = extra = []
            proc, base, log = start_server(data, args, extra)
        aborted, orphans = [], {}

        def abort(kb: int) -> None:
            if not aborted:
                aborted.append(kb)
                print(f"\n!! service tree RSS {kb / 1024:.0f} MB > {abort_kb / 1024:.0f} MB: killing the server")
                orphans.update(snapshot(proc.pid))
                proc.kill()

        sampler = RssSampler(proc.pid, abort_kb, abort)
        sampler.start()
        try:
            found = discover(base)
            print("found: " + ", ".join(f"{len(v)} {k}s" for k, v in found.items()))
            if not found["meeting"] + found["item"]:
                raise RuntimeError("no meeting or item IRIs found")
            for _ in range(3):  # warm up model, index, answerer
                for cls in ("search", "ask", "id", "sparql-light"):
                    m, url, p, h, t = make_request(cls, random.Random(0), found, base, args.query_timeout)
                    requests.get(url, params=p, headers=h, timeout=120)
            classes, weights = [c for c, _ in MIX], [w for _, w in MIX]
            for n in counts:
                if proc.poll() is not None:
                    print(f"server has exited ({proc.returncode}); stopping")
                    break
                sampler.reset()
                records: list = []
                t0 = time.monotonic()
                deadline = t0 + args.seconds
                threads = [
                    threading.Thread(
                        target=client,
                        args=(
                            classes,
                            weights,
                            1000 * n + i,
                            deadline,
                            found,
                            base,
                            args.query_timeout,
                            records,
                            loopback(i),
                        ),
                    )
                    for i in range(n)
                ]
                threads += [
                    threading.Thread(
                        target=client,
                        args=(
                            ["sparql-heavy"],
                            [1],
                            -i - 1,
                            deadline,
                            found,
                            base,
                            args.query_timeout,
                            records,
                            loopback(i, heavy=True),
                        ),
                    )
                    for i in range(args.heavy)
                ]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join(timeout=args.seconds + args.query_timeout + 120)
                elapsed = time.monotonic() - t0  # includes the tail of in-flight requests past the deadline
                res = summarise(list(records), elapsed)
                res.update(
                    clients=n,
                    heavy_clients=args.heavy,
                    elapsed_s=elapsed,
                    server_alive=proc.poll() is None,
                    memory={
                        "server_mb": sampler.peak_server / 1024,
                        "children_sum_mb": sampler.peak_children / 1024,
                        "largest_child_mb": sampler.peak_child / 1024,
                        "children": sampler.max_children,
                    },
                )
                report["runs"][str(n)] = res
                print_table(n, res)
                time.sleep(1)
        finally:
            sampler.stop_evt.set()
            left = snapshot(proc.pid)
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            reap({**orphans, **left})
            if aborted or any(not r["server_alive"] for r in report["runs"].values()):
                print(f"server log tail:\n{log.read_text()[-1500:]}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print(f"\nraw figures: {args.json}")


if __name__ == "__main__":
    main()

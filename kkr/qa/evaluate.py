"""Question evaluation: is the first citation one of the expected items, and does the answer
contain the expected fragments? For questions the minutes cannot answer: no citation, and an
answer that says so."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from kkr.index.evaluate import item_key
from kkr.ingest.dates import parse_danish_date

NOTHING = ("fandt intet", "found nothing")


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(question: dict, result: dict) -> tuple[bool, str]:
    """(correct, why not)."""
    answer = result["answer"].lower()
    if question["kind"] == "none" or not question["cite_first"]:
        ok = not result["citations"] and any(n in answer for n in NOTHING)
        return ok, "" if ok else "answered a question the minutes do not answer"
    if not result["citations"]:
        return False, "no citation"
    first = item_key(result["citations"][0]["item_iri"])
    if first not in question["cite_first"] and not _meeting_level(first, question["cite_first"]):
        return False, f"first citation {first}, expected one of {question['cite_first']}"
    missing = [f for f in question["answer_contains"] if not _contains(answer, f)]
    if missing:
        return False, f"answer lacks {missing}"
    return True, ""


def _meeting_level(cited: str, expected: list[str]) -> bool:
    """Whether a citation of a meeting's introduction answers a meeting-level question: one whose
    expected items are all of that meeting, at least three of them (ASK_README.md: a fact of the
    meeting, not of an item, accepts every item of the meeting)."""
    return cited.count("/") == 1 and len(expected) >= 3 and all(e.startswith(cited + "/") for e in expected)


def _contains(answer: str, fragment: str) -> bool:
    """A fragment is in the answer as printed or, for a Danish date, in the answer's own date
    format (an English answer writes "1 May 2026" where the minutes print "1. maj 2026")."""
    if fragment.lower() in answer:
        return True
    d = parse_danish_date(fragment)
    if d is None:
        return False
    english = f"{d.day} {d.strftime('%B')} {d.year}".lower()
    return english in answer or d.isoformat() in answer


def evaluate(answerer, questions: list[dict]) -> dict:
    """accuracy overall, per language and per kind, and the failures."""
    per: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for q in questions:
        ok, why = judge(q, answerer.ask(q["question"]))
        for key in ("all", q["lang"], q["kind"]):
            per[key][0] += ok
            per[key][1] += 1
        if not ok:
            failures.append((q["id"], q["lang"], q["question"], why))
    return {"accuracy": {k: (c / n, n) for k, (c, n) in per.items()}, "failures": failures}


def format_report(report: dict) -> str:
    lines = [f"{'group':10s} {'n':>3s} {'accuracy':>8s}"]
    order = ["all", "da", "en", "decision", "when", "amount", "who", "list", "history", "none"]
    for key in order + sorted(set(report["accuracy"]) - set(order)):
        if key in report["accuracy"]:
            acc, n = report["accuracy"][key]
            lines.append(f"{key:10s} {n:3d} {acc:8.2f}")
    return "\n".join(lines)

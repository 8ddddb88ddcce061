"""The outcome of a decision (Beslutning) text, by ordered rules kept in patterns/outcomes.jsonl."""

from __future__ import annotations

import json
import re
from importlib import resources

OUTCOMES = ("Approved", "ApprovedWithChanges", "Noted", "Rejected", "Postponed", "OtherOutcome")


def _load_rules() -> list[tuple[str, re.Pattern]]:
    rules = []
    path = resources.files("kkr.ingest").joinpath("patterns/outcomes.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rule = json.loads(line)
            rules.append((rule["outcome"], re.compile(rule["pattern"], re.IGNORECASE)))
    return rules


RULES = _load_rules()


def classify_outcome(decision_text: str) -> str:
    """Local name of the kkr: outcome of a decision text; the first paragraph decides,
    since later ones usually add requests or remarks ("KKR anmodede desuden om ...")."""
    first = decision_text.strip().split("\n\n", 1)[0]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", first) if s]
    for outcome, pattern in RULES:
        if any(pattern.search(s) for s in sentences):
            return outcome
    return "OtherOutcome"

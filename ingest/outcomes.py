"""The outcome of a decision (Beslutning) text, read clause by clause.

The words are data (patterns/outcomes.jsonl: one cue kind and regex a line); the structure is
code. A decision is split into paragraphs, sentences and clauses; each clause is either main
(it decides) or subordinate (an "at ..."-, "således at ..."-, "idet ..."-, "dog ..."- or
"med den ændring ..."-clause that qualifies it). Only cues in main clauses decide, so in
"Godkendt med den ændring, at udpegningen udsættes" the approval decides and the postponement
is the change. Then, in order of precedence:

- an approval of a part of the recommendation ("godkendte indstillingens punkt 1", "første del
  af indstillingen"), or an approval next to a main clause that postpones or rejects ("..., mens
  punkt 2 udsættes"), or an "at ..."-approval that covers one of several points of the
  recommendation (Indstilling) and not the others → PartiallyApproved;
- a negated approval ("ikke godkendt", "kunne ikke tiltræde", "godkendte ikke") or a rejection
  → Rejected;
- an election or appointment ("Som formand valgtes ...", "KKR udpegede ...", "Udpegningen af
  ... blev godkendt") → Appointed;
- an approval with a modifier after it ("med den ændring", "med de faldne bemærkninger", ", dog",
  "bortset fra") → ApprovedWithChanges, else Approved;
- a postponement ("Udsat", "Sagen udsættes") → Postponed; "til efterretning" → Noted.

The first sentence with a deciding main clause gives the outcome; later sentences of the same
paragraph only turn an approval into a partial one, and later paragraphs (usually requests:
"KKR anmodede desuden om ...") are not read. The evidence is the words that decided, as printed
(whitespace collapsed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

OUTCOMES = (
    "Approved",
    "ApprovedWithChanges",
    "PartiallyApproved",
    "Noted",
    "Rejected",
    "Postponed",
    "Appointed",
    "OtherOutcome",
)
# the Danish labels of the outcomes, as their skos:prefLabel @da in ontology/kkr.ttl (a test checks it)
DANISH_LABELS = {
    "Approved": "Godkendt",
    "ApprovedWithChanges": "Godkendt med ændringer",
    "PartiallyApproved": "Delvist godkendt",
    "Noted": "Taget til efterretning",
    "Rejected": "Ikke godkendt",
    "Postponed": "Udsat",
    "Appointed": "Valg og udpegninger",
    "OtherOutcome": "Andet udfald",
}
DECIDING = ("approve", "reject", "postpone", "noted", "appoint")
EVIDENCE_LIMIT = 200


@dataclass(frozen=True)
class Classification:
    outcome: str  # local name of a kkr: outcome
    evidence: str | None  # the words that decided it; None for OtherOutcome


def _load_cues() -> dict[str, list[re.Pattern]]:
    cues: dict[str, list[re.Pattern]] = {}
    path = resources.files("kkr.ingest").joinpath("patterns/outcomes.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rule = json.loads(line)
            flags = 0 if rule.get("case_sensitive") else re.IGNORECASE
            cues.setdefault(rule["cue"], []).append(re.compile(rule["pattern"], flags))
    return cues


CUES = _load_cues()
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"“])")
WORD = re.compile(r"[\wæøåÆØÅé]+")


@dataclass(frozen=True)
class _Cue:
    kind: str  # approve, reject (a rejection or a negated approval), postpone, noted, appoint
    begin: int  # offsets in the sentence
    stop: int
    main: bool
    part: bool = False  # an approval of a part of the recommendation


def _matches(kind: str, text: str) -> list[re.Match]:
    return [m for p in CUES.get(kind, ()) for m in p.finditer(text)]


def _main_mask(sentence: str) -> list[bool]:
    """For each character: is it in a main clause? A subordinator opens a subordinate clause,
    a coordinator (", og KKR ...", ", mens ...", "men") returns to the main level; an "at"
    after "besluttede" is the decision itself and stays main."""
    marks: list[tuple[int, bool]] = []
    for m in _matches("subordinator", sentence):
        before = sentence[: m.start()]
        if m.group(0).strip(" ,").lower() == "at" and any(p.search(before) for p in CUES["complement"]):
            continue
        marks.append((m.start(), False))
    for m in _matches("coordinator", sentence):
        marks.append((m.start(), True))
    marks.sort()
    mask, main, pos = [], True, 0
    for begin, to_main in marks:
        mask.extend([main] * (begin - pos))
        pos, main = begin, to_main
    mask.extend([main] * (len(sentence) - pos))
    return mask


def _cues(sentence: str) -> tuple[list[_Cue], list[re.Match]]:
    """The deciding cues of one sentence (negation applied) and its modifiers."""
    mask = _main_mask(sentence)
    cues: list[_Cue] = []
    for kind in DECIDING:
        for m in _matches(kind, sentence):
            before, after = sentence[: m.start()], sentence[m.end() :]
            negation = next((n for p in CUES["negation"] if (n := p.search(before))), None)
            negated = negation is not None or any(p.match(after) for p in CUES["negation_after"])
            begin, stop = m.start(), m.end()
            if negated:
                if kind != "approve":
                    continue  # "ikke udsat": nothing was decided by it
                kind = "reject"
                if negation is not None:
                    begin = negation.start()
                else:
                    stop = m.end() + len(next(n for p in CUES["negation_after"] if (n := p.match(after))).group(0))
            if kind == "approve" and m.group(0).lower() == "vedtog" and re.match(r",?\s*at\b", after):
                continue  # "vedtog at udsætte": the at-clause decides
            cues.append(_Cue(kind, begin, stop, mask[m.start()] if m.start() < len(mask) else True))
    cues = _mark_parts(sentence, cues, mask)
    cues.sort(key=lambda c: c.begin)
    return cues, _matches("modifier", sentence)


def _mark_parts(sentence: str, cues: list[_Cue], mask: list[bool]) -> list[_Cue]:
    """An approval whose object (or passive subject) is a part of the recommendation."""
    out = []
    for c in cues:
        if c.kind == "approve" and c.main:
            clause_start = c.begin
            while clause_start > 0 and mask[clause_start - 1]:
                clause_start -= 1
            clause_start = max(clause_start, _segment(sentence, c.begin)[0])
            after = re.split(r",|;| mens | men ", sentence[c.stop : c.stop + 60])[0]
            window = sentence[clause_start : c.begin] + " " + after
            if any(p.search(window) for p in CUES["part"]):
                c = _Cue(c.kind, c.begin, c.stop, c.main, part=True)
        out.append(c)
    return out


def _segment(sentence: str, at: int) -> tuple[int, int]:
    """The clause around offset `at`: from the previous to the next comma, semicolon or colon."""
    begin = max(sentence.rfind(ch, 0, at) for ch in ",;:") + 1
    ends = [i for ch in ",;:" if (i := sentence.find(ch, at)) >= 0]
    stop = min(ends) if ends else len(sentence)
    return begin, stop


def _paragraphs(text: str) -> list[list[str]]:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [[s for s in SENTENCE_END.split(p) if s] for p in paragraphs if p]


class _Evidence:
    """Offsets of sentences in the decision text with whitespace collapsed."""

    def __init__(self, paragraphs: list[list[str]]):
        self.text = " ".join(s for p in paragraphs for s in p)
        self.offsets: dict[tuple[int, int], int] = {}
        pos = 0
        for i, p in enumerate(paragraphs):
            for j, s in enumerate(p):
                self.offsets[(i, j)] = pos
                pos += len(s) + 1

    def span(self, first: tuple[int, int, int], last: tuple[int, int, int]) -> str:
        (pi, si, b), (pj, sj, e) = first, last
        phrase = self.text[self.offsets[(pi, si)] + b : self.offsets[(pj, sj)] + e].strip(" ,;:.")
        if len(phrase) > EVIDENCE_LIMIT:
            phrase = phrase[:EVIDENCE_LIMIT].rsplit(" ", 1)[0]
        return phrase


def classify(decision_text: str, recommendation: Sequence[str] | str | None = None) -> Classification:
    """The outcome of a decision text and the words that decided it. `recommendation` is the
    item's Indstilling (its paragraphs, or one text), used to tell a partial approval."""
    paragraphs = _paragraphs(decision_text or "")
    evidence = _Evidence(paragraphs)
    for pi, sentences in enumerate(paragraphs):
        for si, sentence in enumerate(sentences):
            cues, modifiers = _cues(sentence)
            main = [c for c in cues if c.main]
            if main:
                return _decide(pi, si, sentence, main, modifiers, sentences, evidence, recommendation)
    return Classification("OtherOutcome", None)


def _decide(pi, si, sentence, main, modifiers, sentences, evidence, recommendation) -> Classification:
    kinds = {c.kind for c in main}
    approvals = [c for c in main if c.kind == "approve"]
    contrary = [c for c in main if c.kind in ("reject", "postpone")]

    def clause(c: _Cue) -> str:
        begin, stop = _segment(sentence, c.begin)
        return evidence.span((pi, si, begin), (pi, si, max(stop, c.stop)))

    def words(begin: int, stop: int) -> str:
        return evidence.span((pi, si, begin), (pi, si, stop))

    if approvals:
        first = approvals[0]
        later = [c for c in contrary if c.begin > first.begin]
        if later:
            return Classification("PartiallyApproved", words(first.begin, later[-1].stop))
        parts = [c for c in approvals if c.part]
        if parts:
            return Classification("PartiallyApproved", clause(parts[0]))
        if "appoint" in kinds:
            return Classification("Appointed", clause(next(c for c in main if c.kind == "appoint")))
        for sj in range(si + 1, len(sentences)):
            following = sentences[sj]
            if any(p.search(following) for p in CUES["additional"]):
                continue
            against = [c for c in _cues(following)[0] if c.main and c.kind in ("reject", "postpone")]
            if against:
                _, stop = _segment(following, against[0].begin)
                return Classification("PartiallyApproved", evidence.span((pi, sj, 0), (pi, sj, stop)))
        modifier = next((m for m in modifiers if m.start() >= first.stop), None)
        if modifier is not None:
            return Classification("ApprovedWithChanges", words(first.begin, modifier.end()))
        partial = _partial_against_recommendation(sentence, first, sentences[si + 1 :], recommendation)
        if partial is not None:
            return Classification("PartiallyApproved", words(first.begin, partial))
        return Classification("Approved", clause(first))
    if "reject" in kinds:
        return Classification("Rejected", clause(next(c for c in main if c.kind == "reject")))
    if "appoint" in kinds:
        return Classification("Appointed", clause(next(c for c in main if c.kind == "appoint")))
    if "postpone" in kinds:
        return Classification("Postponed", clause(next(c for c in main if c.kind == "postpone")))
    return Classification("Noted", clause(next(c for c in main if c.kind == "noted")))


STOPWORDS = frozenset(
    "det der den de dem til for fra med som og af på en et at i om ikke skal kan vil samt mio kr "
    "kkr er blev bliver har have hvor når også ved efter mod under over pr sig sin sit sine".split()
)
SUFFIXES = ("erne", "ene", "ede", "er", "es", "et", "en", "e", "s", "t")


def _content(text: str) -> set[str]:
    out = set()
    for w in WORD.findall(text.lower()):
        if w in STOPWORDS or (len(w) < 3 and not w.isdigit()) or (w.isdigit() and len(w) < 3):
            continue
        for suffix in SUFFIXES:
            if len(w) - len(suffix) >= 5 and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


BULLET = re.compile(r"^\s*(?:[–\-•*·]|\d+[.)])\s*")
INTRO = re.compile(r"^\s*det\s+indstilles\b,?\s*", re.IGNORECASE)
AT_POINTS = re.compile(r"(?:,\s*|\s+)(?:og\s+)?at\s+|;\s*(?:og\s+)?(?:at\s+)?", re.IGNORECASE)


def recommendation_points(recommendation: Sequence[str] | str) -> list[str]:
    """The points of a recommendation: its bullets, or its "at ..."-clauses."""
    paragraphs = recommendation.split("\n") if isinstance(recommendation, str) else list(recommendation)
    points = []
    for paragraph in paragraphs:
        text = INTRO.sub("", BULLET.sub("", " ".join(paragraph.split())))
        for piece in AT_POINTS.split(" " + text):
            piece = re.sub(r"^\s*at\s+", "", piece).strip(" ,;:.")
            if len(_content(piece)) >= 2:
                points.append(piece)
    return points


def _partial_against_recommendation(sentence, approval, following, recommendation) -> int | None:
    """Where the approved "at ..."-clause ends, if it covers one point of a recommendation with
    several and leaves another clearly out ("godkendte at der afsættes 1 mio. kr. til ..." when the
    Indstilling asks for three amounts); None otherwise."""
    if not recommendation:
        return None
    rest = sentence[approval.stop :]
    if not re.match(r"\s*,?\s*at\s", rest):
        return None
    points = recommendation_points(recommendation)
    if len(points) < 2:
        return None
    approved = _content(" ".join([rest, *[s for s in following if not any(p.search(s) for p in CUES["additional"])]]))
    coverage = [len(_content(p) & approved) / len(_content(p)) for p in points]
    if max(coverage) >= 0.6 and min(coverage) < 0.25:
        return len(sentence)
    return None


def classify_outcome(decision_text: str, recommendation: Sequence[str] | str | None = None) -> str:
    """Local name of the kkr: outcome of a decision text (see `classify`)."""
    return classify(decision_text, recommendation).outcome

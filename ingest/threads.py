"""Threads of one matter across meetings: which agenda item continues which.

A case number is often a container shared by unrelated items, while one matter runs on through
later meetings under the same or another number. Links are scored from the evidence the minutes
give: a back-reference to the earlier meeting, a decision that sent the matter to the later
meeting, a specific (non-container) case number, shared organisations, similar titles and text.
The links are a function of what the store holds, recomputed after every ingest into a graph of
their own, so the order in which documents arrive does not matter and nothing is duplicated.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources

from kkr.index.lexical import tokens
from kkr.iris import slugify
from kkr.sparql_terms import XSD, iri, literal, prefixes

LINKS_GRAPH = "https://w3id.org/kkr/graph/links"
NS = "https://w3id.org/kkr/ns#"
THRESHOLD = 0.45
CONTAINER_ITEMS = 3  # a case number with this many items in one meeting is a container
TOP_TERMS = 15

ITEMS = (
    "\n"
    + prefixes("kkr", "besluit", "dct", "skos")
    + """\
SELECT ?item ?m ?date ?body ?number ?title ?case WHERE {
  ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
  ?item kkr:itemNumber ?number ; dct:title ?title .
  OPTIONAL { ?item kkr:case/dct:identifier ?case }
}"""
)
TEXTS = (
    "\n"
    + prefixes("kkr", "prov")
    + """\
SELECT ?item ?text WHERE { ?item kkr:section/kkr:paragraph/prov:value ?text }"""
)
ORGS = (
    "\n"
    + prefixes("kkr", "org")
    + """\
SELECT DISTINCT ?item ?org WHERE { ?item kkr:section/kkr:paragraph/kkr:mentions ?org . ?org a org:Organization }"""
)
REFERENCES = (
    "\n"
    + prefixes("dct", "besluit")
    + """\
SELECT ?item ?m WHERE { ?item a besluit:Agendapunt ; dct:references ?m . ?m a besluit:Zitting }"""
)
TREATMENTS = (
    "\n"
    + prefixes("kkr")
    + """\
SELECT ?item ?start ?end WHERE { ?item kkr:deadline ?d . ?d kkr:deadlineKind ?k ; kkr:startDate ?start ;
  kkr:endDate ?end . FILTER(?k IN ("forelæggelse", "genforelæggelse")) }"""
)


@dataclass
class ItemFacts:
    iri: str
    meeting: str
    date: str
    body: str
    number: str
    title: str
    case: str | None
    text_tokens: Counter = field(default_factory=Counter)
    title_tokens: Counter = field(default_factory=Counter)
    orgs: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)
    treatments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Link:
    later: str
    earlier: str
    score: float
    evidence: list[str]


def _routine_patterns() -> list[re.Pattern]:
    text = resources.files("kkr.ingest").joinpath("patterns/routine_items.txt").read_text(encoding="utf-8")
    return [re.compile(ln.strip(), re.IGNORECASE) for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


ROUTINE = _routine_patterns()


def is_routine(title: str) -> bool:
    return any(p.match(title.strip()) for p in ROUTINE)


def collect_items(store) -> dict[str, ItemFacts]:
    items: dict[str, ItemFacts] = {}
    for r in store.select(ITEMS):
        items[r["item"]] = ItemFacts(
            r["item"],
            r["m"],
            str(r["date"]),
            r["body"],
            r["number"],
            r["title"],
            r["case"],
            title_tokens=Counter(tokens(r["title"])),
        )
    for r in store.select(TEXTS):
        if r["item"] in items:
            items[r["item"]].text_tokens.update(tokens(r["text"]))
    for r in store.select(ORGS):
        if r["item"] in items:
            items[r["item"]].orgs.add(r["org"])
    for r in store.select(REFERENCES):
        if r["item"] in items:
            items[r["item"]].references.add(r["m"])
    for r in store.select(TREATMENTS):
        if r["item"] in items:
            items[r["item"]].treatments.append((str(r["start"]), str(r["end"])))
    for it in items.values():
        it.text_tokens.update(it.title_tokens)
    return items


def _tfidf(vectors: dict[str, Counter]) -> dict[str, dict[str, float]]:
    df = Counter(t for v in vectors.values() for t in v)
    n = len(vectors)
    out = {}
    for key, v in vectors.items():
        w = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in v.items()}
        norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
        out[key] = {t: x / norm for t, x in w.items()}
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def compute_links(items: dict[str, ItemFacts]) -> list[Link]:
    """Scored links from each item to the earlier items it continues (deterministic)."""
    candidates = [it for it in items.values() if not is_routine(it.title)]
    per_meeting_case = Counter((it.meeting, it.case) for it in items.values() if it.case)
    containers = {case for (_, case), n in per_meeting_case.items() if n >= CONTAINER_ITEMS}
    org_items = Counter(o for it in candidates for o in it.orgs)
    common_orgs = {o for o, n in org_items.items() if n > 0.5 * len(candidates)}
    bodies = tuple("/org/" + slugify(it.body) for it in candidates)
    text = _tfidf({it.iri: it.text_tokens for it in candidates})
    title = _tfidf({it.iri: it.title_tokens for it in candidates})
    # candidate pairs share one of their most distinctive words, or explicit evidence
    top_terms = {it.iri: sorted(text[it.iri], key=lambda t: -text[it.iri][t])[:TOP_TERMS] for it in candidates}
    by_term: dict[str, list[ItemFacts]] = defaultdict(list)
    for it in candidates:
        for t in top_terms[it.iri]:
            by_term[t].append(it)
    by_meeting: dict[str, list[ItemFacts]] = defaultdict(list)
    for it in candidates:
        by_meeting[it.meeting].append(it)
    scored: list[Link] = []
    for a in candidates:
        pool = {b.iri: b for t in top_terms[a.iri] for b in by_term[t]}
        for m in a.references:
            pool.update((b.iri, b) for b in by_meeting.get(m, []))
        for b in sorted(pool.values(), key=lambda x: x.iri):
            if b.date >= a.date:
                continue
            evidence = []
            back = b.meeting in a.references
            forward = any(s <= a.date <= e for s, e in b.treatments)
            if a.body != b.body and not back:
                continue  # across councils only where the minutes refer to the other council's meeting
            if back:
                evidence.append(f"back-reference from {a.date} to the meeting of {b.date}")
            if forward:
                evidence.append(f"the decision of {b.date} sent the matter to the meeting of {a.date}")
            same_case = a.case and a.case == b.case and a.case not in containers
            if same_case:
                evidence.append(f"same case {a.case}")
            t_sim = _cosine(text[a.iri], text[b.iri])
            h_sim = _cosine(title[a.iri], title[b.iri])
            shared = sorted(o for o in (a.orgs & b.orgs) - common_orgs if not o.endswith(bodies))
            o_sim = len(shared) / max(1, min(len(a.orgs - common_orgs), len(b.orgs - common_orgs)))
            similarity = 0.55 * t_sim + 0.3 * h_sim + 0.15 * min(1.0, o_sim)
            score = similarity + 0.2 * back + 0.25 * forward + 0.2 * bool(same_case)
            if similarity < 0.12:
                continue  # explicit evidence alone does not make two unrelated items one matter
            if t_sim >= 0.2:
                evidence.append(f"similar text ({t_sim:.2f})")
            if h_sim >= 0.2:
                evidence.append(f"similar titles ({h_sim:.2f})")
            if shared:
                evidence.append("shared organisations: " + ", ".join(s.rsplit("/", 1)[-1] for s in shared[:4]))
            if score >= THRESHOLD:
                scored.append(Link(a.iri, b.iri, round(min(score, 1.0), 3), evidence))
    return _one_to_one(scored, items)


def _one_to_one(links: list[Link], items: dict[str, ItemFacts]) -> list[Link]:
    """Per pair of meetings, an item continues at most one item and is continued by at most one."""
    links.sort(key=lambda x: (-x.score, x.later, x.earlier))
    used_later, used_earlier, kept = set(), set(), []
    for link in links:
        a, b = items[link.later], items[link.earlier]
        if (link.later, b.meeting) in used_later or (link.earlier, a.meeting) in used_earlier:
            continue
        used_later.add((link.later, b.meeting))
        used_earlier.add((link.earlier, a.meeting))
        kept.append(link)
    kept.sort(key=lambda x: (x.later, x.earlier))
    return kept


def links_ntriples(links: list[Link]) -> str:
    lines = []
    for link in links:
        later, earlier = iri(link.later), iri(link.earlier)
        node = iri(f"{link.later}/continues/{abs(hash_text(link.earlier))}")
        lines += [
            f"{later} <{NS}continues> {earlier} .",
            f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{NS}Continuation> .",
            f"{node} <{NS}fromItem> {later} .",
            f"{node} <{NS}toItem> {earlier} .",
            f"{node} <{NS}score> {literal(str(link.score), datatype=XSD + 'decimal')} .",
        ]
        for e in link.evidence:
            lines.append(f"{node} <{NS}evidence> {literal(e)} .")
    return "\n".join(lines)


def hash_text(text: str) -> int:
    import hashlib

    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def update_links(store) -> list[Link]:
    """Recompute every link from the store's current content and replace the links graph."""
    links = compute_links(collect_items(store))
    store.replace_graph(LINKS_GRAPH, links_ntriples(links))
    return links

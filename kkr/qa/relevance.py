"""Which agenda items a question speaks of: the items' paragraphs and words, read once from the
search index, and the items in the question's scope that speak of what it asks about, weighed by
how much of it they cover."""

from __future__ import annotations

import math
import os

from kkr import tracing
from kkr.documents import agenda_graphs, superseded_agendas
from kkr.index.lexical import tokens
from kkr.index.lexicon import lexicon
from kkr.index.paragraph_index import Filters
from kkr.index.paragraphs import ParagraphRecord
from kkr.ingest.dates import MONTHS
from kkr.qa.asked import HEAD, asked_head
from kkr.qa.evidence import ItemHit, _abbreviation, _alt_in, _is_entity, _is_printed
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import mentions_query
from kkr.qa.scope import EN_MONTHS, year_printed
from kkr.qa.vocabulary import Bounded, CompoundIndex, edits, english_stem, spelt_danish

MIN_COVERAGE = 0.5
# how much a word no minutes use weighs beside one they do: an English word the lexicon lacks is
# as much of the question as any other; a Danish one is often a form the stemmer did not meet
UNKNOWN_WEIGHT = {"en": 1.0, "da": 0.5}
MISSPELT_SHORTEST = {"da": 5, "en": 7}  # the shortest word read as a typing error
NAME = frozenset({"!name"})  # marks the group of a name in the question; no token begins with "!"


DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _is_name(word: str, interp: Interpretation) -> bool:
    """A capitalised word inside the question (not its first word, not a month or a day, not a
    word of a name already linked): a place, a person or an organisation the graph does not hold."""
    words = interp.question.split()
    if not word[0].isupper() or " " in word or (words and words[0].startswith(word)):
        return False
    if word.lower() in MONTHS or word.lower() in EN_MONTHS or word.lower() in DAYS:
        return False
    linked = {t for e in interp.entities for label in [e["label"], e["surface"], *e["danish"]] for t in tokens(label)}
    return not set(tokens(word)) <= linked


def _reading(interp: Interpretation) -> tuple:
    """What of a reading of a question its groups and items depend on."""
    return (
        interp.question,
        interp.language,
        interp.body,
        interp.date_from,
        interp.date_to,
        tuple(interp.topic),
        tuple((c["iri"], c["surface"]) for c in interp.concepts),
        tuple(e["iri"] for e in interp.entities),
    )


def _is_place(group: list[frozenset]) -> bool:
    """A group of a place: a name the graph does not hold ("Aalborg"), or a municipality (an
    organisation the question links whose label is "X Kommune")."""
    if group[0] == NAME:
        return True
    return any(_is_entity(alt) for alt in group) and any(len(alt) == 2 and "kommun" in alt for alt in group)


def _names(group: list[frozenset]) -> bool:
    """A group the item must meet: an entity the question links, a name it gives, or the head
    noun it asks for (kkr/qa/asked.py)."""
    return group[0] in (NAME, HEAD) or any(_is_entity(alt) for alt in group)


class Relevance:
    """The items of a store (anything with `select`) and a Searcher, by their paragraphs and words."""

    def __init__(self, store, searcher):
        self.store = store
        self.searcher = searcher
        # agendas whose minutes are in: their paragraphs are not the items' text (kkr/documents.py)
        self.superseded = superseded_agendas(store.select)
        self.agendas = agenda_graphs(store.select)  # an item only these speak of has no decision yet
        self.by_item: dict[str, list[ParagraphRecord]] = {}
        for r in searcher.index.records:
            if r.graph not in self.superseded:
                self.by_item.setdefault(r.item_iri, []).append(r)
        self.item_tokens = {
            i: set(tokens(" ".join([rs[0].item_title, rs[0].agenda_heading or ""] + [r.text for r in rs])))
            for i, rs in self.by_item.items()
        }
        self.vocabulary = set().union(*self.item_tokens.values()) if self.item_tokens else set()
        # token → the longer tokens of the minutes it begins or ends (compound parts), found lazily
        self.compound_parts = CompoundIndex(self.vocabulary)
        self.item_of = {r.paragraph_iri: i for i, rs in self.by_item.items() for r in rs}
        self.item_text = {i: " ".join(r.text for r in rs) for i, rs in self.by_item.items()}
        self._dfs: dict[frozenset, int] = Bounded()
        # a question's groups and items, asked for by several answers of one question
        self._groups_of: dict[tuple, list[list[frozenset]]] = Bounded(256)
        self._items_of: dict[tuple, list[ItemHit]] = Bounded(256)

    def groups(self, interp: Interpretation) -> list[list[frozenset]]:
        """What an item must speak of (see `_groups`); computed once per reading of a question."""
        key = _reading(interp)
        if key not in self._groups_of:
            self._groups_of[key] = self._groups(interp)
        return [list(g) for g in self._groups_of[key]]

    def _groups(self, interp: Interpretation) -> list[list[frozenset]]:
        """What an item must speak of: each entity, concept or topic word is one group; a group is
        met by any of its alternatives, and an alternative (a label of several words) needs all
        its words ("konstituerende møde" is not met by "møde" alone)."""
        groups = []
        topical: list[tuple[str, list[frozenset]]] = []  # each topic word with its group
        head = asked_head(interp.question)
        for e in interp.entities:
            # an abbreviation counts only as printed ("VIA", not the word "via")
            groups.append(
                [frozenset({"@" + e["iri"]})]
                + [frozenset({"=" + x}) if _abbreviation(x) else frozenset(tokens(x)) for x in e["danish"] if tokens(x)]
            )
        for c in interp.concepts:
            # the glossary's Danish labels, and the lexicon's words for an English surface
            # ("student": the glossary's kursist, the lexicon's elev and studerende)
            listed = lexicon().danish(c["surface"]) if interp.language == "en" else []
            alts = [_word_alt(x) for x in c["danish"] + listed + [c["surface"]] if tokens(x)]
            typed, label = tokens(c["surface"]), tokens(c["label"])
            if len(typed) == len(label) == 1 and typed[0] != label[0] and typed[0].endswith(label[0]):
                # "akutpladser" asks for more than the concept's "pladser": not the bare label
                alts = [a for a in alts if not (len(a) == 1 and len(next(iter(a))) <= len(label[0]))]
            compounds = [x for a in alts for x in self._compounds(sorted(a))]
            compounds += [x for d in listed for x in self._compounds(tokens(d), shortest=4)]
            group = list(dict.fromkeys(alts + compounds))
            groups.append([HEAD, *group] if head and head in tokens(c["surface"]) else group)
        for w in interp.topic:
            if tokens(w):
                group = [_word_alt(w)] + self._compounds(tokens(w))
                if not self._known_alt(group):
                    group += self._split(tokens(w))  # "opkvalificeringspuljen": opkvalificering + pulje
                if "-" in w.strip("-"):
                    # "Hærvejsmotorvej-høringssvaret": its parts, wherever the minutes print them
                    group.append(frozenset(t for t in tokens(w) if "-" not in t))
                if _is_name(w, interp):
                    group.insert(0, NAME)  # a name the question gives ("Aabenraa", "Horsens")
                elif head and head in tokens(w):
                    group.insert(0, HEAD)  # the head noun asked for ("the hourly wage of …")
                for danish in self.translations(interp, w):
                    # a translation of four letters too, as a compound's head ("elev": sundhedselever)
                    group += [frozenset(tokens(danish))] + self._compounds(tokens(danish), shortest=4)
                    group += self._inflections(tokens(danish))
                if not self._known_alt(group):
                    # a misspelt word ("Sydtrafic", "akutpladsr"): the minutes' words one letter off
                    group += [frozenset({t}) for t in self._misspelt(tokens(w), MISSPELT_SHORTEST[interp.language])]
                groups.append(list(dict.fromkeys(a for a in group if a)))
                topical.append((w, groups[-1]))
        self._join(interp, topical)
        return [g for g in groups if g]

    def _join(self, interp: Interpretation, topical: list[tuple[str, list[frozenset]]]) -> None:
        """Two topic words side by side that the minutes write as one compound ("youth effort":
        ungeindsats, "bus operation": busdrift): the compound meets both their groups."""
        for (first, one), (second, other) in zip(topical, topical[1:], strict=False):
            heads = {t for d in [first, *self.translations(interp, first)] for t in tokens(d) if len(t) >= 3}
            tails = {t for d in [second, *self.translations(interp, second)] for t in tokens(d) if len(t) >= 4}
            # the head's word first, the tail's word at the end (give or take an inflection: the
            # stemmer cuts "ungeindsatsen" and "indsats" differently)
            joined = [
                frozenset({t})
                for h in heads
                for t in self.compound_parts.starting(h)
                if any(t.find(tail, len(h)) >= 0 and len(t) - len(h) - len(tail) <= 3 for tail in tails)
            ]
            one += [j for j in joined if j not in one]
            other += [j for j in joined if j not in other]

    def translations(self, interp: Interpretation, word: str) -> list[str]:
        """The Danish words of the lexicon for a topic word of an English question, or for a word
        no minutes use (a Danish question may borrow an English word)."""
        if interp.language != "en" and set(tokens(word)) <= self.vocabulary:
            return []
        listed = lexicon().danish(word)
        if listed or interp.language != "en" or set(tokens(word)) <= self.vocabulary:
            return listed
        return self.cognates(word)

    def cognates(self, english: str) -> list[str]:
        """Words of the minutes that an English word no lexicon lists is a cognate of, by their
        spelling ("constituent" → konstituerende, "underfinancing" → underfinansiering): the
        stems share their first six letters or more, and most of the shorter one."""
        stem = english_stem(spelt_danish(english.lower()))
        if " " in english or len(stem) < 6:
            return []
        found = []
        for token in self.compound_parts.starting(stem[:4]):
            common = len(os.path.commonprefix([stem, spelt_danish(token)]))
            if common >= 6 and common >= 0.65 * min(len(stem), len(token)):
                found.append((-common, token))
        return [t for _, t in sorted(found)[:3]]

    def query_text(self, interp: Interpretation) -> str:
        """What to search for: the entities, concepts and topic words, with the topic words'
        Danish translations and the minutes' spelling of misspelt ones."""
        words = [e["label"] for e in interp.entities] + [c["surface"] for c in interp.concepts] + interp.topic
        corrected = [
            t
            for w in interp.topic
            if not set(tokens(w)) <= self.vocabulary
            for t in self._misspelt(tokens(w), MISSPELT_SHORTEST[interp.language])
        ]
        return " ".join(words + self.translated(interp) + corrected) or interp.question

    def translated(self, interp: Interpretation) -> list[str]:
        """The Danish translations of all the question's topic words."""
        return [d for w in interp.topic for d in self.translations(interp, w)]

    def continued(self, paragraph_iri: str, text: str, limit: int = 1000) -> str:
        """A paragraph that announces a list ("… three areas:") with the list: the paragraphs
        after it in its section, up to `limit` characters."""
        if not text.rstrip().endswith(":") or paragraph_iri not in self.item_of:
            return text
        records = self.by_item[self.item_of[paragraph_iri]]
        at = next(n for n, r in enumerate(records) if r.paragraph_iri == paragraph_iri)
        out = [text]
        for r in records[at + 1 :]:
            if r.section != records[at].section or sum(map(len, out)) + len(r.text) > limit:
                break
            out.append(r.text)
        return " ".join(out)

    def _known_alt(self, group: list[frozenset]) -> bool:
        return any(alt and alt <= self.vocabulary for alt in group)

    def _split(self, word_tokens: list[str]) -> list[frozenset]:
        """A Danish compound of the question that no minutes print, as two words they do print
        (with the joining "s" or "e" between): "opkvalificeringspuljen" → opkvalificering, pulje."""
        if len(word_tokens) != 1 or len(word_tokens[0]) < 8:
            return []
        word = word_tokens[0]
        for at in range(len(word) - 4, 3, -1):  # the longest known head first
            head, tail = word[:at], word[at:]
            for joint in ("", "s", "e"):
                if joint and not tail.startswith(joint):
                    continue
                rest = tail[len(joint) :]
                heads = [t for t in tokens(head) if t in self.vocabulary] or self.compound_parts.inflections(head)
                tails = [t for t in tokens(rest) if t in self.vocabulary] or self.compound_parts.inflections(rest)
                if heads and tails and len(rest) >= 4:
                    return [frozenset({heads[0], tails[0]})]
        return []

    def _misspelt(self, word_tokens: list[str], shortest: int = 5) -> list[str]:
        """The minutes' words that a one-word topic is a typing error of: one edit away (two for
        words of nine letters or more), the first two letters alike; words of at least `shortest`
        letters (an English word of five is more often an English word than a misspelt Danish
        one: "final" is not finans)."""
        if len(word_tokens) != 1 or len(word_tokens[0]) < shortest:
            return []
        word = word_tokens[0]
        limit = 2 if len(word) >= 9 else 1
        near = [
            (distance, t)
            for t in self.compound_parts.starting(word[:2])
            if abs(len(t) - len(word)) <= limit and (distance := edits(word, t, limit)) <= limit
        ]
        return [t for _, t in sorted(near)[:3]]

    def _inflections(self, word_tokens: list[str]) -> list[frozenset]:
        """The minutes' stems of a one-word base form that the stemmer cuts differently from its
        inflections ("akutplads" → "akutplad", "akutpladser" → "akutplads")."""
        if len(word_tokens) != 1 or len(word_tokens[0]) < 4:
            return []
        return [frozenset({t}) for t in self.compound_parts.inflections(word_tokens[0])]

    def _compounds(self, word_tokens: list[str], shortest: int = 5) -> list[frozenset]:
        """Words of the minutes that hold a one-word topic as a part of a compound ("trafik":
        "trafikbestilling", "sydtrafik"; Danish writes compounds as one word)."""
        if len(word_tokens) != 1 or len(word_tokens[0]) < shortest:
            return []
        part = word_tokens[0]
        return [frozenset({t}) for t in sorted(self.compound_parts.get(part, ()))][:20]

    def known(self, groups: list[list[frozenset]]) -> list[list[frozenset]]:
        """Groups the minutes could match at all: a word no minutes use (an English word without a
        glossary entry) can neither confirm nor refute an item."""
        return [g for g in groups if any(alt <= self.vocabulary or _is_entity(alt) or _is_printed(alt) for alt in g)]

    def weighted_overlap(self, text: str, groups: list[list[frozenset]]) -> float:
        """Like _overlap, each group weighted by how rare its words are among the items (idf)."""
        have = set(tokens(text))
        n = max(1, len(self.item_tokens))
        total = 0.0
        for g in groups:
            matched = [alt for alt in g if not _is_entity(alt) and alt and _alt_in(alt, have, text)]
            if matched:
                total += math.log(1 + n / max(1, min(self._df(alt) for alt in matched)))
        return total

    def _df(self, alt: frozenset) -> int:
        """The number of items that speak of an alternative (cached: the items do not change)."""
        if alt not in self._dfs:
            self._dfs[alt] = (
                sum(1 for toks in self.item_tokens.values() if alt <= toks)
                if not _is_printed(alt)
                else sum(1 for t in self.item_text.values() if _alt_in(alt, set(), t))
            )
        return self._dfs[alt]

    def _met(self, item: str, groups: list[list[frozenset]], mentions: set[str]) -> list[bool] | None:
        """Which groups the item speaks of; None when it does not name what the question names."""
        have = self.item_tokens.get(item, set())
        text = self.item_text.get(item, "")
        met = [
            any(_alt_in(alt, have, text) or (_is_entity(alt) and next(iter(alt))[1:] in mentions) for alt in g)
            for g in groups
        ]
        if any(not ok and _names(g) for ok, g in zip(met, groups, strict=True)):
            return None  # an item that does not name what the question names does not answer it
        return met

    def relevant_items(self, interp: Interpretation, k: int = 12) -> list[ItemHit]:
        """The items that answer the question (see `_relevant_items`); searched once per reading of a
        question and `k`."""
        key = (k, *_reading(interp))
        if key not in self._items_of:
            self._items_of[key] = self._relevant_items(interp, k)
        return list(self._items_of[key])

    def _relevant_items(self, interp: Interpretation, k: int = 12) -> list[ItemHit]:
        """Items in scope that speak of what the question is about, most relevant first. A council
        in the question may be what another council's minutes speak of (one council's timetable
        of every council's meetings): when none of its own items speaks of everything asked, the
        other councils' items that do and name it come first."""
        every = self.groups(interp)
        groups = self.known(every)
        if not groups and (interp.topic or interp.entities or interp.concepts):
            return []  # the question is about something no minutes speak of
        if any(_names(g) and g not in groups for g in every):
            return []  # it names a place or an organisation no minutes name
        query = self.query_text(interp)
        # words no minutes use (and no lexicon entry reaches) are part of what is asked: an item
        # meeting only the rest answers less of the question
        unknown = (len(every) - len(groups)) * UNKNOWN_WEIGHT.get(interp.language, 0.5)
        scored = self._scored(query, Filters(interp.body, interp.date_from, interp.date_to), groups, interp, k, unknown)
        if interp.body and groups and not any(coverage == 1 for coverage, _, _ in scored):
            # the council's name is required there, and is a place: not evidence of the matter
            named = groups + [[NAME, frozenset(tokens(interp.body))]]
            others = self._scored(
                f"{query} {interp.body}", Filters(None, interp.date_from, interp.date_to), named, interp, k, unknown
            )
            own = {hit.item_iri for _, _, hit in scored}
            scored += [x for x in others if x[0] == 1 and x[2].item_iri not in own]
        # the item that speaks of everything asked, then (a bare year, "turismestrategien 2026",
        # may be the matter's or the meeting's) one of a meeting in that year, then one that
        # prints the year ("bestillingerne for 2027"), then the best ranked
        scored.sort(key=lambda x: (-x[0], not _held_in(x[2], interp), not _prints_year(x[2], interp), -x[1]))
        if interp.case:
            return self._of_case(interp.case, [x[2] for x in scored])[:k]
        return [x[2] for x in scored[:k]]

    def _of_case(self, case: str, ranked: list[ItemHit]) -> list[ItemHit]:
        """Of the items found, those under the case number asked; when none of them is, every item
        of the case, its latest first (the question named the case; its words may be the minutes'
        or not)."""
        members = [i["item_iri"] for i in tracing.case_timeline(self.store, case)["items"]]
        found = [h for h in ranked if h.item_iri in members]
        if found:
            return found
        return [ItemHit(i, 0.0, self.by_item.get(i, []), 1.0) for i in reversed(members) if self.by_item.get(i)]

    def _scored(self, query: str, filters: Filters, groups, interp: Interpretation, k: int, unknown: float = 0):
        """(coverage, score, ItemHit) of the search's items that name every name asked and cover at
        least MIN_COVERAGE of the rest (`unknown`: the weight of what no minutes speak of)."""
        hits = self.searcher.search(query, k=k * 3, filters=filters, per_item=True, exclude_graphs=self.superseded).hits
        mentioned = self._mentions([h["item_iri"] for h in hits], [e["iri"] for e in interp.entities])
        out = []
        for h in hits:
            met = self._met(h["item_iri"], groups, mentioned.get(h["item_iri"], set()))
            if met is None:
                continue
            coverage = sum(met) / len(groups) if groups else 1.0
            # a place the question names (a name the graph does not hold, or a municipality) is
            # required, not evidence of the matter: of the rest, and of what no minutes speak of,
            # the item must meet at least MIN_COVERAGE ("letbanen i Aalborg" is not answered by an
            # item that only names Aalborg)
            topical = [ok for ok, g in zip(met, groups, strict=True) if not _is_place(g)]
            share = sum(topical) / (len(topical) + unknown) if topical or unknown else 1.0
            if share >= MIN_COVERAGE:
                item = ItemHit(h["item_iri"], h["score"] * coverage, self.by_item.get(h["item_iri"], []), coverage)
                out.append((round(coverage, 2), h["score"], item))
        return out

    def _mentions(self, items: list[str], entities: list[str]) -> dict[str, set[str]]:
        if not items or not entities:
            return {}
        rows = self.store.select(mentions_query(items, entities))
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r["item"], set()).add(r["e"])
        return out


def _held_in(hit: ItemHit, interp: Interpretation) -> bool:
    """Whether the item's meeting is in the year the question names (false when it names none)."""
    if not (interp.year_from and interp.year_to and hit.records):
        return False
    return interp.year_from <= hit.records[0].meeting_date <= interp.year_to


def _prints_year(hit: ItemHit, interp: Interpretation) -> bool:
    """Whether the item's text prints the year the question names."""
    year = (interp.year_from or "")[:4]
    return bool(year) and any(year_printed(year).search(r.text) for r in hit.records)


def _word_alt(word: str) -> frozenset:
    """A word as an alternative of a group: its lexical tokens; a word the stemmer cuts to three
    letters or fewer ("ledige" → "led", as "ledere" is) only as printed, in any case."""
    found = tokens(word)
    if len(found) == 1 and len(found[0]) <= 3 < len(word.strip()) and " " not in word.strip():
        return frozenset({"=" + word.strip().lower()})
    return frozenset(found)

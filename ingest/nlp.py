"""The spaCy pipeline that finds entities in paragraphs: cases, amounts, dates, organisations, persons.

It is built on `spacy.blank("da")` with rule components registered by `@Language.factory`;
their patterns live in `patterns/`. Each component stores typed mentions on the Doc
(`doc._.kkr_amounts`, ...) and organisations and persons also as `doc.ents`.
If a trained Danish pipeline is installed (da_core_news_*), its PER entities add persons.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kkr.ingest.amounts import find_amounts
from kkr.ingest.dates import find_dates
from kkr.ingest.structure import CASE_NUMBER
from kkr.iris import slugify

for _name in ("kkr_cases", "kkr_amounts", "kkr_dates", "kkr_orgs", "kkr_persons"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

TRAINED_PIPELINES = ("da_core_news_trf", "da_core_news_lg", "da_core_news_md", "da_core_news_sm")


@dataclass(frozen=True)
class OrgMention:
    org_id: str
    label: str
    label_en: str | None
    text: str
    begin: int
    stop: int


@dataclass(frozen=True)
class PersonMention:
    name: str
    begin: int
    stop: int


def _pattern_lines(filename: str) -> list[str]:
    path = resources.files("kkr.ingest").joinpath("patterns", filename)
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


@dataclass(frozen=True)
class Organisation:
    org_id: str
    label: str
    label_en: str | None
    aliases: tuple[str, ...]


class Gazetteer:
    """Known organisations with their aliases; a name resolves to one organisation."""

    def __init__(self, entries: list[dict]):
        self.by_id: dict[str, Organisation] = {}
        self.by_name: dict[str, str] = {}
        for e in entries:
            org = Organisation(e["id"], e["label"], e.get("label_en"), tuple(e.get("aliases", ())))
            self.by_id[org.org_id] = org
            for name in (org.label, org.label_en, *org.aliases):
                if name:
                    self.by_name.setdefault(name.lower(), org.org_id)
        names = sorted(
            {n for o in self.by_id.values() for n in (o.label, o.label_en, *o.aliases) if n}, key=len, reverse=True
        )
        alternatives = []
        for n in names:
            escaped = re.escape(n)
            # short names and abbreviations only as printed ("VIA", not "via"); long names in any case
            alternatives.append(escaped if len(n) <= 6 or n.isupper() else f"(?i:{escaped})")
        self.regex = re.compile(
            r"(?<![\wæøåÆØÅ-])(?P<name>" + "|".join(alternatives) + r")(?P<gen>s|’s|'s)?(?![\wæøåÆØÅ])"
        )

    @classmethod
    def load(cls) -> Gazetteer:
        return cls([json.loads(ln) for ln in _pattern_lines("organisations.jsonl")])

    def resolve(self, name: str) -> Organisation | None:
        """The organisation a name (or its genitive) stands for, if known."""
        key = name.lower()
        org_id = self.by_name.get(key)
        if org_id is None and key.endswith(("s", "’s", "'s")):
            org_id = self.by_name.get(re.sub(r"(’s|'s|s)$", "", key))
        return self.by_id.get(org_id) if org_id else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@lru_cache(maxsize=1)
def _generic_patterns() -> list[re.Pattern]:
    return [re.compile(json.loads(ln)["pattern"]) for ln in _pattern_lines("generic_organisations.jsonl")]


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(_pattern_lines("first_names.txt"))


ABBREVIATION_AFTER = re.compile(r"^\s*\((?P<abbr>[A-ZÆØÅ][A-ZÆØÅa-z&-]{1,9})\)")
INTRODUCED_ABBREVIATION = re.compile(r"(?<=\S) \((?P<abbr>[A-ZÆØÅ]{2,6})\)")
SENTENCE_WORDS = {"Den", "Det", "De", "Hver", "Enhver", "Denne", "Dette", "En", "Et", "Som", "Alle", "Hvis", "Når"}


def find_organisations(text: str, learned: dict[str, Organisation] | None = None) -> list[OrgMention]:
    """Organisations named in `text`: gazetteer names and aliases, generic forms
    ("X Kommune", "Region X", "...ministeriet", "Styrelsen for ..."), and abbreviations
    introduced in the text itself ("Erhvervshus Midtjylland (EHM)"), added to `learned`."""
    gaz = gazetteer()
    learned = learned if learned is not None else {}
    found: list[OrgMention] = []

    def add(org: Organisation, begin: int, stop: int):
        if all(stop <= m.begin or begin >= m.stop for m in found):
            found.append(OrgMention(org.org_id, org.label, org.label_en, text[begin:stop], begin, stop))
            after = ABBREVIATION_AFTER.match(text[stop:])
            if after and after["abbr"] not in gaz.by_name:
                learned.setdefault(after["abbr"], Organisation(org.org_id, org.label, org.label_en, (after["abbr"],)))

    for m in gaz.regex.finditer(text):
        org = gaz.resolve(m["name"])
        if org:
            add(org, m.start(), m.end())
    for pattern in _generic_patterns():
        for m in pattern.finditer(text):
            name = m["name"]
            if name.split(" ", 1)[0] in SENTENCE_WORDS:
                continue
            org = gaz.resolve(name) or Organisation(slugify(name), name, None, ())
            add(org, m.start(), m.end())
    for m in INTRODUCED_ABBREVIATION.finditer(text):
        if m["abbr"] in gaz.by_name or m["abbr"] in learned:
            continue
        name = _name_for_abbreviation(text[: m.start()], m["abbr"])
        if name and not any(o.begin < m.start() <= o.stop + 1 for o in found):
            org = gaz.resolve(name) or Organisation(slugify(name), name, None, (m["abbr"],))
            add(org, m.start() - len(name), m.start())
    for abbr, org in learned.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(abbr) + r"(?:s|’s|'s)?(?![\w])", text):
            add(org, m.start(), m.end())
    found.sort(key=lambda o: o.begin)
    return found


def _name_for_abbreviation(before: str, abbr: str) -> str | None:
    """The capitalised name an abbreviation in brackets stands for ("Europæisk Kulturregion (EKR)"):
    the shortest run of words before it that starts with the abbreviation's first letter."""
    words = before.split()[-6:]
    for k in range(len(words) - 1, -1, -1):
        candidate = words[k:]
        if not candidate[0][:1].isupper() or any(w[-1] in ",.;:" for w in candidate):
            continue
        if candidate[0][0] == abbr[0] and candidate[0] not in SENTENCE_WORDS:
            return " ".join(candidate)
    return None


NAME_WORD = r"[A-ZÆØÅ][a-zæøåéü]+(?:-[A-ZÆØÅ][a-zæøåéü]+)?"
# a lookahead, so that a capitalised word before a name ("Status Jesper ...") does not hide it
PERSON = re.compile(r"(?<![\wæøå])(?=(?P<first>" + NAME_WORD + r")(?P<rest>(?: " + NAME_WORD + r"){1,3})(?![\wæøå]))")
NOT_SURNAMES = {"Kommune", "Region", "Universitet", "Erhvervshus", "KKR", "Styrelsen"}


def find_persons(text: str, orgs: Sequence[OrgMention] = ()) -> list[PersonMention]:
    """Persons: a known first name followed by one to three capitalised names, outside organisation names."""
    names = _first_names()
    found: list[PersonMention] = []
    for m in PERSON.finditer(text):
        if m["first"] not in names:
            continue
        words = m["rest"].split()
        while words and words[-1] in NOT_SURNAMES:
            words.pop()
        if not words:
            continue
        name = " ".join([m["first"], *words])
        begin, stop = m.start(), m.start() + len(name)
        spans: list[OrgMention | PersonMention] = [*orgs, *found]
        if any(not (stop <= o.begin or begin >= o.stop) for o in spans):
            continue
        found.append(PersonMention(name, begin, stop))
    return found


def _set_ents(doc: Doc, label: str, spans: list[tuple[int, int]]) -> None:
    new = [doc.char_span(b, e, label=label, alignment_mode="expand") for b, e in spans]
    doc.ents = filter_spans([s for s in list(doc.ents) + new if s is not None])


@Language.factory("kkr_cases")
def make_case_finder(nlp: Language, name: str):
    """Case numbers (SAG-2025-03802) → doc._.kkr_cases."""
    regex = re.compile(CASE_NUMBER, re.IGNORECASE)

    def component(doc: Doc) -> Doc:
        doc._.kkr_cases = [m.group(0).upper() for m in regex.finditer(doc.text)]
        return doc

    return component


@Language.factory("kkr_amounts")
def make_amount_finder(nlp: Language, name: str):
    """Money → doc._.kkr_amounts (AmountMention, value in whole DKK)."""

    def component(doc: Doc) -> Doc:
        doc._.kkr_amounts = find_amounts(doc.text)
        return doc

    return component


@Language.factory("kkr_dates")
def make_date_finder(nlp: Language, name: str):
    """Dates, ranges and vague periods → doc._.kkr_dates (DateMention)."""

    def component(doc: Doc) -> Doc:
        doc._.kkr_dates = find_dates(doc.text)
        return doc

    return component


@Language.factory("kkr_orgs")
def make_org_finder(nlp: Language, name: str):
    """Organisations → doc._.kkr_orgs (OrgMention) and ORG entities.

    Abbreviations learned in one paragraph apply to the following ones of the same document:
    the pipeline's `learned` dict is reset per document by `new_document()`.
    """
    state: dict[str, Organisation] = {}

    def component(doc: Doc) -> Doc:
        doc._.kkr_orgs = find_organisations(doc.text, state)
        _set_ents(doc, "ORG", [(o.begin, o.stop) for o in doc._.kkr_orgs])
        return doc

    component.learned = state  # type: ignore[attr-defined]  # read by the pipeline's tests
    return component


@Language.factory("kkr_persons")
def make_person_finder(nlp: Language, name: str):
    """Persons → doc._.kkr_persons (PersonMention) and PER entities."""

    def component(doc: Doc) -> Doc:
        persons = find_persons(doc.text, doc._.kkr_orgs or [])
        known = {p.name for p in persons}
        for ent in doc.ents:  # from a trained pipeline, where one is installed
            if ent.label_ in ("PER", "PERSON") and ent.text not in known and " " in ent.text:
                persons.append(PersonMention(ent.text, ent.start_char, ent.end_char))
        doc._.kkr_persons = persons
        _set_ents(doc, "PER", [(p.begin, p.stop) for p in persons])
        return doc

    return component


def build_pipeline() -> Language:
    """A trained Danish pipeline if one is installed, else spacy.blank('da'), plus the kkr components."""
    nlp = None
    for model in TRAINED_PIPELINES:
        try:
            nlp = spacy.load(model, exclude=["parser", "lemmatizer", "textcat"])
            break
        except OSError:
            continue
    if nlp is None:
        nlp = spacy.blank("da")
    for component in ("kkr_cases", "kkr_amounts", "kkr_dates", "kkr_orgs", "kkr_persons"):
        nlp.add_pipe(component)
    return nlp


def new_document(nlp: Language) -> None:
    """Forget abbreviations learned from the previous document."""
    nlp.get_pipe("kkr_orgs").learned.clear()  # type: ignore[attr-defined]

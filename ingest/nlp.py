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


NAME_WORD = r"[A-ZÆØÅ][a-zæøåéüöäèá]+(?:-[A-ZÆØÅ][a-zæøåéüöäèá]+)?"
# a lookahead, so that a capitalised word before a name ("Status Jesper ...") does not hide it
PERSON = re.compile(r"(?<![\wæøå])(?=(?P<first>" + NAME_WORD + r")(?P<rest>(?: " + NAME_WORD + r"){1,3})(?![\wæøå]))")
NAME_TOKEN = re.compile(r"[A-ZÆØÅ][a-zæøåéüöäèá]+(?:-[A-ZÆØÅ][a-zæøåéüöäèá]+)*(?![\wæøå'’])")
PARTICLES = {"la", "le", "von", "van", "du", "di", "zu", "del", "dos"}
ROLE_SUFFIXES = ("minister", "direktør", "chef", "konsulent", "formand", "borgmester")
LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\sog\s|\s&\s)\s*")
MAX_NAME_TOKENS = 4
NOT_SURNAMES = {"Kommune", "Region", "Universitet", "Erhvervshus", "KKR", "Styrelsen"}


def _comment_free(filename: str) -> list[str]:
    return [ln.strip() for ln in _pattern_lines(filename) if not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def _not_name_words() -> frozenset[str]:
    return frozenset(_comment_free("not_name_words.txt"))


@lru_cache(maxsize=1)
def _role_regex() -> re.Pattern:
    roles = sorted(_comment_free("person_roles.txt"), key=len, reverse=True)
    alternatives = [re.escape(r).replace(r"\ ", r"\s+") for r in roles]
    suffixes = r"[a-zæøå]+(?:" + "|".join(ROLE_SUFFIXES) + r")"
    return re.compile(
        r"(?<![\wæøå])(?P<role>" + "|".join(alternatives) + "|" + suffixes + r")(?![\wæøå])(?P<list>(?<=:))?\s*",
        re.IGNORECASE,
    )


def _is_role(word: str) -> bool:
    m = _role_regex().fullmatch(word + " ")
    return m is not None and m["list"] is None


def _name_at(text: str, pos: int, blocked: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """A person's name of 2-4 capitalised words (with "la", "von", ... between) starting at `pos`,
    after at most one more role word ("ved chefkonsulent Ole Dam"); it ends before a word that
    names an organisation or place, a month or a weekday, and a longer capitalised run is no name."""
    role = re.match(r"([\wæøå]+)\s+", text[pos:])
    if role and _is_role(role.group(1)):
        pos += role.end()
    stop_words, gaz = _not_name_words(), gazetteer()
    words: list[tuple[int, int]] = []
    cursor = pos
    while True:
        m = NAME_TOKEN.match(text, cursor)
        if m is None:
            particle = re.match(r"([a-z]+) (?=[A-ZÆØÅ])", text[cursor:])
            if words and particle and particle.group(1) in PARTICLES:
                cursor += particle.end()
                continue
            break
        word = m.group(0)
        if word in stop_words or word.lower() in gaz.by_name or any(b < m.end() and m.start() < e for b, e in blocked):
            break
        words.append((m.start(), m.end()))
        if text[m.end() : m.end() + 1] != " ":
            break
        cursor = m.end() + 1
    if len(words) > MAX_NAME_TOKENS:
        return None
    if len(words) < 2:
        return None
    follows = NAME_TOKEN.match(text, words[-1][1] + 1)
    if len(words) == MAX_NAME_TOKENS and follows and follows.group(0) not in stop_words:
        return None
    return words[0][0], words[-1][1]


def _persons_by_role(text: str, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names introduced by a role word ("rådmand Thyge Brixvold", "oplæg ved ...", "v/ ...") and the
    names of a list after "Deltog:", "Deltagere:", "Afbud:" ..."""
    found = []
    for m in _role_regex().finditer(text):
        if m["list"] is not None:
            end = re.search(r"\.(?:\s|$)|\n", text[m.end() :])
            segment_end = m.end() + (end.start() if end else len(text) - m.end())
            pos = m.end()
            for part in LIST_SEPARATOR.split(text[m.end() : segment_end]):
                begin = text.find(part, pos)
                span = _name_at(text, begin, blocked) if part and begin >= 0 else None
                if span:
                    found.append(span)
                pos = begin + len(part) if begin >= 0 else pos
        else:
            span = _name_at(text, m.end(), blocked)
            if span:
                found.append(span)
    return found


def find_persons(text: str, orgs: Sequence[OrgMention] = ()) -> list[PersonMention]:
    """Persons, precision over recall: a known first name followed by one to three capitalised
    names, or 2-4 capitalised names introduced by a role ("borgmester", "chefkonsulent", "v/",
    "oplæg ved", "Deltog: ..."), never inside an organisation's name and never running into one."""
    names, stop_words = _first_names(), _not_name_words()
    blocked = [(o.begin, o.stop) for o in orgs]
    candidates: list[tuple[int, int]] = []
    for m in PERSON.finditer(text):
        if m["first"] not in names:
            continue
        words = m["rest"].split()
        cut = next((i for i, w in enumerate(words) if w in stop_words or w in NOT_SURNAMES), len(words))
        words = words[:cut]
        if not words:
            continue
        name = " ".join([m["first"], *words])
        candidates.append((m.start(), m.start() + len(name)))
    candidates += _persons_by_role(text, blocked)
    found: list[PersonMention] = []
    for begin, stop in sorted(set(candidates), key=lambda s: (s[0], -(s[1] - s[0]))):
        if any(begin < e and b < stop for b, e in blocked):
            continue
        if any(begin < p.stop and p.begin < stop for p in found):
            continue
        found.append(PersonMention(text[begin:stop], begin, stop))
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

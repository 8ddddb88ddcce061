"""How a question is read: its language, its kind, its scope (time, council) and what it is about
(organisations and persons linked by their labels, glossary concepts, remaining content words)."""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass, field

from kkr.index.lexical import tokens

EN_WORDS = {
    "the",
    "what",
    "was",
    "were",
    "which",
    "who",
    "when",
    "how",
    "much",
    "many",
    "did",
    "does",
    "about",
    "of",
    "for",
    "is",
    "are",
    "decided",
    "items",
    "on",
    "in",
    "to",
    "and",
    "with",
    "money",
    "deadline",
}
DA_WORDS = {
    "hvad",
    "blev",
    "hvilke",
    "hvem",
    "hvornår",
    "hvor",
    "mange",
    "om",
    "af",
    "til",
    "den",
    "det",
    "der",
    "er",
    "og",
    "på",
    "besluttet",
    "punkter",
    "penge",
    "fristen",
    "med",
    "i",
    "for",
}

# kind → patterns (Danish and English), tried in this order
KINDS = [
    (
        "history",
        r"\bover tid\b|\budvikl|\bforløb|\bhistorik|\bhvad (?:er der )?sket\b|\bsket med\b|\bover time\b|"
        r"\bdevelop|\bhappened\b|\bhistory\b|\bprogress(?:ed)?\b|\bevolve|"
        r"\bhvordan (?:har|er|blev) .*\b(?:behandlet|håndteret|gået|drøftet)\b|\bi løbet af\b|\bpå tværs af møder|"
        r"\bhow (?:has|have|did|was|were) .*\b(?:dealt|handled|treated|gone|discussed)\b|"
        r"\b(?:across|through|over) (?:the |several |successive )?meetings\b|"
        r"\bhow (?:did|has|have) .*\bchange|\bhvordan (?:har|er|blev) .*\bændret",
    ),
    (
        "list",
        # at the start of the question or of its clause after a scope ("syddanmark januar 2026 - hvilke sager")
        r"(?:^|[-–:;,]\s)\s*(?:hvilke|which|list)\b.*\b(?:punkter|sager|items|matters|cases)\b|"
        # "did the council reject anything in 2025?": the items of that outcome
        r"^\s*(?:did|has|have|was|were|blev|har|er)\b.*\b(?:anything|any items|any matters|noget|nogen sager|nogen punkter)\b",
    ),
    (
        "count",
        r"\bhvor mange\b(?! (?:penge|kroner|midler|mio|millioner))|\bhow many\b(?! (?:kroner|millions?|dkk))|"
        r"\bnumber of\b|\bantallet af\b",
    ),
    (
        "schedule",
        r"\bmeets?\b|\bmeeting (?:dates|schedule|plan|calendar)\b|\bmødes\b|\bmødedatoer\b|\bmødeplan|"
        r"\bmødekalender|\bhvornår (?:er der|holder|har)\b.*\bmøder?\b|\bmødested|"
        r"^\s*(?:list|show|vis|which|hvilke|all|alle)\b.*\b(?:meetings|møder|møderne)\b|"
        r"\bhvor (?:holdes|afholdes|mødes|er|ligger|foregår|blev|var)\b.*\bmøde|\bhvor (?:mødtes|holdtes)\b|"
        r"\bwhere (?:is|will|does|did|was)\b.*\b(?:meet\w*|met|held)\b",
    ),
    ("when", r"\bhvornår\b|frist|\bdeadline|\bwhen\b|\bdato\b|\bdate\b|\bsenest\b|\bby when\b"),
    (
        "amount",
        r"\bhvor (?:mange|meget) (?:penge|kroner|midler)|\bhvor meget\b|\bbeløb|\bhow much\b|\bhow many (?:kroner|millions)|"
        r"\bamount\b",
    ),
    (
        "who",
        r"^\s*(?:hvem|who)\b|\bwhich (?:person|organisation|organization)s?\b|\bhvilke(?:n)? (?:person|organisation)",
    ),
    (
        "decision",
        r"\bbeslut|\bvedt|\bgodkend|\bdecid|\bdecision|\bresolv|\bagreed\b|\bapprov|\bhvad sagde\b|"
        # "did they say yes to", "is it going ahead", "tiltrådte KKR", "er der enighed om"
        r"\bsa(?:y|id) (?:yes|no)\b|\baccept(?:ed|s)?\b|\bgo(?:es|ing)? ahead\b|\btiltr(?:æd|åd)\w*|"
        r"\bsagde (?:ja|nej)\b|\bsige (?:ja|nej)\b|\benighed\b|\bendorse\w*",
    ),
    # a money word without "how much" asks for an amount unless a decision is asked about
    # ("Hvad blev besluttet om Midttrafiks budget?" is a decision)
    (
        "amount",
        r"\bcost|\bbudget|\bkoster\b|\bafsat\b|\bmillion|\bmio\b|\btotal\b|\bsubsid|\btilskud|\bcontribution|"
        r"\bbidrag\w*|\bkontingent\w*|\bfees?\b|\bpay\b|\bbetale?\b|\bunderfinan\w*|\bshortfall|\bdeficit|"
        r"\bunderskud\w*|\boverskud\w*|\bsurplus",
    ),
]
OUTCOME_WORDS = [
    ("Noted", r"til efterretning|tog .* orientering|\bnoted\b|took note|take note|taken note"),
    ("Postponed", r"\budsat|\budsatte|\bpostpon|\bdeferred\b"),
    ("Rejected", r"\bafvist|\bafviste|ikke godkend|\breject|\bturned down|\bdeclined\b"),
    ("ApprovedWithChanges", r"med ændring|med tilføjelse|with changes|with amendments|with an addition"),
    ("PartiallyApproved", r"\bdelvis|\bdelvist\b|\bpartially\b|\bin part\b"),
    ("Appointed", r"\bblev valgt|\bvalgte\b|\budpeget\b|\budpegede\b|\bappointed\b|\belected\b"),
    ("Approved", r"\bgodkend|\bapprov|\bvedt|\badopted\b"),
]
# the question's form, not its matter: verbs of "what does it say" ("Hvad står der om …", "what is
# said about …") and of "what was it about" ("Hvilke sager handlede om trafik?"), question words,
# words of decisions, dates, history and outcomes, and English verbs that say nothing by themselves
QUESTION_WORDS = set(
    """
    why hvorfor got gets goes going står stod siger sagde nævnes nævnt says said mentioned handlede
    handler omhandlede omhandler drejede drejer concerned concerning dealt hvad hvem hvornår hvor
    hvilke hvilken hvilket blev besluttet beslutning besluttede sket skete over tid mange meget
    penge kroner afsat afsatte fristen frist punkter sager what who when how much many which was
    were decided decision decisions happened time money deadline items matters did does about kkr
    møde mødet meeting sagen matter develop developed evolved yes ahead ja nej enighed enige accept
    accepted tiltrådt tiltrådte tiltræder organisationer organisations organizations progressed
    history forløb forløbet historik historikken udviklet udviklingen det om the sidste seneste
    latest last siden since taget efterretning godkendt godkendte approved noted take took note
    udsat afvist postponed rejected status i in on den at to for of fastsat fastsatte set sat
    referat referatet referater minutes according decide decides beslutte its their there this that
    hvordan har behandlet handled has have with behandlede behandle behandles treated discussed
    drøftede frister by
    """.split()
)


@dataclass
class Interpretation:
    question: str
    language: str
    kind: str
    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    scope_text: list[str] = field(default_factory=list)
    outcome: str | None = None
    entities: list[dict] = field(default_factory=list)  # {"iri", "label", "kind"}
    concepts: list[dict] = field(default_factory=list)  # glossary concepts {"iri", "label", "danish": [...]}
    topic: list[str] = field(default_factory=list)  # content words left over (as printed)
    latest_meeting: bool = False
    year_from: str | None = None  # a year named in the question ("frister i 2026"), apart from a meeting date
    year_to: str | None = None
    councils: list[str] = field(default_factory=list)  # every council named, when more than one
    case: str | None = None  # a case number the question names ("SAG-2025-03822"): its items only

    def to_json(self) -> dict:
        return asdict(self)


# Function words beyond EN_WORDS/DA_WORDS: a question is English when its function words are
EN_FUNCTION = EN_WORDS | set(
    """a an any are as at be been by can could do from has have if into it its it's me my
    no not or our out should so than that their them then there these they this those us
    we what's where whether why will would you your all some was there's""".split()
)
DA_FUNCTION = DA_WORDS | set(
    """en et de ikke noget nogen kan skal vil har var være bliver blive hvordan hvorfor hvis
    hvilken hvilket efter før fra ved mod som men eller også alle andre sin sine deres hos
    under over mellem siden både mere mest jeg vi man os""".split()
)
# endings of Danish words that English words do not have
DANISH_ENDINGS = ("erne", "ene", "ningen", "ninger", "elser", "heden", "skab", "ligt", "ighed", "sager")


def language_of(question: str, vocabulary: set[str] | None = None) -> str:
    """ "da" or "en". Names say nothing (capitalised words after the first, acronyms, so "KKR
    Sjælland" does not make a question Danish), nor do numbers. Function words decide; a question
    of content words only ("bus services", "hospital") is English when most of its words are
    unknown to the minutes' vocabulary (`vocabulary`: lexical tokens) and none ends like a Danish
    word."""
    words = re.findall(r"[A-Za-zÆØÅæøåÉé']+", question)
    plain = [w.lower() for i, w in enumerate(words) if not (len(w) > 1 and w.isupper()) and not (i and w[0].isupper())]
    en = sum(w in EN_FUNCTION for w in plain)
    da = sum(w in DA_FUNCTION for w in plain)
    if en != da:
        return "en" if en > da else "da"
    if any(c in w for w in plain for c in "æøå"):
        return "da"
    content = [w for w in plain if len(w) > 2]
    if vocabulary is None or not content or any(w.endswith(DANISH_ENDINGS) for w in content):
        return "da"
    unknown = [w for w in content if not set(tokens(w)) & vocabulary]
    return "en" if 2 * len(unknown) > len(content) else "da"


def kind_of(question: str) -> str:
    q = question.lower()
    for kind, pattern in KINDS:
        if re.search(pattern, q):
            return kind
    return "search"


def outcome_of(question: str) -> str | None:
    q = question.lower()
    for outcome, pattern in OUTCOME_WORDS:
        if re.search(pattern, q):
            return outcome
    return None


# English adverbs and verbs of asking that say nothing of the matter, beyond spaCy's list
WEAK_WORDS = frozenset(
    """today currently previously partly mainly recently exactly roughly approximately actually
    specifically bring brought come comes came tell know want wants wondering wonder think hi
    hello lot lots thing things different maybe ve merely simply blot right""".split()
)


@functools.cache
def function_words() -> frozenset[str]:
    """English and Danish function words (spaCy's stop word lists: modal verbs, pronouns,
    prepositions, "would", "must", "efter"): never what a question is about. Both languages,
    since a short question is not always read in the right one."""
    from spacy.lang.da.stop_words import STOP_WORDS as DANISH
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

    return frozenset(DANISH) | frozenset(ENGLISH) | WEAK_WORDS


def topic_words(question: str, consumed: list[str]) -> list[str]:
    """Content words of the question not used by the scope, the entities or the question form."""
    text = question
    for c in sorted(consumed, key=len, reverse=True):
        # as a whole word, its possessive or plural too: "EU" taken from "EU-rådgivning" leaves
        # "GCEU" whole; "KKR Midtjylland" takes "KKR Midtjyllands"
        text = re.sub(r"(?<![\wæøåÆØÅ])" + re.escape(c) + r"(?:'s|’s|s|es)?(?![\wæøåÆØÅ])", " ", text, flags=re.I)
    words = re.findall(r"[A-Za-zÆØÅæøåé0-9][\wæøåÆØÅé.,-]*", text)
    out = []
    for w in words:
        w = w.strip(".,-")
        if not w or w.lower() in QUESTION_WORDS or w.lower() in function_words() or w.isdigit():
            continue
        if not tokens(w):
            continue
        out.append(w)
    return out

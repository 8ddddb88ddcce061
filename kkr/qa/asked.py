"""What a question asks for when it names it as a head noun ("what is the hourly wage of …", "hvad
er fristen for …"): the item must speak of that, not only of the rest ("… of a social and
healthcare assistant" is not answered by an item about recruiting them)."""

from __future__ import annotations

import re

from kkr.index.lexical import tokens
from kkr.qa.evidence import _is_question_form

HEAD = frozenset({"!head"})  # marks the group of the head noun asked for; no token begins with "!"

_ENGLISH = re.compile(
    r"^\s*what(?:'s|\s+is|\s+was|\s+are|\s+were|\s+will\s+be)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<head>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:of|for|in|at)\b",
    re.I,
)
_DANISH = re.compile(
    r"^\s*hvad\s+(?:er|var|bliver|blev)\s+(?:den\s+|det\s+|de\s+)?"
    r"(?P<head>(?:[\wæøå-]+\s+){0,2}?[\wæøå-]+)\s+(?:for|af|til|på|i|ved)\b",
    re.I,
)
# heads that name the kind of answer, not a thing the item must print ("the status of", "the
# amount of", "beløbet til"): the kind's own answer reads them
GENERAL = frozenset(
    tokens(
        "status outcome result results purpose role reason reasons background decision decisions deadline date "
        "amount amounts cost costs budget price number share total sum level size plan plans situation point "
        "udfald resultat formål rolle baggrund beslutning frist dato beløb beløbet udgift udgiften pris antal "
        "andel samlet niveau størrelse situation punkt sag sagen news nyt state"
    )
)


def asked_head(question: str) -> str | None:
    """The head noun a question asks for ("wage" of "what is the hourly wage of …"), as its
    lexical token, or None when it names none or names the kind of answer."""
    m = _ENGLISH.match(question) or _DANISH.match(question)
    if not m:
        return None
    last = m.group("head").split()[-1]
    found = tokens(last)
    if len(found) != 1 or found[0] in GENERAL or _is_question_form(last):
        return None
    return found[0]

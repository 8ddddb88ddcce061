"""The wording of answers: the fixed sentences of each kind of answer in Danish and English, and
how an answer names its topic, its scope (council, dates) and an agenda item. Quotations from
the minutes are not worded here: they stay Danish."""

from __future__ import annotations

from datetime import date

from kkr.qa.evidence import _english_outcome, _format_date, _shorten
from kkr.qa.interpret import Interpretation

TEXT = {
    "none": {
        "da": "Jeg fandt intet i referaterne om {topic}{scope}.",
        "en": "I found nothing in the minutes about {topic}{scope}.",
    },
    "decision": {
        "da": "Beslutninger om {topic}, den mest relevante først:",
        "en": "Decisions about {topic}, most relevant first:",
    },
    "when": {"da": "Frister og datoer om {topic}:", "en": "Deadlines and dates about {topic}:"},
    "amount": {"da": "Beløb om {topic}:", "en": "Amounts about {topic}:"},
    "count": {"da": "Antal om {topic}:", "en": "Numbers about {topic}:"},
    "who": {"da": "Personer og organisationer om {topic}:", "en": "Persons and organisations about {topic}:"},
    "list": {"da": "Punkter{outcome}{scope}:", "en": "Items{outcome}{scope}:"},
    "history": {
        "da": "Sagens forløb over tid ({n} møder):",
        "en": "How the matter developed over time ({n} meetings):",
    },
    "search": {
        "da": "Jeg kunne ikke læse spørgsmålet som en bestemt slags spørgsmål, så her er de mest "
        "relevante afsnit fra søgningen:",
        "en": "I could not read the question as one kind of question, so here are the most relevant "
        "paragraphs from search:",
    },
    "no_deadline": {
        "da": "(ingen frist er sat; datoer nævnt i sagen)",
        "en": "(no deadline is set; dates the item mentions)",
    },
}


def topic_of(interp: Interpretation) -> str:
    """What the question is about, as answers name it: the names of its entities and concepts and
    its topic words, else the question itself."""
    words = [e["label"] for e in interp.entities] + [c["surface"] for c in interp.concepts] + interp.topic
    return " ".join(words) or interp.question


def scope_words(interp: Interpretation) -> str:
    """The question's scope in words (" i KKR Sjælland fra 1. januar 2025"), with a leading space;
    "" when it has none."""
    parts = []
    if interp.body:
        parts.append(("i " if interp.language == "da" else "in ") + interp.body)
    if interp.date_from and interp.date_from == interp.date_to:
        d = date.fromisoformat(interp.date_from)
        parts.append(("den " if interp.language == "da" else "on ") + _format_date(d, interp.language))
    else:
        if interp.date_from:
            parts.append(
                ("fra " if interp.language == "da" else "from ")
                + _format_date(date.fromisoformat(interp.date_from), interp.language)
            )
        if interp.date_to:
            parts.append(
                ("til " if interp.language == "da" else "to ")
                + _format_date(date.fromisoformat(interp.date_to), interp.language)
            )
    return (" " + " ".join(parts)) if parts else ""


def nothing(interp: Interpretation, sparql: str = "") -> tuple[str, list, str]:
    """The answer when the minutes hold nothing on the question: its text, no citations, `sparql`."""
    text = TEXT["none"][interp.language].format(topic=topic_of(interp), scope=scope_words(interp))
    return text, [], sparql


def cited_at(r, language: str) -> str:
    """Where a quotation stands, as answers print it ("KKR Sjælland 2025-06-16, punkt 2.2"), of a
    paragraph record."""
    if not r.item_number:  # the meeting's introduction
        return f"{r.body} {r.meeting_date}, {'mødets indledning' if language == 'da' else 'introduction'}"
    return f"{r.body} {r.meeting_date}, {'punkt' if language == 'da' else 'item'} {r.item_number}"


def item_line(interp: Interpretation, r: dict) -> str:
    """An item's line (a row of `items_query`): date, council, number, title, outcome, and the
    decision quoted unless it only repeats the outcome."""
    d = _format_date(date.fromisoformat(str(r["date"])), interp.language)
    item_word = "punkt" if interp.language == "da" else "item"
    outcome = r.get("outcome") or ""
    if interp.language == "en" and outcome:
        outcome = f"{outcome} ({_english_outcome(outcome)})"
    decision = _shorten(r.get("decision") or "", 1200)
    quote = f": «{decision}»" if decision and decision.rstrip(".") != (r.get("outcome") or "") else ""
    return f"- {d}, {r['body']}, {item_word} {r['number']} «{r['title']}»: {outcome}{quote}"

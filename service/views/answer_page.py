"""The answer page (GET /ask from a browser): the answer, its citations and what was understood."""

from __future__ import annotations

from flask import Response

from kkr.service.render import OUTCOMES, local, outcome_name, query_url, render

# ---------------------------------------------------------------------------------------------
# Answer page


INTERPRETATION = (  # what the answerer understood, in the order and words the page shows it
    ("kind", "Spørgsmålstype"),
    ("language", "Sprog"),
    ("body", "Råd"),
    ("entities", "Organisationer og personer"),
    ("concepts", "Begreber"),
    ("topic", "Emne"),
    ("outcome", "Udfald"),
    ("date_from", "Fra dato"),
    ("date_to", "Til dato"),
    ("year_from", "Fra år"),
    ("year_to", "Til år"),
    ("latest_meeting", "Seneste møde"),
    ("scope_text", "Afgrænsning"),
)
LANGUAGES = {"da": "dansk", "en": "engelsk"}
QUESTION_KINDS = {
    "history": "sagens forløb",
    "list": "liste over punkter",
    "when": "hvornår / frister",
    "amount": "beløb",
    "who": "hvem",
    "decision": "beslutninger",
    "search": "søgning i teksten",
}


def _describe(value) -> str:
    """A value of the interpretation in words: labels of linked things, lists joined."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        label = value.get("label") or value.get("name") or value.get("surface")
        if label and value.get("surface") and value.get("surface") != label:
            return f"{label} (»{value['surface']}«)"
        return str(label) if label else ", ".join(f"{k}: {_describe(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_describe(v) for v in value)
    return str(value)


def interpretation_rows(interpretation: dict) -> list[tuple[str, str]]:
    rows = []
    known = {key for key, _ in INTERPRETATION} | {"question"}
    for key, label in INTERPRETATION:
        value = interpretation.get(key)
        if value in (None, "", [], {}, False):
            continue
        if key == "language":
            value = LANGUAGES.get(value, value)
        elif key == "kind":
            value = QUESTION_KINDS.get(value, value)
        elif key == "outcome":
            value = OUTCOMES.get(outcome_name(value) or "", value)
        rows.append((label, _describe(value)))
    for key, value in interpretation.items():  # anything newer, as it comes
        if key not in known and value not in (None, "", [], {}, False):
            rows.append((key.replace("_", " "), _describe(value)))
    return rows


def answer_blocks(answer: str) -> list[dict]:
    """The answer text as paragraphs and lists ("- " lines; indented lines continue an entry)."""
    blocks: list[dict] = []
    for line in (answer or "").splitlines():
        if not line.strip():
            blocks.append({"kind": "gap"})
        elif line.lstrip().startswith(("- ", "• ")) and not line.startswith("    "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "entries": []})
            blocks[-1]["entries"].append([line.lstrip()[2:].strip()])
        elif line.startswith(" ") and blocks and blocks[-1]["kind"] == "list":
            blocks[-1]["entries"][-1].append(line.strip())
        elif blocks and blocks[-1]["kind"] == "para":
            blocks[-1]["lines"].append(line.strip())
        else:
            blocks.append({"kind": "para", "lines": [line.strip()]})
    return [b for b in blocks if b["kind"] != "gap"]


def answer_page(q: str, data: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    """The answer to a question with its citations (each linking to its item), or the empty form."""
    citations = []
    for c in (data or {}).get("citations", []) or []:
        c = dict(c)
        c["item_path"] = local(c.get("item_iri")) if c.get("item_iri") else None
        citations.append(c)
    sparql = (data or {}).get("sparql")
    return render(
        "answer.html",
        status=status,
        q=q,
        data=data,
        citations=citations,
        error=error,
        blocks=answer_blocks((data or {}).get("answer") or ""),
        sparql_href=query_url("/sparql", query=sparql) if sparql else None,
        interpretation=interpretation_rows((data or {}).get("interpretation") or {}),
        nav="ask",
    )

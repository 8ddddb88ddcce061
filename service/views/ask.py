"""/ask: plain-language questions in Danish or English, answered from the graph with citations,
as JSON for a tool or as the answer page for a browser (the answer, its citations, what was
understood), from the same data (`answer_data`)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify, request

from kkr.errors import KkrError
from kkr.qa.answer import Answerer
from kkr.service.error_replies import query_error_reply
from kkr.service.errors import HttpError
from kkr.service.negotiation import HTML, JSON
from kkr.service.pool_store import pool_store
from kkr.service.query_errors import QueryError
from kkr.service.render import OUTCOMES, local, outcome_name, query_url, render
from kkr.service.searcher import searcher
from kkr.service.shared import shared
from kkr.service.views.base import respond_with

bp = Blueprint("ask", __name__)
MAX_QUESTION = 500


def answerer(app: Flask | None = None) -> Answerer:
    """The application's answerer: labels, index and model loaded once."""
    return shared("answerer", lambda a: Answerer(pool_store(a), searcher(a)), app)


@bp.get("/ask")
def ask():
    """?q=<question> → {"answer", "citations", "sparql", "interpretation"}; no question → 400, one
    longer than MAX_QUESTION → 414; a failed graph query → its own status (query_error_reply).
    For a tool the errors are raised and answered by service/errors.py; the answer page shows
    them in place."""
    return respond_with({JSON: lambda: jsonify(answer_data()), HTML: _answer_html})


def _question() -> str:
    raw = request.args.get("q") or ""
    if len(raw) > MAX_QUESTION:  # the raw length, as /openapi.json's maxLength says
        raise HttpError(
            414,
            f"the question is {len(raw):,} characters long; the limit is {MAX_QUESTION}",
            f"Spørgsmålet er længere end {MAX_QUESTION} tegn.",
        )
    return raw.strip()


def answer_data() -> dict:
    """The answer to the request's question, or an HttpError / QueryError saying why there is none."""
    q = _question()
    if not q:
        raise HttpError(400, "missing query parameter 'q' (a question)")
    try:
        return answerer().ask(q)
    except QueryError:  # the engine's text stays in the log (query_error_reply)
        raise
    except KkrError as exc:  # no index yet, or a model mismatch
        raise HttpError(
            503,
            f"the question could not be answered now: {exc}",
            f"Spørgsmålet kan ikke besvares lige nu: {exc}",
        ) from exc


def _answer_html() -> Response:
    q = (request.args.get("q") or "").strip()
    if not q:
        return answer_page("")
    try:
        return answer_page(q, answer_data())
    except QueryError as exc:
        status, _message, html_message, headers = query_error_reply(exc)
        response = answer_page(q, error=html_message, status=status)
        response.headers.update(headers)
        return response
    except HttpError as exc:
        response = answer_page(q, error=exc.html_message, status=exc.status)
        response.headers.update(exc.headers)
        return response


# ---------------------------------------------------------------------------------------------
# The answer page


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
    "schedule": "mødeplan",
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
        "ask/answer.html",
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

"""The schemas of the OpenAPI description (service/openapi.py): what each JSON endpoint returns,
written from the code that builds the answers (kkr/tracing.py, index/search.py, kkr/qa/)."""

from __future__ import annotations

STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
IRI = {"type": "string", "format": "iri"}
DATE = {"type": "string", "format": "date"}
STRINGS = {"type": "array", "items": STRING}


def _object(required: list[str], properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "required": required, "properties": properties}
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


HIT = _object(
    [
        "rank",
        "score",
        "text",
        "section",
        "section_type",
        "page",
        "item_number",
        "item_title",
        "item_iri",
        "meeting_date",
        "body",
        "paragraph_iri",
        "outcome",
    ],
    {
        "rank": {"type": "integer", "minimum": 1},
        "score": {"type": "number"},
        "text": {"type": "string", "description": "The paragraph as printed (hyphenation undone)."},
        "section": {"type": "string", "description": "Section heading as printed, e.g. Beslutning."},
        "section_type": {"type": "string", "description": "kkr: section type, e.g. DecisionSection."},
        "page": {"type": "integer", "minimum": 1, "description": "Page of the source where the paragraph starts."},
        "item_number": {"type": "string", "example": "3.2"},
        "item_title": STRING,
        "item_iri": IRI,
        "meeting_date": DATE,
        "body": {"type": "string", "example": "KKR Midtjylland"},
        "paragraph_iri": IRI,
        "outcome": {"type": ["string", "null"], "description": "Outcome of the item's decision (kkr: local name)."},
        "graph": {**IRI, "description": "The named graph of the source document the paragraph is from."},
        "agenda_only": {
            "type": "boolean",
            "description": "True when only the meeting's agenda is in (no minutes, so no decisions yet).",
        },
    },
)

SEARCH_RESULT = _object(
    ["query", "expanded_with", "hits"],
    {
        "query": {"type": "string", "description": "q as searched (stripped)."},
        "expanded_with": {"type": "array", "items": STRING, "description": "Terms the query was expanded with."},
        "hits": {"type": "array", "items": _ref("Hit"), "description": "Best first."},
    },
)

ITEM = _object(
    ["meeting_date", "body", "item_number", "title", "case", "outcome", "outcome_label", "decision", "item_iri"],
    {
        "meeting_date": DATE,
        "body": STRING,
        "item_number": {"type": "string", "example": "2.1"},
        "title": STRING,
        "case": {"type": ["string", "null"], "example": "SAG-2025-03802"},
        "outcome": {"type": ["string", "null"], "description": "kkr: local name, e.g. Approved."},
        "outcome_label": {"type": ["string", "null"], "description": "The outcome's Danish label."},
        "decision": {"type": ["string", "null"], "description": "The decision as printed."},
        "item_iri": IRI,
    },
    "An agenda item of a meeting.",
)

CASE_TIMELINE = _object(
    ["case", "items"],
    {
        "case": {"type": "string", "description": "The case number, upper case."},
        "items": {
            "type": "array",
            "items": _ref("Item"),
            "minItems": 1,
            "description": "By meeting date, then item number (3.10 after 3.9).",
        },
    },
)

THREAD_ITEM = {
    "allOf": [
        _ref("Item"),
        _object(
            ["reason", "score", "linked_to"],
            {
                "reason": {
                    "type": "string",
                    "description": "The evidence that linked the item ('the item asked about' for it).",
                },
                "score": {"type": "number"},
                "linked_to": {"type": ["string", "null"], "format": "iri"},
            },
        ),
    ]
}

THREAD = _object(
    ["item", "items"],
    {
        "item": IRI,
        "items": {"type": "array", "items": _ref("ThreadItem"), "minItems": 1, "description": "In date order."},
    },
)

DEADLINE = _object(
    ["date", "end_date", "kind", "text", "printed", "meeting_date", "body", "item_number", "item_title", "item_iri"],
    {
        "date": {**DATE, "description": "First day of the deadline or treatment."},
        "end_date": {**DATE, "description": "Last day (the same as date for a single day)."},
        "kind": {"type": "string", "example": "svarfrist"},
        "text": {"type": "string", "description": "The sentence that sets it."},
        "printed": {"type": "string", "example": "svarfrist den 1. marts 2026"},
        "meeting_date": DATE,
        "body": STRING,
        "item_number": STRING,
        "item_title": STRING,
        "item_iri": IRI,
    },
)

DEADLINES = _object(
    ["deadlines"], {"deadlines": {"type": "array", "items": _ref("Deadline"), "description": "Earliest first."}}
)

ENTITY = _object(
    ["iri", "type", "label", "aliases", "items"],
    {
        "iri": IRI,
        "type": {"type": "string", "enum": ["organisation", "person"]},
        "label": STRING,
        "aliases": STRINGS,
        "items": {"type": "array", "items": _ref("Item"), "description": "Items that mention it, newest first."},
    },
)

CITATION = _object(
    ["meeting_date", "body", "item_number", "item_title", "section", "page", "text", "item_iri"],
    {
        "meeting_date": DATE,
        "body": STRING,
        "item_number": STRING,
        "item_title": STRING,
        "section": STRING,
        "page": {"type": "integer", "minimum": 1},
        "text": STRING,
        "item_iri": IRI,
        "paragraph_iri": {
            **IRI,
            "description": "Absent from the citations of a plain search answer (interpretation.kind 'search').",
        },
    },
)

INTERPRETATION = _object(
    [
        "question",
        "language",
        "kind",
        "body",
        "date_from",
        "date_to",
        "scope_text",
        "outcome",
        "entities",
        "concepts",
        "topic",
        "latest_meeting",
        "year_from",
        "year_to",
        "councils",
        "case",
    ],
    {
        "question": STRING,
        "language": {"type": "string", "enum": ["da", "en"]},
        "kind": {
            "type": "string",
            "enum": [
                "decision",
                "when",
                "amount",
                "who",
                "list",
                "history",
                "schedule",
                "compare",
                "count",
                "superlative",
                "search",
            ],
        },
        "body": NULLABLE_STRING,
        "date_from": NULLABLE_STRING,
        "date_to": NULLABLE_STRING,
        "scope_text": STRINGS,
        "outcome": NULLABLE_STRING,
        "entities": {"type": "array", "items": {"type": "object"}},
        "concepts": {"type": "array", "items": {"type": "object"}},
        "topic": STRINGS,
        "latest_meeting": {"type": "boolean"},
        "year_from": NULLABLE_STRING,
        "year_to": NULLABLE_STRING,
        "councils": {**STRINGS, "description": "Every council the question names, when it names two or more."},
        "case": {
            **NULLABLE_STRING,
            "description": "A case number the question names (SAG-2025-03802): its items only.",
        },
    },
    "How the question was read.",
)

ANSWER = _object(
    ["answer", "citations", "sparql", "interpretation"],
    {
        "answer": STRING,
        "citations": {"type": "array", "items": _ref("Citation"), "description": "Best evidence first."},
        "sparql": {"type": "string", "description": "A query that reruns on /sparql (empty when none was used)."},
        "interpretation": _ref("Interpretation"),
    },
)

HEALTH = _object(
    ["status", "store", "index"],
    {
        "status": {"type": "string", "enum": ["ok"]},
        "store": {
            "type": "string",
            "enum": ["local", "remote"],
            "description": "The kind of store (never its path or URL).",
        },
        "index": {
            "type": ["object", "null"],
            "required": ["model", "paragraphs"],
            "properties": {"model": STRING, "paragraphs": {"type": "integer", "minimum": 0}},
            "description": "null until the first search loads the index.",
        },
    },
)

READY = {
    "type": "object",
    "required": ["ready"],
    "properties": {
        "ready": {"type": "boolean"},
        "reason": {"type": "string", "description": "What is (not) ready, in English."},
    },
    "description": "Whether the service can answer now.",
}

OPENAPI = _object(
    ["openapi", "info", "paths"], {"openapi": STRING, "info": {"type": "object"}, "paths": {"type": "object"}}
)

ERROR = _object(["error"], {"error": {"type": "string", "description": "What is wrong, in English."}})

SCHEMAS = {
    "Hit": HIT,
    "SearchResult": SEARCH_RESULT,
    "Item": ITEM,
    "CaseTimeline": CASE_TIMELINE,
    "ThreadItem": THREAD_ITEM,
    "Thread": THREAD,
    "Deadline": DEADLINE,
    "Deadlines": DEADLINES,
    "Entity": ENTITY,
    "Citation": CITATION,
    "Interpretation": INTERPRETATION,
    "Answer": ANSWER,
    "Health": HEALTH,
    "Ready": READY,
    "OpenAPI": OPENAPI,
    "Error": ERROR,
}

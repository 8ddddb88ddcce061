"""The checks of request parameters shared by the views: each parameter is checked before a
query is built, and a malformed one is a `BadParameter` (400, or 414 over its length limit) with
a message saying what is wrong, in English for tools and in Danish for pages."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app, request

from kkr import tracing
from kkr.service.errors import HttpError

# The accepted forms, as regular expressions that mean the same in Python (fullmatch) and in
# the OpenAPI description (ECMA-262, anchored there), so the description says exactly what passes.
CASE_PATTERN = r"[A-Za-z]{2,6}-[0-9]{4}-[0-9]{3,6}"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TEXT_CHAR = r"[^\x00-\x1f\x7f-\x9f\u2028\u2029]"  # no control characters, no line breaks
MAX_TEXT = 200  # a council's name or a section heading
MAX_IRI = 1000


class BadParameter(HttpError, ValueError):
    """A malformed request parameter (400): an English message for tools, a Danish one for pages."""

    def __init__(self, message: str, html_message: str | None = None, status: int = 400):
        super().__init__(status, message, html_message)  # status: 414 for a parameter over its length limit


def date_param(name: str) -> str | None:
    """Query parameter `name` as a YYYY-MM-DD date (None when absent or empty). Python's
    fromisoformat alone would also take 20250101 or 2025-W01-1, which the filters cannot compare."""
    value = request.args.get(name)
    if not value:
        return None
    if re.fullmatch(DATE_PATTERN, value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise BadParameter(f"'{name}' must be a date as YYYY-MM-DD", f"»{value}« er ikke en dato som ÅÅÅÅ-MM-DD.")


def text_param(name: str, max_length: int = MAX_TEXT) -> str | None:
    """Query parameter `name` as one line of text, stripped (None when absent or blank)."""
    value = request.args.get(name)
    if value is None:
        return None
    if len(value) > max_length:
        raise BadParameter(
            f"'{name}' is longer than {max_length} characters", f"»{name}« er længere end {max_length} tegn."
        )
    if not re.fullmatch(TEXT_CHAR + "*", value):
        raise BadParameter(
            f"'{name}' must be text without control characters or line breaks",
            f"»{name}« må ikke indeholde kontroltegn eller linjeskift.",
        )
    return value.strip() or None


def own_iri(value: str) -> str:
    """The IRI meant by an item or entity reference (a full IRI, an /id/ path or a path under
    BASE), checked: under BASE, without whitespace or control characters, a valid IRI."""
    base = current_app.config["BASE"]
    if len(value) > MAX_IRI:
        raise BadParameter(f"the IRI is longer than {MAX_IRI} characters", f"IRI'en er længere end {MAX_IRI} tegn.")
    iri = value if value.startswith(("http://", "https://")) else base + value.removeprefix("/id/").lstrip("/")
    if not iri.startswith(base):
        raise BadParameter(
            f"'{value}' is not an IRI of this service (they start with {base})",
            f"»{value}« er ikke en IRI i denne tjeneste (de begynder med {base}).",
        )
    try:
        return tracing.check_iri(iri)
    except ValueError:
        raise BadParameter(
            f'{iri!r} is not a valid IRI (no spaces, control characters, <>"{{}}|^`\\ or broken %-escapes)',
            f"»{value}« er ikke en gyldig IRI.",
        ) from None

"""Rendering shared by every page of the service: the HTML answer itself (`render`,
`error_page`), the Danish labels and filters of the templates, and the security headers. Lower
than every view module: it imports none of them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, render_template, request

from kkr.ingest.dates import MONTH_NAMES_DA
from kkr.ingest.outcomes import DANISH_LABELS

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

MONTHS = tuple(MONTH_NAMES_DA[1:])  # Danish month names, as the minutes print them
OUTCOMES = DANISH_LABELS  # kkr:Outcome local names → Danish labels
SECTION_TYPES = {
    "Background": "Baggrund",
    "Recommendation": "Indstilling",
    "CasePresentation": "Sagsfremstilling",
    "DecisionSection": "Beslutning",
    "OtherSection": "Anden sektion",
}
DEADLINE_KINDS = {
    "svarfrist": "Svarfrist",
    "senest": "Senest",
    "inden": "Inden",
    "frist": "Frist",
    "genforelæggelse": "Forelægges igen",
    "forelæggelse": "Forelæggelse",
}

ERROR_TITLES = {
    400: "Forespørgslen kunne ikke forstås",
    404: "Ikke fundet",
    406: "Formatet findes ikke",
    503: "Tjenesten kan ikke svare lige nu",
}


def render(template: str, status: Any = 200, **context: Any) -> Response:
    """The template rendered as an HTML answer (autoescaped; varies by Accept)."""
    context.setdefault("nav", None)
    response = Response(render_template(template, **context), status=status, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def error_page(message: str, status: int, title: str | None = None, **context) -> Response:
    """The HTML error page (templates/layout/error.html)."""
    return render(
        "layout/error.html", status=status, title=title or ERROR_TITLES.get(status, "Fejl"), message=message, **context
    )


# ---------------------------------------------------------------------------------------------
# Headers, filters and template globals (registered on the pages blueprint by `register`)


def security_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.vary.add("Accept")
    return response


def local(iri: str | None) -> str:
    """The /id/… path of an instance IRI of this service's base (other IRIs unchanged)."""
    if not iri:
        return ""
    base = current_app.config["BASE"]
    if iri.startswith(base):
        return request.script_root + "/id/" + quote(iri[len(base) :], safe="/:@!$&'()*+,;=-._~%")
    return iri


def danish_date(value) -> str:
    """'2025-09-22' → '22. september 2025' (other text unchanged)."""
    if value is None or value == "":
        return ""
    text = str(value)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text[:10])
    if not m:
        return text
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return text
    return f"{d}. {MONTHS[mo - 1]} {y}"


def kroner(value) -> str:
    """800000 → '800.000 kr.'"""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    whole = int(number)
    text = f"{whole:,}".replace(",", ".")
    if number != whole:
        text += "," + str(abs(number - whole))[2:]
    return text + " kr."


def slug(iri: str | None) -> str:
    return (iri or "").rstrip("/").rsplit("/", 1)[-1]


def outcome_name(value: str | None) -> str | None:
    return value.rsplit("#", 1)[-1] if value else None


def _dato_filter(value) -> str:
    return danish_date(value)


def _kroner_filter(value) -> str:
    return kroner(value)


def _local_filter(iri) -> str:
    return local(iri)


def _outcome_label(name: str | None, fallback: str | None = None) -> str:
    return fallback or OUTCOMES.get(name or "", name or "")


def section_label(name: str | None) -> str:
    return SECTION_TYPES.get(name or "", name or "")


def _deadline_kind(kind: str | None) -> str:
    return DEADLINE_KINDS.get(kind or "", (kind or "").replace("_", " ").capitalize())


def query_url(path: str, **params) -> str:
    """`path` with the parameters that have a value, URL-encoded."""
    pairs = [(k.rstrip("_"), v) for k, v in params.items() if v is not None and str(v) != ""]  # also Undefined
    return request.script_root + path + ("?" + urlencode(pairs) if pairs else "")


def register(app: Flask) -> None:
    """Install the headers, filters and template globals of every page on `app` (create_app)."""
    app.after_request(security_headers)
    app.add_template_filter(_dato_filter, "dato")
    app.add_template_filter(_kroner_filter, "kroner")
    app.add_template_filter(_local_filter, "local")
    app.add_template_global(_outcome_label, "outcome_label")
    app.add_template_global(section_label, "section_label")
    app.add_template_global(_deadline_kind, "deadline_kind")
    app.add_template_global(query_url, "query_url")

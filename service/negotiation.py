"""Content negotiation: the one place that picks the form of a response.

`choose` reads a request's `format=` parameter and its Accept header against the forms a view
offers, and every view goes through it (through `kkr.service.views.base.respond`, or directly for
the SPARQL protocol's result formats): a browser gets HTML, a tool JSON or RDF, from one URL.

The rule, in order: a `format=` value naming one of the offers wins; otherwise the offer the
Accept header gives the highest q (its most specific matching range counts); ties go to the offer
matched by the more specific range (`text/html` beats `*/*`), then to the one the client lists
first, then to the view's own order. No Accept header, or one that only says `*/*`, gets the first
offer. When the client accepts none of the offers, `choose` returns None and the view decides
(406, or its first offer for the lenient JSON endpoints).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from flask import Request, request

HTML = "text/html"
JSON = "application/json"
# A client asking for SPARQL results JSON gets a JSON endpoint's JSON.
JSON_ALIASES = {JSON: (JSON, "application/sparql-results+json")}
PAGE_NAMES = {"json": JSON, JSON: JSON, "html": HTML, HTML: HTML}


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """(type, subtype, q) of each media range of an Accept header; no header means */*."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0] or "/" not in fields[0]:
            if fields[0] == "*":  # a lone "*" as some clients send
                fields[0] = "*/*"
            else:
                continue
        main, _, sub = fields[0].lower().partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((main.strip(), sub.strip(), q))
    return ranges


def _match(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int, int]:
    """(q, specificity, -position) of the most specific range matching `media_type`; q 0 if none."""
    main, _, sub = media_type.lower().partition("/")
    best = (0.0, -1, 0)
    for position, (rmain, rsub, q) in enumerate(ranges):
        if rmain == main and rsub == sub:
            specificity = 2
        elif rmain == main and rsub == "*":
            specificity = 1
        elif rmain == "*" and rsub == "*":
            specificity = 0
        else:
            continue
        if specificity > best[1] or (specificity == best[1] and q > best[0]):
            best = (q, specificity, -position)
    return best


def quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q the client gives `media_type`: that of the most specific range matching it."""
    return _match(media_type, ranges)[0]


def negotiate_media(
    accept: str | None, offered: Iterable[str], aliases: Mapping[str, tuple[str, ...]] | None = None
) -> str | None:
    """The offered media type the Accept header prefers (see the module's rule), or None when it
    accepts none of them. `aliases` maps an offer to more media types that stand for it."""
    ranges = parse_accept(accept)
    best, best_key = None, (0.0, -1, 0)
    for media_type in offered:
        names = (aliases or {}).get(media_type, (media_type,))
        key = max(_match(name, ranges) for name in names)
        if key[0] > 0 and (best is None or key > best_key):
            best, best_key = media_type, key
    return best


def format_values(req: Request | None = None, keys: Sequence[str] = ("format",)) -> list[str]:
    """The non-empty values of the request's `format=` (or other `keys`) parameters, stripped and
    lower-cased."""
    args = (req or request).args
    return [v.strip().lower() for key in keys for v in args.getlist(key) if v.strip()]


def choose(
    offers: Sequence[str],
    names: Mapping[str, str] = PAGE_NAMES,
    aliases: Mapping[str, tuple[str, ...]] = JSON_ALIASES,
    req: Request | None = None,
    keys: Sequence[str] = ("format",),
) -> str | None:
    """The offer (a media type) to answer `req` (the current request) with, or None when it
    accepts none. `names` maps `format=` values to media types; `aliases` an offer to more media
    types that stand for it in an Accept header; `keys` the parameters read as `format=`."""
    req = req or request
    for value in format_values(req, keys):
        if names.get(value) in offers:
            return names[value]
    return negotiate_media(req.headers.get("Accept"), offers, aliases)


def wants_html(req: Request | None = None) -> bool:
    """True when the request is answered with a page rather than JSON (a browser's request)."""
    return choose((JSON, HTML), req=req) == HTML

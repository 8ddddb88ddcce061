"""/search: hybrid search over the paragraphs, as JSON for a tool or, for a browser, the search
page (the form, facets with counts, highlighted hits). The page counts its facets over a wider
pool of hits than the JSON returns, so the two forms have data of their own."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, jsonify, request
from markupsafe import Markup, escape

from kkr.errors import KkrError
from kkr.index.paragraph_index import Filters
from kkr.service.errors import HttpError
from kkr.service.negotiation import HTML, JSON
from kkr.service.page_data import agenda_status, councils, organisations_of, superseded_agendas
from kkr.service.params import BadParameter, date_param, text_param
from kkr.service.query_errors import QueryError
from kkr.service.render import local, render
from kkr.service.searcher import MAX_K, MAX_Q, searcher
from kkr.service.views.base import respond_with

bp = Blueprint("search", __name__)


@bp.get("/search")
def search():
    """Query parameters: q (required, at most 500 characters), k (1-100, default 10), body, from,
    to (YYYY-MM-DD), section. Malformed → 400. A browser gets the search page (search_page:
    facets, also outcome= and org=)."""
    return respond_with({JSON: lambda: jsonify(search_data()), HTML: search_page})


def search_data() -> dict:
    """{"query", "expanded_with", "hits"} of the request; BadParameter (answered by
    service/errors.py) for a malformed parameter, HttpError 503 when there is no index yet."""
    q, k, filters = _search_params()
    try:
        result = searcher().search(q, k=k, filters=filters, exclude_graphs=superseded_agendas())
    except KkrError as exc:  # no index yet, or a model mismatch: the service's own message
        raise HttpError(503, str(exc)) from exc
    return {"query": q, "expanded_with": result.expanded_with, "hits": with_agenda_status(result.hits)}


def with_agenda_status(hits: list[dict]) -> list[dict]:
    """The hits with `agenda_only`: true for a meeting of which only the agenda is in."""
    status = agenda_status([h["graph"] for h in hits if h.get("graph")])
    return [dict(h, agenda_only=status.get(h.get("graph") or "") == "agenda") for h in hits]


def _search_params() -> tuple[str, int, Filters]:
    """(q, k, filters) of the request, or BadParameter."""
    raw = request.args.get("q") or ""
    if len(raw) > MAX_Q:
        raise BadParameter(f"'q' is {len(raw):,} characters long; the limit is {MAX_Q}", status=414)
    q = raw.strip()
    if not q:
        raise BadParameter("missing query parameter 'q'")
    k = request.args.get("k", "10")
    # int() alone would also take " 5", "1_0" and other scripts' digits
    if not re.fullmatch(r"[0-9]{1,3}", k) or not 1 <= int(k) <= MAX_K:
        raise BadParameter(f"'k' must be a whole number between 1 and {MAX_K}")
    filters = Filters(text_param("body"), date_param("from"), date_param("to"), text_param("section"))
    return q, int(k), filters


# ---------------------------------------------------------------------------------------------
# The search page

SEARCH_K = 20  # hits shown on the search page by default
FACET_POOL = 100  # candidates the facet counts are taken over
RELEVANT = 0.2  # hits scoring below this share of the best one are not counted as results
STOPWORDS = set(
    """og i at det der den de til med for som har på af en et er var ikke om kan skal vil
be fra ved så også men eller hvor hvad hvem hvilke hvilken blev bliver sig sin sine deres the and of to
in on for with what which who how was were is are a an""".split()
)


# ---------------------------------------------------------------------------------------------
# Search with facets


def _words(q: str, extra: list[str]) -> list[str]:
    words = {w.lower() for w in re.findall(r"\w+", q) if len(w) >= 3 and w.lower() not in STOPWORDS}
    for term in extra:
        words |= {w.lower() for w in re.findall(r"\w+", term) if len(w) >= 3 and w.lower() not in STOPWORDS}
    return sorted(words, key=len, reverse=True)


def highlight(text: str, words: list[str]) -> Markup:
    """`text` escaped, with the words (and words they begin) wrapped in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(Markup("<mark>") + escape(m.group(0)) + Markup("</mark>"))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _same_body(hit_body: str, wanted: str) -> bool:
    a, b = hit_body.lower(), wanted.lower()
    return a == b or a.replace("kkr ", "") == b.replace("kkr ", "")


def _matches(hit: dict, f: dict, skip: str | None = None) -> bool:
    if f["body"] and skip != "body" and not _same_body(hit["body"], f["body"]):
        return False
    if (
        f["section"]
        and skip != "section"
        and f["section"].lower() not in ((hit.get("section_type") or "").lower(), (hit.get("section") or "").lower())
    ):
        return False
    if f["outcome"] and skip != "outcome" and (hit.get("outcome") or "") != f["outcome"]:
        return False
    if (
        f["org"]
        and skip != "org"
        and f["org"] not in {o["slug"] for o in hit["organisations"]}
        and f["org"] not in {o["iri"] for o in hit["organisations"]}
    ):
        return False
    return True


def _count(values) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _relevant(hits: list[dict]) -> list[dict]:
    """The hits that match at all: the ranking scores every paragraph, and past a steep drop the
    rest are noise that would swell the counts."""
    if not hits:
        return hits
    top = max(h["score"] for h in hits)
    return [h for h in hits if h["score"] >= RELEVANT * top]


def search_page() -> Response:
    """GET /search for a browser: the form, facets with counts, highlighted hits."""
    args = request.args
    q = (args.get("q") or "").strip()
    f = {name: (args.get(name) or "").strip() for name in ("body", "from", "to", "section", "outcome", "org")}
    context: dict[str, Any] = {
        "q": q,
        "f": f,
        "hits": [],
        "facets": None,
        "nav": "search",
        "error": None,
        "total": 0,
        "k": SEARCH_K,
        "expanded_with": [],
    }
    try:
        context["councils"] = councils()
    except QueryError:
        context["councils"] = []
    if not q:
        return render("search/search.html", **context)
    try:
        k = int(args.get("k", SEARCH_K))
    except ValueError:
        return render("search/search.html", status=400, **dict(context, error="'k' skal være et helt tal."))
    if not 1 <= k <= MAX_K:
        return render("search/search.html", status=400, **dict(context, error=f"'k' skal være mellem 1 og {MAX_K}."))
    context["k"] = k
    for name, label in (("from", "Fra-dato"), ("to", "Til-dato")):
        if f[name] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", f[name]):
            return render(
                "search/search.html", status=400, **dict(context, error=f"{label} skal være en dato som ÅÅÅÅ-MM-DD.")
            )
    try:
        s = searcher()
        # the pool the facets are counted over: the date range only
        skip = superseded_agendas()
        pool = s.search(
            q, k=FACET_POOL, filters=Filters(None, f["from"] or None, f["to"] or None, None), exclude_graphs=skip
        )
        hits = pool.hits
        if f["body"] or f["section"]:  # the filtered ranking, so a narrow filter still gets its best hits
            hits = s.search(
                q,
                k=FACET_POOL,
                filters=Filters(f["body"] or None, f["from"] or None, f["to"] or None, f["section"] or None),
                exclude_graphs=skip,
            ).hits
    except KkrError as exc:
        return render("search/search.html", status=503, **dict(context, error=str(exc)))
    pool.hits, hits = _relevant(with_agenda_status(pool.hits)), _relevant(with_agenda_status(hits))
    try:
        orgs = organisations_of([h["item_iri"] for h in pool.hits] + [h["item_iri"] for h in hits])
    except QueryError:
        orgs = {}
    words = _words(q, pool.expanded_with)
    for h in pool.hits + hits:
        h["organisations"] = orgs.get(h["item_iri"], [])
    shown = [h for h in hits if _matches(h, f)]
    org_labels = {o["slug"]: o["label"] for h in pool.hits for o in h["organisations"]}
    facets = {
        "body": _count(h["body"] for h in pool.hits if _matches(h, f, "body")),
        "section": _count(h.get("section_type") for h in pool.hits if _matches(h, f, "section")),
        "outcome": _count(h.get("outcome") for h in pool.hits if _matches(h, f, "outcome")),
        "org": _count(o["slug"] for h in pool.hits if _matches(h, f, "org") for o in h["organisations"]),
    }
    if f["org"] and f["org"] not in org_labels:
        org_labels[f["org"]] = f["org"]
    context.update(
        hits=[
            dict(
                h,
                item_path=local(h["item_iri"]),
                marked=highlight(h["text"], words),
                title_marked=highlight(h["item_title"], words),
            )
            for h in shown[:k]
        ],
        total=len(shown),
        facets=facets,
        org_labels=org_labels,
        expanded_with=pool.expanded_with,
        active=[(name, value) for name, value in f.items() if value],
    )
    return render("search/search.html", **context)

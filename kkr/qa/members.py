"""Which municipalities or organisations ("which municipalities take part in …", "hvilke
kommuner …"): those the most relevant item names, from the paragraph that names most of them."""

from __future__ import annotations

import re

from kkr.ingest.nlp import find_organisations
from kkr.qa.evidence import _cite, _shorten
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import items_query
from kkr.qa.relevance import Relevance
from kkr.qa.wording import cited_at

# a question for several municipalities or organisations (the plural: "which municipality got the
# most" asks for one, answered by its kind)
MEMBERS = re.compile(
    r"^\s*(?:which|what|list(?: the)?)\s+(?:[\w-]+\s+){0,2}?(?P<m>municipalities|organi[sz]ations|companies)\b|"
    r"^\s*hvilke\s+(?:[\wæøå-]+\s+){0,2}?(?P<d>kommuner|organisationer|virksomheder)\b",
    re.I,
)
WORDING = {
    "da": {"municipalities": "Kommuner", "organisations": "Organisationer"},
    "en": {"municipalities": "Municipalities", "organisations": "Organisations"},
}


def members_asked(question: str) -> str | None:
    """ "municipalities" or "organisations" for a question asking which of them, else None."""
    m = MEMBERS.search(question)
    if not m:
        return None
    word = (m.group("m") or m.group("d")).lower()
    return "municipalities" if word in ("municipalities", "kommuner") else "organisations"


def answer_members(rel: Relevance, interp: Interpretation, asked: str):
    """The municipalities (or other organisations) the most relevant item names, quoted from its
    paragraph that names most of them; None when it names fewer than two."""
    hits = rel.relevant_items(interp, k=3)
    if not hits:
        return None
    best, names = None, list[str]()
    for r in hits[0].records:
        found = [o.label for o in find_organisations(r.text) if _is_asked(o.label, asked, interp)]
        found = list(dict.fromkeys(found))
        if len(found) > len(names):
            best, names = r, found
    if best is None or len(names) < 2:
        return None
    where = f" — {cited_at(best, interp.language)}"
    lines = [f"{WORDING[interp.language][asked]} ({len(names)}): " + ", ".join(names) + where]
    lines.append(f"  «{_shorten(rel.continued(best.paragraph_iri, best.text), 600)}»")
    return "\n".join(lines), [_cite(best)], items_query([hits[0].item_iri])


def _is_asked(label: str, asked: str, interp: Interpretation) -> bool:
    municipal = label.endswith(" Kommune")
    if label in (interp.body or "") or label.startswith("KKR "):
        return False
    return municipal if asked == "municipalities" else not municipal

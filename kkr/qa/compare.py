"""Two or more councils in one question ("Forskel på GCEU-sagen i KKR Nordjylland og KKR
Sjælland", "how did the Capital Region and Southern Denmark councils handle …"): for each council, the
latest treatment of the matter there (the thread of its item that speaks most of it), side by
side, with its outcome and its sentences closest to the question."""

from __future__ import annotations

from dataclasses import replace

from kkr import tracing
from kkr.qa.evidence import _cite, _decision_record, _shorten, closest_sentences
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import item_rows, items_query
from kkr.qa.relevance import Relevance
from kkr.qa.wording import item_line, nothing

HEAD = {"da": "Sådan behandlede rådene sagen:", "en": "How the councils treated the matter:"}
NONE = {"da": "- {council}: intet punkt om sagen", "en": "- {council}: no item on the matter"}


def answer_compare(rel: Relevance, interp: Interpretation):
    """Per council named, in the question's order: its most relevant item, or that it has none."""
    lines, citations, items = [HEAD[interp.language]], [], []
    groups = rel.groups(interp)
    for council in interp.councils:
        hits = rel.relevant_items(replace(interp, body=council, councils=[]), k=3)
        own = [h for h in hits if h.records and h.records[0].body.lower() == council.lower()]
        if not own:
            lines.append(NONE[interp.language].format(council=council))
            continue
        # the matter's latest treatment in that council: where it stands there
        thread = [
            i for i in tracing.thread(rel.store, own[0].item_iri)["items"] if i["body"].lower() == council.lower()
        ]
        latest = max(thread, key=lambda i: str(i["meeting_date"]))["item_iri"] if thread else own[0].item_iri
        records = rel.by_item.get(latest) or own[0].records
        lines.append(item_line(interp, item_rows(rel.store, [records[0].item_iri])[records[0].item_iri]))
        lines += [f"  «{_shorten(x, 500)}»" for x in closest_sentences(records, groups, rel.weighted_overlap)]
        citations.append(_cite(_decision_record(records)))
        items.append(records[0].item_iri)
    if not items:
        return nothing(interp)
    return "\n".join(lines), citations, items_query(items)

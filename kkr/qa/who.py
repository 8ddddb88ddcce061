"""Who questions ("hvem", "who chairs"): the persons and organisations named beside the words
asked about; asked for a role, only a name beside the role (a mayor: of the municipality asked)."""

from __future__ import annotations

import re

from kkr.ingest.nlp import find_organisations, find_persons
from kkr.qa.evidence import (
    _cite,
    _dedupe,
    _overlap,
    _sentences,
    _shorten,
)
from kkr.qa.interpret import Interpretation
from kkr.qa.queries import (
    items_query,
)
from kkr.qa.relevance import NAME, Relevance
from kkr.qa.wording import TEXT, cited_at, nothing, topic_of

ROLE_OF = re.compile(r"\b(?:formand|næstformand|chair|direktør|director)\w*\s+(?:for|of|i|in)\b", re.I)


def names_role_of(sentence: str, groups: list[list[frozenset]]) -> bool:
    """Whether the sentence gives a role of what is asked about ("formand for kontorets
    bestyrelse"), not a role-holder acting on it ("Formand X orienterer bestyrelsen")."""
    of = ROLE_OF.search(sentence)
    return bool(of and _overlap(sentence[of.end() : of.end() + 60], groups))


def _without_organisations(text: str) -> str:
    """The text without the organisations it names: "Aarhus" in "Business Region Aarhus" is the
    organisation's name, not the place (a municipality, "Aarhus Kommune", is the place; a one-word
    name, "Sydtrafik", is the organisation asked about)."""
    for o in find_organisations(text):
        if " " in o.text.strip() and not re.search(r"\bkommune\b", o.text, re.I):
            text = text.replace(o.text, " ")
    return text


def _mayor_of(sentence: str, person, municipalities: list[str], places: list[list[frozenset]] | None = None) -> bool:
    """Whether the sentence calls the person a mayor ("borgmester Jens Hansen"), of the
    municipality asked about when one is ("…, Odense Kommune" right after the name), or of the
    place asked about (`places`: its groups; "the mayor of Copenhagen": "…, Københavns Kommune")."""
    if not re.search(r"borgmester\w*\s*$", sentence[: person.begin], re.I):
        return False
    after = sentence[person.stop :]
    if municipalities and not any(re.match(r"\s*,?\s*" + re.escape(m), after) for m in municipalities):
        return False
    if places:
        of = re.match(r"\s*,?\s*((?:[A-ZÆØÅ][\wæøå-]*\s){1,3})Kommune\b", after)
        return of is not None and _overlap(of.group(1), places) == len(places)
    return True


def answer_who(rel: Relevance, interp: Interpretation):
    """Persons and organisations about the topic, named in its items' sentences; asked for a role
    (chair, director), only a name beside the role."""
    hits = rel.relevant_items(interp, k=5)
    groups = rel.groups(interp)
    role = re.search(
        r"\b(?:formand\w*|chair\w*|næstformand\w*|direktør\w*|director|borgmester\w*|mayor)", interp.question, re.I
    )
    # a place the question names that the graph holds no organisation for ("the mayor of
    # Aarhus") is named beside the role; an organisation's own items speak of it without its name
    named = [g for g in groups if g[0] == NAME] if role else []
    mayor = role is not None and re.match(r"(?i)borgmester|mayor", role.group(0)) is not None
    municipalities = [e["label"] for e in interp.entities if e["label"].endswith(" Kommune")]
    scored = []
    for rank, h in enumerate(hits[:4]):
        for r in h.records:
            for sentence in _sentences(r.text):
                persons = find_persons(sentence)
                if mayor:
                    persons = [p for p in persons if _mayor_of(sentence, p, municipalities, named)]
                orgs = [o for o in find_organisations(sentence) if o.label not in (interp.body or "")]
                if role and not (persons and re.search(r"formand|direktør|chair|borgmester", sentence, re.I)):
                    continue  # "who chairs" is answered by a name beside the role, nothing less
                if named and _overlap(_without_organisations(sentence + " " + r.item_title), named) < len(named):
                    continue  # (only a place asked for costs the search for organisations)
                if persons or orgs:
                    # "formand for bestyrelsen": the role of the thing asked about, not a chair acting on it
                    role_of = bool(role) and names_role_of(sentence, groups)
                    # a role the meeting's introduction names ("Formand X ledte mødet") is the council's
                    own_role = (
                        role is not None
                        and not r.item_number
                        and bool(persons)
                        and re.search(re.escape(role.group(0)[:5]), sentence, re.I) is not None
                    )
                    weight = _overlap(sentence, groups) + (1 if persons else 0) + role_of + bool(own_role)
                    scored.append((-weight, rank, r, persons, orgs, sentence))
    if not scored:
        return nothing(interp)
    scored.sort(key=lambda x: (x[0], x[1]))
    lines = [TEXT["who"][interp.language].format(topic=topic_of(interp))]
    citations = []
    for _, _, r, persons, orgs, sentence in scored[:3]:
        names = ", ".join(dict.fromkeys([p.name for p in persons] + [o.label for o in orgs])) or "—"
        lines.append(f"- {names}: «{_shorten(sentence)}» — {cited_at(r, interp.language)}")
        citations.append(_cite(r))
    return "\n".join(lines), _dedupe(citations), items_query(list(dict.fromkeys(x[2].item_iri for x in scored[:3])))

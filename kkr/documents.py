"""The source documents of meetings as readers need them: which agendas are superseded, because
the minutes of their meeting are in (their text and decisions take precedence; search and answers
leave the agenda's paragraphs out)."""

from __future__ import annotations

KKR = "https://w3id.org/kkr/ns#"
DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"

SUPERSEDED_AGENDAS = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?d <{KKR}documentType> <{KKR}Agenda> . ?m <{DERIVED_FROM}> ?d }}
  ?m <{DERIVED_FROM}> ?other . FILTER(?other != ?d)
  FILTER NOT EXISTS {{ ?other <{KKR}documentType> <{KKR}Agenda> }}
}}"""


def superseded_agendas(select) -> frozenset[str]:
    """The named graphs of agendas whose meeting's minutes are in; `select` runs a SELECT query
    and returns its rows as dicts (a store's `select`, or the service's pool)."""
    return frozenset(r["g"] for r in select(SUPERSEDED_AGENDAS))


AGENDAS = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d <{KKR}documentType> <{KKR}Agenda> }} }}"


def agenda_graphs(select) -> frozenset[str]:
    """The named graphs of every agenda (superseded or not)."""
    return frozenset(r["g"] for r in select(AGENDAS))

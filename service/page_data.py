"""The data of the pages, from SPARQL through `pool_store()` (the query pool's workers, with the
service's timeout): councils and meetings, agenda items, source documents, the organisations of
items. Computed here once; the views in service/views/ render it."""

from __future__ import annotations

from pathlib import Path

from flask import request

from kkr import documents, tracing
from kkr.service.page_tables import add_blocks, item_tables
from kkr.service.pool_store import pool_store
from kkr.service.render import outcome_name, section_label, slug
from kkr.service.shared import shared
from kkr.sparql_terms import PREFIXES, literal
from kkr.sparql_terms import iri as iri_term

NS = "https://w3id.org/kkr/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BESLUIT = "http://data.vlaanderen.be/ns/besluit#"
ORG = "http://www.w3.org/ns/org#Organization"
PERSON = "http://xmlns.com/foaf/0.1/Person"
DOCUMENT = "http://xmlns.com/foaf/0.1/Document"

# Properties that name a node, in the order a heading prefers them.
LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
LINK_TEXTS = LABELS + ("http://purl.org/dc/terms/identifier", NS + "heading")


# ---------------------------------------------------------------------------------------------
# SPARQL helpers


def select(query: str) -> list[dict]:
    return pool_store().select(PREFIXES + query)


# ---------------------------------------------------------------------------------------------
# Home page


def councils() -> list[dict]:
    """The councils with meetings in the graph: label, IRI, number of meetings with items."""
    rows = select("""SELECT ?b ?body (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
        ?m a besluit:Zitting ; besluit:isGehoudenDoor ?b ; besluit:behandelt ?i . ?b skos:prefLabel ?body .
        FILTER(lang(?body) = "da" || lang(?body) = "") } GROUP BY ?b ?body ORDER BY ?body""")
    seen, out = set(), []
    for r in rows:
        if r["b"] not in seen:
            seen.add(r["b"])
            out.append({"iri": r["b"], "label": r["body"], "meetings": int(r["meetings"])})
    return out


def recent_meetings(per_council: int = 5) -> list[dict]:
    """Per council (by name), its latest meetings with items: date, IRI, number of items, and
    whether only the agenda is in (`agenda_only`)."""
    rows = select("""SELECT ?m ?date ?b ?body (COUNT(DISTINCT ?i) AS ?items) (SAMPLE(?minutes) AS ?has_minutes) WHERE {
        ?m a besluit:Zitting ; dct:date ?date ; besluit:isGehoudenDoor ?b ; besluit:behandelt ?i .
        ?b skos:prefLabel ?body . FILTER(lang(?body) = "da" || lang(?body) = "")
        OPTIONAL { ?m prov:wasDerivedFrom ?d . FILTER NOT EXISTS { ?d kkr:documentType kkr:Agenda } BIND(true AS ?minutes) }
    } GROUP BY ?m ?date ?b ?body""")
    by_council: dict[str, dict] = {}
    for r in rows:
        c = by_council.setdefault(r["b"], {"iri": r["b"], "label": r["body"], "meetings": []})
        if all(m["iri"] != r["m"] for m in c["meetings"]):
            c["meetings"].append(
                {
                    "iri": r["m"],
                    "date": str(r["date"]),
                    "item_count": int(r["items"]),
                    "agenda_only": not r["has_minutes"],  # only the agenda is in: no decisions yet
                }
            )
    out = sorted(by_council.values(), key=lambda c: c["label"])
    for c in out:
        c["total"] = len(c["meetings"])
        c["meetings"] = sorted(c["meetings"], key=lambda m: m["date"], reverse=True)[:per_council]
    return out


# ---------------------------------------------------------------------------------------------
# Source documents


def document_for(sha_prefix: str) -> dict | None:
    """The one document whose sha256 starts with `sha_prefix`: its full sha256 and file name."""
    rows = select(f"""SELECT DISTINCT ?sha ?src WHERE {{ ?d kkr:sha256 ?sha ; dct:source ?src .
        FILTER(STRSTARTS(STR(?sha), {literal(sha_prefix)})) }}""")
    shas = {r["sha"] for r in rows}
    if len(shas) != 1:
        return None
    return {"sha": rows[0]["sha"], "name": Path(rows[0]["src"]).name}


def source_href(sha: str | None, src: str | None, page=None) -> str | None:
    """Link to a source document, at the page for PDFs (#page=N, which PDF viewers follow)."""
    if not sha:
        return None
    href = f"{request.script_root}/source/{sha[:16]}"
    if page and (src or "").lower().endswith(".pdf"):
        href += f"#page={int(page)}"
    return href


# ---------------------------------------------------------------------------------------------
# Meeting, item, council


def meeting_data(iri: str) -> dict | None:
    about = select(f"""SELECT ?label ?date ?b ?body ?sha ?src ?dtype WHERE {{
        VALUES ?m {{ {iri_term(iri)} }}
        ?m dct:date ?date ; besluit:isGehoudenDoor ?b . ?b skos:prefLabel ?body .
        OPTIONAL {{ ?m rdfs:label ?label }}
        OPTIONAL {{ ?m prov:wasDerivedFrom ?doc . ?doc kkr:sha256 ?sha ; dct:source ?src .
                   OPTIONAL {{ ?doc kkr:documentType ?dtype }} }} }}""")
    if not about:
        return None
    # the minutes are the source the page cites; an agenda only while no minutes are in
    about.sort(key=lambda r: (r.get("dtype") == NS + "Agenda", r.get("src") or ""))
    a = about[0]
    agenda_only = all(r.get("dtype") == NS + "Agenda" for r in about)
    agenda = select(f"""SELECT ?item ?number ?title ?pos ?heading ?case ?decision ?o ?olabel (MIN(?page) AS ?first) WHERE {{
        {iri_term(iri)} besluit:behandelt ?item . ?item kkr:itemNumber ?number ; dct:title ?title .
        OPTIONAL {{ ?item schema:position ?pos }} OPTIONAL {{ ?item kkr:agendaHeading ?heading }}
        OPTIONAL {{ ?item kkr:case/dct:identifier ?case }}
        OPTIONAL {{ ?item kkr:decision ?d . ?d prov:value ?decision .
                   OPTIONAL {{ ?d kkr:outcome ?o . OPTIONAL {{ ?o skos:prefLabel ?olabel FILTER(lang(?olabel) = "da") }} }} }}
        OPTIONAL {{ ?item kkr:section/kkr:paragraph/kkr:page ?page }}
    }} GROUP BY ?item ?number ?title ?pos ?heading ?case ?decision ?o ?olabel""")
    items, seen = [], set()
    for r in sorted(agenda, key=lambda r: (r.get("pos") or 0, tracing.number_key(r["number"]))):
        if r["item"] in seen:
            continue
        seen.add(r["item"])
        items.append(
            {
                "iri": r["item"],
                "number": r["number"],
                "title": r["title"],
                "case": r.get("case"),
                "heading": r.get("heading"),
                "decision": r.get("decision"),
                "outcome": outcome_name(r.get("o")),
                "outcome_label": r.get("olabel"),
                "page": r.get("first"),
                "source": source_href(a.get("sha"), a.get("src"), r.get("first") or 1),
            }
        )
    referring = select(f"""SELECT DISTINCT ?item ?number ?title ?date ?body WHERE {{
        ?item dct:references {iri_term(iri)} ; kkr:itemNumber ?number ; dct:title ?title .
        ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body . }}""")
    referred = sorted(
        {r["item"]: r for r in referring}.values(), key=lambda r: (str(r["date"]), tracing.number_key(r["number"]))
    )
    groups: list[dict] = []  # items under their agenda headings ("2. Regionalpolitiske sager")
    for item in items:
        major = item["number"].split(".")[0]
        if not groups or (groups[-1]["heading"], groups[-1]["number"]) != (item["heading"], major):
            groups.append({"heading": item["heading"], "number": major, "items": []})
        groups[-1]["items"].append(item)
    return {
        "iri": iri,
        "label": a.get("label") or f"{a['body']} {a['date']}",
        "date": str(a["date"]),
        "body": a["body"],
        "body_iri": a["b"],
        "items": items,
        "groups": groups,
        "referred_by": referred,
        "source": source_href(a.get("sha"), a.get("src"), 1 if items else None),
        "source_name": Path(a["src"]).name if a.get("src") else None,
        "agenda_only": agenda_only,
    }


def council_meetings(iri: str) -> list[dict]:
    rows = select(f"""SELECT ?m ?date (COUNT(DISTINCT ?i) AS ?items) WHERE {{
        ?m besluit:isGehoudenDoor {iri_term(iri)} ; dct:date ?date . OPTIONAL {{ ?m besluit:behandelt ?i }}
    }} GROUP BY ?m ?date""")
    return sorted(
        ({"iri": r["m"], "date": str(r["date"]), "item_count": int(r["items"])} for r in rows),
        key=lambda m: m["date"],
        reverse=True,
    )


def item_data(iri: str) -> dict | None:
    rows = select(f"""SELECT ?m ?date ?b ?body ?mlabel ?number ?title ?case ?decision ?o ?olabel ?sha ?src WHERE {{
        VALUES ?item {{ {iri_term(iri)} }}
        ?item kkr:itemNumber ?number ; dct:title ?title .
        ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor ?b . ?b skos:prefLabel ?body .
        OPTIONAL {{ ?m rdfs:label ?mlabel }}
        OPTIONAL {{ ?item kkr:case/dct:identifier ?case }}
        OPTIONAL {{ ?item kkr:decision ?d . ?d prov:value ?decision .
                   OPTIONAL {{ ?d kkr:outcome ?o . OPTIONAL {{ ?o skos:prefLabel ?olabel FILTER(lang(?olabel) = "da") }} }} }}
        OPTIONAL {{ ?m prov:wasDerivedFrom ?doc . ?doc kkr:sha256 ?sha ; dct:source ?src }} }}""")
    if not rows:
        return None
    a = rows[0]
    sha, src = a.get("sha"), a.get("src")
    handlers = sorted({r["h"] for r in select(f"SELECT ?h WHERE {{ {iri_term(iri)} kkr:caseHandler ?h }}")})
    para_rows = select(f"""SELECT ?s ?heading ?stype ?spos ?p ?ppos ?text ?page WHERE {{
        {iri_term(iri)} kkr:section ?s . OPTIONAL {{ ?s schema:position ?spos }}
        OPTIONAL {{ ?s kkr:heading ?heading }} OPTIONAL {{ ?s kkr:sectionType ?stype }}
        OPTIONAL {{ ?s kkr:paragraph ?p . ?p prov:value ?text . OPTIONAL {{ ?p schema:position ?ppos }}
                   OPTIONAL {{ ?p kkr:page ?page }} }} }}""")
    sections: dict[str, dict] = {}
    paragraphs: dict[str, dict] = {}
    for r in para_rows:
        s = sections.setdefault(
            r["s"],
            {
                "iri": r["s"],
                "heading": r.get("heading"),
                "position": r.get("spos") or 0,
                "type": outcome_name(r.get("stype")),
                "paragraphs": [],
            },
        )
        if r.get("p") and r["p"] not in paragraphs:
            p = {
                "iri": r["p"],
                "text": r["text"],
                "page": r.get("page"),
                "position": r.get("ppos") or 0,
                "section": s["heading"] or section_label(s["type"]),
                "source": source_href(sha, src, r.get("page")),
            }
            paragraphs[r["p"]] = p
            s["paragraphs"].append(p)
    ordered = sorted(sections.values(), key=lambda s: s["position"])
    for s in ordered:
        s["paragraphs"].sort(key=lambda p: p["position"])
    pages = [p["page"] for p in paragraphs.values() if p.get("page")]
    # tables join the paragraphs as each section's `blocks`; a cell's facts cite its table
    paragraphs.update(add_blocks(ordered, item_tables(select, iri), lambda page: source_href(sha, src, page)))
    facts = select(f"""SELECT ?p ?kind ?x ?type ?label ?value ?printed ?start ?end WHERE {{
        {iri_term(iri)} kkr:section/(kkr:paragraph|kkr:table/kkr:row/kkr:cell) ?p .
        {{ ?p kkr:mentions ?x . {{ ?x a org:Organization ; skos:prefLabel ?label . BIND("org" AS ?type) }}
            UNION {{ ?x a foaf:Person ; foaf:name ?label . BIND("person" AS ?type) }} BIND("entity" AS ?kind) }}
        UNION {{ ?p kkr:mentionsAmount ?x . ?x schema:value ?value . OPTIONAL {{ ?x kkr:sourceText ?printed }}
            BIND("amount" AS ?kind) }}
        UNION {{ ?p kkr:mentionsDate ?value . BIND("date" AS ?kind) }}
        UNION {{ ?p kkr:mentionsPeriod ?x . ?x kkr:startDate ?start ; kkr:endDate ?end .
            OPTIONAL {{ ?x kkr:sourceText ?printed }} BIND("period" AS ?kind) }}
        UNION {{ ?p kkr:mentionsCase ?x . ?x dct:identifier ?value . BIND("case" AS ?kind) }} }}""")
    entities: dict[str, dict] = {}
    amounts: dict[str, dict] = {}
    dates: dict[str, dict] = {}
    periods: dict[str, dict] = {}
    cases: set[str] = set()
    for r in facts:
        para = paragraphs.get(r["p"], {})
        where = {"page": para.get("page"), "section": para.get("section"), "source": para.get("source")}
        if r["kind"] == "entity":
            e = entities.setdefault(r["x"], {"iri": r["x"], "type": r["type"], "label": r["label"], "count": 0})
            e["count"] += 1
        elif r["kind"] == "amount":
            amounts.setdefault(
                r["x"],
                {
                    "value": r["value"],
                    "printed": r.get("printed"),
                    **where,
                    "position": (para.get("section") or "", para.get("position", 0)),
                },
            )
        elif r["kind"] == "date":
            dates.setdefault(str(r["value"]), {"date": str(r["value"]), **where})
        elif r["kind"] == "period":
            periods.setdefault(
                r["x"], {"printed": r.get("printed"), "start": str(r["start"]), "end": str(r["end"]), **where}
            )
        elif r["kind"] == "case":
            cases.add(str(r["value"]))
    deadlines = select(f"""SELECT ?kind ?start ?end ?printed ?text WHERE {{
        {iri_term(iri)} kkr:deadline ?dl . ?dl kkr:deadlineKind ?kind ; kkr:startDate ?start ; kkr:endDate ?end .
        OPTIONAL {{ ?dl kkr:sourceText ?printed }} OPTIONAL {{ ?dl prov:value ?text }} }}""")
    references = select(f"""SELECT DISTINCT ?m ?date ?body ?label WHERE {{
        {iri_term(iri)} dct:references ?m . ?m dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
        OPTIONAL {{ ?m rdfs:label ?label }} }}""")
    thread = tracing.thread(pool_store(), iri)["items"]
    return {
        "iri": iri,
        "number": a["number"],
        "title": a["title"],
        "meeting": a["m"],
        "date": str(a["date"]),
        "body": a["body"],
        "body_iri": a["b"],
        "meeting_label": a.get("mlabel") or f"{a['body']} {a['date']}",
        "case": a.get("case"),
        "handlers": handlers,
        "decision": a.get("decision"),
        "outcome": outcome_name(a.get("o")),
        "outcome_label": a.get("olabel"),
        "sections": ordered,
        "source": source_href(sha, src, min(pages) if pages else None),
        "source_name": Path(src).name if src else None,
        "first_page": min(pages) if pages else None,
        "organisations": sorted((e for e in entities.values() if e["type"] == "org"), key=lambda e: e["label"]),
        "persons": sorted((e for e in entities.values() if e["type"] == "person"), key=lambda e: e["label"]),
        "amounts": sorted(amounts.values(), key=lambda x: (x["page"] or 0, x["position"])),
        "dates": sorted(dates.values(), key=lambda x: x["date"]),
        "periods": sorted(periods.values(), key=lambda x: (x["start"], x["end"])),
        "mentioned_cases": sorted(cases - {a.get("case")}),
        "deadlines": sorted(
            (
                {
                    "kind": d["kind"],
                    "date": str(d["start"]),
                    "end_date": str(d["end"]),
                    "printed": d.get("printed"),
                    "text": d.get("text"),
                }
                for d in deadlines
            ),
            key=lambda d: (d["date"], d["end_date"]),
        ),
        "references": sorted(
            (
                {
                    "iri": r["m"],
                    "date": str(r["date"]),
                    "body": r["body"],
                    "label": r.get("label") or f"{r['body']} {r['date']}",
                }
                for r in references
            ),
            key=lambda r: r["date"],
        ),
        "thread": thread if len(thread) > 1 else [],
    }


def organisations_of(items: list[str]) -> dict[str, list[dict]]:
    """item IRI → the organisations its paragraphs mention ({iri, slug, label})."""
    if not items:
        return {}
    values = " ".join(iri_term(i) for i in sorted(set(items)))
    rows = select(f"""SELECT DISTINCT ?item ?org ?label WHERE {{ VALUES ?item {{ {values} }}
        ?item kkr:section/kkr:paragraph/kkr:mentions ?org . ?org a org:Organization ; skos:prefLabel ?label .
        FILTER(lang(?label) = "da" || lang(?label) = "") }}""")
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        out.setdefault(r["item"], {}).setdefault(
            r["org"], {"iri": r["org"], "slug": slug(r["org"]), "label": r["label"]}
        )
    return {k: sorted(v.values(), key=lambda o: o["label"]) for k, v in out.items()}


def agendas() -> tuple[frozenset[str], frozenset[str]]:
    """(the graphs of every agenda, those of agendas whose meeting's minutes are in), read once per
    data generation (forgotten when `kkr ingest` changes the data, service/app.py)."""
    return shared("agendas", lambda _app: (documents.agenda_graphs(select), documents.superseded_agendas(select)))


def agenda_status(graphs: list[str]) -> dict[str, str]:
    """For document graphs (of search hits): "minutes", "agenda" (a meeting of which only the
    agenda is in) or "superseded" (an agenda whose meeting's minutes are in: they take precedence)."""
    every, superseded = agendas()
    return {g: "superseded" if g in superseded else "agenda" if g in every else "minutes" for g in graphs}


def superseded_agendas() -> frozenset[str]:
    """The graphs of agendas whose meeting's minutes are in: search leaves their paragraphs out."""
    return agendas()[1]

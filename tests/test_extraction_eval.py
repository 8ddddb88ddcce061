"""The extraction evaluation (kkr.extraction_eval, `kkr eval --extraction`) on the dev and test
splits of tests/extraction, rendered to PDF with the tests' renderer; the scoring functions on
small hand-made inputs; and the issue's targets on the test split."""

from __future__ import annotations

import copy
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kkr.extraction_eval import FIELDS, accuracy, evaluate_split, headline, load_gold, prf, score
from tests.support.render_pdf import render_minutes_pdf

ROOT = Path(__file__).resolve().parent.parent
EXTRACTION = ROOT / "tests" / "extraction"
SPLITS = ("dev", "test")


def render_split(split: str, out: Path) -> Path:
    """The split's text documents rendered to PDFs (with their layouts) next to a copy of its gold."""
    src, out = EXTRACTION / split, out / split
    out.mkdir(parents=True)
    shutil.copyfile(src / "gold.json", out / "gold.json")
    for stem in load_gold(src):
        render_minutes_pdf(src / f"{stem}.txt", out / f"{stem}.pdf")
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("extraction")
    return {split: evaluate_split(render_split(split, out)) for split in SPLITS}


def as_prediction(gold_doc: dict) -> dict:
    """What a perfect extraction would read back from the graph for `gold_doc`."""
    pred = copy.deepcopy(gold_doc)
    furniture = set(gold_doc["furniture"])
    pred["texts"] = [f"Tekst uden sidehoved {n}" for n in range(3)] + [t for t in ["Godkendt"] if t not in furniture]
    pred["org_labels"] = {}
    return pred


SMALL = {
    "body": "KKR Sjælland",
    "date": "2025-03-10",
    "type": "Minutes",
    "items": [
        {"number": "1.1", "title": "Godkendelse af referat", "case": "SAG-2025-00001", "outcome": "Approved"},
        {"number": "2.1", "title": "Movias trafikplan", "case": "SAG-2025-00002", "outcome": "PartiallyApproved"},
    ],
    "headings": [
        {"number": "1", "title": "Referat"},
        {"number": "2", "title": "Trafik"},
        {"number": "3", "title": "Eventuelt"},
    ],
    "empty_headings": [{"number": "3", "title": "Eventuelt"}],
    "amounts": [{"item": "2.1", "value": 1300000, "text": "1,3 mio. kr."}],
    "dates": [{"item": "2.1", "date": "2025-04-07"}],
    "organisations": [{"item": "2.1", "name": "Greater Copenhagen EU Office"}],
    "persons": [{"item": "2.1", "name": "Aksel Brink"}],
    "tables": [{"item": "2.1", "header": ["Kommune", "2025"], "rows": [["Kommune", "2025"], ["Køge Kommune", "1,2"]]}],
    "furniture": ["KKR SJÆLLAND | Side 1", "KKR SJÆLLAND"],
}


def small_score(gold_doc: dict, pred: dict) -> dict[str, float]:
    return {f: headline(v) for f, v in score({"doc": gold_doc}, {"doc": pred})["fields"].items()}


def test_prf_and_accuracy_on_hand_made_counts():
    assert prf(Counter("abc"), Counter("abc"))["f1"] == 1.0
    half = prf(Counter("ab"), Counter("bc"))
    assert (half["precision"], half["recall"], half["tp"], half["fp"], half["fn"]) == (0.5, 0.5, 1, 1, 1)
    assert prf(Counter("ab"), Counter())["f1"] == 0.0 and prf(Counter(), Counter())["f1"] == 1.0
    assert accuracy(3, 4)["accuracy"] == 0.75 and accuracy(0, 0)["accuracy"] == 1.0


def test_a_perfect_prediction_scores_one():
    assert small_score(SMALL, as_prediction(SMALL)) == dict.fromkeys(FIELDS, 1.0)


def test_an_empty_prediction_scores_zero():
    scores = small_score(SMALL, {})
    assert all(scores[f] == 0.0 for f in FIELDS if f != "empty headings"), scores


def test_a_corrupted_gold_file_lowers_the_scores():
    bad = copy.deepcopy(SMALL)
    bad["items"][1].update(title="Noget andet", case="SAG-2025-09999", outcome="Rejected")
    bad["amounts"][0]["value"] = 130000
    bad["persons"].append({"item": "1.1", "name": "Ib Hedegaard"})
    perfect, worse = small_score(SMALL, as_prediction(SMALL)), small_score(bad, as_prediction(SMALL))
    for f in ("titles", "cases", "outcomes", "amounts", "persons"):
        assert worse[f] < perfect[f], f
    assert worse["items"] == perfect["items"] == 1.0


def test_organisations_match_by_alias_and_leaked_furniture_is_caught():
    pred = as_prediction(SMALL)
    pred["organisations"] = [{"item": "2.1", "name": "GCEU office"}]
    pred["org_labels"] = {("2.1", "GCEU office"): {"GCEU", "Greater Copenhagen EU Office"}}
    pred["texts"] = ["Godkendt", "Godkendt KKR SJÆLLAND | Side 1", "Taget til efterretning 3. Eventuelt"]
    pred["items"].append({"number": "3.1", "title": "Eventuelt", "case": None, "outcome": None})
    scores = small_score(SMALL, pred)
    assert scores["organisations"] == 1.0
    assert scores["clean text"] == pytest.approx(1 / 3)
    assert scores["empty headings"] == 0.0


def test_gold_files_cover_the_brief():
    docs = {split: load_gold(EXTRACTION / split) for split in SPLITS}
    assert sum(map(len, docs.values())) >= 14
    for split, gold in docs.items():
        assert {d["type"] for d in gold.values()} == {"Minutes", "Agenda"}, split
        assert any(d["tables"] for d in gold.values()), split
        assert any(d["pages"] == 2 for d in gold.values()), split
        assert all(2 <= d["pages"] <= 30 for d in gold.values()), split
    bodies = {d["body"] for gold in docs.values() for d in gold.values()}
    assert len(bodies) == 5
    assert not set(docs["dev"]) & set(docs["test"])


def test_evaluation_of_both_splits_is_sane(reports):
    for split in SPLITS:
        report = reports[split]
        assert report["documents"] == len(load_gold(EXTRACTION / split))
        assert set(report["fields"]) == set(FIELDS)
        for field, figures in report["fields"].items():
            assert 0.0 <= headline(figures) <= 1.0, (split, field)


def test_kkr_eval_extraction_json(tmp_path):
    """The CLI renders a split's text documents itself when no PDFs are given."""
    from kkr.cli import main

    split = tmp_path / "mini"
    split.mkdir()
    stem = "kkr-sjaelland-2025-08-25-referat"
    gold = load_gold(EXTRACTION / "test")
    (split / "gold.json").write_text(json.dumps({"split": "mini", "documents": {stem: gold[stem]}}), encoding="utf-8")
    for suffix in (".txt", ".layout.json"):
        shutil.copyfile(EXTRACTION / "test" / f"{stem}{suffix}", split / f"{stem}{suffix}")
    result = CliRunner().invoke(main, ["eval", "--extraction", str(split), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["mini"]
    assert report["documents"] == 1 and set(report["fields"]) == set(FIELDS)
    table = CliRunner().invoke(main, ["eval", "--extraction", str(split)])
    assert table.exit_code == 0 and "organisations" in table.output and "mini" in table.output


def test_split_thresholds(reports):
    """The issue's targets, on the test split (scored, never tuned on)."""
    fields = reports["test"]["fields"]
    assert fields["outcomes"]["accuracy"] >= 0.95
    for f in ("items", "titles", "cases", "amounts", "dates"):
        assert fields[f]["f1"] >= 0.98, (f, fields[f])
    for f in ("organisations", "persons"):
        assert fields[f]["precision"] >= 0.90 and fields[f]["recall"] >= 0.90, (f, fields[f])
    assert fields["clean text"]["accuracy"] == 1.0

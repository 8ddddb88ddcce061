"""Score the extraction against hand-made gold annotations (`kkr eval --extraction DIR`).

DIR is one split (a folder with `gold.json`) or a folder of splits (`dev/`, `test/`, each with
its `gold.json`; see tests/extraction/README.md). For every document in a split's gold file the
evaluation takes `<stem>.pdf` from the split's folder when it is there; otherwise it renders
`<stem>.txt` (with its `<stem>.layout.json`) into a temporary folder with the repository's test
renderer, tests/support/render_pdf.py, so that the documents go through PDF extraction with the
running headers, footers and flattened tables of KL's PDFs. The documents are ingested into a
temporary store without a search index (no embedding), read back with SPARQL by the public
contract (kkr.extraction_graph), and scored field by field:

* precision / recall / F1 of sets of facts: items (document, number), titles, case numbers,
  amounts (item, value in whole kroner), dates (item, ISO date), organisations (item, name: a
  predicted organisation matches a gold name by its prefLabel or any altLabel), persons
  (item, full name) and table rows (item, header flag, cells);
* accuracy: meeting (body and date), document type (kkr:Minutes/kkr:Agenda), outcomes (every
  gold item: the decision's kkr:outcome local name, and no decision at all for an agenda item),
  empty headings (no item invented under a heading that has none), clean text (share of
  paragraphs and decisions free of every header/footer string and every agenda heading or item
  title line of the document).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kkr.extraction_graph import read_predictions
from kkr.ingest.pipeline import ingest_paths
from kkr.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/kkr/id/"
SET_FIELDS = ("items", "titles", "cases", "amounts", "dates", "organisations", "persons", "tables")
ACCURACY_FIELDS = ("meeting", "document type", "outcomes", "empty headings", "clean text")
FIELDS: tuple[str, ...] = ("meeting", "document type", "items", "titles", "cases", "outcomes", "amounts", "dates")
FIELDS += ("organisations", "persons", "tables", "empty headings", "clean text")


def norm(text) -> str:
    """Whitespace collapsed, soft hyphens and U+FFFE (pdfium's line-end hyphen) dropped."""
    return re.sub(r"\s+", " ", str(text or "").replace("\u00ad", "").replace("\ufffe", "")).strip()


def splits_of(directory: Path) -> dict[str, Path]:
    """Split name → folder: the directory itself when it has gold.json, else its subfolders that do."""
    directory = Path(directory)
    if (directory / "gold.json").exists():
        return {directory.name: directory}
    found = {p.name: p for p in sorted(directory.iterdir()) if (p / "gold.json").exists()}
    if not found:
        raise FileNotFoundError(f"{directory}: no gold.json in it or in its subfolders")
    return found


def load_gold(split_dir: Path) -> dict[str, dict]:
    """The split's gold documents, keyed by file stem."""
    return json.loads((Path(split_dir) / "gold.json").read_text(encoding="utf-8"))["documents"]


def document_files(split_dir: Path, gold: dict[str, dict], work: Path) -> list[Path]:
    """The PDF of every gold document: `<stem>.pdf` if present, else `<stem>.txt` rendered into `work`."""
    files = []
    for stem in gold:
        pdf = Path(split_dir) / f"{stem}.pdf"
        if pdf.exists():
            files.append(pdf)
            continue
        txt = Path(split_dir) / f"{stem}.txt"
        if not txt.exists():
            raise FileNotFoundError(f"{split_dir}: neither {stem}.pdf nor {stem}.txt")
        files.append(_renderer()(txt, Path(work) / f"{stem}.pdf"))
    return files


def _renderer() -> Callable:
    try:
        from tests.support.render_pdf import render_minutes_pdf
    except ImportError:  # run outside the repository's root: import it by path
        import importlib.util
        import sys

        path = ROOT / "tests" / "support" / "render_pdf.py"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: give a folder of rendered PDFs and gold.json") from None
        spec = importlib.util.spec_from_file_location("kkr_eval_render_pdf", path)
        assert spec is not None and spec.loader is not None  # a .py file that exists
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        render_minutes_pdf = module.render_minutes_pdf
    return render_minutes_pdf


def predict(files: list[Path], work: Path) -> tuple[dict[str, dict], list[str]]:
    """Ingest `files` into a fresh store under `work` (no search index); predictions and errors."""
    store = GraphStore.in_data_dir(Path(work) / "data")
    summary = ingest_paths(files, store, base=BASE)
    return read_predictions(store), [e.line() for e in summary.errors]


def evaluate_split(split_dir: Path) -> dict:
    """Render (where needed), ingest, read back and score one split."""
    gold = load_gold(split_dir)
    with tempfile.TemporaryDirectory(prefix="kkr-eval-") as tmp:
        files = document_files(split_dir, gold, Path(tmp) / "pdf")
        predicted, errors = predict(files, Path(tmp))
    report = score(gold, predicted)
    report["documents"], report["errors"] = len(gold), errors
    return report


def evaluate_dir(directory: Path) -> dict[str, dict]:
    """`evaluate_split` for each split under `directory`."""
    return {name: evaluate_split(path) for name, path in splits_of(directory).items()}


# --- scoring ---------------------------------------------------------------------------------------


def prf(gold: Counter, predicted: Counter) -> dict:
    """Precision, recall and F1 of two multisets of facts (1.0 for two empty ones)."""
    tp = sum((gold & predicted).values())
    fp, fn = sum(predicted.values()) - tp, sum(gold.values()) - tp
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def accuracy(correct: int, total: int) -> dict:
    """Share of correct cases (1.0 when there is nothing to get wrong)."""
    return {"accuracy": correct / total if total else 1.0, "correct": correct, "total": total}


def facts(doc: dict, field: str, stem: str, gold: dict | None = None) -> Counter:
    """The multiset of `field`'s facts of one document (gold or predicted)."""
    items = doc.get("items", [])
    if field == "items":
        return Counter((stem, i["number"]) for i in items)
    if field == "titles":
        return Counter((stem, i["number"], norm(i.get("title"))) for i in items)
    if field == "cases":
        return Counter((stem, i["number"], i.get("case")) for i in items if i.get("case"))
    if field == "amounts":
        return Counter((stem, a["item"], a["value"]) for a in doc.get("amounts", []))
    if field == "dates":
        return Counter({(stem, d["item"], d["date"]): 1 for d in doc.get("dates", [])})
    if field == "persons":
        return Counter({(stem, p["item"], norm(p["name"]).casefold()): 1 for p in doc.get("persons", [])})
    if field == "organisations":
        return Counter({(stem, o["item"], _org_name(doc, o, gold)): 1 for o in doc.get("organisations", [])})
    if field == "tables":
        rows: Counter = Counter()
        for t in doc.get("tables", []):
            header = [norm(c) for c in t.get("header") or []]
            for row in t.get("rows", []):
                cells = tuple(norm(c) for c in row)
                rows[(stem, t["item"], bool(header) and list(cells) == header, cells)] += 1
        return rows
    raise ValueError(f"unknown field {field!r}")


def _org_name(doc: dict, org: dict, gold: dict | None) -> str:
    """A predicted organisation under the gold name it matches by any label, else its prefLabel."""
    name = norm(org["name"]).casefold()
    if gold is None:
        return name
    labels = {norm(x).casefold() for x in doc.get("org_labels", {}).get((org["item"], org["name"]), ())} | {name}
    wanted = {norm(o["name"]).casefold() for o in gold.get("organisations", []) if o["item"] == org["item"]}
    return next(iter(sorted(labels & wanted)), name)


def forbidden_strings(gold_doc: dict) -> list[str]:
    """Strings no paragraph or decision may contain: page furniture, heading and item-title lines."""
    lines = [f"{h['number']}. {h['title']}" for h in gold_doc.get("headings", [])]
    lines += [f"{i['number']}. {i['title']}" for i in gold_doc.get("items", [])]
    return [norm(s) for s in gold_doc.get("furniture", []) + lines if norm(s)]


def score_document(stem: str, gold_doc: dict, pred: dict | None) -> dict:
    """Counters (set fields) and correct/total pairs (accuracy fields) of one document."""
    pred = pred or {}
    out: dict = {f: (facts(gold_doc, f, stem), facts(pred, f, stem, gold_doc)) for f in SET_FIELDS}
    out["meeting"] = (int(pred.get("body") == gold_doc["body"] and pred.get("date") == gold_doc["date"]), 1)
    out["document type"] = (int(pred.get("type") == gold_doc.get("type")), 1)
    predicted_items = {i["number"]: i for i in pred.get("items", [])}
    right = sum(_outcome_ok(g.get("outcome"), predicted_items.get(g["number"])) for g in gold_doc["items"])
    out["outcomes"] = (right, len(gold_doc["items"]))
    empty = gold_doc.get("empty_headings", [])
    invented = sum(any(n.split(".")[0] == h["number"] for n in predicted_items) for h in empty)
    out["empty headings"] = (len(empty) - invented, len(empty))
    bad = forbidden_strings(gold_doc)
    texts = [norm(t) for t in pred.get("texts", [])]
    out["clean text"] = (sum(not any(b in t for b in bad) for t in texts), len(texts))
    return out


def _outcome_ok(gold_outcome: str | None, item: dict | None) -> bool:
    if item is None:
        return False
    predicted = item.get("outcome")
    return predicted == gold_outcome or (isinstance(predicted, list) and gold_outcome in predicted)


def score(gold: dict[str, dict], predicted: dict[str, dict]) -> dict:
    """Per-field figures of a split: precision/recall/F1 or accuracy, summed over its documents."""
    sums: dict = {f: (Counter(), Counter()) for f in SET_FIELDS} | {f: [0, 0] for f in ACCURACY_FIELDS}
    for stem, gold_doc in gold.items():
        doc_scores = score_document(stem, gold_doc, predicted.get(stem))
        for f in SET_FIELDS:
            sums[f][0].update(doc_scores[f][0])
            sums[f][1].update(doc_scores[f][1])
        for f in ACCURACY_FIELDS:
            sums[f][0] += doc_scores[f][0]
            sums[f][1] += doc_scores[f][1]
    fields = {f: prf(*sums[f]) for f in SET_FIELDS}
    fields |= {f: accuracy(*sums[f]) for f in ACCURACY_FIELDS}
    # clean text with no text at all is not clean: nothing was extracted
    if not sums["clean text"][1]:
        fields["clean text"]["accuracy"] = 0.0
    return {"fields": {f: fields[f] for f in FIELDS}}


def headline(figures: dict) -> float:
    """The one number of a field: F1, or accuracy."""
    return figures["f1"] if "f1" in figures else figures["accuracy"]


def format_table(reports: dict[str, dict]) -> str:
    """The figures of every split side by side: P, R, F1 per set field, accuracy (in the F1 column) else."""
    names = list(reports)
    head = f"{'field':<16}" + "".join(f" | {name:^20}" for name in names)
    sub = f"{'':<16}" + "".join(f" | {'P':>6}{'R':>7}{'F1':>7}" for _ in names)
    lines = [head, sub, "-" * len(sub)]
    for f in FIELDS:
        cells = []
        for name in names:
            fig = reports[name]["fields"][f]
            if "f1" in fig:
                cells.append(f" | {fig['precision']:6.3f} {fig['recall']:6.3f} {fig['f1']:6.3f}")
            else:
                cells.append(f" | {'acc':>6} {'':>6} {fig['accuracy']:6.3f}")
        lines.append(f"{f:<16}" + "".join(cells))
    docs = ", ".join(f"{n}: {reports[n].get('documents', '?')} documents" for n in names)
    lines.append(docs)
    for name in names:
        lines += [f"{name}: {err}" for err in reports[name].get("errors", [])]
    return "\n".join(lines)

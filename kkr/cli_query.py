"""`kkr sparql`, `kkr search`, `kkr eval` and `kkr ask`: asking the graph and the search index."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from kkr.cli_options import data_option, model_option, store_for, store_option
from kkr.errors import KkrError
from kkr.settings import Settings
from kkr.store import open_store

# The commands import the search index and the question answerer when they run: torch and faiss
# take seconds to load, which `kkr --help` and the other commands need not wait for.

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT / "tests" / "eval" / "search_queries.jsonl"
DEFAULT_QUESTIONS = ROOT / "tests" / "eval" / "ask_questions.jsonl"
# the question sets `kkr eval --ask` reports by default: the first set (written with the rules in
# view and tuned on), and two held-out sets written without them, each split into dev (tuned on)
# and test (only scored)
QUESTION_SPLITS = {
    "seed": DEFAULT_QUESTIONS,
    "dev": ROOT / "tests" / "eval" / "ask_dev.jsonl",
    "test": ROOT / "tests" / "eval" / "ask_test.jsonl",
    "dev2": ROOT / "tests" / "eval" / "ask2_dev.jsonl",
    "test2": ROOT / "tests" / "eval" / "ask2_test.jsonl",
    "dev3": ROOT / "tests" / "eval" / "ask3_dev.jsonl",
    "test3": ROOT / "tests" / "eval" / "ask3_test.jsonl",
    "dev4": ROOT / "tests" / "eval" / "ask4_dev.jsonl",
    "test4": ROOT / "tests" / "eval" / "ask4_test.jsonl",
}

RESULT_FORMATS = {
    "json": ("JSON", "application/sparql-results+json"),
    "xml": ("XML", "application/sparql-results+xml"),
    "csv": ("CSV", "text/csv"),
    "tsv": ("TSV", "text/tab-separated-values"),
}
GRAPH_FORMATS = {"turtle": "TURTLE", "jsonld": "JSON_LD", "ntriples": "N_TRIPLES", "xml": "RDF_XML"}


@click.command("sparql")
@click.argument("query")
@data_option
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(set(RESULT_FORMATS) | set(GRAPH_FORMATS))),
    default=None,
    help="Result format: json (default for SELECT/ASK), xml, csv, tsv; "
    "turtle (default for CONSTRUCT/DESCRIBE), jsonld, ntriples, xml.",
)
def sparql_command(query, data_dir, store_url, fmt):
    """Run a SPARQL query (text, or @file) against the graph and print the results."""
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    s = Settings.from_env(data_dir=data_dir, store_url=store_url)
    try:
        results = open_store(s.data_dir, s.store_url, read_only=True).query(query)
    except (SyntaxError, ValueError, OSError, KkrError) as exc:
        raise click.ClickException(f"query failed: {exc}") from None
    if isinstance(results, ox.QueryTriples):
        out = results.serialize(format=getattr(ox.RdfFormat, GRAPH_FORMATS[fmt or "turtle"])) or b""
    else:
        if fmt in GRAPH_FORMATS and fmt not in RESULT_FORMATS:
            raise click.ClickException(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use json, xml, csv or tsv")
        out = results.serialize(format=getattr(ox.QueryResultsFormat, RESULT_FORMATS[fmt or "json"][0])) or b""
    sys.stdout.buffer.write(out)
    if not out.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@click.command("search")
@click.argument("query")
@click.option("-k", "k", type=int, default=10, show_default=True, help="Number of hits.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--body", default=None, help='Only this council, e.g. "KKR Sjælland".')
@click.option("--from", "date_from", default=None, help="Only meetings on or after YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="Only meetings on or before YYYY-MM-DD.")
@click.option("--section", default=None, help="Only this section type (DecisionSection, Background, ...) or heading.")
@data_option
@model_option
def search_command(query, k, as_json, body, date_from, date_to, section, data_dir, model):
    """Search the minutes by meaning and words, in Danish or English."""
    from kkr.index.paragraph_index import Filters
    from kkr.index.search import Searcher

    s = Settings.from_env(data_dir=data_dir, model=model)
    try:
        searcher = Searcher.open(s.data_dir, s.model)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    result = searcher.search(query, k=k, filters=Filters(body, date_from, date_to, section))
    if as_json:
        click.echo(
            json.dumps(
                {"query": query, "expanded_with": result.expanded_with, "hits": result.hits},
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    if not result.hits:
        click.echo("no hits")
    for h in result.hits:
        click.echo(
            f"{h['rank']:2d}. {h['body']} {h['meeting_date']}, item {h['item_number']} {h['item_title']}"
            f" — {h['section']}, p. {h['page']}  (score {h['score']:.3f})"
        )
        text = h["text"] if len(h["text"]) <= 240 else h["text"][:237] + "..."
        click.echo(f"    {text}")


@click.command("eval")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Evaluation queries or questions (JSON lines; default tests/eval/search_queries.jsonl; "
    "with --ask the seed, dev and test question sets of tests/eval/, each reported).",
)
@click.option("--ask", "questions", is_flag=True, help="Evaluate question answering instead of search.")
@click.option("--failures", is_flag=True, help="With --ask: also list the questions answered wrongly, and why.")
@click.option(
    "--extraction",
    "extraction_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Evaluate the extraction on the split(s) in DIR (gold.json + PDFs or text to render, e.g. "
    "tests/extraction): precision, recall and F1 per field, in a temporary store.",
)
@click.option("--json", "as_json", is_flag=True, help="With --extraction: print the figures as JSON.")
@data_option
@model_option
@store_option
def eval_command(queries, questions, failures, extraction_dir, as_json, data_dir, model, store_url):
    """Search: hit@1, hit@3 and MRR per ranking. With --ask: question accuracy overall, per language and kind.
    With --extraction DIR: the extraction's figures per field and split."""
    if extraction_dir is not None:
        _eval_extraction(extraction_dir, as_json)
        return
    from kkr.index.search import Searcher

    path = queries or (DEFAULT_QUESTIONS if questions else DEFAULT_QUERIES)
    if not path.exists():
        raise click.ClickException(f"{path}: no evaluation file; give --queries FILE")
    sets = {"questions": path} if queries else {k: p for k, p in QUESTION_SPLITS.items() if p.exists()}
    s = Settings.from_env(data_dir=data_dir, model=model, store_url=store_url)
    try:
        searcher = Searcher.open(s.data_dir, s.model)
        if questions:
            from kkr.qa.answer import Answerer
            from kkr.qa.evaluate import evaluate as evaluate_questions
            from kkr.qa.evaluate import format_report, load_questions

            answerer = Answerer(store_for(s, read_only=True), searcher)
            for name, set_path in sets.items():
                report = evaluate_questions(answerer, load_questions(set_path))
                if len(sets) > 1:
                    click.echo(f"== {name}: {set_path.name}")
                click.echo(format_report(report))
                if failures:
                    for qid, lang, question, why in report["failures"]:
                        click.echo(f"{qid} [{lang}] {question}\n    {why}")
            return
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    from kkr.index.evaluate import evaluate, format_table, load_queries

    click.echo(format_table(evaluate(searcher, load_queries(path))))


def _eval_extraction(directory: Path, as_json: bool) -> None:
    """`kkr eval --extraction DIR`: render, ingest into a temporary store, score, print."""
    from kkr.extraction_eval import evaluate_dir, format_table

    try:
        reports = evaluate_dir(directory)
    except (FileNotFoundError, KkrError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(reports, ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(reports))


@click.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@data_option
@model_option
@store_option
def ask_command(question, as_json, data_dir, model, store_url):
    """Answer a question in Danish or English from the graph, citing the minutes."""
    from kkr.index.search import Searcher
    from kkr.qa.answer import Answerer

    s = Settings.from_env(data_dir=data_dir, model=model, store_url=store_url)
    try:
        result = Answerer(store_for(s, read_only=True), Searcher.open(s.data_dir, s.model)).ask(question)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    click.echo(result["answer"])
    if result["citations"]:
        click.echo("\nKilder:" if result["interpretation"]["language"] == "da" else "\nSources:")
        for n, c in enumerate(result["citations"], start=1):
            click.echo(
                f"[{n}] {c['body']} {c['meeting_date']}, item {c['item_number']} {c['item_title']} — "
                f"{c['section']}, p. {c['page']}"
            )


COMMANDS = (sparql_command, search_command, eval_command, ask_command)

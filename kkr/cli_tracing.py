"""`kkr case`, `kkr thread` and `kkr deadlines`: matters followed across meetings."""

from __future__ import annotations

import json

import click

from kkr.cli_options import data_option, store_for, store_option
from kkr.settings import Settings
from kkr.tracing import case_timeline, deadlines, thread


def _tracing_store(data_dir: str | None, store_url: str | None):
    return store_for(Settings.from_env(data_dir=data_dir, store_url=store_url), read_only=True)


def _echo_items(items: list[dict]) -> None:
    for i in items:
        outcome = f" [{i['outcome_label']}]" if i.get("outcome_label") else ""
        click.echo(f"{i['meeting_date']}  {i['body']}  {i['item_number']:>5}  {i['title']}{outcome}")
        if i.get("reason"):
            click.echo(f"      {i['reason']} (score {i['score']:.2f})")


def _show_items(result: dict, as_json: bool, none_found: str) -> None:
    """A case timeline or a thread: JSON, or one line per item (an error when there is none)."""
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
    elif not result["items"]:
        raise click.ClickException(none_found)
    else:
        _echo_items(result["items"])


@click.command("case")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def case_command(number, as_json, data_dir, store_url):
    """The items of a case number across meetings, by date and item number."""
    _show_items(case_timeline(_tracing_store(data_dir, store_url), number), as_json, f"no items under case {number}")


@click.command("thread")
@click.argument("item")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def thread_command(item, as_json, data_dir, store_url):
    """One matter followed across meetings, from an item IRI (or meeting/<body>/<date>/item/<n>)."""
    s = Settings.from_env(data_dir=data_dir, store_url=store_url)
    iri = item if item.startswith(("http://", "https://")) else s.base_iri + item.removeprefix("/id/")
    try:
        result = thread(store_for(s, read_only=True), iri)
    except ValueError as exc:  # not an IRI the graph could hold
        raise click.ClickException(str(exc)) from None
    _show_items(result, as_json, f"no agenda item {iri}")


@click.command("deadlines")
@click.option("--from", "date_from", default=None, help="From YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="To YYYY-MM-DD.")
@click.option("--body", default=None, help='Only this council, e.g. "KKR Sjælland".')
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@data_option
@store_option
def deadlines_command(date_from, date_to, body, as_json, data_dir, store_url):
    """Deadlines and future treatments set in the minutes, earliest first."""
    rows = deadlines(_tracing_store(data_dir, store_url), date_from, date_to, body)
    if as_json:
        click.echo(json.dumps({"deadlines": rows}, ensure_ascii=False, indent=1))
        return
    for d in rows:
        click.echo(
            f"{d['date']}  {d['kind']:15s} {d['body']} {d['meeting_date']} item {d['item_number']}: {d['printed']}"
        )


COMMANDS = (case_command, thread_command, deadlines_command)

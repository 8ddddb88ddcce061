"""`kkr ingest` and `kkr index`: minutes into the graph, and the search index in step with it."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from kkr.cli_options import base_option, data_option, model_option, store_for, store_option
from kkr.errors import KkrError
from kkr.generation import changing
from kkr.settings import Settings

# The commands import the pipeline and the index when they run: spaCy, torch and faiss take
# seconds to load, which `kkr --help` and the other commands need not wait for.


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date as YYYY-MM-DD") from None


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_option
@store_option
@click.option("--body", default=None, help='The council, e.g. "KKR Midtjylland" (overrides the document).')
@click.option(
    "--date", "meeting_date", default=None, callback=_iso_date, help="Meeting date YYYY-MM-DD (overrides the document)."
)
@click.option(
    "--type",
    "doc_type",
    type=click.Choice(["minutes", "agenda", "referat", "dagsorden"], case_sensitive=False),
    default=None,
    help="What the documents are (default: read from each document's title, else its file name).",
)
@click.option(
    "--replaces",
    multiple=True,
    metavar="FILE_NAME",
    help="The file name of a document of the same meeting that the ingested one replaces (repeatable).",
)
@base_option
@click.option("--no-index", is_flag=True, help="Only the graph: do not update the search index.")
@model_option
def ingest_command(paths, data_dir, store_url, body, meeting_date, doc_type, replaces, base_iri, no_index, model):
    """Ingest minutes and agendas (.pdf, .txt, or folders of them) into the graph and the search
    index. Each document keeps a graph of its own: an agenda and the minutes of one meeting both
    stay, the minutes' text and decisions taking precedence."""
    from tqdm import tqdm

    from kkr.ingest.pipeline import ingest_paths

    def progress(files):
        return tqdm(files, desc="ingest", unit="doc", disable=None, file=sys.stderr)

    s = Settings.from_env(data_dir=data_dir, store_url=store_url, base_iri=base_iri, model=model)
    with changing(s.data_dir) as changes:  # a running service reloads its workers and index
        store = store_for(s, read_only=False)
        try:
            # source copies go to the local data directory, with --store too (as the search index does)
            summary = ingest_paths(
                paths,
                store,
                base=s.base_iri,
                body=body,
                meeting_date=meeting_date,
                progress=progress,
                data_dir=s.data_dir,
                doc_type=doc_type,
                replaces=tuple(replaces),
            )
        except KkrError as exc:
            raise click.ClickException(str(exc)) from None
        if summary.documents:
            changes.changed()
        for error in summary.errors:
            click.echo(f"error: {error.line()}", err=True)
        for new, old in summary.replaced:  # never silently
            click.echo(f"{new} replaces {old} (same meeting and document type)", err=True)
        click.echo(summary.line())
        store.flush()
        if not no_index:
            from kkr.index.paragraph_index import sync_index

            try:
                report = sync_index(store, s.data_dir, s.model)
            except KkrError as exc:
                raise click.ClickException(str(exc)) from None
            click.echo(report.line())
            if report.added or report.removed:
                changes.changed()
    if summary.errors:
        sys.exit(1)


@click.command("index")
@data_option
@model_option
@store_option
@click.option("--rebuild", is_flag=True, help="Embed every paragraph again (needed to change the model).")
def index_command(data_dir, model, store_url, rebuild):
    """Bring the search index in step with the graph (only new or changed documents are embedded)."""
    from kkr.index.paragraph_index import sync_index

    s = Settings.from_env(data_dir=data_dir, model=model, store_url=store_url)
    with changing(s.data_dir) as changes:  # a running service reloads its index
        store = store_for(s, read_only=True)
        try:
            report = sync_index(store, s.data_dir, s.model, rebuild=rebuild)
        except KkrError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(report.line())
        if report.added or report.removed:
            changes.changed()


COMMANDS = (ingest_command, index_command)

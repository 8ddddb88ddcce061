"""The `kkr` command line: a thin click group over the ingest pipeline, the store and the service."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from kkr import config
from kkr.errors import KkrError
from kkr.generation import changing

RESULT_FORMATS = {
    "json": ("JSON", "application/sparql-results+json"),
    "xml": ("XML", "application/sparql-results+xml"),
    "csv": ("CSV", "text/csv"),
    "tsv": ("TSV", "text/tab-separated-values"),
}
GRAPH_FORMATS = {"turtle": "TURTLE", "jsonld": "JSON_LD", "ntriples": "N_TRIPLES", "xml": "RDF_XML"}


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date as YYYY-MM-DD") from None


data_option = click.option("--data", "data", type=click.Path(file_okay=False), default=None,
                           help="Data directory (default: $KKR_DATA, else ./data).")
store_option = click.option("--store", "store_url", envvar="KKR_STORE", default=None, metavar="URL",
                            help="A SPARQL 1.1 server to use instead of the store in the data directory, "
                                 "e.g. http://localhost:7878 (Oxigraph) or https://host/sparql "
                                 "(default: $KKR_STORE; $KKR_STORE_UPDATE sets the update endpoint).")


@click.group()
@click.version_option(package_name="kkr")
def main():
    """Knowledge graph and search over the minutes of the KKR councils."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_option
@store_option
@click.option("--body", default=None, help='The council, e.g. "KKR Midtjylland" (overrides the document).')
@click.option("--date", "meeting_date", default=None, callback=_iso_date,
              help="Meeting date YYYY-MM-DD (overrides the document).")
@click.option("--base", default=None, help="Base of instance IRIs (default: $KKR_BASE, else https://w3id.org/kkr/id/).")
@click.option("--no-index", is_flag=True, help="Only the graph: do not update the search index.")
@click.option("--model", default=None, help="Embedding model for the index (default: $KKR_MODEL, else the bundled MiniLM).")
def ingest(paths, data, store_url, body, meeting_date, base, no_index, model):
    """Ingest minutes (.pdf, .txt, or folders of them) into the graph and the search index."""
    from tqdm import tqdm

    from kkr.ingest.pipeline import ingest_paths
    from kkr.store import open_store

    def progress(files):
        return tqdm(files, desc="ingest", unit="doc", disable=None, file=sys.stderr)

    data_dir = config.data_dir(data)
    with changing(data_dir) as changes:  # a running service reloads its workers and index
        try:
            store = open_store(data_dir, store_url)
            # source copies go to the local data directory, with --store too (as the search index does)
            summary = ingest_paths(paths, store, base=config.base_iri(base), body=body,
                                   meeting_date=meeting_date, progress=progress, data_dir=data_dir)
        except KkrError as exc:
            raise click.ClickException(str(exc)) from None
        if summary.documents:
            changes.changed()
        for error in summary.errors:
            click.echo(f"error: {error.line()}", err=True)
        click.echo(summary.line())
        store.flush()
        if not no_index:
            from kkr.index.paragraph_index import sync_index

            try:
                report = sync_index(store, data_dir, model)
            except KkrError as exc:
                raise click.ClickException(str(exc)) from None
            click.echo(report.line())
            if report.added or report.removed:
                changes.changed()
    if summary.errors:
        sys.exit(1)


@main.command()
@click.argument("query")
@data_option
@store_option
@click.option("--format", "fmt", type=click.Choice(sorted(set(RESULT_FORMATS) | set(GRAPH_FORMATS))),
              default=None, help="Result format: json (default for SELECT/ASK), xml, csv, tsv; "
                                 "turtle (default for CONSTRUCT/DESCRIBE), jsonld, ntriples, xml.")
def sparql(query, data, store_url, fmt):
    """Run a SPARQL query (text, or @file) against the graph and print the results."""
    import pyoxigraph as ox

    from kkr.store import open_store

    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    try:
        store = open_store(config.data_dir(data), store_url, read_only=True)
        results = store.query(query)
    except (SyntaxError, ValueError, OSError, KkrError) as exc:
        raise click.ClickException(f"query failed: {exc}") from None
    if isinstance(results, ox.QueryTriples):
        out = results.serialize(format=getattr(ox.RdfFormat, GRAPH_FORMATS[fmt or "turtle"]))
    else:
        if fmt in GRAPH_FORMATS and fmt not in RESULT_FORMATS:
            raise click.ClickException(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use json, xml, csv or tsv")
        out = results.serialize(format=getattr(ox.QueryResultsFormat, RESULT_FORMATS[fmt or "json"][0]))
    sys.stdout.buffer.write(out)
    if not out.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


def _register_index_commands() -> None:
    from kkr.cli_index import COMMANDS
    from kkr.cli_serve import serve_command

    for command in (*COMMANDS, serve_command):
        main.add_command(command)


_register_index_commands()

if __name__ == "__main__":
    main()

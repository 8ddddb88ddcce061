"""`kkr backup` and `kkr restore`: copies of the data directory, made and put back safely."""

from __future__ import annotations

from pathlib import Path

import click

from kkr.backup import backup
from kkr.cli_options import data_option
from kkr.errors import KkrError
from kkr.restore import restore
from kkr.settings import Settings


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@data_option
def backup_command(dest, data_dir):
    """Copy the graph store, the search index and the sources to DEST (new or empty), safely while
    the service runs, with a manifest of sha256 sums."""
    try:
        report = backup(Settings.from_env(data_dir=data_dir).data_dir, dest)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.line("backup"))


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@data_option
@click.option("--force", is_flag=True, help="Replace the contents of a data directory that is not empty.")
def restore_command(src, data_dir, force):
    """Restore a backup made by 'kkr backup' into the data directory, after checking every file."""
    try:
        report = restore(src, Settings.from_env(data_dir=data_dir).data_dir, force=force)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.line("restored"))


COMMANDS = (backup_command, restore_command)

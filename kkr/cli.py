"""The `kkr` command line: a thin click group over the ingest pipeline, the store and the service.

The commands live in modules named for what they hold; their shared options, made from
kkr/settings.py, in kkr/cli_options.py.
"""

from __future__ import annotations

import click

from kkr import cli_ingest, cli_ops, cli_query, cli_serve, cli_tracing


@click.group()
@click.version_option(package_name="kkr")
def main():
    """Knowledge graph and search over the minutes of the KKR councils."""


for module in (cli_ingest, cli_query, cli_tracing, cli_ops, cli_serve):
    for command in module.COMMANDS:
        main.add_command(command)

if __name__ == "__main__":
    main()

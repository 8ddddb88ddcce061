"""Options shared by the `kkr` commands, made from the fields of kkr.settings.Settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kkr.errors import KkrError
from kkr.settings import FIELDS, Settings
from kkr.store import open_store


def option_for(name: str, *decls: str, **extra: Any) -> Callable:
    """A click option for the setting `name`, its parameter named as the setting.

    A setting without an environment variable gets the field's default (shown in --help) and
    type. One with an environment variable defaults to None, its help naming the variable and
    the default: `Settings.from_env`, the one reader of the environment, fills it in.
    """
    f = FIELDS[name]
    env, text = f.metadata["env"], f.metadata["help"]
    if env:
        options: dict[str, Any] = {"default": None, "help": f"{text} (default: ${env}, else {f.metadata['shown']})."}
    else:
        options = {"default": f.default, "type": type(f.default), "show_default": True, "help": text}
    return click.option(*decls, name, **{**options, **extra})


data_option = option_for("data_dir", "--data", type=click.Path(file_okay=False))
store_option = option_for("store_url", "--store", metavar="URL")
model_option = option_for("model", "--model")
base_option = option_for("base_iri", "--base")


def store_for(s: Settings, read_only: bool):
    """The command's graph store (--store, else the data directory); a click error if it fails."""
    try:
        return open_store(s.data_dir, s.store_url, read_only=read_only)
    except KkrError as exc:
        raise click.ClickException(str(exc)) from None

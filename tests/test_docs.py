"""The README documents every command, option and endpoint (as Datasette's docs test does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kkr.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, click.Command]]:
    return sorted(main.commands.items())


@pytest.mark.parametrize("name,command", commands())
def test_every_command_and_option_is_documented(name, command):
    assert f"kkr {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            longest = max(param.opts, key=len)
            assert longest in README, f"kkr {name} {longest} is not in the README"


@pytest.fixture(scope="module")
def app_config() -> dict:
    return {"DATA_DIR": "/nonexistent"}  # the URL rules need no data


def test_every_endpoint_is_documented(app):
    rules = {r.rule.split("<")[0].rstrip("/") or "/" for r in app.url_map.iter_rules() if r.endpoint != "static"}
    for rule in rules:
        assert f"`{rule}" in README or f"GET {rule}" in README or f" {rule}" in README, rule

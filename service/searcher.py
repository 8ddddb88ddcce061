"""The application's searcher (index and model, loaded once, while /readyz says "loading"): used
by /search, the search page, /ask and /readyz, so it sits below all of them."""

from __future__ import annotations

from flask import Flask

from kkr.index.search import Searcher
from kkr.service.loading import while_loading
from kkr.service.shared import shared

MAX_K = 100  # hits a search may ask for
MAX_Q = 500  # characters of a search


def searcher(app: Flask | None = None) -> Searcher:
    """The application's searcher: index and model loaded once."""
    return shared("searcher", while_loading(lambda a: Searcher.open(a.config["DATA_DIR"], a.config.get("MODEL"))), app)

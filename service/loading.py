"""Whether the application is (re)loading: code that reloads wraps the reload in `loading(app)`
(or a factory in `while_loading`); /readyz (service/readiness.py) answers 503 while any such block
runs. Below readiness and the searcher, so that both can use it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask

T = TypeVar("T")
_lock = threading.Lock()


def _state(app: Flask) -> dict:
    with _lock:
        return app.extensions.setdefault("kkr", {}).setdefault(
            "readiness", {"loading": 0, "warming": False, "failed": None}
        )


@contextmanager
def loading(app: Flask) -> Iterator[None]:
    """Report the application not ready while the block runs (nests; safe across threads)."""
    state = _state(app)
    with _lock:
        state["loading"] += 1
    try:
        yield
    finally:
        with _lock:
            state["loading"] -= 1


def while_loading(factory: Callable[[Flask], T]) -> Callable[[Flask], T]:
    """`factory(app)` wrapped in `loading(app)`, e.g. for the searcher's shared() factory."""

    def wrapped(app: Flask) -> T:
        with loading(app):
            return factory(app)

    return wrapped


def is_loading(app: Flask) -> bool:
    """Whether a `loading(app)` block is running."""
    state = _state(app)
    with _lock:
        return state["loading"] > 0

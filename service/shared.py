"""Shared per-application resources, created once on first use and kept on app.extensions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")
_lock = threading.RLock()  # factories may need other shared resources


def forget(app: Flask, *names: str) -> None:
    """Drop resources so that they are made again on next use (after the data changed)."""
    store = app.extensions.setdefault("kkr", {})
    with _lock:
        for name in names:
            store.pop(name, None)


def shared(name: str, factory: Callable[[Flask], T], app: Flask | None = None) -> T:
    """The resource `name` of the application, made by `factory(app)` the first time."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.setdefault("kkr", {})
    if name not in store:
        with _lock:
            if name not in store:
                store[name] = factory(app)
    return store[name]

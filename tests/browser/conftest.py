"""Playwright (Python) driving the system Chromium against the app served by waitress.

Needs `pip install playwright` (the Python package only: the browser is the system's
/usr/bin/chromium, e.g. `apt-get install -y chromium`; `playwright install` is not used).
Without them the tests fail with those instructions; KKR_SKIP_BROWSER=1 skips them instead.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.support import LiveServer, app_config, sample_data
from tests.conftest import ROOT

CHROMIUM = os.environ.get("KKR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"


def _unavailable(message: str):
    if os.environ.get("KKR_SKIP_BROWSER"):
        pytest.skip(message)
    pytest.fail(message + " (or set KKR_SKIP_BROWSER=1 to skip the browser tests)", pytrace=False)


@pytest.fixture(scope="session")
def playwright_api():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the browser tests need Playwright for Python: '.venv/bin/pip install playwright'")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"the browser tests drive the system Chromium at {CHROMIUM}: 'apt-get install -y chromium'")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data, _ = sample_data(tmp_path_factory)
    live = LiveServer(app_config(data))
    yield live
    live.close()


class Watch:
    """Console errors (a CSP violation is one), page errors and dialogs (an alert() that ran)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="da-DK"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.watch = Watch(page)
    yield page
    context.close()


@pytest.fixture(scope="session")
def shots():
    """Where the screenshots go (tests/artifacts/screenshots, git-ignored)."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

"""Shared by tests/test_web_ui.py and tests/browser/: the sample minutes ingested once per test
session (three as text, KKR Nordjylland rendered to PDF so that source links go to a page), and
the app served by waitress on a free port (the pattern of tests/test_sparql_protocol.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import waitress

from kkr.service.app import create_app
from kkr.service.backends import close_pools
from tests.conftest import BASE, ROOT, SAMPLES

KKR = str(Path(sys.executable).parent / "kkr")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PDF_SAMPLE = "kkr-nordjylland-2025-05-05.txt"
_built: dict[str, tuple[Path, Path]] = {}


def sample_data(tmp_path_factory) -> tuple[Path, Path]:
    """(data dir, folder of the ingested minutes), built by `kkr ingest` the first time asked."""
    if "samples" not in _built:
        from tests.support.render_pdf import render_minutes_pdf

        root = tmp_path_factory.mktemp("web-ui")
        minutes, data = root / "minutes", root / "data"
        minutes.mkdir()
        for txt in sorted(SAMPLES.glob("kkr-*.txt")):
            if txt.name == PDF_SAMPLE:
                render_minutes_pdf(txt, minutes / (txt.stem + ".pdf"))
            else:
                shutil.copy(txt, minutes / txt.name)
        run = subprocess.run(
            [KKR, "ingest", str(minutes), "--data", str(data), "--base", BASE],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        _built["samples"] = (data, minutes)
    return _built["samples"]


def app_config(data: Path, **extra) -> dict:
    return {"DATA_DIR": str(data), "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 20, "BASE": BASE, **extra}


class LiveServer:
    """The Flask app served by waitress on a free port in a background thread."""

    def __init__(self, config: dict):
        self.app = create_app(config)
        self.server = waitress.create_server(self.app, host="127.0.0.1", port=0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, name="waitress", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.server.task_dispatcher.shutdown()
        for channel in list(self.server._map.values()):
            channel.close()
        self.thread.join(5)
        close_pool(self.app)


def close_pool(app) -> None:
    close_pools(app)

"""Shared fixtures: the real minutes, the sample minutes rendered to PDF, stores built from them."""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from kkr.ingest.pipeline import ingest_paths
from kkr.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
REAL_MINUTES = CORPUS / "kkr-midtjylland-2025-10-20-referat.txt"
SAMPLES = ROOT / "samples"
BASE = "https://w3id.org/kkr/id/"


def require_corpus() -> Path:
    """The real minutes; skipped where the folder is absent, except in CI (KKR_REQUIRE_CORPUS=1)."""
    if not REAL_MINUTES.exists():
        if os.environ.get("KKR_REQUIRE_CORPUS"):
            pytest.fail(f"{REAL_MINUTES} is missing, and CI requires it")
        pytest.skip(f"{CORPUS} is absent (a clone without ../shared)")
    return REAL_MINUTES


@pytest.fixture(scope="session")
def real_minutes() -> Path:
    return require_corpus()


@pytest.fixture(scope="session")
def real_store(tmp_path_factory, real_minutes) -> GraphStore:
    """The real minutes ingested with --body "KKR Midtjylland" --date 2025-10-20."""
    data = tmp_path_factory.mktemp("real")
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths([real_minutes], store, base=BASE, body="KKR Midtjylland",
                           meeting_date=date(2025, 10, 20))
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory) -> list[Path]:
    """The bundled sample minutes rendered to PDF with running headers, page numbers, hyphenation."""
    from tests.support.render_pdf import render_all

    out = tmp_path_factory.mktemp("sample-pdfs")
    return render_all(SAMPLES, out)


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, sample_pdfs) -> GraphStore:
    """The sample PDFs ingested without --body or --date."""
    data = tmp_path_factory.mktemp("samples")
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths(sample_pdfs, store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture(scope="session")
def sample_text_store(tmp_path_factory) -> GraphStore:
    """The sample minutes ingested from their text sources (the quick start's input)."""
    data = tmp_path_factory.mktemp("sample-text")
    store = GraphStore.in_data_dir(data)
    summary = ingest_paths([SAMPLES], store, base=BASE)
    assert not summary.errors, [e.line() for e in summary.errors]
    return store


@pytest.fixture
def copy_of(tmp_path):
    """Copy a file into the test's own folder (optionally under another name)."""
    def copy(src: Path, name: str | None = None) -> Path:
        dst = tmp_path / (name or src.name)
        shutil.copyfile(src, dst)
        return dst
    return copy

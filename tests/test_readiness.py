"""/readyz: 200 when the service can answer, 503 while the index (re)loads after a data change."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from kkr import generation
from kkr.index import files
from kkr.service import readiness


@pytest.fixture
def data(search_data, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(search_data, copy)
    generation.mark_changed(copy)
    return copy


def wait_ready(client, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/readyz")
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        assert response.json["ready"] is False
        time.sleep(0.1)


def test_ready_once_the_index_is_loaded_and_not_while_loading(make_app, data):
    app = make_app(data)
    client = app.test_client()
    first = client.get("/readyz")  # nothing loaded yet: the index loads in the background
    assert first.status_code == 503 and first.json == {"ready": False, "reason": "the search index is loading"}
    ready = wait_ready(client)
    assert ready.status_code == 200 and ready.json["ready"] is True
    assert "loaded" in ready.json["reason"]

    with readiness.loading(app):
        with readiness.loading(app):  # nests
            assert client.get("/readyz").status_code == 503
        during = client.get("/readyz")
        assert during.status_code == 503 and during.json["ready"] is False
        assert "loading" in during.json["reason"]
    assert client.get("/readyz").status_code == 200

    loader = readiness.while_loading(lambda a: readiness.is_loading(a))
    assert loader(app) is True and not readiness.is_loading(app)


def test_not_ready_while_reloading_after_a_data_change(make_app, data):
    app = make_app(data)
    client = app.test_client()
    assert wait_ready(client).status_code == 200
    generation.mark_changed(data)  # what `kkr ingest` does at its end
    after = client.get("/readyz")
    assert after.status_code == 503 and after.json["ready"] is False
    again = wait_ready(client)
    assert again.status_code == 200, again.json
    assert client.get("/search", query_string={"q": "kontingent"}).json["hits"]


def test_a_probe_does_not_wait_for_a_running_reload(make_app, data):
    """While a reload holds the application's lock, /readyz answers 503 at once."""
    from kkr.service.shared import _lock

    app = make_app(data)
    client = app.test_client()
    assert wait_ready(client).status_code == 200
    holding, release = threading.Event(), threading.Event()

    def reload():  # what the reload after `kkr ingest` does, made slow
        with readiness.loading(app), _lock:
            holding.set()
            release.wait(60)

    reloader = threading.Thread(target=reload)
    reloader.start()
    holding.wait(10)
    generation.mark_changed(data)
    answers = []
    probe = threading.Thread(target=lambda: answers.append(client.get("/readyz")))
    probe.start()
    probe.join(10)
    release.set()
    reloader.join()
    probe.join()
    assert answers and answers[0].status_code == 503 and answers[0].json["reason"] == readiness.LOADING
    assert wait_ready(client).status_code == 200


def test_ready_without_an_index_when_the_store_answers(make_app, data, tmp_path):
    store_only = tmp_path / "store-only"
    shutil.copytree(data / "store", store_only / "store")
    response = make_app(store_only).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json == {"ready": True, "reason": "no search index yet; the graph store answers"}


def test_not_ready_without_a_store(make_app, tmp_path):
    response = make_app(tmp_path / "empty").test_client().get("/readyz")
    assert response.status_code == 503 and response.json["ready"] is False
    assert response.json["reason"].startswith("the graph store does not answer")


def test_not_ready_when_the_index_cannot_be_loaded(make_app, data):
    gen = files.current_generation(data / "index")
    (gen / "paragraphs.jsonl").write_text("not json\n", encoding="utf-8")
    client = make_app(data).test_client()
    response = client.get("/readyz")
    deadline = time.monotonic() + 60
    while "cannot be loaded" not in response.json["reason"] and time.monotonic() < deadline:
        time.sleep(0.1)
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json["reason"].startswith("the search index cannot be loaded")

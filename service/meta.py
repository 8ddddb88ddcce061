"""/healthz and /openapi.json."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from kkr.service.openapi import openapi_document
from kkr.settings import DEFAULT_PUBLIC_URL

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness, the kind of store in use ("local" or "remote", never its path or URL) and the loaded
    index (model, paragraphs)."""
    index = None
    loaded = current_app.extensions.get("kkr", {}).get("searcher")
    if loaded is not None:
        index = {"model": loaded.model, "paragraphs": len(loaded.index.records)}
    store = "remote" if current_app.config.get("STORE_URL") else "local"
    return jsonify({"status": "ok", "store": store, "index": index})


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description. Its server is the configured PUBLIC_URL: the Host header is the
    client's to choose, and a description naming it could point tools at another server."""
    config = current_app.config
    server = (config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")
    return jsonify(openapi_document(server, config["BASE"]))

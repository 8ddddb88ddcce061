"""/healthz and /openapi.json."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from kkr.service.openapi import openapi_document

bp = Blueprint("meta", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness, the store in use and the loaded index (model, paragraphs)."""
    index = None
    loaded = current_app.extensions.get("kkr", {}).get("searcher")
    if loaded is not None:
        index = {"model": loaded.model, "paragraphs": len(loaded.index.records)}
    store = current_app.config.get("STORE_URL") or f"{current_app.config['DATA_DIR']}/store"
    return jsonify({"status": "ok", "store": store, "index": index})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(request.host_url.rstrip("/")))

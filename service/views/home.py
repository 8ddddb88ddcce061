"""The home page (`/`: the councils and their latest meetings) and the source documents
(`/source/<sha256 prefix>`: the PDF or text `kkr ingest` kept a copy of)."""

from __future__ import annotations

import io
import re

from flask import Blueprint, current_app, send_file

from kkr import sources
from kkr.service.error_replies import query_error_reply
from kkr.service.page_data import document_for, recent_meetings
from kkr.service.query_errors import QueryError
from kkr.service.render import error_page, render

bp = Blueprint("home", __name__)


@bp.get("/")
def home():
    try:
        meetings = recent_meetings()
    except QueryError as exc:
        return error_page(f"Grafen kunne ikke svare: {exc}", 503)
    return render("home/home.html", councils=meetings, nav="home")


@bp.get("/source/<sha>")
def source(sha: str):
    """The source document (PDF or text) with this sha256 prefix: the copy `kkr ingest` kept in
    DATA_DIR/sources/ (its sha256 is checked, so only the ingested bytes are sent)."""
    sha = sha.lower()
    if not re.fullmatch(r"[0-9a-f]{8,64}", sha):
        return error_page("Et kildedokument angives med begyndelsen af sin SHA-256 (mindst 8 hex-tegn).", 404)
    try:
        doc = document_for(sha)
    except QueryError as exc:
        status, _english, danish, _headers = query_error_reply(exc)
        return error_page(danish, status)
    if doc is None:
        return error_page(f"Intet kildedokument med SHA-256 {sha}…", 404)
    copy = sources.find_copy(sources.sources_dir(current_app.config["DATA_DIR"]), doc["sha"])
    if copy is None:
        return error_page(
            f"Kildedokumentet {doc['name']} findes ikke i tjenestens datamappe. Indlæs det igen "
            "med 'kkr ingest' i den datamappe, tjenesten bruger (--data); så gemmes en kopi.",
            404,
            title="Kildedokumentet er ikke tilgængeligt",
        )
    data, mimetype = copy.read_bytes(), "application/pdf"
    if copy.suffix == ".txt":
        data, mimetype = sources.text_for_browser(data), "text/plain"  # Flask adds charset=utf-8
    return send_file(io.BytesIO(data), mimetype=mimetype, download_name=doc["name"], max_age=3600)

"""The HTTP side of the remote store (kkr/remote_store.py): the endpoint URLs derived from the
URL given, the requests to the server, and the errors they raise.

Endpoints, from the `url` given to `--store` / `$KKR_STORE`:

- `…/query` (Oxigraph): queries there, updates at the sibling `…/update`, Graph Store Protocol at `…/store`;
- `…/sparql` (Virtuoso, Blazegraph, QLever, many others): queries and updates at that URL, Graph
  Store Protocol at the sibling `…/store`;
- anything else is the server root (Oxigraph's `http://host:7878`): `url/query`, `url/update`, `url/store`.

`update_url` or `$KKR_STORE_UPDATE` overrides the update endpoint, `store_url` or `$KKR_STORE_GSP`
the Graph Store Protocol endpoint (e.g. Fuseki's `…/ds/data`).

Error messages name the server's URL (without user and password), for the operator running a command. A client made with
`public_errors=True` (the service's store) raises messages without URL, host or port instead,
which may reach HTTP clients, and logs the full message (logger `kkr.remote_store`).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

import requests

from kkr.errors import StoreError
from kkr.settings import Settings

DEFAULT_TIMEOUT = 300.0
PUBLIC_NAME = "the SPARQL store"  # how messages for HTTP clients name the server
# The remote store's logger, by the name the service logs its failures under too
# (service/remote_backend.py).
log = logging.getLogger("kkr.remote_store")


class QueryRefused(StoreError, SyntaxError):
    """The server refused a query as malformed (HTTP 400): a `SyntaxError`, as the local store raises."""

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class StoreUnreachable(StoreError):
    """The server could not be reached (nothing listening, no route, name not resolved)."""


class StoreTimeout(StoreError, TimeoutError):
    """The server did not answer within the store's timeout."""


def is_store_url(url: str | None) -> bool:
    return bool(url) and str(url).lower().startswith(("http://", "https://"))


def endpoints(url: str, update_url: str | None = None, store_url: str | None = None) -> tuple[str, str, str]:
    """(query, update, graph store) endpoint URLs derived from the URL given by the user."""
    if not is_store_url(url):
        raise StoreError(
            f"{url}: not an http(s) URL of a SPARQL endpoint; give e.g. http://localhost:7878 "
            "(an Oxigraph server) or https://host/sparql"
        )
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    at = lambda p: urlunsplit((parts.scheme, parts.netloc, p, parts.query, ""))  # noqa: E731
    if path.endswith("/query"):
        root = path[: -len("/query")]
        query, update, gsp = at(path), at(root + "/update"), at(root + "/store")
    elif path.endswith("/sparql"):
        root = path[: -len("/sparql")]
        query, update, gsp = at(path), at(path), at(root + "/store")
    else:
        query, update, gsp = at(path + "/query"), at(path + "/update"), at(path + "/store")
    settings = Settings.from_env()
    update = update_url or settings.store_update_url or update
    gsp = store_url or settings.store_gsp_url or gsp
    return query, update, gsp


def redact(url: str) -> str:
    """The URL without user and password."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return urlunsplit(
            (
                parts.scheme,
                (parts.hostname or "") + (f":{parts.port}" if parts.port else ""),
                parts.path,
                parts.query,
                parts.fragment,
            )
        )
    return url


class SparqlClient:
    """Requests to a SPARQL server with a timeout, their failures as `StoreError`s worded for the
    operator or, with `public_errors`, for HTTP clients (see the module docstring)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, public_errors: bool = False):
        self.timeout = timeout
        self.public_errors = public_errors
        self._http = requests.Session()

    def _failure(self, error: type[StoreError], detail: str, public: str) -> StoreError:
        """The exception to raise: `detail` (naming the URL) for the operator's commands; with
        `public_errors`, `public` (no URL, host or port) while `detail` goes to the log."""
        if not self.public_errors:
            return error(detail)
        log.warning("%s", detail)
        return error(public)

    def _send(self, method: str, url: str, what: str, graph: str | None = None, **kwargs) -> requests.Response:
        shown = redact(url)
        try:
            response = self._http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.ConnectionError as exc:
            refused = "refused" in str(exc).lower()
            reason = "connection refused" if refused else _one_line(str(exc), 200)
            raise self._failure(
                StoreUnreachable,
                f"cannot reach the SPARQL server at {shown} ({reason}); check that the server "
                "is running and that --store / $KKR_STORE gives its URL",
                f"cannot reach {PUBLIC_NAME}"
                + (" (connection refused)" if refused else "")
                + "; see the service's log",
            ) from None
        except requests.Timeout:
            raise self._failure(
                StoreTimeout,
                f"the SPARQL server at {shown} did not answer within {self.timeout:g} s; "
                "check the server's load and log",
                f"{PUBLIC_NAME} did not answer within {self.timeout:g} s",
            ) from None
        except requests.RequestException as exc:
            raise self._failure(
                StoreError,
                f"{shown}: {what} request failed ({_one_line(str(exc), 200)}); check --store / $KKR_STORE",
                f"the {what} request to {PUBLIC_NAME} failed; see the service's log",
            ) from None
        if response.status_code >= 400:
            raise self._refused(response, url, what, graph)
        return response

    def _refused(self, response: requests.Response, url: str, what: str, graph: str | None) -> StoreError:
        """The error for an HTTP error status. For clients, the server's own message only of a refused
        query (the parser's, which they need to fix it), with the server's address taken out."""
        error = QueryRefused if (response.status_code == 400 and what == "query") else StoreError
        status = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        message = _one_line(response.text, 300)
        detail = (
            f"the SPARQL server at {redact(url)} refused the {what} request: {status}"
            + (f": {message}" if message else "")
            + f"; {_hint(response.status_code, what, graph)}"
        )
        if error is QueryRefused:
            shown = _without_address(message, url)
            public = (
                f"{PUBLIC_NAME} refused the query: {status}" + (f": {shown}" if shown else "") + "; check the query"
            )
        else:
            public = f"{PUBLIC_NAME} refused the {what} request: {status}; see the service's log"
        return self._failure(error, detail, public)


def _hint(status: int, what: str, graph: str | None) -> str:
    if status == 404 and graph:
        return f"the server holds no graph <{graph}>; list the graphs with 'SELECT DISTINCT ?g {{ GRAPH ?g {{}} }}'"
    if status in (401, 403):
        return (
            "the server needs credentials or does not allow this; give them in the URL "
            "(https://user:password@host/…) or use an endpoint that allows " + what + "s"
        )
    if status in (404, 405):
        return (
            f"check the {what} endpoint: --store takes an Oxigraph root (http://host:7878) or a …/query or "
            "…/sparql URL; $KKR_STORE_UPDATE and $KKR_STORE_GSP set the update and graph store endpoints"
        )
    if status == 400 and what == "query":
        return "check the query"
    if status == 400:
        return "the server could not apply it; check that it supports SPARQL 1.1 " + (
            "Update" if what == "update" else "Graph Store HTTP Protocol"
        )
    if status == 413:
        return "the request is larger than the server accepts; raise the server's request size limit"
    if status >= 500:
        return "the server failed; see its log"
    return "see the server's documentation"


def _without_address(text: str, url: str) -> str:
    """`text` with the server's host and port (and any credentials) replaced by "…"."""
    parts = urlsplit(url)
    for address in sorted({parts.netloc, parts.netloc.rpartition("@")[2], parts.hostname or ""}, key=len, reverse=True):
        if address:
            text = text.replace(address, "…")
    return text


def _one_line(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"

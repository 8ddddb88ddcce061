"""`kkr serve`: the HTTP service (waitress) over a data directory or a remote store, with its limits."""
from __future__ import annotations

import click

from kkr import config
from kkr.cli_index import data_option, model_option, store_option


@click.command("serve")
@data_option
@model_option
@store_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--public-url", envvar="KKR_PUBLIC_URL", default=None, metavar="URL",
              help="The service's public base URL, for /openapi.json and the SPARQL service description "
                   "($KKR_PUBLIC_URL; default http://HOST:PORT). The request's Host header is never used.")
@click.option("--query-timeout", type=float, default=30.0, show_default=True,
              help="Seconds before a SPARQL query is stopped.")
@click.option("--row-limit", type=int, default=10_000, show_default=True, help="Most result rows per query.")
@click.option("--update-token", default=None, envvar="KKR_UPDATE_TOKEN",
              help="Allow SPARQL updates with 'Authorization: Bearer TOKEN' ($KKR_UPDATE_TOKEN); none by default.")
@click.option("--workers", type=int, default=4, show_default=True,
              help="Worker processes for clients' SPARQL (/sparql and the SPARQL page).")
@click.option("--internal-workers", type=int, default=1, show_default=True,
              help="Worker processes for the service's own queries (pages, /id/, /cases, /ask, ...).")
@click.option("--threads", type=int, default=8, show_default=True, help="HTTP server threads.")
@click.option("--max-query-memory", type=int, default=1024, show_default=True, metavar="MB",
              help="A query worker whose memory passes this is stopped and replaced (503); 0: no limit.")
@click.option("--max-query-length", type=int, default=100_000, show_default=True,
              help="Most characters of a client's query or update (413, 414 in a URL).")
@click.option("--max-query-depth", type=int, default=64, show_default=True,
              help="Deepest nesting of a client's query (groups, expressions, path steps; 400). At most 200.")
@click.option("--max-body", type=int, default=1024 * 1024, show_default=True, metavar="BYTES",
              help="Largest request body (413).")
@click.option("--max-param-length", type=int, default=2000, show_default=True,
              help="Most characters of any other URL parameter, on every page (414).")
@click.option("--heavy-per-client", type=int, default=1, show_default=True,
              help="SPARQL queries one client address may run at once (429 beyond); 0: no limit.")
@click.option("--proxy-hops", type=int, default=0, show_default=True,
              help="Reverse proxies in front whose X-Forwarded-For names the client (for --heavy-per-client).")
def serve_command(data, model, store_url, host, port, public_url, query_timeout, row_limit, update_token, workers,
                  internal_workers, threads, max_query_memory, max_query_length, max_query_depth, max_body,
                  max_param_length, heavy_per_client, proxy_hops):
    """Serve SPARQL, search and the resource pages over HTTP (waitress)."""
    import waitress

    from kkr.service.app import create_app, warm_up

    app = create_app({
        "DATA_DIR": str(config.data_dir(data)), "STORE_URL": store_url, "MODEL": model,
        "PUBLIC_URL": public_url or f"http://{host}:{port}", "QUERY_TIMEOUT": query_timeout,
        "ROW_LIMIT": row_limit, "UPDATE_TOKEN": update_token, "QUERY_WORKERS": workers,
        "INTERNAL_WORKERS": internal_workers, "BASE": config.base_iri(), "MAX_QUERY_MEMORY_MB": max_query_memory,
        "MAX_QUERY_LENGTH": max_query_length, "MAX_QUERY_DEPTH": min(max_query_depth, 200),
        "MAX_CONTENT_LENGTH": max_body, "MAX_PARAM_LENGTH": max_param_length,
        "HEAVY_PER_CLIENT": heavy_per_client, "PROXY_HOPS": proxy_hops})
    warm_up(app)
    click.echo(f"kkr serving {config.data_dir(data)} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    proxies = {"trusted_proxy": "*", "trusted_proxy_count": proxy_hops,
               "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if proxy_hops else {}
    waitress.serve(app, host=host, port=port, threads=threads, ident="kkr",
                   max_request_body_size=max_body + 64 * 1024, **proxies)

"""`kkr serve`: the HTTP service (waitress) over a data directory or a remote store, with its limits."""

from __future__ import annotations

from dataclasses import replace

import click

from kkr.cli_options import data_option, model_option, option_for, store_option
from kkr.settings import MAX_QUERY_DEPTH_CAP, Settings


@click.command("serve")
@data_option
@model_option
@store_option
@option_for("host", "--host")
@option_for("port", "--port")
@option_for("public_url", "--public-url", metavar="URL")
@option_for("query_timeout", "--query-timeout")
@option_for("row_limit", "--row-limit")
@option_for("update_token", "--update-token")
@option_for("query_workers", "--workers")
@option_for("internal_workers", "--internal-workers")
@option_for("threads", "--threads")
@option_for("max_query_memory_mb", "--max-query-memory", metavar="MB")
@option_for("max_query_length", "--max-query-length")
@option_for("max_query_depth", "--max-query-depth")
@option_for("max_content_length", "--max-body", metavar="BYTES")
@option_for("max_param_length", "--max-param-length")
@option_for("heavy_per_client", "--heavy-per-client")
@option_for("proxy_hops", "--proxy-hops")
def serve_command(**given):
    """Serve SPARQL, search and the resource pages over HTTP (waitress)."""
    # imported when serving, not at start-up: Flask, rdflib and the service's modules take a while
    import waitress

    from kkr.service.app import create_app, warm_up

    s = Settings.from_env(**given)
    s = replace(
        s, max_query_depth=min(s.max_query_depth, MAX_QUERY_DEPTH_CAP), public_url=s.public_url or s.local_url()
    )
    app = create_app(s.to_flask_config())
    warm_up(app)
    click.echo(f"kkr serving {s.data_dir} on {s.local_url()}/ (Ctrl-C stops)", err=True)
    proxies = (
        {
            "trusted_proxy": "*",
            "trusted_proxy_count": s.proxy_hops,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        }
        if s.proxy_hops
        else {}
    )
    waitress.serve(
        app,
        host=s.host,
        port=s.port,
        threads=s.threads,
        ident="kkr",
        max_request_body_size=s.max_content_length + 64 * 1024,
        **proxies,
    )


COMMANDS = (serve_command,)

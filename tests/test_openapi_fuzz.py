"""Schemathesis over the whole of /openapi.json, against the app on the sample minutes served by
waitress on a loopback port: no answer is a 5xx, every status code and content type is the
documented one, every body matches its schema, valid input is never refused as malformed and
invalid input is refused. Bounded (MAX_EXAMPLES per operation and mode, a fixed seed) so that CI is
repeatable and quick; POST /sparql updates are left out (read-only: 403, documented)."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis

from kkr.service.app import warm_up
from kkr.service.meta import DEFAULT_PUBLIC_URL
from kkr.service.openapi import openapi_document
from tests.browser.support import LiveServer, app_config, sample_data
from tests.conftest import BASE

MAX_EXAMPLES = int(os.environ.get("KKR_FUZZ_EXAMPLES", "25"))  # more for a deeper run by hand
SEED = int(os.environ.get("KKR_FUZZ_SEED", "20250922"))
CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"stateful": {"enabled": False}},
    "request-timeout": 60,
    "suppress-health-check": ["all"],
    # a value over a length limit is refused with 414 (URI too long), not 400
    "checks": {
        "negative_data_rejection": {
            "expected-statuses": [
                "400",
                "401",
                "403",
                "404",
                "405",
                "406",
                "409",
                "413",
                "414",
                "415",
                "422",
                "428",
                "429",
            ]
        }
    },  # the server's answers, not the generation, take the time
    # SPARQL's grammar is not a JSON Schema: a query the description allows may still not parse (400)
    "operations": [
        {"include-path": "/sparql", "checks": {"positive_data_acceptance": {"enabled": False}}},
        # "not ready" is /readyz's documented 503, not a server error
        {"include-path": "/readyz", "checks": {"not_a_server_error": {"expected-statuses": ["2xx", "4xx", "503"]}}},
    ],
}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(app_config(sample_data(tmp_path_factory)[0]))
    server.routes = {rule.rule for rule in server.app.url_map.iter_rules()}
    warm_up(server.app)  # the model and index load now, not inside the first request's time
    yield server
    server.close()


def _schema():
    """The description as the service gives it (test_served_description checks that it is the
    same), loaded at collection: schemathesis's fixture-based loader does not run under pytest 9."""
    config = schemathesis.Config.from_dict(CONFIG)
    schema = schemathesis.openapi.from_dict(openapi_document(DEFAULT_PUBLIC_URL, BASE), config=config)
    return schema


# the SPARQL media types are text; schemathesis does not know them
schemathesis.serializer.alias(["application/sparql-query", "application/sparql-update"], "text/plain")
schema = _schema()


def test_served_description(live):
    """What is fuzzed is what /openapi.json serves."""
    served = live.app.test_client().get("/openapi.json").json
    assert served == json.loads(json.dumps(openapi_document(DEFAULT_PUBLIC_URL, BASE)))


def _is_update(case) -> bool:
    """A SPARQL update (left out: without a token it is refused with 403, which is documented)."""
    if case.operation.method.upper() != "POST":
        return False
    return case.media_type == "application/sparql-update" or (isinstance(case.body, dict) and "update" in case.body)


@schema.parametrize()
def test_openapi_conformance(case, live):
    assert "{" in case.path or case.path in live.routes, f"{case.path} is described but not served"
    if _is_update(case):
        return
    case.call_and_validate(base_url=live.url)

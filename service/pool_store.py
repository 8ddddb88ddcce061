"""A `select()` over the service's query backend, so the JSON endpoints run their SPARQL in the
same worker processes (with the same timeout) as /sparql."""

from __future__ import annotations

import pyoxigraph as ox

from kkr.service.backends import pool_for
from kkr.store_queries import _python

JSON_RESULTS = "application/sparql-results+json"


class PoolStore:
    """Rows of SELECT queries as dicts of Python values, like GraphStore.select."""

    def __init__(self, backend):
        self.backend = backend

    def select(self, sparql: str) -> list[dict]:
        result = self.backend.run(
            sparql, accept_kind={"solutions": JSON_RESULTS, "boolean": JSON_RESULTS, "graph": None}, row_limit=1_000_000
        )
        solutions = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)  # the callers send SELECT queries
        names = [v.value for v in solutions.variables]
        return [{n: _python(row[n]) for n in names} for row in solutions]


def pool_store(app=None) -> PoolStore:
    return PoolStore(pool_for(app))

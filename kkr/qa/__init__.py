"""Plain-language questions answered from the graph, with citations (no LLM, no network)."""

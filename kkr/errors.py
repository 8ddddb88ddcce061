"""Errors that reach the user: each names the file, the page where known, the problem and what to do."""

from __future__ import annotations


class KkrError(Exception):
    """Base class for errors shown to users as one clear line. The service answers one with
    `status` (its HTTP status) and `headers` (extra response headers)."""

    status: int = 500
    headers: dict = {}


class IngestError(KkrError):
    """A source document that cannot be ingested."""

    def __init__(self, path, problem: str, hint: str = "", page: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.hint = hint
        self.page = page
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message: file[, page N]: problem; what to do."""
        where = self.path if self.page is None else f"{self.path}, page {self.page}"
        return f"{where}: {self.problem}" + (f"; {self.hint}" if self.hint else "")


class StoreError(KkrError):
    """The graph store cannot be opened or written."""

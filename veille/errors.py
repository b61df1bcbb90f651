"""Errors that name the article or input they come from."""
from __future__ import annotations


class VeilleError(Exception):
    """Base of veille's own errors."""


class IngestError(VeilleError):
    """An input or article that cannot be ingested; `source` names it."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DatabaseUnavailable(VeilleError):
    """The database cannot be opened as asked: missing, locked by another process, or on a
    file system that cannot be written. The message says which and what to do."""

"""veille: a source-linked record of who did what with whom, when, and how much, read from news.

From a notebook, `db = veille.open("press.duckdb")` gives the database read-only:
`db.events(...)`, `db.figures(...)`, `db.conflicts(...)`, `db.entities(...)` (see `veille.library`).
"""
from __future__ import annotations


def open(path=None):  # noqa: A001 - veille.open, as a notebook expects it
    """The veille database at `path` (default: the settings' database), opened read-only."""
    from veille.library import open as open_database

    return open_database(path)

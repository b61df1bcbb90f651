"""veille from a notebook: a small API over a database, opened read-only.

    import veille
    db = veille.open("press.duckdb")
    db.events(parties="Chine,Russie", type="CONSULT", since="2024")      # a list of dicts
    db.figures(metric="trade_volume", parties="CHN,RUS", frame=True)     # a pandas DataFrame
    db.conflicts()
    db.entities(q="Poutine")
    db.close()                                                          # or `with veille.open(...) as db:`

Every list takes the filters of the command line and the API (`veille.read.Filters`), by
name; states may be named where codes are asked, and a filter that can match nothing raises
ValueError saying why (`veille.read.checks`). Rows are the read layer's: the same items, in
the same order, as `veille events --format json` and `/api/events`. With `frame=True` a
list is a pandas DataFrame (pandas must be installed: `pip install pandas`), its date
columns as dates.
"""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from veille.read import Filters, Page, list_conflicts, list_entities, list_events, list_figures
from veille.read.checks import checked
from veille.settings import load_settings
from veille.store import Store

_FILTERS = {f.name for f in fields(Filters)}
EVERY = 1_000_000_000


class Database:
    """A veille database opened read-only (other readers may share it; a writer may not)."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path).expanduser() if path else load_settings().db
        self._store = Store(self.path, read_only=True)
        self.con = self._store.con

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"veille.open({str(self.path)!r})"

    def close(self) -> None:
        self._store.close()

    def events(self, frame: bool = False, limit: int | None = None, **filters: Any):
        """Fused events (one real-world event each, with its sources and sentences), newest first.
        Filters: parties, type, sector, since, until, status, min_sources, entity, source, order."""
        return self._list(list_events, filters, frame, limit)

    def figures(self, frame: bool = False, limit: int | None = None, **filters: Any):
        """Figure groups (one series point each, with its statements). Filters: metric, parties,
        status, relation, since, until, min_sources, conflict, source, order."""
        return self._list(list_figures, filters, frame, limit)

    def conflicts(self, frame: bool = False, limit: int | None = None, **filters: Any):
        """Figure groups whose sources disagree beyond rounding, with who says what."""
        return self._list(list_conflicts, filters, frame, limit)

    def entities(self, frame: bool = False, limit: int | None = None, **filters: Any):
        """Entities named in the articles, the most widely reported first. Filters: q (a name),
        type (PERSON, ORG, COUNTRY...), parties (their country), role."""
        return self._list(list_entities, filters, frame, limit, check=False)

    def _list(self, query, given: dict, frame: bool, limit: int | None, check: bool = True):
        unknown = sorted(set(given) - _FILTERS)
        if unknown:
            raise TypeError(f"unknown filter(s) {', '.join(unknown)}; filters: {', '.join(sorted(_FILTERS))}")
        if isinstance(given.get("parties"), str):
            given["parties"] = tuple(p for p in given["parties"].split(",") if p.strip())
        f = Filters(**given)
        f = checked(self.con, f) if check else f
        rows = query(self.con, f, page=Page(limit=limit or EVERY, offset=0))["items"]
        return _frame(rows) if frame else rows


def _frame(rows: list[dict]):
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("frame=True needs pandas: pip install pandas") from None
    flat = []
    for row in rows:
        r = dict(row)
        for key in ("date", "period"):
            if isinstance(r.get(key), dict):
                span = r.pop(key)
                r[f"{key}_begin"], r[f"{key}_end"] = span.get("begin"), span.get("end")
        flat.append(r)
    df = pd.DataFrame(flat)
    for col in df.columns:
        if col.endswith(("_begin", "_end")) or col in ("first_reported", "last_reported"):
            df[col] = pd.to_datetime(df[col], errors="coerce", format="mixed")
    return df


def open(path: str | Path | None = None) -> Database:  # noqa: A001 - veille.open, as the issue asks
    """The database at `path` (default: the settings' database), read-only."""
    return Database(path)

"""What every query shares: filters, paging, the fetch helper and the SQL fragments
that say which articles are current and which sentences mention an entity."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Only the latest version of each article counts (a corrected text supersedes its first version).
LATEST = "a.id NOT IN (SELECT supersedes FROM articles WHERE supersedes IS NOT NULL)"


@dataclass(frozen=True)
class Filters:
    """What to list, for the command line, the API and the exports alike; every field is optional.
    Dates are ISO days, months or years; an item matches a range when its dates meet it.

    `parties` must all take part (an event's actors and recipients, a figure's
    places); `entity` is an entity id: for events, a country by its code, a person
    or an organisation that can act for a state or a body by the events it took
    part in (among their `named_parties`, veille.read.named), anything else (a
    place, an outlet) by a mention in the evidence sentence; for figures, a country
    or a region by its code, anything else by a mention (veille.read.figures);
    `source` is an outlet, or an article's source or URL; `article` an article id.
    """

    parties: tuple[str, ...] = ()
    type: str | None = None
    sector: str | None = None
    since: str | None = None
    until: str | None = None
    metric: str | None = None
    status: str | None = None
    relation: str | None = None
    min_sources: int = 1
    entity: str | None = None
    source: str | None = None
    article: str | None = None
    articles: tuple[str, ...] = ()      # any of these articles (what a watch round brought)
    conflict: bool | None = None
    q: str | None = None
    kind: str | None = None
    language: str | None = None
    role: str | None = None
    order: str = "date_desc"

    @property
    def until_bound(self) -> str | None:
        """`until` as the last day it covers, for string comparison: 2024 -> 2024-12-31."""
        if not self.until:
            return None
        return {4: self.until + "-12-31", 7: self.until + "-31"}.get(len(self.until), self.until)


@dataclass(frozen=True)
class Page:
    limit: int = 50
    offset: int = 0

    @property
    def sql(self) -> str:
        return f" LIMIT {int(self.limit)} OFFSET {int(self.offset)}"


class Where:
    """SQL conditions and their parameters, built up by the filters every list shares."""

    def __init__(self, *conditions: str) -> None:
        self.conditions: list[str] = list(conditions)
        self.params: list = []

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def equal(self, f: Filters, alias: str, columns: tuple[str, ...]) -> None:
        """`column = value` for each filter that names a column's value ("metric", "status")."""
        for column in columns:
            if getattr(f, column):
                self.add(f"{alias}.{column} = ?", getattr(f, column))

    def span(self, f: Filters, begin: str, end: str | None = None) -> None:
        """Items whose dates (`begin`, `end`: columns) meet `since` .. `until`."""
        if f.since:
            self.add(f"coalesce({end}, {begin}) >= ?" if end else f"{begin} >= ?", f.since)
        if f.until:
            self.add(f"{begin} <= ?", f.until_bound)

    def article_source(self, f: Filters, alias: str = "a") -> None:
        """Articles by the `source` filter: their source, URL or site."""
        if f.source:
            self.add(f"({alias}.source = ? OR {alias}.url = ? OR json_extract_string({alias}.metadata, '$.site') = ?)",
                     *[f.source] * 3)

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions)


def fetch(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def scalar(con, sql: str, params: list | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def counted_page(con, columns: str, table: str, where: tuple[list[str], list], order: str,
                 page: Page) -> tuple[int, list[dict]]:
    """How many rows of `table` meet the conditions `where` (with their parameters), and the `columns`
    of those on `page` in `order`."""
    conditions, params = where
    clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    total = scalar(con, f"SELECT count(*) FROM {table}{clause}", params)
    return total, fetch(con, f"SELECT {columns} FROM {table}{clause} ORDER BY {order}{page.sql}", params)


def page_of(items: list, total: int, page: Page) -> dict:
    return {"items": items, "total": int(total or 0), "limit": page.limit, "offset": page.offset}


def period(begin: str | None, end: str | None) -> dict | None:
    if begin is None and end is None:
        return None
    return {"begin": begin, "end": end}


def loads(value: Any, default: Any) -> Any:
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return value


def tables(con) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def entity_row(con, entity_id: str) -> dict | None:
    """The entity's name, type and codes, from its most frequent spelling."""
    rows = fetch(con, "SELECT entity_id AS id, name, type, country, subdivision, count(*) AS n FROM entities"
                      " WHERE entity_id = ? GROUP BY ALL ORDER BY n DESC, name LIMIT 1", [entity_id])
    return rows[0] if rows else None


def mention_spans(entity_param: str = "?") -> str:
    """Rows (article_id, span) of every mention of one entity; `span` is [start, end]."""
    return (f"(SELECT article_id, unnest(CAST(mentions AS INTEGER[][])) AS span FROM entities"
            f" WHERE entity_id = {entity_param})")


def source_match(alias_articles: str = "a", alias_outlet: str = "f") -> str:
    """An article matches a `source` filter by its outlet, its source or its URL."""
    return (f"({alias_outlet}.outlet = ? OR {alias_articles}.source = ? OR {alias_articles}.url = ?"
            f" OR json_extract_string({alias_articles}.metadata, '$.site') = ?)")


def codes(parties: tuple[str, ...]) -> list[str]:
    return [p.strip().upper() for p in parties if p.strip()]

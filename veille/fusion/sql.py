"""Bulk reads and writes of the fusion tables: rows inserted as typed columns in one statement,
long lists of values sent in chunks, results read as dicts in batches."""
from __future__ import annotations

from typing import Iterator

_TYPES: dict[str, list[tuple[str, str]]] = {}


def columns(con, table: str) -> list[tuple[str, str]]:
    if table not in _TYPES:
        _TYPES[table] = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]
    return _TYPES[table]


def insert(con, table: str, rows: list[dict]) -> None:
    """Insert dict rows in one statement (columns as typed lists, unnested side by side)."""
    if not rows:
        return
    cols = columns(con, table)
    for start in range(0, len(rows), 20000):
        chunk = rows[start:start + 20000]
        selects, params = [], []
        for name, typ in cols:
            base = "VARCHAR" if typ == "JSON" else typ
            selects.append(f"unnest(?::{base}[]) AS {name}")
            params.append([r.get(name) for r in chunk])
        con.execute(f"INSERT INTO {table} SELECT {', '.join(n for n, _ in cols)} FROM (SELECT {', '.join(selects)})",
                    params)


def in_list(con, sql: str, values: list, *extra) -> list[tuple]:
    """Run `sql` whose first parameter is a list of values, in chunks."""
    out = []
    for start in range(0, len(values), 20000):
        out.extend(con.execute(sql, [values[start:start + 20000], *extra]).fetchall())
    return out


def rows(con, sql: str, params: list) -> Iterator[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    while True:
        batch = cur.fetchmany(2048)
        if not batch:
            return
        for row in batch:
            yield dict(zip(names, row))


def iter_in(con, sql: str, values: list) -> Iterator[dict]:
    for start in range(0, len(values), 20000):
        yield from rows(con, sql, [values[start:start + 20000]])

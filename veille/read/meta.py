"""What the database holds: counts and the values each filter can take."""
from __future__ import annotations

from veille.read.common import LATEST, fetch, scalar
from veille.records import EVENT_TYPES, SECTORS

FUSION_TABLES = ("fused_events", "fused_event_sources", "figure_groups", "figure_members", "figure_conflicts",
                 "fusion_articles")


def fusion_ready(con) -> bool:
    """True when the fusion tables (migration 003) are there."""
    found = scalar(con, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN"
                        f" ({', '.join('?' * len(FUSION_TABLES))})", list(FUSION_TABLES))
    return found == len(FUSION_TABLES)


def fused_row(con, sql: str, key: str, fused: bool | None = None) -> dict | None:
    """The row of a fusion table that `sql` selects by its `key`, or None (so too without the fusion tables)."""
    if not (fusion_ready(con) if fused is None else fused):
        return None
    rows = fetch(con, sql, [key])
    return rows[0] if rows else None


def overview(con, fused: bool | None = None) -> dict:
    """Counts of every layer, and the facets the dashboard's filters offer, most frequent first."""
    fused = fusion_ready(con) if fused is None else fused
    counts = {
        "articles": scalar(con, f"SELECT count(*) FROM articles a WHERE {LATEST}"),
        "entities": scalar(con, "SELECT count(DISTINCT entity_id) FROM entities"),
        "article_events": scalar(con, "SELECT count(*) FROM events"),
        "measurements": scalar(con, "SELECT count(*) FROM measurements"),
        "quotes": scalar(con, "SELECT count(*) FROM quotes"),
        "events": scalar(con, "SELECT count(*) FROM fused_events") if fused else 0,
        "figures": scalar(con, "SELECT count(*) FROM figure_groups") if fused else 0,
        "conflicts": scalar(con, "SELECT count(*) FROM figure_groups WHERE conflict") if fused else 0,
    }
    table = "fused_events" if fused else "events"
    types = {r["type"]: r["n"] for r in fetch(con, f"SELECT type, count(*) AS n FROM {table} GROUP BY 1")}
    sectors = {r["s"]: r["n"] for r in fetch(
        con, f"SELECT s, count(*) AS n FROM (SELECT unnest(sectors) AS s FROM {table}) GROUP BY 1")}
    parties = fetch(con, f"SELECT p AS code, count(*) AS events FROM (SELECT unnest(list_distinct("
                         f"list_concat(actor, recipient))) AS p FROM {table}) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200")
    metrics = fetch(con, "SELECT metric, count(*) AS figures FROM measurements WHERE metric IS NOT NULL"
                         " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200")
    if fused:
        outlets = fetch(con, "SELECT outlet, count(*) AS articles FROM fusion_articles GROUP BY 1 ORDER BY 2 DESC, 1"
                             " LIMIT 200")
        dates = con.execute("SELECT min(date_begin), max(coalesce(date_end, date_begin)) FROM fused_events").fetchone()
    else:
        outlets = fetch(con, "SELECT coalesce(json_extract_string(metadata, '$.site'), source) AS outlet,"
                             f" count(*) AS articles FROM articles a WHERE {LATEST} GROUP BY 1 ORDER BY 2 DESC, 1"
                             " LIMIT 200")
        dates = con.execute("SELECT min(date_begin), max(coalesce(date_end, date_begin)) FROM events").fetchone()
    return {
        "format": "veille/1",
        "fusion": fused,
        "counts": {k: int(v or 0) for k, v in counts.items()},
        "types": [{"type": t, "events": types.get(t, 0)} for t in EVENT_TYPES],
        "sectors": [{"sector": s, "events": sectors.get(s, 0)} for s in SECTORS],
        "parties": parties,
        "metrics": metrics,
        "outlets": outlets,
        "dates": {"begin": dates[0], "end": dates[1]} if dates and dates[0] else None,
    }

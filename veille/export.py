"""Exports for notebooks and spreadsheets: events, figures, entities or articles as JSON Lines,
CSV or Parquet, written by DuckDB itself (`COPY ... TO`), one row per item.

    with duckdb.connect("press.duckdb", read_only=True) as con:
        rows = export(con, "figures", "parquet", Path("figures.parquet"))

Events and figures are the fused ones (one row per real-world event; one row per
statement of a figure, with its group's value and conflict flag) when the fusion
tables exist, else as each article gives them. Lists stay lists in JSON Lines and
Parquet; in CSV they are joined with ";" and nested records are JSON text.
"""
from __future__ import annotations

from pathlib import Path

from veille.api.queries.common import LATEST
from veille.api.queries.meta import fusion_ready

WHATS = ("events", "figures", "entities", "articles")
FORMATS = ("jsonl", "csv", "parquet")

_FUSED_EVENTS = """
    SELECT e.event_id, e.type, e.mode, e.status, {actor} AS actor, {recipient} AS recipient, e.date_begin, e.date_end,
           e.location, {sectors} AS sectors, e.count, e.sources, e.independent_sources, e.confidence,
           e.first_reported, e.last_reported, {reports} AS reports
    FROM fused_events e LEFT JOIN (
        SELECT s.event_id, list({{'article_id': s.article_id, 'event_idx': s.event_idx, 'outlet': f.outlet,
                                 'published': s.published, 'claim_source': s.claim_source,
                                 'evidence': s.evidence}} ORDER BY s.published, s.article_id) AS reports
        FROM fused_event_sources s LEFT JOIN fusion_articles f ON f.article_id = s.article_id
        GROUP BY s.event_id) r ON r.event_id = e.event_id
    ORDER BY e.date_begin NULLS LAST, e.event_id"""

_ARTICLE_EVENTS = f"""
    SELECT e.article_id, e.idx, e.type, e.mode, e.status, {{actor}} AS actor, {{recipient}} AS recipient,
           e.date_begin, e.date_end, e.location, {{sectors}} AS sectors, e.count, e.confidence, e.trigger,
           e.claim_source, a.published, a.source AS article_source,
           substr(a.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) AS evidence
    FROM events e JOIN articles a ON a.id = e.article_id WHERE {LATEST}
    ORDER BY e.date_begin NULLS LAST, e.article_id, e.idx"""

_FUSED_FIGURES = """
    SELECT g.group_id, g.metric, g.relation, g.status, {places} AS places, g.period_begin, g.period_end,
           g.granularity, g.value AS group_value, g.unit AS group_unit, g.conflict, g.sources AS group_sources,
           m.article_id, m.measurement_idx, m.text, m.value, m.unit, m.usd, m.qualifier, m.place_from, m.place_to,
           m.position, m.outlier, m.implausible, m.claim_source, f.outlet, m.published, m.evidence
    FROM figure_members m JOIN figure_groups g ON g.group_id = m.group_id
    LEFT JOIN fusion_articles f ON f.article_id = m.article_id
    ORDER BY g.metric NULLS LAST, g.period_begin NULLS LAST, g.group_id, m.position NULLS LAST, m.article_id,
             m.measurement_idx"""

_ARTICLE_FIGURES = f"""
    SELECT m.article_id, m.idx, m.text, m.value, m.unit, m.kind, m.relation, m.status, m.metric, m.place_from,
           m.place_to, m.period_begin, m.period_end, m.usd, a.published, a.source AS article_source,
           substr(a.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS evidence
    FROM measurements m JOIN articles a ON a.id = m.article_id WHERE {LATEST}
    ORDER BY m.metric NULLS LAST, m.period_begin NULLS LAST, m.article_id, m.idx"""

_ENTITIES = f"""
    SELECT e.entity_id AS id, arg_max(e.name, e.n) AS name, arg_max(e.type, e.n) AS type,
           arg_max(e.country, e.n) AS country, arg_max(e.subdivision, e.n) AS subdivision,
           arg_max(e.role, e.n) AS role, count(DISTINCT e.article_id) AS articles, sum(e.mentions) AS mentions,
           min(a.published) AS first_seen, max(a.published) AS last_seen
    FROM (SELECT * EXCLUDE (mentions), json_array_length(mentions) AS mentions, 1 AS n FROM entities) e
    JOIN articles a ON a.id = e.article_id WHERE {LATEST}
    GROUP BY e.entity_id ORDER BY articles DESC, mentions DESC, id"""

_ARTICLES = f"""
    SELECT a.id, a.source, a.url, a.title, a.language, a.published, a.published_precision, a.published_from,
           a.version, a.supersedes, a.text, {{metadata}} AS metadata, {{removed}} AS removed, {{flags}} AS flags,
           (SELECT count(*) FROM entities x WHERE x.article_id = a.id) AS entities,
           (SELECT count(*) FROM events x WHERE x.article_id = a.id) AS events,
           (SELECT count(*) FROM measurements x WHERE x.article_id = a.id) AS measurements,
           CAST(a.ingested_at AS VARCHAR) AS ingested_at
    FROM articles a WHERE {LATEST} ORDER BY a.published NULLS LAST, a.id"""


def _query(what: str, fmt: str, fused: bool) -> str:
    flat = fmt == "csv"

    def joined(col: str) -> str:
        return f"array_to_string({col}, ';')" if flat else col

    def text(col: str) -> str:
        return f"CAST({col} AS VARCHAR)" if flat else col

    if what == "events":
        if fused:
            return _FUSED_EVENTS.format(actor=joined("e.actor"), recipient=joined("e.recipient"),
                                        sectors=joined("e.sectors"),
                                        reports="CAST(to_json(r.reports) AS VARCHAR)" if flat else "r.reports")
        return _ARTICLE_EVENTS.format(actor=joined("e.actor"), recipient=joined("e.recipient"),
                                      sectors=joined("e.sectors"))
    if what == "figures":
        return _FUSED_FIGURES.format(places=joined("g.places")) if fused else _ARTICLE_FIGURES
    if what == "entities":
        return _ENTITIES
    if what == "articles":
        return _ARTICLES.format(metadata=text("a.metadata"), removed=text("a.removed"), flags=text("a.flags"))
    raise ValueError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")


def export(con, what: str, fmt: str, dest: str | Path, fused: bool | None = None) -> int:
    """Write `what` (events, figures, entities, articles) to `dest` as `fmt` (jsonl, csv, parquet);
    returns how many rows were written."""
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {fmt!r}: choose one of {', '.join(FORMATS)}")
    fused = fusion_ready(con) if fused is None else fused
    query = _query(what, fmt, fused)
    options = {"jsonl": "FORMAT JSON", "csv": "FORMAT CSV, HEADER", "parquet": "FORMAT PARQUET"}[fmt]
    target = str(dest).replace("'", "''")
    rows = con.execute(f"COPY ({query}) TO '{target}' ({options})").fetchone()
    return int(rows[0]) if rows and rows[0] is not None else 0

"""Exports for notebooks and spreadsheets, as JSON Lines, CSV or Parquet.

    with duckdb.connect("press.duckdb", read_only=True) as con:
        rows = export(con, "figures", "parquet", Path("figures.parquet"))

The listings (events, figures, conflicts, series, entities) are the rows of the read layer
(`veille.read`), in its order: the same items as `veille figures --format json` and
`/api/figures`, every page of them. Events and figures are the fused ones when the fusion
tables exist, else as each article gives them. Two flat tables have no listing of their own:
`statements`, one row per sentence that states a figure, with its group's value and
conflict flag; `articles`, the stored texts with their metadata.

Lists stay lists and records stay records in JSON Lines and Parquet; in CSV a date or period is
two columns ("date_begin", "date_end"), a list of plain values is joined with ";" and anything
else nested is JSON text.
"""
from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from veille.read import (Filters, Page, fusion_ready, list_article_events, list_conflicts, list_entities,
                         list_events, list_figures, list_measurements, list_series)
from veille.read.common import LATEST

WHATS = ("events", "figures", "conflicts", "series", "entities", "statements", "articles")
FORMATS = ("jsonl", "csv", "parquet")
PAGE = 500

# one row per sentence stating a figure, flat for spreadsheets
_STATEMENTS = """
    SELECT g.group_id, g.metric, g.relation, g.status, {places} AS places, g.period_begin, g.period_end,
           g.granularity, g.value AS group_value, g.unit AS group_unit, g.conflict, g.sources AS group_sources,
           m.article_id, m.measurement_idx, m.text, m.value, m.unit, m.usd, m.qualifier, m.place_from, m.place_to,
           m.position, m.outlier, m.implausible, m.claim_source, f.outlet, m.published, m.evidence
    FROM figure_members m JOIN figure_groups g ON g.group_id = m.group_id
    LEFT JOIN fusion_articles f ON f.article_id = m.article_id
    ORDER BY g.metric NULLS LAST, g.period_begin NULLS LAST, g.group_id, m.position NULLS LAST, m.article_id,
             m.measurement_idx"""

_ARTICLE_STATEMENTS = f"""
    SELECT m.article_id, m.idx, m.text, m.value, m.unit, m.kind, m.relation, m.status, m.metric, m.place_from,
           m.place_to, m.period_begin, m.period_end, m.usd, a.published, a.source AS article_source,
           substr(a.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS evidence
    FROM measurements m JOIN articles a ON a.id = m.article_id WHERE {LATEST}
    ORDER BY m.metric NULLS LAST, m.period_begin NULLS LAST, m.article_id, m.idx"""

_ARTICLES = f"""
    SELECT a.id, a.source, a.url, a.title, a.language, a.published, a.published_precision, a.published_from,
           a.version, a.supersedes, a.text, {{metadata}} AS metadata, {{removed}} AS removed, {{flags}} AS flags,
           (SELECT count(*) FROM entities x WHERE x.article_id = a.id) AS entities,
           (SELECT count(*) FROM events x WHERE x.article_id = a.id) AS events,
           (SELECT count(*) FROM measurements x WHERE x.article_id = a.id) AS measurements,
           CAST(a.ingested_at AS VARCHAR) AS ingested_at
    FROM articles a WHERE {LATEST} ORDER BY a.published NULLS LAST, a.id"""


def _listing(what: str, fused: bool) -> Callable | None:
    """The read layer's list for `what`, or None for the flat tables."""
    if what == "events":
        return list_events if fused else list_article_events
    if what == "figures":
        return list_figures if fused else list_measurements
    return {"conflicts": list_conflicts, "series": list_series, "entities": list_entities}.get(what)


def rows(con, what: str, f: Filters = Filters(), fused: bool | None = None) -> Iterator[dict]:
    """Every item of a listing, page after page, in the read layer's order."""
    fused = fusion_ready(con) if fused is None else fused
    listing = _listing(what, fused)
    if listing is None:
        raise ValueError(f"{what!r} is no listing: choose one of events, figures, conflicts, series, entities")
    offset = 0
    while True:
        page = (listing(con, f, Page(limit=PAGE, offset=offset)) if listing is list_entities
                else listing(con, f, Page(limit=PAGE, offset=offset), fused))
        yield from page["items"]
        offset += PAGE
        if offset >= page["total"] or not page["items"]:
            return


def _cell(value):
    """A CSV cell: plain values as they are, a list of plain values joined with ";", else JSON."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, (str, int, float, bool)) for v in value):
        return ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


_PERIODS = ("date", "period")     # {"begin", "end"} or null in every listing


def _flat(item: dict) -> dict:
    """A period spread into two columns ("date" -> "date_begin", "date_end"), empty when unknown."""
    out = {}
    for key, value in item.items():
        if key in _PERIODS and (value is None or isinstance(value, dict)):
            out[f"{key}_begin"], out[f"{key}_end"] = (value or {}).get("begin"), (value or {}).get("end")
        else:
            out[key] = value
    return out


def _write_items(items: Iterator[dict], fmt: str, dest: Path, con) -> int:
    n = 0
    if fmt == "csv":
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            writer = None
            for item in map(_flat, items):
                if writer is None:
                    writer = csv.DictWriter(fh, fieldnames=list(item), extrasaction="ignore", restval="")
                    writer.writeheader()
                writer.writerow({k: _cell(v) for k, v in item.items()})
                n += 1
        return n
    target = dest if fmt == "jsonl" else Path(tempfile.mkstemp(prefix="veille-export-", suffix=".jsonl")[1])
    try:
        with open(target, "w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
                n += 1
        if fmt == "parquet":
            if n == 0:
                con.execute(f"COPY (SELECT NULL AS empty WHERE FALSE) TO '{_quoted(dest)}' (FORMAT PARQUET)")
            else:
                # DuckDB infers the nested types (lists, records) from the JSON it just got
                con.execute(f"COPY (SELECT * FROM read_json('{_quoted(target)}', format = 'newline_delimited',"
                            f" sample_size = -1)) TO '{_quoted(dest)}' (FORMAT PARQUET)")
    finally:
        if target != dest:
            target.unlink(missing_ok=True)
    return n


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _flat_query(what: str, fmt: str, fused: bool) -> str:
    flat = fmt == "csv"

    def joined(col: str) -> str:
        return f"array_to_string({col}, ';')" if flat else col

    def text(col: str) -> str:
        return f"CAST({col} AS VARCHAR)" if flat else col

    if what == "statements":
        return _STATEMENTS.format(places=joined("g.places")) if fused else _ARTICLE_STATEMENTS
    return _ARTICLES.format(metadata=text("a.metadata"), removed=text("a.removed"), flags=text("a.flags"))


def export(con, what: str, fmt: str, dest: str | Path, fused: bool | None = None, f: Filters = Filters()) -> int:
    """Write `what` (one of WHATS) to `dest` as `fmt` (jsonl, csv, parquet); returns how many rows
    were written."""
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {fmt!r}: choose one of {', '.join(FORMATS)}")
    if what not in WHATS:
        raise ValueError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")
    fused = fusion_ready(con) if fused is None else fused
    dest = Path(dest)
    if what in ("statements", "articles"):
        options = {"jsonl": "FORMAT JSON", "csv": "FORMAT CSV, HEADER", "parquet": "FORMAT PARQUET"}[fmt]
        written = con.execute(f"COPY ({_flat_query(what, fmt, fused)}) TO '{_quoted(dest)}' ({options})").fetchone()
        return int(written[0]) if written and written[0] is not None else 0
    return _write_items(rows(con, what, f, fused), fmt, dest, con)

"""Exports for notebooks and spreadsheets, as JSON Lines, CSV or Parquet.

    with duckdb.connect("press.duckdb", read_only=True) as con:
        rows = export(con, "figures", "parquet", Path("figures.parquet"))

The listings (events, figures, conflicts, series, entities) are the rows of the read layer
(`veille.read`), in its order: the same items as `veille figures --format json` and
`/api/figures`, every page of them. Events and figures are the fused ones when the fusion
tables exist, else as each article gives them. `event-sources` flattens the events listing:
one row per fused event and article that reports it (the event's facts, the article's outlet,
URL, title and sentence). Two flat tables have no listing of their own: `statements`, one row
per sentence that states a figure, with its group's value and conflict flag; `articles`, the
stored texts with their metadata.

The API's downloads (`/api/events?format=csv`, `veille.api.download`) write through the same
functions: `pages` reads a listing a page at a time, `text_chunks` turns each page into CSV or
JSON Lines text, `write` makes a file (Parquet included).

Lists stay lists and records stay records in JSON Lines and Parquet; in CSV a date or period is
two columns ("date_begin", "date_end"), a list of plain values is joined with ";" and anything
else nested is JSON text. Files are UTF-8 without a byte order mark (the API adds one to its CSV
downloads, for spreadsheets).
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from veille.read import (Filters, Page, fusion_ready, list_article_events, list_conflicts, list_entities,
                         list_events, list_figures, list_measurements, list_series)
from veille.read.common import LATEST, scalar
from veille.read.events import event_conditions

LISTINGS = ("events", "figures", "conflicts", "series", "entities", "event-sources")
WHATS = (*LISTINGS, "statements", "articles")
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


def pages(listing: Callable[[Page], dict], size: int | None = None) -> Iterator[list[dict]]:
    """Every item of a listing, one read-layer page (`size`, else PAGE items) at a time:
    `listing(page)` is a read-layer list with its connection and filters bound."""
    size = size or PAGE
    offset = 0
    while True:
        page = listing(Page(limit=size, offset=offset))
        if page["items"]:
            yield page["items"]
        offset += size
        if offset >= page["total"] or not page["items"]:
            return


def _pages(con, what: str, f: Filters, fused: bool) -> Iterator[list[dict]]:
    if what == "event-sources":
        return event_source_pages(con, f, fused)
    listing = _listing(what, fused)
    if listing is None:
        raise ValueError(f"{what!r} is no listing: choose one of {', '.join(LISTINGS)}")
    if listing is list_entities:
        return pages(lambda page: list_entities(con, f, page))
    return pages(lambda page: listing(con, f, page, fused))


def rows(con, what: str, f: Filters = Filters(), fused: bool | None = None) -> Iterator[dict]:
    """Every item of a listing (one of LISTINGS), page after page, in the read layer's order."""
    for page in _pages(con, what, f, fusion_ready(con) if fused is None else fused):
        yield from page


def event_sources(events: list[dict]) -> list[dict]:
    """The flat rows of a page of events: one per fused event and article that reports it, with
    the event's facts and the article's sentences (several, in the article's order, one a line,
    when the article tells it twice). An event as one article gives it (no fusion tables) is one
    row whose `event_id` is empty.

        {"event_id": "e1", "type": "AGREE", ..., "sources": [{"article_id": "a1", "evidence":
        "Pékin et Moscou ont signé un accord."}, ...]} -> [{"event_id": "e1", ..., "article_id": "a1",
        "evidence": "Pékin et Moscou ont signé un accord."}, ...]
    """
    out = []
    for ev in events:
        date = ev["date"] or {}
        named = ev.get("named_parties") or []
        facts = {"event_id": ev["event_id"], "type": ev["type"], "mode": ev["mode"], "status": ev["status"],
                 "date_begin": date.get("begin"), "date_end": date.get("end"),
                 "actor": ev["actor"], "recipient": ev["recipient"],
                 # who, not only which state: the people and bodies behind the codes (veille/read/named.py)
                 "actor_names": [n["name"] for n in named if n["side"] == "actor"],
                 "recipient_names": [n["name"] for n in named if n["side"] == "recipient"],
                 "other_names": [n["name"] for n in named if n["side"] == "named"]}
        if "sources" not in ev:     # as one article reports it
            a = ev["article"]
            out.append({**facts, "outlet": a["outlet"], "url": a["url"], "title": a["title"], "article_id": a["id"],
                        "published": a["published"], "evidence": ev["evidence_text"]})
            continue
        by_article: dict[str, dict] = {}
        for s in ev["sources"]:
            row = by_article.get(s["article_id"])
            if row is None:
                by_article[s["article_id"]] = {**facts, "outlet": s["outlet"], "url": s["url"], "title": s["title"],
                                               "article_id": s["article_id"], "published": s["published"],
                                               "evidence": s["evidence"]}
            elif s["evidence"] and s["evidence"] not in (row["evidence"] or "").split("\n"):
                row["evidence"] = "\n".join(filter(None, (row["evidence"], s["evidence"])))
        out.extend(by_article.values())
    return out


def event_source_pages(con, f: Filters = Filters(), fused: bool | None = None,
                       size: int | None = None) -> Iterator[list[dict]]:
    """The event-sources table, a page of `size` (else PAGE) events at a time (see `event_sources`),
    events in the order of /api/events (of /api/article-events without fusion tables)."""
    fused = fusion_ready(con) if fused is None else fused
    listing = list_events if fused else list_article_events
    return map(event_sources, pages(lambda page: listing(con, f, page, fused), size))


def list_event_sources(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """One page of the event-sources table, as the read layer pages its lists. `total` counts the
    (event, article) pairs of the events matching `f`; the page is read through the events up to
    it, so a deep `offset` costs as much as the rows before it."""
    fused = fusion_ready(con) if fused is None else fused
    if fused:
        where, params = event_conditions(con, f, True)
        matching = f"SELECT e.event_id FROM fused_events e{' WHERE ' + ' AND '.join(where) if where else ''}"
        total = scalar(con, f"SELECT count(DISTINCT (s.event_id, s.article_id)) FROM fused_event_sources s"
                            f" WHERE s.event_id IN ({matching})", params)
    else:
        total = list_article_events(con, f, Page(limit=0), False)["total"]
    # every event has a row at least: the events up to offset + limit hold the page
    size = min(PAGE, page.offset + page.limit)
    flat = (row for chunk in event_source_pages(con, f, fused, size) for row in chunk)
    items = list(islice(flat, page.offset, page.offset + page.limit)) if page.offset < (total or 0) else []
    return {"items": items, "total": int(total or 0), "limit": page.limit, "offset": page.offset}


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


def text_chunks(pages_: Iterable[list[dict]], fmt: str) -> Iterator[str]:
    """CSV or JSON Lines text, one chunk per page of items, so that no more than a page is ever
    held: the header (the first item's columns, periods spread) comes with the first chunk."""
    if fmt == "jsonl":
        for items in pages_:
            yield "".join(json.dumps(item, ensure_ascii=False, default=str) + "\n" for item in items)
        return
    if fmt != "csv":
        raise ValueError(f"no text for {fmt!r}: csv or jsonl")
    buffer, writer = io.StringIO(), None
    for items in pages_:
        for item in map(_flat, items):
            if writer is None:
                writer = csv.DictWriter(buffer, fieldnames=list(item), extrasaction="ignore", restval="")
                writer.writeheader()
            writer.writerow({k: _cell(v) for k, v in item.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write(pages_: Iterable[list[dict]], fmt: str, dest: Path, con) -> int:
    """Write pages of items to `dest` as `fmt` (jsonl, csv, parquet); returns how many were written.
    Parquet goes through a JSON Lines file that DuckDB (`con`) reads back, so that it infers the
    nested types (lists, records)."""
    n = 0

    def counted() -> Iterator[list[dict]]:
        nonlocal n
        for items in pages_:
            n += len(items)
            yield items

    if fmt in ("csv", "jsonl"):
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            fh.writelines(text_chunks(counted(), fmt))
        return n
    handle, name = tempfile.mkstemp(prefix="veille-export-", suffix=".jsonl")
    os.close(handle)
    target = Path(name)
    try:
        with open(target, "w", encoding="utf-8", newline="") as fh:
            fh.writelines(text_chunks(counted(), "jsonl"))
        if n == 0:
            con.execute(f"COPY (SELECT NULL AS empty WHERE FALSE) TO '{_quoted(dest)}' (FORMAT PARQUET)")
        else:
            con.execute(f"COPY (SELECT * FROM read_json('{_quoted(target)}', format = 'newline_delimited',"
                        f" sample_size = -1)) TO '{_quoted(dest)}' (FORMAT PARQUET)")
    finally:
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
    return write(_pages(con, what, f, fused), fmt, dest, con)

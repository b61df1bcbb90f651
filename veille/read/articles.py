"""Articles: the list, and one article's whole `veille/1` record with what the fusion made of it."""
from __future__ import annotations

import json

from veille.read.common import LATEST, Filters, Page, Where, fetch, page_of, scalar
from veille.read.meta import fusion_ready


def _conditions(f: Filters, fused: bool) -> tuple[list[str], list]:
    w = Where(LATEST)
    w.span(f, "a.published")
    if f.language:
        w.add("a.language = ?", f.language)
    if f.source:
        outlet = " OR a.id IN (SELECT article_id FROM fusion_articles WHERE outlet = ?)" if fused else ""
        w.add(f"(a.source = ? OR a.url = ? OR json_extract_string(a.metadata, '$.site') = ?{outlet})",
              *[f.source] * (4 if fused else 3))
    if f.entity:
        w.add("a.id IN (SELECT article_id FROM entities WHERE entity_id = ?)", f.entity)
    return w.conditions, w.params


def summaries(con, ids: list[str], fused: bool) -> dict[str, dict]:
    """Article summaries (no text) by id, with how many entities, events and figures each holds."""
    if not ids:
        return {}
    outlet = ("(SELECT outlet FROM fusion_articles f WHERE f.article_id = a.id)" if fused
              else "json_extract_string(a.metadata, '$.site')")
    rows = fetch(con, f"""
        SELECT a.id, a.source, a.url, a.title, a.language, a.published, a.published_precision, a.version,
               length(a.text) AS chars, {outlet} AS outlet
        FROM articles a WHERE a.id IN (SELECT unnest(?::VARCHAR[]))""", [ids])
    out = {r["id"]: {**r, "entities": 0, "events": 0, "measurements": 0} for r in rows}
    for table in ("entities", "events", "measurements"):
        for aid, n in con.execute(f"SELECT article_id, count(*) FROM {table}"
                                  " WHERE article_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1", [ids]).fetchall():
            out[aid][table] = int(n)
    return out


def list_articles(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Stored articles (latest versions), newest publication first."""
    fused = fusion_ready(con) if fused is None else fused
    where, params = _conditions(f, fused)
    clause = " WHERE " + " AND ".join(where)
    total = scalar(con, f"SELECT count(*) FROM articles a{clause}", params)
    order = "a.published ASC NULLS LAST" if f.order == "date_asc" else "a.published DESC NULLS LAST"
    ids = [r[0] for r in con.execute(f"SELECT a.id FROM articles a{clause} ORDER BY {order}, a.source, a.id"
                                     f"{page.sql}", params).fetchall()]
    found = summaries(con, ids, fused)
    return page_of([found[i] for i in ids if i in found], total, page)


def resolve_article_id(con, article_id: str) -> str | None:
    """The full id of an article from its id or a unique prefix of at least 6 characters."""
    if len(article_id) >= 64:
        return article_id if scalar(con, "SELECT 1 FROM articles WHERE id = ?", [article_id]) else None
    if len(article_id) < 6:
        return None
    rows = con.execute("SELECT id FROM articles WHERE starts_with(id, ?) LIMIT 2", [article_id.lower()]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def get_article(con, article_id: str, fused: bool | None = None) -> dict | None:
    """The article's `veille/1` record, with its version history and, per event and figure index,
    the fused event and figure group it went into (`links`)."""
    fused = fusion_ready(con) if fused is None else fused
    full = resolve_article_id(con, article_id)
    if full is None:
        return None
    raw = scalar(con, "SELECT record FROM records WHERE article_id = ?", [full])
    if raw is None:
        return None
    record = json.loads(raw)
    meta = fetch(con, "SELECT version, supersedes, CAST(ingested_at AS VARCHAR) AS ingested_at,"
                      " (SELECT id FROM articles b WHERE b.supersedes = a.id LIMIT 1) AS superseded_by"
                      " FROM articles a WHERE id = ?", [full])[0]
    links = {"events": [None] * len(record.get("events") or []),
             "measurements": [None] * len(record.get("measurements") or [])}
    outlet = None
    if fused:
        for idx, event_id in con.execute("SELECT event_idx, event_id FROM fused_event_sources WHERE article_id = ?",
                                         [full]).fetchall():
            if idx < len(links["events"]):
                links["events"][idx] = event_id
        for idx, group_id in con.execute("SELECT measurement_idx, group_id FROM figure_members WHERE article_id = ?",
                                         [full]).fetchall():
            if idx < len(links["measurements"]):
                links["measurements"][idx] = group_id
        outlet = scalar(con, "SELECT outlet FROM fusion_articles WHERE article_id = ?", [full])
    record["article"] = {**meta, "outlet": outlet}
    record["links"] = links
    return record

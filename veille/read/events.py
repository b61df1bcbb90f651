"""Events: fused (one real-world event, its reports and their sentences) and per article."""
from __future__ import annotations

from veille.read.common import (LATEST, Filters, Page, Where, codes, counted_page, entity_row, fetch, mention_spans,
                                page_of, period, scalar, source_match)
from veille.read.meta import fused_row, fusion_ready
from veille.read.named import article_named, can_take_part, fused_named, took_part

_ORDER = {
    "date_desc": "coalesce(e.date_begin, e.first_reported) DESC NULLS LAST, e.event_id",
    "date_asc": "coalesce(e.date_begin, e.first_reported) ASC NULLS LAST, e.event_id",
    "sources": "e.sources DESC, coalesce(e.date_begin, e.first_reported) DESC NULLS LAST, e.event_id",
    "confidence": "e.confidence DESC, coalesce(e.date_begin, e.first_reported) DESC NULLS LAST, e.event_id",
}


def event_conditions(con, f: Filters, fused: bool) -> tuple[list[str], list]:
    """SQL conditions on `e` (fused_events, or events joined to its article `a`)."""
    w = Where()
    if fused and f.min_sources > 1:
        w.add("e.sources >= ?", f.min_sources)
    if f.parties:
        w.add("list_has_all(list_concat(e.actor, e.recipient), ?::VARCHAR[])", codes(f.parties))
    if f.type:
        w.add("e.type = ?", f.type.upper())
    if f.sector:
        w.add("list_contains(e.sectors, ?)", f.sector.lower())
    w.equal(f, "e", ("status",))
    w.span(f, "e.date_begin", "e.date_end")
    if f.entity:
        entity = entity_row(con, f.entity)
        if entity is None:
            w.add("FALSE")
        elif entity["type"] == "COUNTRY" and entity["country"]:
            w.add("list_contains(list_concat(e.actor, e.recipient), ?)", entity["country"])
        elif can_take_part(entity):
            condition, params = took_part(f.entity, fused)
            w.add(condition, *params)
        elif fused:
            w.add("e.event_id IN (SELECT s.event_id FROM fused_event_sources s JOIN " + mention_spans()
                  + " m ON m.article_id = s.article_id AND m.span[1] >= s.evidence_start"
                  " AND m.span[2] <= s.evidence_end)", f.entity)
        else:
            w.add("EXISTS (SELECT 1 FROM " + mention_spans() + " m WHERE m.article_id = e.article_id"
                  " AND m.span[1] >= e.evidence_start AND m.span[2] <= e.evidence_end)", f.entity)
    if f.source and fused:
        w.add("e.event_id IN (SELECT s.event_id FROM fused_event_sources s JOIN articles a"
              " ON a.id = s.article_id JOIN fusion_articles f ON f.article_id = s.article_id"
              f" WHERE {source_match()})", *[f.source] * 4)
    elif f.source:
        w.article_source(f)
    if f.article:
        w.add("e.event_id IN (SELECT event_id FROM fused_event_sources WHERE article_id = ?)" if fused
              else "e.article_id = ?", f.article)
    if f.articles:
        w.add("e.event_id IN (SELECT event_id FROM fused_event_sources WHERE article_id IN (SELECT unnest(?::VARCHAR[])))"
              if fused else "e.article_id IN (SELECT unnest(?::VARCHAR[]))", list(f.articles))
    return w.conditions, w.params


def _sources(con, event_ids: list[str]) -> dict[str, list[dict]]:
    """The reports of these fused events, each with its article's title, URL and outlet. Two small
    lookups by key rather than one join: joining the articles table (texts and all) costs more
    than the page itself."""
    rows = fetch(con, """
        SELECT s.event_id, s.article_id, s.event_idx, s.status, s.date_begin, s.date_end, s.location,
               s.evidence_start, s.evidence_end, s.evidence, s.claim_source, s.claim_kind, s.copy_group,
               s.published
        FROM fused_event_sources s
        WHERE s.event_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY s.published NULLS LAST, s.article_id, s.event_idx""", [event_ids])
    about = _articles_of(con, sorted({r["article_id"] for r in rows}))
    out: dict[str, list[dict]] = {}
    for r in rows:
        r["date"] = period(r.pop("date_begin"), r.pop("date_end"))
        r.update(about.get(r["article_id"], {"title": None, "url": None, "source": None, "outlet": None}))
        out.setdefault(r.pop("event_id"), []).append(r)
    return out


def _articles_of(con, article_ids: list[str]) -> dict[str, dict]:
    """Title, URL, source and outlet of these articles, by id."""
    if not article_ids:
        return {}
    rows = fetch(con, """
        SELECT a.id, a.title, a.url, a.source, f.outlet
        FROM (SELECT id, title, url, source FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))) a
        LEFT JOIN (SELECT article_id, outlet FROM fusion_articles
                   WHERE article_id IN (SELECT unnest(?::VARCHAR[]))) f ON f.article_id = a.id""",
                 [article_ids, article_ids])
    return {r.pop("id"): r for r in rows}


def _shape(r: dict, sources: list[dict], named: list[dict]) -> dict:
    return {
        "event_id": r["event_id"], "type": r["type"], "mode": r["mode"], "status": r["status"],
        "actor": list(r["actor"] or []), "recipient": list(r["recipient"] or []), "named_parties": named,
        "date": period(r["date_begin"], r["date_end"]), "location": r["location"],
        "sectors": list(r["sectors"] or []), "count": r["count"],
        "source_count": r["sources"], "independent_sources": r["independent_sources"],
        "confidence": r["confidence"], "first_reported": r["first_reported"], "last_reported": r["last_reported"],
        "sources": sources,
    }


def list_events(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Fused events matching `f`, newest first (or by `f.order`), each with its sources and their sentences
    and the people and bodies they name for its parties (`named_parties`, veille.read.named).

    Empty when the database has no fusion tables.
    """
    if not (fusion_ready(con) if fused is None else fused):
        return page_of([], 0, page)
    total, rows = counted_page(con, "e.* EXCLUDE (block)", "fused_events e", event_conditions(con, f, True),
                               _ORDER.get(f.order, _ORDER["date_desc"]), page)
    ids = [r["event_id"] for r in rows]
    sources = _sources(con, ids) if rows else {}
    named = fused_named(con, ids)
    return page_of([_shape(r, sources.get(r["event_id"], []), named.get(r["event_id"], [])) for r in rows], total, page)


def get_event(con, event_id: str, fused: bool | None = None) -> dict | None:
    """One fused event with all its sources, or None."""
    row = fused_row(con, "SELECT * EXCLUDE (block) FROM fused_events WHERE event_id = ?", event_id, fused)
    if row is None:
        return None
    return _shape(row, _sources(con, [event_id]).get(event_id, []), fused_named(con, [event_id]).get(event_id, []))


# An event's place on the timeline: the month of a date known to the day or the month (or of a
# span within 31 days), else the year it begins in (a date known only to the year, a quarter, a
# span of months); never January for a date known only to its year.
_MONTHLY = ("length(e.date_begin) >= 7 AND (e.date_end IS NULL OR substr(e.date_begin, 1, 7) = substr(e.date_end, 1, 7)"
            " OR date_diff('day', try_cast(e.date_begin AS DATE), try_cast(e.date_end AS DATE)) < 31)")


def event_histogram(con, f: Filters = Filters(), fused: bool | None = None) -> list[dict]:
    """How many events match `f` in each month, and, apart, in each year for those known only to
    the year or to a period longer than a month; undated events are left out.

    Rows in time order, a year before its months: `{"month": "2024-05", "year": "2024",
    "precision": "month", "events": 3}` for the events dated in May 2024 (to the day or the
    month), `{"month": "2023", "year": "2023", "precision": "year", "events": 2}` for those
    of 2023 known only to the year ("en 2023"): not counted in January.
    """
    fused = fusion_ready(con) if fused is None else fused
    where, params = event_conditions(con, f, fused)
    precision = f"CASE WHEN {_MONTHLY} THEN 'month' ELSE 'year' END"
    columns = (f"CASE WHEN {_MONTHLY} THEN substr(e.date_begin, 1, 7) ELSE substr(e.date_begin, 1, 4) END AS month,"
               f" substr(e.date_begin, 1, 4) AS year, {precision} AS precision, count(*) AS events")
    if fused:
        sql = f"SELECT {columns} FROM fused_events e"
    else:
        sql = f"SELECT {columns} FROM events e JOIN articles a ON a.id = e.article_id"
        where = [LATEST, *where]
    where.append("e.date_begin IS NOT NULL")
    return fetch(con, f"{sql} WHERE {' AND '.join(where)} GROUP BY 1, 2, 3 ORDER BY 1, 3 DESC", params)


def list_article_events(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Events as each article reports them, with the sentence each was read from and the people and
    bodies it names for the event's parties (`named_parties`, veille.read.named)."""
    fused = fusion_ready(con) if fused is None else fused
    where, params = event_conditions(con, f, False)
    where.insert(0, LATEST)
    clause = " WHERE " + " AND ".join(where)
    join = "FROM events e JOIN articles a ON a.id = e.article_id"
    total = scalar(con, f"SELECT count(*) {join}{clause}", params)
    fused_cols = ", s.event_id AS fused_event_id, fa.outlet" if fused else ", NULL AS fused_event_id, NULL AS outlet"
    fused_join = (" LEFT JOIN fused_event_sources s ON s.article_id = e.article_id AND s.event_idx = e.idx"
                  " LEFT JOIN fusion_articles fa ON fa.article_id = e.article_id") if fused else ""
    order = "e.date_begin ASC NULLS LAST" if f.order == "date_asc" else "e.date_begin DESC NULLS LAST"
    # the page's keys first, then their sentences and sources: cutting sentences out of every
    # matching article before the LIMIT cost most of the answer
    keys = fetch(con, f"SELECT e.article_id, e.idx {join}{clause} ORDER BY {order}, e.article_id, e.idx{page.sql}",
                 params)
    if not keys:
        return page_of([], total, page)
    rows = fetch(con, f"""
        SELECT e.*, a.title, a.published, a.source AS article_source, a.url,
               substr(a.text, e.evidence_start + 1, e.evidence_end - e.evidence_start) AS evidence_text{fused_cols}
        FROM (SELECT * FROM events WHERE (article_id, idx) IN (SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]))) e
        JOIN (SELECT * FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))) a ON a.id = e.article_id{fused_join}
        ORDER BY {order}, e.article_id, e.idx""",
                 [[k["article_id"] for k in keys], [k["idx"] for k in keys], sorted({k["article_id"] for k in keys})])
    named = article_named(con, [(k["article_id"], k["idx"]) for k in keys])
    items = []
    for r in rows:
        items.append({
            "article_id": r["article_id"], "idx": r["idx"], "type": r["type"], "mode": r["mode"],
            "status": r["status"], "actor": list(r["actor"] or []), "recipient": list(r["recipient"] or []),
            "named_parties": named.get((r["article_id"], r["idx"]), []),
            "date": period(r["date_begin"], r["date_end"]), "location": r["location"],
            "sectors": list(r["sectors"] or []), "count": r["count"],
            "evidence": [r["evidence_start"], r["evidence_end"]] if r["evidence_start"] is not None else None,
            "confidence": r["confidence"], "trigger": r["trigger"], "source": r["claim_source"],
            "evidence_text": r["evidence_text"] if r["evidence_start"] is not None else None,
            "event_id": r["fused_event_id"],
            "article": {"id": r["article_id"], "title": r["title"], "published": r["published"],
                        "source": r["article_source"], "url": r["url"], "outlet": r["outlet"]},
        })
    return page_of(items, total, page)

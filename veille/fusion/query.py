"""Reading the fusion: fused events, figure groups, conflicts and series, as plain dicts."""
from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """What to list. Dates are ISO days; an item matches a range when its dates meet it.

    `parties` must all be among an event's actors and recipients, or a figure's places.
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
    limit: int | None = 100

    @property
    def until_bound(self) -> str | None:
        """`until` as the last day it covers, for string comparison: 2024 -> 2024-12-31."""
        if not self.until:
            return None
        return {4: self.until + "-12-31", 7: self.until + "-31"}.get(len(self.until), self.until)


def event_conditions(f: Filters, alias: str = "") -> tuple[list[str], list]:
    """SQL conditions on an events table (fused or per article) for parties, type, sector, status, dates.

    `alias` prefixes the columns ("e." when the table is aliased `e`).
    """
    where: list[str] = []
    params: list = []
    if f.parties:
        where.append(f"list_has_all(list_concat({alias}actor, {alias}recipient), ?::VARCHAR[])")
        params.append([p.strip().upper() for p in f.parties if p.strip()])
    if f.type:
        where.append(f"{alias}type = ?")
        params.append(f.type.upper())
    if f.sector:
        where.append(f"list_contains({alias}sectors, ?)")
        params.append(f.sector.lower())
    if f.status:
        where.append(f"{alias}status = ?")
        params.append(f.status)
    if f.since:
        where.append(f"coalesce({alias}date_end, {alias}date_begin) >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{alias}date_begin <= ?")
        params.append(f.until_bound)
    return where, params


def _fetch(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _limit(f: Filters) -> str:
    return f" LIMIT {int(f.limit)}" if f.limit else ""


def list_events(store, f: Filters = Filters()) -> list[dict]:
    """Fused events matching the filters, each with its `sources`: the articles that report it."""
    conditions, values = event_conditions(f)
    where, params = ["sources >= ?", *conditions], [f.min_sources, *values]
    rows = _fetch(store.con, f"SELECT * EXCLUDE (block) FROM fused_events WHERE {' AND '.join(where)}"
                             f" ORDER BY sources DESC, date_begin DESC NULLS LAST, event_id{_limit(f)}", params)
    if not rows:
        return rows
    sources = _fetch(store.con, """
        SELECT s.event_id, s.article_id, s.event_idx, s.status, s.date_begin, s.date_end, s.location,
               s.evidence_start, s.evidence_end, s.evidence, s.claim_source, s.claim_kind, s.copy_group,
               s.published, a.title, a.url, a.source, f.outlet
        FROM fused_event_sources s JOIN articles a ON a.id = s.article_id
        JOIN fusion_articles f ON f.article_id = s.article_id
        WHERE s.event_id IN (SELECT unnest(?))
        ORDER BY s.published NULLS LAST, s.article_id, s.event_idx""", [[r["event_id"] for r in rows]])
    by_event: dict[str, list[dict]] = {}
    for s in sources:
        by_event.setdefault(s.pop("event_id"), []).append(s)
    for r in rows:
        r["sources_list"] = by_event.get(r["event_id"], [])
        r["outlets"] = sorted({s["outlet"] for s in r["sources_list"]})
    return [_event_shape(r) for r in rows]


def _event_shape(r: dict) -> dict:
    sources = r.pop("sources_list")
    r["source_count"] = r.pop("sources")
    r["date"] = {"begin": r.pop("date_begin"), "end": r.pop("date_end")} if r.get("date_begin") else None
    r.pop("date_end", None)
    r["sources"] = sources
    return r


def _figure_where(f: Filters, alias: str = "g") -> tuple[list[str], list]:
    where, params = [f"{alias}.sources >= ?"], [f.min_sources]
    if f.parties:
        where.append(f"list_has_all({alias}.places, ?::VARCHAR[])")
        params.append([p.upper() for p in f.parties])
    for column in ("metric", "status", "relation"):  # filters that name a column's value
        if getattr(f, column):
            where.append(f"{alias}.{column} = ?")
            params.append(getattr(f, column))
    if f.since:
        where.append(f"coalesce({alias}.period_end, {alias}.period_begin) >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{alias}.period_begin <= ?")
        params.append(f.until)
    return where, params


def _members(con, group_ids: list[str]) -> dict[str, list[dict]]:
    rows = _fetch(con, """
        SELECT m.group_id, m.article_id, m.measurement_idx, m.text, m.value, m.unit, m.usd, m.qualifier,
               m.low, m.high, m.period_begin, m.period_end, m.claim_source, m.claim_kind, m.position,
               m.outlier, m.implausible, m.copy_group, m.published, m.evidence, a.title, a.url, f.outlet
        FROM figure_members m JOIN articles a ON a.id = m.article_id
        JOIN fusion_articles f ON f.article_id = m.article_id
        WHERE m.group_id IN (SELECT unnest(?))
        ORDER BY m.published NULLS LAST, m.article_id, m.measurement_idx""", [group_ids])
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.pop("group_id"), []).append(r)
    return out


def list_figures(store, f: Filters = Filters()) -> list[dict]:
    """Figure groups (series points) matching the filters, each with its members and who says what."""
    where, params = _figure_where(f)
    rows = _fetch(store.con, f"SELECT g.* EXCLUDE (family) FROM figure_groups g WHERE {' AND '.join(where)}"
                             f" ORDER BY g.sources DESC, g.metric NULLS LAST, g.period_begin DESC NULLS LAST,"
                             f" g.group_id{_limit(f)}", params)
    members = _members(store.con, [r["group_id"] for r in rows]) if rows else {}
    for r in rows:
        r["period"] = {"begin": r.pop("period_begin"), "end": r.pop("period_end")}
        if not r["period"]["begin"]:
            r["period"] = None
        r["members_list"] = members.get(r["group_id"], [])
        r["member_count"] = r.pop("members")
        r["members"] = r.pop("members_list")
    return rows


def list_conflicts(store, f: Filters = Filters()) -> list[dict]:
    """Figure groups whose members disagree beyond rounding, with each position and who holds it."""
    where, params = _figure_where(f)
    where.append("g.conflict")
    rows = _fetch(store.con, f"SELECT g.* EXCLUDE (family) FROM figure_groups g WHERE {' AND '.join(where)}"
                             f" ORDER BY g.metric, g.period_begin DESC NULLS LAST, g.group_id{_limit(f)}", params)
    if not rows:
        return rows
    positions = _fetch(store.con, "SELECT * FROM figure_conflicts WHERE group_id IN (SELECT unnest(?))"
                                  " ORDER BY group_id, position", [[r["group_id"] for r in rows]])
    by_group: dict[str, list[dict]] = {}
    for p in positions:
        p["claims"] = json.loads(p["claims"])
        by_group.setdefault(p.pop("group_id"), []).append(p)
    for r in rows:
        r["period"] = {"begin": r.pop("period_begin"), "end": r.pop("period_end")}
        if not r["period"]["begin"]:
            r["period"] = None
        r["member_count"] = r.pop("members")
        r["positions"] = by_group.get(r["group_id"], [])
    return rows


def list_series(store, f: Filters = Filters()) -> list[dict]:
    """Series over time: the dated groups of each family (metric, relation, status, places, unit),
    one point per period, ordered by period; periods of one granularity make one series."""
    where, params = _figure_where(f)
    where.append("g.period_begin IS NOT NULL")
    rows = _fetch(store.con, f"SELECT g.* FROM figure_groups g WHERE {' AND '.join(where)}"
                             " ORDER BY g.family, g.granularity, g.period_begin, g.period_end", params)
    out: dict[tuple, dict] = {}
    for r in rows:
        key = (r["family"], r["granularity"])
        s = out.setdefault(key, {"metric": r["metric"], "relation": r["relation"], "status": r["status"],
                                 "places": r["places"], "directed": r["directed"], "unit": r["unit"],
                                 "granularity": r["granularity"], "points": []})
        s["points"].append({"period": {"begin": r["period_begin"], "end": r["period_end"]}, "value": r["value"],
                            "low": r["low"], "high": r["high"], "conflict": r["conflict"],
                            "sources": r["sources"], "independent_sources": r["independent_sources"],
                            "group_id": r["group_id"]})
    result = sorted(out.values(), key=lambda s: (-len(s["points"]), s["metric"] or "", s["granularity"] or ""))
    return result[:f.limit] if f.limit else result


def list_copy_groups(store, min_articles: int = 2) -> list[dict]:
    """Near-copy groups of at least `min_articles` articles: one story and the outlets that ran it."""
    rows = _fetch(store.con, "SELECT * FROM copy_groups WHERE articles >= ? ORDER BY articles DESC, group_id",
                  [min_articles])
    if not rows:
        return rows
    members = _fetch(store.con, """
        SELECT m.group_id, m.article_id, m.founder, f.outlet, f.published, a.title, a.url
        FROM copy_members m JOIN fusion_articles f USING (article_id) JOIN articles a ON a.id = m.article_id
        WHERE m.group_id IN (SELECT unnest(?)) ORDER BY f.published NULLS LAST, m.article_id""",
                     [[r["group_id"] for r in rows]])
    by_group: dict[str, list[dict]] = {}
    for m in members:
        by_group.setdefault(m.pop("group_id"), []).append(m)
    for r in rows:
        r["members"] = by_group.get(r["group_id"], [])
    return rows

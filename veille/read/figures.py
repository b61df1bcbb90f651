"""Figures: fused groups (one series point and every sentence that states it), their
conflicts, series over time, and measurements as each article gives them."""
from __future__ import annotations

from veille.read.common import (LATEST, Filters, Page, Where, codes, counted_page, entity_row, fetch, loads,
                                mention_spans, page_of, period, scalar, source_match)
from veille.read.meta import fused_row, fusion_ready

_ORDER = {
    "date_desc": "g.period_begin DESC NULLS LAST, g.sources DESC, g.group_id",
    "date_asc": "g.period_begin ASC NULLS LAST, g.sources DESC, g.group_id",
    "sources": "g.sources DESC, g.metric NULLS LAST, g.period_begin DESC NULLS LAST, g.group_id",
    "confidence": "g.independent_sources DESC, g.sources DESC, g.group_id",
}


def _about(con, entity_id: str, places: str, mentioned: str) -> tuple[str, list]:
    """Figures about an entity: a country by its code among the `places`, a region by its code or a
    mention, anything else by a mention in the sentence that states the figure (`mentioned`, an SQL
    condition with one parameter, the entity id)."""
    entity = entity_row(con, entity_id)
    if entity is None:
        return "FALSE", []
    if entity["type"] == "COUNTRY" and entity["country"]:
        return f"list_contains({places}, ?)", [entity["country"]]
    if entity["subdivision"]:
        return f"(list_contains({places}, ?) OR {mentioned})", [entity["subdivision"], entity_id]
    return mentioned, [entity_id]


_GROUP_MENTIONS = ("g.group_id IN (SELECT x.group_id FROM figure_members x JOIN " + mention_spans()
                   + " ms ON ms.article_id = x.article_id AND ms.span[1] >= x.evidence_start"
                   " AND ms.span[2] <= x.evidence_end)")
_MEASUREMENT_MENTIONS = ("EXISTS (SELECT 1 FROM " + mention_spans() + " ms WHERE ms.article_id = m.article_id"
                         " AND ms.span[1] >= m.evidence_start AND ms.span[2] <= m.evidence_end)")


def _group_where(con, f: Filters) -> tuple[list[str], list]:
    w = Where()
    if f.min_sources > 1:
        w.add("g.sources >= ?", f.min_sources)
    if f.parties:
        w.add("list_has_all(g.places, ?::VARCHAR[])", codes(f.parties))
    w.equal(f, "g", ("metric", "status", "relation"))
    if f.conflict is not None:
        w.add("g.conflict = ?", f.conflict)
    w.span(f, "g.period_begin", "g.period_end")
    if f.entity:
        cond, more = _about(con, f.entity, "g.places", _GROUP_MENTIONS)
        w.add(cond, *more)
    if f.source:
        w.add("g.group_id IN (SELECT m.group_id FROM figure_members m JOIN articles a ON a.id = m.article_id"
              f" JOIN fusion_articles f ON f.article_id = m.article_id WHERE {source_match()})", *[f.source] * 4)
    if f.article:
        w.add("g.group_id IN (SELECT group_id FROM figure_members WHERE article_id = ?)", f.article)
    if f.articles:
        w.add("g.group_id IN (SELECT group_id FROM figure_members WHERE article_id IN (SELECT unnest(?::VARCHAR[])))",
              list(f.articles))
    return w.conditions, w.params


def _members(con, group_ids: list[str]) -> dict[str, list[dict]]:
    rows = fetch(con, """
        SELECT m.group_id, m.article_id, m.measurement_idx, m.text, m.value, m.unit, m.usd, m.qualifier,
               m.value_max, m.low, m.high, m.period_begin, m.period_end, m.place_from, m.place_to,
               m.claim_source, m.claim_kind, m.position, m.outlier, m.implausible, m.copy_group, m.published,
               m.evidence_start, m.evidence_end, m.evidence, a.title, a.url, a.source, f.outlet
        FROM figure_members m JOIN articles a ON a.id = m.article_id
        LEFT JOIN fusion_articles f ON f.article_id = m.article_id
        WHERE m.group_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY m.position NULLS LAST, m.published NULLS LAST, m.article_id, m.measurement_idx""", [group_ids])
    out: dict[str, list[dict]] = {}
    for r in rows:
        r["period"] = period(r.pop("period_begin"), r.pop("period_end"))
        r["from"] = r.pop("place_from")
        r["to"] = r.pop("place_to")
        out.setdefault(r.pop("group_id"), []).append(r)
    return out


def _positions(con, group_ids: list[str]) -> dict[str, list[dict]]:
    if not group_ids:
        return {}
    rows = fetch(con, "SELECT * FROM figure_conflicts WHERE group_id IN (SELECT unnest(?::VARCHAR[]))"
                      " ORDER BY group_id, position", [group_ids])
    out: dict[str, list[dict]] = {}
    for r in rows:
        r["claims"] = loads(r["claims"], [])
        out.setdefault(r.pop("group_id"), []).append(r)
    return out


def _group_shape(r: dict, members: list[dict] | None, positions: list[dict]) -> dict:
    shaped = {
        "group_id": r["group_id"], "metric": r["metric"], "relation": r["relation"], "status": r["status"],
        "places": [p for p in (r["places"] or [])], "directed": r["directed"],
        "period": period(r["period_begin"], r["period_end"]), "granularity": r["granularity"],
        "unit": r["unit"], "value": r["value"], "low": r["low"], "high": r["high"],
        "member_count": r["members"], "sources": r["sources"], "independent_sources": r["independent_sources"],
        "conflict": r["conflict"], "implausible": r["implausible"], "positions": positions,
    }
    if members is not None:
        shaped["members"] = members
    return shaped


def list_figures(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Figure groups matching `f`, each with every sentence that states it and, in a conflict,
    each position and who holds it. Empty without the fusion tables."""
    if not (fusion_ready(con) if fused is None else fused):
        return page_of([], 0, page)
    total, rows = counted_page(con, "g.*", "figure_groups g", _group_where(con, f),
                               _ORDER.get(f.order, _ORDER["date_desc"]), page)
    ids = [r["group_id"] for r in rows]
    members = _members(con, ids) if ids else {}
    positions = _positions(con, [r["group_id"] for r in rows if r["conflict"]])
    return page_of([_group_shape(r, members.get(r["group_id"], []), positions.get(r["group_id"], []))
                    for r in rows], total, page)


def get_figure(con, group_id: str, fused: bool | None = None) -> dict | None:
    """One figure group with its members and positions, and the other points of its series."""
    r = fused_row(con, "SELECT * FROM figure_groups WHERE group_id = ?", group_id, fused)
    if r is None:
        return None
    shaped = _group_shape(r, _members(con, [group_id]).get(group_id, []),
                          _positions(con, [group_id] if r["conflict"] else []).get(group_id, []))
    shaped["series"] = [
        {"group_id": s["group_id"], "period": period(s["period_begin"], s["period_end"]), "value": s["value"],
         "conflict": s["conflict"]}
        for s in fetch(con, "SELECT group_id, period_begin, period_end, value, conflict FROM figure_groups"
                            " WHERE family = ? AND granularity IS NOT DISTINCT FROM ? AND period_begin IS NOT NULL"
                            " ORDER BY period_begin, period_end", [r["family"], r["granularity"]])]
    return shaped


def list_conflicts(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Figure groups whose sources disagree beyond rounding."""
    return list_figures(con, Filters(**{**f.__dict__, "conflict": True}), page, fused)


def list_series(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Series over time: the dated groups of one metric, relation, status, places and unit, one point per
    period of one granularity (years, months, ...), longest series first. Each point names its group, so
    that it leads to the sentences that state it; a point in conflict lists every position's value."""
    if not (fusion_ready(con) if fused is None else fused):
        return page_of([], 0, page)
    where, params = _group_where(con, f)
    where.append("g.period_begin IS NOT NULL")
    rows = fetch(con, f"SELECT g.* FROM figure_groups g WHERE {' AND '.join(where)}"
                      " ORDER BY g.family, g.granularity, g.period_begin, g.period_end", params)
    series: dict[tuple, dict] = {}
    for r in rows:
        key = (r["family"], r["granularity"])
        s = series.setdefault(key, {
            "key": f"{r['family']}|{r['granularity']}", "metric": r["metric"], "relation": r["relation"],
            "status": r["status"], "places": list(r["places"] or []), "directed": r["directed"], "unit": r["unit"],
            "granularity": r["granularity"], "points": []})
        s["points"].append({
            "group_id": r["group_id"], "period": period(r["period_begin"], r["period_end"]), "value": r["value"],
            "low": r["low"], "high": r["high"], "conflict": r["conflict"], "sources": r["sources"],
            "independent_sources": r["independent_sources"], "members": r["members"], "positions": []})
    ordered = sorted(series.values(), key=lambda s: (-len(s["points"]), -sum(p["sources"] for p in s["points"]),
                                                     s["metric"] or "", s["key"]))
    chosen = ordered[page.offset:page.offset + page.limit]
    conflicted = [p["group_id"] for s in chosen for p in s["points"] if p["conflict"]]
    positions = _positions(con, conflicted)
    for s in chosen:
        for p in s["points"]:
            p["positions"] = [{"position": x["position"], "value": x["value"], "sources": x["sources"]}
                              for x in positions.get(p["group_id"], [])]
    return page_of(chosen, len(ordered), page)


def list_measurements(con, f: Filters = Filters(), page: Page = Page(), fused: bool | None = None) -> dict:
    """Figures as each article states them, with the sentence each was read from."""
    fused = fusion_ready(con) if fused is None else fused
    w = Where(LATEST)
    if f.parties:
        w.add("list_has_all([m.place_from, m.place_to], ?::VARCHAR[])", codes(f.parties))
    w.equal(f, "m", ("metric", "status", "relation", "kind"))
    w.span(f, "m.period_begin", "m.period_end")
    if f.entity:
        cond, more = _about(con, f.entity, "[m.place_from, m.place_to]", _MEASUREMENT_MENTIONS)
        w.add(cond, *more)
    w.article_source(f)
    if f.article:
        w.add("m.article_id = ?", f.article)
    join = "FROM measurements m JOIN articles a ON a.id = m.article_id"
    clause, params = " WHERE " + w.sql, w.params
    total = scalar(con, f"SELECT count(*) {join}{clause}", params)
    extra = (", fm.group_id, fm.qualifier, fm.value_max, fa.outlet" if fused
             else ", NULL AS group_id, NULL AS qualifier, NULL AS value_max, NULL AS outlet")
    extra_join = (" LEFT JOIN figure_members fm ON fm.article_id = m.article_id AND fm.measurement_idx = m.idx"
                  " LEFT JOIN fusion_articles fa ON fa.article_id = m.article_id") if fused else ""
    order = "m.period_begin ASC NULLS LAST" if f.order == "date_asc" else "m.period_begin DESC NULLS LAST"
    rows = fetch(con, f"""
        SELECT m.*, a.title, a.published, a.source AS article_source, a.url,
               substr(a.text, m.evidence_start + 1, m.evidence_end - m.evidence_start) AS evidence_text{extra}
        {join}{extra_join}{clause} ORDER BY {order}, m.article_id, m.idx{page.sql}""", params)
    items = []
    for r in rows:
        has_evidence = r["evidence_start"] is not None
        items.append({
            "article_id": r["article_id"], "idx": r["idx"], "start": r["start_char"], "end": r["end_char"],
            "text": r["text"], "value": r["value"], "unit": r["unit"], "kind": r["kind"], "relation": r["relation"],
            "status": r["status"], "metric": r["metric"], "from": r["place_from"], "to": r["place_to"],
            "period": period(r["period_begin"], r["period_end"]), "usd": r["usd"], "qualifier": r["qualifier"],
            "value_max": r["value_max"],
            "evidence": [r["evidence_start"], r["evidence_end"]] if has_evidence else None,
            "evidence_text": r["evidence_text"] if has_evidence else None, "group_id": r["group_id"],
            "article": {"id": r["article_id"], "title": r["title"], "published": r["published"],
                        "source": r["article_source"], "url": r["url"], "outlet": r["outlet"]},
        })
    return page_of(items, total, page)

"""Entities: who and what the articles name, and for one of them what it did, with whom, when."""
from __future__ import annotations

from veille.read.common import LATEST, Filters, Page, Where, codes, entity_row, fetch, page_of, scalar
from veille.read.events import event_conditions
from veille.read.meta import fusion_ready

_FROM = """
    FROM (SELECT entity_id, article_id, name, type, country, subdivision, role,
                 json_array_length(mentions) AS mentions, mentions AS spans, 1 AS n
          FROM entities) e JOIN articles a ON a.id = e.article_id"""
_SUMMARY = """
    SELECT e.entity_id AS id, arg_max(e.name, e.n) AS name, arg_max(e.type, e.n) AS type,
           arg_max(e.country, e.n) AS country, arg_max(e.subdivision, e.n) AS subdivision,
           count(DISTINCT e.article_id) AS articles, sum(e.mentions) AS mentions""" + _FROM


def _conditions(f: Filters) -> tuple[list[str], list]:
    w = Where(LATEST)
    if f.role:
        w.add("e.role = ?", f.role)
    if f.type:
        w.add("e.type = ?", f.type.upper())
    if f.parties:
        w.add("e.country IN (SELECT unnest(?::VARCHAR[]))", codes(f.parties))
    if f.q:
        # by its name, its id, or the words the articles use for it ("Poutine" finds Vladimir Putin)
        w.add("(contains(lower(e.name), lower(?)) OR contains(lower(e.entity_id), lower(?))"
              " OR list_bool_or(list_transform(CAST(e.spans AS INTEGER[][]), lambda s: contains("
              "lower(strip_accents(substr(a.text, s[1] + 1, s[2] - s[1]))), lower(strip_accents(?))))))", f.q, f.q, f.q)
    if f.article:
        w.add("e.article_id = ?", f.article)
    w.article_source(f)
    w.span(f, "a.published")
    return w.conditions, w.params


def list_entities(con, f: Filters = Filters(), page: Page = Page()) -> dict:
    """Entities named in the articles, the most widely reported first."""
    where, params = _conditions(f)
    clause = " WHERE " + " AND ".join(where)
    total = scalar(con, f"SELECT count(DISTINCT e.entity_id) {_FROM}{clause}", params)
    rows = fetch(con, f"{_SUMMARY}{clause} GROUP BY e.entity_id ORDER BY articles DESC, mentions DESC, id{page.sql}",
                 params)
    for r in rows:
        r["mentions"] = int(r["mentions"] or 0)
    return page_of(rows, total, page)


def get_entity(con, entity_id: str, fused: bool | None = None) -> dict | None:
    """One entity: how often it is named, since when, how many events concern it (a person's or
    a body's: those it took part in, see `Filters.entity`) and figures, the parties it acted with
    (most frequent first; its own state left out) and the latest articles that name it."""
    fused = fusion_ready(con) if fused is None else fused
    if entity_row(con, entity_id) is None:
        return None
    summary = fetch(con, f"{_SUMMARY} WHERE {LATEST} AND e.entity_id = ? GROUP BY e.entity_id", [entity_id])
    if not summary:
        return None
    entity = summary[0]
    entity["mentions"] = int(entity["mentions"] or 0)
    span = con.execute(f"SELECT min(a.published), max(a.published) FROM articles a WHERE {LATEST} AND a.id IN"
                       " (SELECT article_id FROM entities WHERE entity_id = ?)", [entity_id]).fetchone()
    entity["first_seen"], entity["last_seen"] = span
    f = Filters(entity=entity_id)
    where, params = event_conditions(con, f, fused)
    if fused:
        events_from = "FROM fused_events e"
    else:
        events_from = "FROM events e JOIN articles a ON a.id = e.article_id"
        where = [LATEST, *where]
    clause = " WHERE " + " AND ".join(where)
    entity["events"] = int(scalar(con, f"SELECT count(*) {events_from}{clause}", params) or 0)
    own = entity["country"]  # a person or body acts for its state: its partners are the others
    partners = fetch(con, f"SELECT p AS code, count(*) AS events FROM (SELECT unnest(list_distinct("
                          f"list_concat(e.actor, e.recipient))) AS p {events_from}{clause})"
                          " WHERE p IS DISTINCT FROM ? GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 30", [*params, own])
    names = {r["code"]: r for r in fetch(
        con, "SELECT country AS code, arg_max(entity_id, n) AS entity_id, arg_max(name, n) AS name FROM"
             " (SELECT country, entity_id, name, count(*) AS n FROM entities WHERE type = 'COUNTRY'"
             " AND country IN (SELECT unnest(?::VARCHAR[])) GROUP BY ALL) GROUP BY 1",
        [[p["code"] for p in partners]])} if partners else {}
    for p in partners:
        p["entity_id"] = names.get(p["code"], {}).get("entity_id")
        p["name"] = names.get(p["code"], {}).get("name")
    entity["partners"] = partners
    if fused:
        from veille.read.figures import list_figures

        entity["figures"] = list_figures(con, f, Page(limit=1), fused)["total"]
    else:
        entity["figures"] = 0
    entity["recent_articles"] = fetch(
        con, f"SELECT a.id, a.title, a.published, a.source, a.url FROM articles a WHERE {LATEST} AND a.id IN"
             " (SELECT article_id FROM entities WHERE entity_id = ?) ORDER BY a.published DESC NULLS LAST, a.id"
             " LIMIT 10", [entity_id])
    return entity

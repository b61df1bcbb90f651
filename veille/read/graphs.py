"""Where and with whom: the events of the timeline (same filters, `veille.read.events`) grouped by
place for a map, and by pairs of parties for a network.

Where an event is: its `location` (a place of the gazetteer, drawn at its `coords`); an event
with no location is put at its host state, the first state among its recipients then its actors
("Xi Jinping à Moscou" without the city: Russia), drawn at that state's capital and marked
`basis: "party"`; an event with neither (two bodies, no place) is counted as `unlocated`. A place
the gazetteer cannot draw (an unknown name, an entry without coords) is listed in `unplaced`,
never dropped, so that the counts of `places`, `unplaced` and `unlocated` add up to `total`.

Event types fall into PLOVER's four categories, as the codebook gives them (resources/codebook.yaml,
each type's `category`): the map colours a place and the network an edge by the category of most
of their events.
"""
from __future__ import annotations

from functools import lru_cache

from veille.codebook import codebook
from veille.gazetteer import Point, key_of, map_points, party_bodies, party_names, slug
from veille.read.common import LATEST, Filters, fetch, period, scalar
from veille.read.events import event_conditions
from veille.read.meta import fusion_ready

TOP_EVENTS = 5          # the events a place lists, most reported first
MAX_TOP = 200           # the most nodes a network keeps


@lru_cache(maxsize=1)
def categories() -> tuple[dict, ...]:
    """PLOVER's four categories in the codebook's order, each with its id, English label and types:
    {"id": "verbal_cooperation", "label": "Verbal cooperation", "types": ["AGREE", ...]}."""
    kinds = codebook("en")["kinds"]
    return tuple({"id": c["code"], "label": c["label"],
                  "types": [t["code"] for t in kinds["type"] if t.get("category") == c["code"]]}
                 for c in kinds["category"])


@lru_cache(maxsize=1)
def category_of() -> dict[str, str]:
    """The category of every PLOVER type: "CONSULT" -> "verbal_cooperation"."""
    return {t: c["id"] for c in categories() for t in c["types"]}


def _events(con, f: Filters, fused: bool | None) -> tuple[str, list]:
    """The SQL of the events `f` selects (fused, else as each article reports them: the latest
    version of each article), as `id, type, date_begin, date_end, day, sources, location, actor,
    recipient`, and its parameters."""
    fused = fusion_ready(con) if fused is None else fused
    where, params = event_conditions(con, f, fused)
    if fused:
        sql = ("SELECT e.event_id AS id, e.type, e.date_begin, e.date_end, coalesce(e.date_begin, e.first_reported)"
               " AS day, e.sources, e.location, e.actor, e.recipient FROM fused_events e")
    else:
        sql = ("SELECT e.article_id || ':' || e.idx AS id, e.type, e.date_begin, e.date_end, e.date_begin AS day,"
               " 1 AS sources, e.location, e.actor, e.recipient FROM events e JOIN articles a ON a.id = e.article_id")
        where = [LATEST, *where]
    return sql + (f" WHERE {' AND '.join(where)}" if where else ""), params


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _counts(by_type: dict[str, int]) -> dict[str, int]:
    """Counts by type as counts by PLOVER category."""
    out: dict[str, int] = {}
    for t, n in by_type.items():
        out[category_of().get(t, "other")] = out.get(category_of().get(t, "other"), 0) + n
    return _sorted(out)


def _dominant(by_category: dict[str, int]) -> str | None:
    order = [c["id"] for c in categories()]
    return max(by_category, key=lambda c: (by_category[c], -order.index(c) if c in order else -99), default=None)


# -- the map ---------------------------------------------------------------------------------------

def _place(location: str | None, host: str | None) -> tuple[Point, str, bool]:
    """The point an event is drawn at, on what basis ("location" or "party"), and whether the
    gazetteer knows the place (an unknown name gets a slug id and no coordinates)."""
    places, names, states = map_points()
    if location is None:
        return states.get(host) or Point(host, host, host, None), "party", host in states
    if location in places:
        return places[location], "location", True
    if location in states:
        return states[location], "location", True
    ids = sorted(names.get(key_of(location), ()), key=lambda i: (places[i].coords is None, i))
    if ids:
        return places[ids[0]], "location", True
    return Point(slug(location), location, None, None), "location", False


def event_map(con, f: Filters = Filters(), fused: bool | None = None) -> dict:
    """The events `f` selects, by place: each place with its coordinates (or none: `unplaced`), its
    state, how many events of each type and category, and its most reported events.

    {"total": 53, "unlocated": 1, "places": [{"id": "Q956", "name": "Beijing", "coords": [39.9, 116.41],
     "state": "CHN", "basis": "location", "events": 17, "by_type": {"CONSULT": 9, ...}, ...}], "unplaced": [...]}
    """
    events, params = _events(con, f, fused)
    states = sorted(map_points()[2])
    located = (f"WITH m AS (SELECT *, CASE WHEN location IS NULL THEN list_filter(list_concat(recipient, actor),"
               f" lambda x: list_contains(?::VARCHAR[], x))[1] END AS host FROM ({events}))")
    groups = fetch(con, f"{located} SELECT location, host, type, count(*) AS n FROM m GROUP BY ALL", [states, *params])
    tops = fetch(con, f"{located} SELECT location, host, id, type, date_begin, date_end, sources, day FROM"
                      f" (SELECT *, row_number() OVER (PARTITION BY location, host ORDER BY sources DESC,"
                      f" day DESC NULLS LAST, id) AS rank FROM m) WHERE rank <= {TOP_EVENTS}", [states, *params])
    found: dict[tuple[str, str], dict] = {}
    unlocated = 0
    for g in groups:
        if g["location"] is None and g["host"] is None:
            unlocated += g["n"]
            continue
        point, basis, known = _place(g["location"], g["host"])
        place = found.setdefault((point.id, basis), {
            "id": point.id, "name": point.name, "coords": list(point.coords) if point.coords else None,
            "state": point.country, "basis": basis, "known": known, "events": 0, "by_type": {}, "top": []})
        place["events"] += g["n"]
        place["by_type"][g["type"]] = place["by_type"].get(g["type"], 0) + g["n"]
    for t in tops:
        if t["location"] is None and t["host"] is None:
            continue
        point, basis, _ = _place(t["location"], t["host"])
        found[(point.id, basis)]["top"].append(t)
    places = sorted(found.values(), key=lambda p: (-p["events"], p["name"]))
    for p in places:
        p["by_type"] = _sorted(p["by_type"])
        p["by_category"] = _counts(p["by_type"])
        p["category"] = _dominant(p["by_category"])
        top = sorted(p["top"], key=lambda t: t["id"])
        top.sort(key=lambda t: t["day"] or "", reverse=True)      # latest first, undated last
        top.sort(key=lambda t: -t["sources"])                     # most reported first
        p["top"] = [{"event_id": t["id"], "type": t["type"], "sources": t["sources"],
                     "date": period(t["date_begin"], t["date_end"])} for t in top[:TOP_EVENTS]]
    return {
        "total": int(scalar(con, f"SELECT count(*) FROM ({events})", params) or 0),
        "unlocated": unlocated,
        "places": [p for p in places if p["coords"]],
        "unplaced": [p for p in places if not p["coords"]],
        "categories": list(categories()),
    }


# -- the network -----------------------------------------------------------------------------------

def network(con, f: Filters = Filters(), fused: bool | None = None, top: int = 30) -> dict:
    """The parties of the events `f` selects (states and bodies by code) and who acts with whom:
    one edge per pair of parties of an event, weighted by how many events they share, with its
    counts by PLOVER category. Only the `top` parties with the most events are kept; `others` says how
    many were left out, with how many events and edges.

    An edge's `parties` ("CHN,RUS") is the timeline's filter for its events: `weight` is what
    /api/events answers as `total` for it with the same filters (their own `parties` added).
    """
    top = max(1, min(int(top), MAX_TOP))
    events, params = _events(con, f, fused)
    parts = (f"WITH ev AS (SELECT id, type, list_distinct(list_concat(actor, recipient)) AS p FROM ({events})),"
             f" parts AS (SELECT id, type, unnest(p) AS code FROM ev)")
    node_rows = fetch(con, f"{parts} SELECT code, type, count(*) AS n FROM parts GROUP BY ALL", params)
    edge_rows = fetch(con, f"{parts} SELECT a.code AS a, b.code AS b, a.type, count(*) AS n FROM parts a"
                           f" JOIN parts b ON a.id = b.id AND a.code < b.code GROUP BY ALL", params)
    names, states = party_names(), map_points()[2]
    bodies = set(party_bodies()[0].values())
    nodes: dict[str, dict] = {}
    for r in node_rows:
        node = nodes.setdefault(r["code"], {
            "code": r["code"], "name": names.get(r["code"], r["code"]),
            "kind": "state" if r["code"] in states else "body" if r["code"] in bodies else "other",
            "events": 0, "by_type": {}})
        node["events"] += r["n"]
        node["by_type"][r["type"]] = r["n"]
    ranked = sorted(nodes.values(), key=lambda n: (-n["events"], n["code"]))
    kept = {n["code"] for n in ranked[:top]}
    edges: dict[tuple[str, str], dict] = {}
    for r in edge_rows:
        edge = edges.setdefault((r["a"], r["b"]), {"source": r["a"], "target": r["b"], "parties": f"{r['a']},{r['b']}",
                                                   "weight": 0, "by_type": {}})
        edge["weight"] += r["n"]
        edge["by_type"][r["type"]] = r["n"]
    shown = [e for e in edges.values() if e["source"] in kept and e["target"] in kept]
    left = [e for e in edges.values() if not (e["source"] in kept and e["target"] in kept)]
    degree: dict[str, int] = {}
    for e in shown:
        e["by_type"] = _sorted(e["by_type"])
        e["by_category"] = _counts(e["by_type"])
        e["category"] = _dominant(e["by_category"])
        for code in (e["source"], e["target"]):
            degree[code] = degree.get(code, 0) + 1
    for n in ranked:
        n["by_type"] = _sorted(n["by_type"])
        n["by_category"] = _counts(n["by_type"])
        n["category"] = _dominant(n["by_category"])
        n["degree"] = degree.get(n["code"], 0)
    cut = [n["code"] for n in ranked[top:]]
    return {
        "total": int(scalar(con, f"SELECT count(*) FROM ({events})", params) or 0),
        "top": top,
        "nodes": ranked[:top],
        "edges": sorted(shown, key=lambda e: (-e["weight"], e["source"], e["target"])),
        "others": {
            "nodes": len(cut), "edges": len(left), "weight": sum(e["weight"] for e in left),
            "events": int(scalar(con, f"{parts} SELECT count(*) FROM ev WHERE list_has_any(p, ?::VARCHAR[])",
                                 [*params, cut]) or 0) if cut else 0,
        },
        "categories": list(categories()),
    }

"""/api/alerts, /api/sources and /alerts/NAME.atom: the saved searches with their latest
matches, the watched sources with their health, and each alert as a feed to subscribe to."""
from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from veille.api.deps import Cursor, NOT_FOUND

router = APIRouter(tags=["watch"])
feeds = APIRouter()


def _tables(cur) -> bool:
    return bool(cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'alerts'").fetchone()[0])


@router.get("/alerts")
def alerts(cur: Cursor) -> list[dict]:
    """Every saved alert: its listing and filters, how many items it matches, how many changed
    since `veille alerts` last read it, its latest match and its webhook's last failure."""
    from veille.watch.alerts import list_alerts

    return list_alerts(cur) if _tables(cur) else []


@router.get("/alerts/{name}", responses=NOT_FOUND)
def alert_matches(name: str, cur: Cursor, limit: int = Query(50, ge=1, le=500)) -> dict:
    """An alert's latest matches, newest first (each with the item as its listing gives it)."""
    from veille.watch.alerts import list_alerts

    found = [a for a in list_alerts(cur) if a["name"] == name] if _tables(cur) else []
    if not found:
        raise HTTPException(status_code=404, detail=f"no alert named {name!r}")
    rows = cur.execute("SELECT item_id, first_matched, updated, sources, title, item FROM alert_matches"
                       " WHERE alert = ? ORDER BY updated DESC, item_id LIMIT ?", [name, limit]).fetchall()
    items = [{"item_id": i, "change": "new" if f == u else "updated", "first_matched": f.isoformat(timespec="seconds"),
              "matched": u.isoformat(timespec="seconds"), "sources": s, "title": t, "item": json.loads(item)}
             for i, f, u, s, t, item in rows]
    return {**found[0], "items": items}


@router.get("/sources")
def sources(cur: Cursor) -> list[dict]:
    """The watched sources with their health: last success, last error, failures in a row, when
    each is due, articles stored from it in all and per day over the last week."""
    from veille.watch import list_sources

    if not _tables(cur):
        return []
    return list_sources(cur)


@feeds.get("/alerts/{name}.atom", include_in_schema=False)
def alert_feed(name: str, cur: Cursor, request: Request) -> Response:
    from veille.watch.alerts import atom_feed

    try:
        body = atom_feed(cur, name, str(request.base_url)) if _tables(cur) else None
    except KeyError:
        body = None
    if body is None:
        raise HTTPException(status_code=404, detail=f"no alert named {name!r}")
    return Response(body, media_type="application/atom+xml; charset=utf-8")

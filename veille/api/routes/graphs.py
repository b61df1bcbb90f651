"""/api/map and /api/network: the events of the timeline (same filters) by place and by pair of
parties (veille.read.graphs)."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Query

from veille.api import models, params as p
from veille.api.deps import DB, Cursor
from veille.read.graphs import MAX_TOP, event_map, network

router = APIRouter(tags=["events"])

Top = Annotated[int, Query(ge=2, le=MAX_TOP, description=f"How many parties to keep, those with the most events: "
                                                         f"2 to {MAX_TOP}.")]


@router.get("/map", response_model=models.EventMap)
def where(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
          sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
          status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
          min_sources: p.MinSources = 1):
    """The events of /api/events (same filters) by place, each place with its coordinates, its counts by
    PLOVER type and category and its most reported events; places without coordinates in `unplaced`."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, min_sources=min_sources)
    return event_map(cur, f, db.fused)


@router.get("/network", response_model=models.Network)
def with_whom(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
              sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
              status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
              min_sources: p.MinSources = 1, top: Top = 30):
    """The parties of the events of /api/events (same filters) and the pairs that share events, weighted
    by how many, with counts by PLOVER category; the `top` parties with the most events, the rest
    counted in `others`."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, min_sources=min_sources)
    return network(cur, f, db.fused, top)

"""/api/events: fused events (the timeline) and events as each article reports them."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Path

from veille.api import models, params as p
from veille.api.deps import DB, NOT_FOUND, Cursor, found
from veille.read import event_histogram, get_event, list_article_events, list_events

router = APIRouter(tags=["events"])


@router.get("/events", response_model=models.Page[models.FusedEvent])
def events(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
           sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
           status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
           article: p.ArticleId = None, min_sources: p.MinSources = 1, order: p.Order = p.Order.date_desc,
           limit: p.Limit = 50, offset: p.Offset = 0):
    """Fused events, newest first: one real-world event each, with every article that reports it and
    the sentence it was read from. Empty when the database has no fusion tables."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, article=article, min_sources=min_sources, order=order)
    return list_events(cur, f, p.page(limit, offset), db.fused)


@router.get("/events/months", response_model=list[models.MonthCount])
def event_months(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
                 sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
                 status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
                 min_sources: p.MinSources = 1):
    """How many events match, month by month (fused events, else per-article ones)."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, min_sources=min_sources)
    return event_histogram(cur, f, db.fused)


@router.get("/events/{event_id}", response_model=models.FusedEvent, responses=NOT_FOUND)
def event(db: DB, cur: Cursor, event_id: Annotated[str, Path(min_length=1, max_length=100)]):
    """One fused event with all its sources and their sentences."""
    return found(get_event(cur, event_id, db.fused), "event", event_id)


@router.get("/article-events", response_model=models.Page[models.ArticleEvent])
def article_events(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
                   sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
                   status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
                   article: p.ArticleId = None, order: p.Order = p.Order.date_desc,
                   limit: p.Limit = 50, offset: p.Offset = 0):
    """Events as each article reports them (`veille/1` events), with the sentence each was read from
    and the fused event it went into."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, article=article, order=order)
    return list_article_events(cur, f, p.page(limit, offset), db.fused)

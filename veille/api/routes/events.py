"""/api/events: fused events (the timeline), events as each article reports them, and the flat
table of which article reports which event; each list also as a file (`format=`)."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Path

from veille.api import models, params as p
from veille.api.deps import DB, NOT_FOUND, Cursor, found
from veille.api.download import DOWNLOADS, download, listed
from veille.export import event_source_pages, list_event_sources
from veille.read import event_histogram, get_event, list_article_events, list_events

router = APIRouter(tags=["events"])


@router.get("/events", response_model=models.Page[models.FusedEvent], responses=DOWNLOADS)
def events(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
           sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
           status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
           article: p.ArticleId = None, min_sources: p.MinSources = 1, order: p.Order = p.Order.date_desc,
           limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Fused events, newest first: one real-world event each, with every article that reports it and
    the sentence it was read from. Empty when the database has no fusion tables."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, article=article, min_sources=min_sources, order=order)
    return listed(db, cur, "events", fmt, lambda con, page: list_events(con, f, page, db.fused), limit, offset)


@router.get("/event-sources", response_model=models.Page[models.EventSourceRow], responses=DOWNLOADS)
def event_sources(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
                  sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
                  status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
                  article: p.ArticleId = None, min_sources: p.MinSources = 1, order: p.Order = p.Order.date_desc,
                  limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """The events of /api/events (same filters, same order), flat: one row per event and article that
    reports it, with the event's type, status, dates and parties and the article's outlet, URL,
    title and sentence. Without fusion tables, one row per event as each article reports it."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, article=article, min_sources=min_sources, order=order)
    if fmt is not p.FileFormat.json:
        return download(db, "event-sources", fmt, lambda con: event_source_pages(con, f, db.fused))
    return list_event_sources(cur, f, p.page(limit, offset), db.fused)


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


@router.get("/article-events", response_model=models.Page[models.ArticleEvent], responses=DOWNLOADS)
def article_events(db: DB, cur: Cursor, type: Optional[p.EventType] = None, parties: p.Parties = None,
                   sector: Optional[p.Sector] = None, since: p.Since = None, until: p.Until = None,
                   status: Optional[p.EventStatus] = None, entity: p.EntityId = None, source: p.Source = None,
                   article: p.ArticleId = None, order: p.Order = p.Order.date_desc,
                   limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Events as each article reports them (`veille/1` events), with the sentence each was read from
    and the fused event it went into."""
    f = p.filters(type=type, parties=parties, sector=sector, since=since, until=until, status=status,
                  entity=entity, source=source, article=article, order=order)
    return listed(db, cur, "article-events", fmt, lambda con, page: list_article_events(con, f, page, db.fused),
                  limit, offset)

"""/api/figures, /api/series, /api/conflicts: figures fused across articles; /api/measurements: as stated.
Each list also as a file (`format=`)."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Path, Query

from veille.api import models, params as p
from veille.api.deps import DB, NOT_FOUND, Cursor, found
from veille.api.download import DOWNLOADS, listed
from veille.read import get_figure, list_conflicts, list_figures, list_measurements, list_series

router = APIRouter(tags=["figures"])

Conflict = Annotated[Optional[bool], Query(description="Only groups whose sources disagree (true) or agree (false).")]


@router.get("/figures", response_model=models.Page[models.FigureGroup], responses=DOWNLOADS)
def figures(db: DB, cur: Cursor, metric: p.Metric = None, parties: p.Parties = None,
            status: Optional[p.FigureStatus] = None, relation: Optional[p.Relation] = None, since: p.Since = None,
            until: p.Until = None, conflict: Conflict = None, entity: p.EntityId = None, source: p.Source = None,
            article: p.ArticleId = None, min_sources: p.MinSources = 1, order: p.Order = p.Order.date_desc,
            limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Figure groups: one metric between the same places over one period, its best-supported value,
    and every sentence that states it; in a conflict, each position and who holds it."""
    f = p.filters(metric=metric, parties=parties, status=status, relation=relation, since=since, until=until,
                  conflict=conflict, entity=entity, source=source, article=article, min_sources=min_sources,
                  order=order)
    return listed(db, cur, "figures", fmt, lambda con, page: list_figures(con, f, page, db.fused), limit, offset)


@router.get("/figures/{group_id}", response_model=models.FigureDetail, responses=NOT_FOUND)
def figure(db: DB, cur: Cursor, group_id: Annotated[str, Path(min_length=1, max_length=100)]):
    """One figure group with its statements, positions, and the other points of its series."""
    return found(get_figure(cur, group_id, db.fused), "figure group", group_id)


@router.get("/series", response_model=models.Page[models.Series], responses=DOWNLOADS)
def series(db: DB, cur: Cursor, metric: p.Metric = None, parties: p.Parties = None,
           status: Optional[p.FigureStatus] = None, relation: Optional[p.Relation] = None, since: p.Since = None,
           until: p.Until = None, entity: p.EntityId = None, source: p.Source = None,
           min_sources: p.MinSources = 1, limit: p.Limit = 20, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Series over time, longest first: one metric between the same places, one point per period;
    each point names its figure group (and so its sentences), a point in conflict every position."""
    f = p.filters(metric=metric, parties=parties, status=status, relation=relation, since=since, until=until,
                  entity=entity, source=source, min_sources=min_sources)
    return listed(db, cur, "series", fmt, lambda con, page: list_series(con, f, page, db.fused), limit, offset)


@router.get("/conflicts", response_model=models.Page[models.FigureGroup], responses=DOWNLOADS)
def conflicts(db: DB, cur: Cursor, metric: p.Metric = None, parties: p.Parties = None,
              status: Optional[p.FigureStatus] = None, relation: Optional[p.Relation] = None, since: p.Since = None,
              until: p.Until = None, entity: p.EntityId = None, source: p.Source = None,
              limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Figures whose sources disagree beyond rounding: each position, its sources, who says it."""
    f = p.filters(metric=metric, parties=parties, status=status, relation=relation, since=since, until=until,
                  entity=entity, source=source)
    return listed(db, cur, "conflicts", fmt, lambda con, page: list_conflicts(con, f, page, db.fused), limit, offset)


@router.get("/measurements", response_model=models.Page[models.ArticleMeasurement], responses=DOWNLOADS)
def measurements(db: DB, cur: Cursor, metric: p.Metric = None, parties: p.Parties = None,
                 status: Optional[p.FigureStatus] = None, relation: Optional[p.Relation] = None,
                 kind: Optional[p.Kind] = None, since: p.Since = None, until: p.Until = None,
                 entity: p.EntityId = None, source: p.Source = None, article: p.ArticleId = None,
                 order: p.Order = p.Order.date_desc, limit: p.Limit = 50, offset: p.Offset = 0,
                 fmt: p.Format = p.FileFormat.json):
    """Figures as each article states them (`veille/1` measurements), with their sentence."""
    f = p.filters(metric=metric, parties=parties, status=status, relation=relation, kind=kind, since=since,
                  until=until, entity=entity, source=source, article=article, order=order)
    return listed(db, cur, "measurements", fmt, lambda con, page: list_measurements(con, f, page, db.fused), limit,
                  offset)

"""/api/entities: who and what the articles name; one entity's events, partners and figures."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Path, Query

from veille.api import models, params as p
from veille.api.deps import DB, NOT_FOUND, Cursor, found
from veille.api.download import DOWNLOADS, listed
from veille.read import get_entity, list_entities

router = APIRouter(tags=["entities"])

Country = Annotated[Optional[str], Query(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3: RUS.")]
Name = Annotated[Optional[str], Query(min_length=1, max_length=200,
                                      description="Part of its name, id, or of a word the articles use for it.")]


@router.get("/entities", response_model=models.Page[models.EntitySummary], responses=DOWNLOADS)
def entities(db: DB, cur: Cursor, type: Optional[p.EntityType] = None, country: Country = None, q: Name = None,
             role: Optional[p.Role] = p.Role.actor, article: p.ArticleId = None, source: p.Source = None,
             since: p.Since = None, until: p.Until = None, limit: p.Limit = 50, offset: p.Offset = 0,
             fmt: p.Format = p.FileFormat.json):
    """Entities (people, bodies, states, places, projects, named events), the most widely reported first.
    `role=actor` (default) leaves out the reporters and agencies that only carry a story."""
    f = p.filters(type=type, parties=country, q=q, role=role, article=article, source=source, since=since,
                  until=until)
    return listed(db, cur, "entities", fmt, lambda con, page: list_entities(con, f, page), limit, offset)


@router.get("/entities/{entity_id}", response_model=models.EntityDetail, responses=NOT_FOUND)
def entity(db: DB, cur: Cursor, entity_id: Annotated[str, Path(min_length=1, max_length=300)]):
    """One entity: how often and since when it is named, how many events and figures concern it and
    the parties it acted with. Its events: /api/events?entity=ID; its figures: /api/figures?entity=ID."""
    return found(get_entity(cur, entity_id, db.fused), "entity", entity_id)

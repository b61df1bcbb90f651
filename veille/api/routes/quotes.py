"""/api/quotes: direct and reported statements."""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Query

from veille.api import models, params as p
from veille.api.deps import Cursor
from veille.read import list_quotes

router = APIRouter(tags=["quotes"])

Words = Annotated[Optional[str], Query(min_length=1, max_length=200, description="Words the quote contains.")]


@router.get("/quotes", response_model=models.Page[models.Quote])
def quotes(cur: Cursor, entity: p.EntityId = None, article: p.ArticleId = None, q: Words = None,
           source: p.Source = None, since: p.Since = None, until: p.Until = None,
           limit: p.Limit = 50, offset: p.Offset = 0):
    """Quotes with their speaker (an entity id or a name) and the article they come from."""
    f = p.filters(entity=entity, article=article, q=q, source=source, since=since, until=until)
    return list_quotes(cur, f, p.page(limit, offset))

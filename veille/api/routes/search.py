"""/api/search: full-text search over the articles."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from veille.api import models, params as p
from veille.api.deps import DB, Cursor
from veille.read.articles import summaries
from veille.read.common import Filters

router = APIRouter(tags=["search"])

Text = Annotated[str, Query(min_length=1, max_length=500, pattern=r"[^\W_]",
                            description='Words (accents and case aside, each also a prefix) and "quoted phrases"; '
                                        "all must occur.")]


@router.get("/search", response_model=models.Page[models.SearchHit],
            responses={422: {"model": models.Problem, "description": "No word to search for, or a bad parameter."}})
def search(db: DB, cur: Cursor, q: Text, since: p.Since = None, until: p.Until = None,
           limit: p.Limit = 20, offset: p.Offset = 0):
    """Articles whose title or text hold every word of `q`, best first, each with a snippet whose
    matching words are marked (`match: true`); text only, never markup."""
    try:
        total, hits = db.search.search(cur, q, since, Filters(until=until).until_bound, limit, offset)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    found = summaries(cur, [h.article_id for h in hits], db.fused)
    items = [{"article": found[h.article_id], "score": h.score, "snippet": h.snippet}
             for h in hits if h.article_id in found]
    return {"items": items, "total": total, "limit": limit, "offset": offset}

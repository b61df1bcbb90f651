"""/api/articles: the list, one article's record, and ingesting (only with the server's token)."""
from __future__ import annotations

import hmac
from typing import Annotated, Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from veille.api import models, params as p
from veille.api.deps import DB, NOT_FOUND, Cursor, found
from veille.api.download import DOWNLOADS, listed
from veille.read import get_article, list_articles

router = APIRouter(tags=["articles"])
bearer = HTTPBearer(auto_error=False, description="The token `veille serve --token` was started with.")

Language = Annotated[Optional[str], Query(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 language: fr.")]


@router.get("/articles", response_model=models.Page[models.ArticleSummary], responses=DOWNLOADS)
def articles(db: DB, cur: Cursor, since: p.Since = None, until: p.Until = None, source: p.Source = None,
             entity: p.EntityId = None, language: Language = None, order: p.Order = p.Order.date_desc,
             limit: p.Limit = 50, offset: p.Offset = 0, fmt: p.Format = p.FileFormat.json):
    """Stored articles (latest versions), newest publication first; no text (see /api/articles/{id})."""
    f = p.filters(since=since, until=until, source=source, entity=entity, language=language, order=order)
    return listed(db, cur, "articles", fmt, lambda con, page: list_articles(con, f, page, db.fused), limit, offset)


@router.get("/articles/{article_id}", response_model=models.ArticleRecord, responses=NOT_FOUND)
def article(db: DB, cur: Cursor,
            article_id: Annotated[str, Path(pattern=p.HEX_ID, description="Article id or a unique prefix (6+).")]):
    """The article's whole `veille/1` record (cleaned text, removed debris, entities, time expressions,
    figures, events, quotes), its version, and the fused event and figure group of each item."""
    return found(get_article(cur, article_id, db.fused), "single article", article_id)


@router.post("/articles", response_model=models.IngestResult, status_code=200,
             responses={400: {"model": models.Problem, "description": "The body is not JSON."},
                        401: {"model": models.Problem, "description": "Missing or wrong token."},
                        403: {"model": models.Problem, "description": "Writing is off: the server has no token."},
                        413: {"model": models.Problem, "description": "Request body too large."}})
async def ingest(request: Request, body: models.IngestRequest,
                 credentials: Annotated[Optional[HTTPAuthorizationCredentials], Depends(bearer)] = None):
    """Ingest articles through the whole pipeline (cleaning, extraction, storage, fusion).
    Off unless the server was started with a token; then it requires `Authorization: Bearer TOKEN`."""
    token = request.app.state.token
    off = "writing is off: start `veille serve --token TOKEN` to allow it"
    if credentials is None:
        raise HTTPException(status_code=401, detail="a token is needed (Authorization: Bearer TOKEN)"
                            if token else f"a token is needed, and {off}", headers={"WWW-Authenticate": "Bearer"})
    if token is None:
        raise HTTPException(status_code=403, detail=off)
    # Starlette decodes headers as Latin-1: back to the bytes sent, which a UTF-8 token was
    if not hmac.compare_digest(credentials.credentials.encode("latin-1", errors="replace"), token.encode("utf-8")):
        raise HTTPException(status_code=401, detail="wrong token", headers={"WWW-Authenticate": "Bearer"})
    for a in body.articles:
        if not (a.text or "").strip() and not (a.html or "").strip():
            raise HTTPException(status_code=422, detail=f"article {a.source!r} has neither text nor html")
    db = request.app.state.db
    return await run_in_threadpool(db.ingest, [a.model_dump() for a in body.articles], request.app.state.settings)

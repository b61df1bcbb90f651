"""/api/meta: what the database holds and the values each filter can take."""
from __future__ import annotations

from fastapi import APIRouter, Request

from veille.api import models
from veille.api.deps import DB

router = APIRouter(tags=["meta"])


@router.get("/meta", response_model=models.Overview)
def meta(db: DB, request: Request):
    """Counts of every layer; event types, sectors, parties, metrics and outlets with their counts;
    the dates the events span; whether fusion tables exist and writing is on."""
    return {**db.overview(), "writable": request.app.state.token is not None,
            "search": "sqlite-fts5" if db.search.available else "substring"}

"""What routes get injected: the served database and a cursor of their own."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from veille.api.db import Database


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_cursor(request: Request):
    cur = request.app.state.db.cursor()
    try:
        yield cur
    finally:
        cur.close()


DB = Annotated[Database, Depends(get_db)]
Cursor = Annotated[Any, Depends(get_cursor)]

NOT_FOUND = {404: {"description": "No such item.", "content": {"application/json": {}}}}


def found(item: Any, what: str, key: str) -> Any:
    """The item, or a 404 that names what was asked for."""
    if item is None:
        raise HTTPException(status_code=404, detail=f"no {what} with id {key!r}")
    return item

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


_ALLOWED: dict[int, frozenset[str]] = {}


def _query_names(dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def known_parameters(request: Request) -> None:
    """Refuse a query parameter the endpoint does not take, with a 422 that names it and the
    ones it takes: `/api/figures?places=CHN` would otherwise answer every figure, as if unfiltered."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _ALLOWED.get(id(route))
    if allowed is None:
        allowed = _ALLOWED[id(route)] = frozenset(_query_names(dependant))
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) or "no parameter"
        raise HTTPException(status_code=422, detail=[
            {"loc": ["query", name], "msg": f"unknown parameter {name!r}; this endpoint takes: {takes}",
             "type": "unknown_parameter"} for name in unknown])


KnownParameters = Depends(known_parameters)

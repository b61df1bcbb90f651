"""The HTTP API and the dashboard, in one ASGI app.

    app = create_app("press.duckdb")               # read-only; POST /api/articles answers 403
    app = create_app("press.duckdb", token="s3")   # ingesting allowed with `Authorization: Bearer s3`

The API lives under /api/, its OpenAPI description at /openapi.json, the
dashboard (static files of veille/web/) at /.
"""
from __future__ import annotations

import re
import threading
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders

from veille.api.db import Database
from veille.api.routes import articles, entities, events, figures, meta, quotes, search
from veille.settings import Settings

MAX_BODY_BYTES = 20_000_000

# Nothing is fetched from elsewhere, and no inline script runs even if some markup slipped through.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class _Guard:
    """Adds the security headers to every answer, refuses bodies larger than MAX_BODY_BYTES, and
    makes a 405's `Allow` list every method the API description gives the path (Starlette names
    only those of the first route that matched)."""

    def __init__(self, app, describe=None):
        self.app = app
        self.describe = describe
        self._methods: list[tuple[re.Pattern, set[str]]] | None = None

    def allowed(self, path: str) -> str | None:
        if self._methods is None:
            self._methods = [
                (re.compile("^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"),
                 {m.upper() for m in operations})
                for template, operations in (self.describe()["paths"] if self.describe else {}).items()]
        methods = set().union(*[m for regex, m in self._methods if regex.match(path)])
        if "GET" in methods:
            methods.add("HEAD")
        return ", ".join(sorted(methods)) or None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            response = JSONResponse({"detail": f"request body larger than {MAX_BODY_BYTES} bytes"}, status_code=413)
            return await response(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if message["status"] == 405 and (allow := self.allowed(scope["path"])):
                    headers["allow"] = allow
            await send(message)

        await self.app(scope, receive, send_with_headers)


def web_dir() -> Path:
    """The dashboard's static files."""
    return Path(str(files("veille").joinpath("web")))


def create_app(db_path: str | Path, token: str | None = None, settings: Settings | None = None) -> FastAPI:
    """The API and dashboard over the database at `db_path`. Without `token` the database is opened
    read-only and writing is off; with one, POST /api/articles ingests with that bearer token.
    Raises FileNotFoundError when there is no database there."""
    if token is not None and not token.strip():
        raise ValueError("the token must not be empty")
    db = Database(db_path, writable=token is not None)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the search index is brought up to date in the background: the server answers at once
        threading.Thread(target=_sync_search, args=(db,), daemon=True, name="veille-search-index").start()
        try:
            yield
        finally:
            db.close()

    app = FastAPI(
        title="veille", version="1",
        summary="Who did what with whom, when, and how much, read from French news, with the sentence behind "
                "every fact.",
        description="Records in the `veille/1` shapes. Lists take `limit` (at most 500) and `offset` and answer "
                    "`{items, total, limit, offset}`. Dates are ISO days, months or years.",
        docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.db = db
    app.state.token = token
    app.state.settings = (settings or Settings()).with_overrides(db=db_path)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                    for e in exc.errors()]
        return JSONResponse({"detail": problems}, status_code=422)

    for router in (events.router, figures.router, entities.router, articles.router, quotes.router, search.router,
                   meta.router):
        app.include_router(router, prefix="/api")

    @app.get("/api/{rest:path}", include_in_schema=False)
    async def no_such_endpoint(rest: str):
        return JSONResponse({"detail": f"no such endpoint: /api/{rest}"}, status_code=404)

    app.mount("/", StaticFiles(directory=web_dir(), html=True), name="dashboard")
    app.add_middleware(_Guard, describe=app.openapi)
    return app


def _sync_search(db: Database) -> None:
    cur = db.cursor()
    try:
        db.search.sync(cur)
    except Exception:  # the index is rebuilt on the first search instead
        pass
    finally:
        cur.close()

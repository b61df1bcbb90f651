"""The HTTP API and the dashboard, in one ASGI app.

    app = create_app("press.duckdb")               # read-only; POST /api/articles answers 403
    app = create_app("press.duckdb", token="s3")   # ingesting allowed with `Authorization: Bearer s3`

The API lives under /api/, its OpenAPI description at /openapi.json, the
dashboard (static files of veille/web/) at /.
"""
from __future__ import annotations

import hmac
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
from veille.api.deps import KnownParameters
from veille.api.routes import articles, codebook, entities, events, figures, graphs, meta, quotes, search
from veille.api.routes import watch as watching
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


def _hostname(host: str) -> str:
    """The name in a Host header, without its port: "[::1]:8000" -> "::1"."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _reply(status: int, detail: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class _Guard:
    """What every request passes before the app: the Host header must name this server (a web page
    that rebinds its own domain to 127.0.0.1 cannot read the API); a request that writes must carry
    the token before any of its body is read, and its body is counted as it arrives (refused past
    MAX_BODY_BYTES, chunked or not). Answers get the security headers, and a 405's `Allow` lists
    every method the API description gives the path (Starlette names only those of the first
    route that matched)."""

    def __init__(self, app, describe=None, token: str | None = None, hosts: frozenset[str] | None = None):
        self.app = app
        self.describe = describe
        self.token = token.encode("utf-8") if token is not None else None
        self.hosts = hosts
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

    def writes(self, scope) -> bool:
        """Whether the request is one of the API's writing operations (POST /api/articles)."""
        method = scope["method"]
        return method in ("POST", "PUT", "PATCH", "DELETE") and \
            method in (self.allowed(scope["path"]) or "").split(", ")

    def refusal(self, scope) -> JSONResponse | None:
        """Why the request is refused before the app sees it, or None."""
        headers = dict(scope.get("headers") or [])
        if self.hosts is not None:
            host = _hostname(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.hosts:
                return _reply(400, f"unknown host {host!r}: this server answers as {', '.join(sorted(self.hosts))} "
                                   f"(veille serve --allow-host NAME adds one)")
        if self.writes(scope):
            auth = headers.get(b"authorization", b"")
            scheme, _, given = auth.partition(b" ")
            bearer = {"WWW-Authenticate": "Bearer"}
            if scheme.lower() != b"bearer" or not given.strip():
                off = "" if self.token is not None else ", and writing is off: start `veille serve --token TOKEN`"
                return _reply(401, f"a token is needed (Authorization: Bearer TOKEN){off}", bearer)
            if self.token is None:
                return _reply(403, "writing is off: start `veille serve --token TOKEN` to allow it")
            if not hmac.compare_digest(given.strip(), self.token):     # bytes: a UTF-8 token works too
                return _reply(401, "wrong token", bearer)
            length = headers.get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
                return _reply(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refused = self.refusal(scope)
        if refused is not None:
            return await refused(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if message["status"] == 405 and (allow := self.allowed(scope["path"])):
                    headers["allow"] = allow
            await send(message)

        if self.writes(scope):
            body, size = [], 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    return await _reply(413, f"request body larger than {MAX_BODY_BYTES} bytes")(scope, receive, send)
                body.append(chunk)
                if not message.get("more_body"):
                    break
            whole = b"".join(body)
            replayed = False

            async def replay():
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": whole, "more_body": False}

            return await self.app(scope, replay, send_with_headers)
        await self.app(scope, receive, send_with_headers)


def served_hosts(host: str, extra: tuple[str, ...] = ()) -> frozenset[str] | None:
    """The names a server bound to `host` answers to: the loopback names, the address it is
    bound to, this machine's names and addresses when bound to every interface, and `extra`
    (settings `allowed_hosts`, `--allow-host`). None ("*" in extra): any name."""
    if "*" in extra:
        return None
    names = {"127.0.0.1", "localhost", "::1", _hostname(host)}
    if host in ("0.0.0.0", "::", ""):
        import socket

        try:
            hostname = socket.gethostname()
            names |= {hostname.lower(), socket.getfqdn().lower()}
            names |= set(socket.gethostbyname_ex(hostname)[2])
        except OSError:
            pass
    return frozenset(n.lower() for n in names | set(extra) if n)


def web_dir() -> Path:
    """The dashboard's static files."""
    return Path(str(files("veille").joinpath("web")))


def check_database(db_path: str | Path) -> None:
    """Raise (FileNotFoundError, DatabaseUnavailable) when the database cannot be served read-only."""
    Database(db_path).close()


def create_app(db_path: str | Path, token: str | None = None, settings: Settings | None = None,
               hosts: frozenset[str] | None = None, watch: tuple[str, ...] | None = None,
               watch_every: float | None = None) -> FastAPI:
    """The API and dashboard over the database at `db_path`. Without `token` the database is opened
    read-only and writing is off; with one, POST /api/articles ingests with that bearer token.
    With `watch` (sources, possibly none beyond those the database and settings list), the server
    process also watches them (`veille.watch`), round after round on a thread of its own that
    writes under the same lock as the API's ingest: the database opens read-write.
    Raises FileNotFoundError when there is no database there."""
    if token is not None and not token.strip():
        raise ValueError("the token must not be empty")
    db = Database(db_path, writable=token is not None or watch is not None)
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # the search index is brought up to date in the background: the server answers at once
        threading.Thread(target=_sync_search, args=(db,), daemon=True, name="veille-search-index").start()
        watcher = None
        if watch is not None:
            watcher = threading.Thread(target=_watching, args=(db, watch, app.state.settings, watch_every, stop),
                                       daemon=True, name="veille-watch")
            watcher.start()
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                with db.write_lock:      # a round under way ends before the database closes
                    pass
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
                   meta.router, watching.router, codebook.router, graphs.router):
        app.include_router(router, prefix="/api", dependencies=[KnownParameters])
    app.include_router(watching.feeds)

    @app.get("/api/{rest:path}", include_in_schema=False)
    async def no_such_endpoint(rest: str):
        return JSONResponse({"detail": f"no such endpoint: /api/{rest}"}, status_code=404)

    app.mount("/", StaticFiles(directory=web_dir(), html=True), name="dashboard")
    app.add_middleware(_Guard, describe=app.openapi, token=token, hosts=hosts)
    return app


def _watching(db: Database, sources: tuple[str, ...], settings: Settings, every: float | None,
              stop: threading.Event) -> None:
    """Watch rounds until `stop`: each under the write lock, then the cached answers are dropped so
    that the dashboard shows new articles and events at once. A failing round is kept in
    `db.watch_error` and the next one comes a period later."""
    from veille.watch import add_sources, next_due_in, watch_round

    period = every or settings.watch_every
    with db.write_lock:
        add_sources(db.store, [*settings.watch_sources, *sources], period)
    while not stop.is_set():
        try:
            with db.write_lock:
                if stop.is_set():
                    return
                report = watch_round(db.store, settings=settings)
                db.changed()
            db.watch_report, db.watch_error = report, None
            wait = next_due_in(db.store, period)
        except Exception as exc:  # a bug or a full disk: said, and tried again later
            db.watch_error = f"{type(exc).__name__}: {exc}"
            wait = period
        stop.wait(wait)


def _sync_search(db: Database) -> None:
    cur = db.cursor()
    try:
        db.search.sync(cur)
    except Exception:  # the index is rebuilt on the first search instead
        pass
    finally:
        cur.close()

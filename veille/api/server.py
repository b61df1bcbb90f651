"""Running the app: in the foreground for `veille serve` (Ctrl-C stops it), or in a background
thread for tests and benchmarks."""
from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import uvicorn

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, so that asyncio turns Nagle off on every connection (else 40 ms per keep-alive answer)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def bind(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, fallback: bool = False) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one, and so does `fallback` when `port`
    is taken. OSError when the port is taken and no fallback is wanted."""
    try:
        return _listen(host, port)
    except OSError:
        if not (fallback and port):
            raise
        return _listen(host, 0)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"


def _server(app, log_level: str) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on",
                                         timeout_graceful_shutdown=3))


def default_workers(writable: bool) -> int:
    """Processes that answer: one when the server writes (DuckDB allows one writer), else one per
    core up to four (each opens the database read-only; DuckDB lets readers share it)."""
    import os

    return 1 if writable else max(1, min(4, os.cpu_count() or 1))


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None,
          ready: Callable[[str, int], None] | None = None, fallback_port: bool = False, log_level: str = "warning",
          settings=None, allow_hosts: tuple[str, ...] = (), workers: int | None = None,
          watch: tuple[str, ...] | None = None, watch_every: float | None = None) -> None:
    """Serve the API and dashboard over `db_path` until interrupted (Ctrl-C or SIGTERM).
    `ready(url, workers)` is called once the socket listens.

    Read-only, `workers` processes answer on one socket (each with its own read-only connection),
    so that requests use every core; with a token, one process answers and writes. With `watch`,
    one process answers and also watches those sources (`veille.api.app.create_app`)."""
    import json
    import os

    from veille.api.app import create_app, served_hosts

    extra = tuple(settings.allowed_hosts) if settings is not None else ()
    hosts = served_hosts(host, extra + tuple(allow_hosts))
    workers = 1 if token is not None or watch is not None else (workers or default_workers(False))
    if workers == 1:
        app = create_app(db_path, token, settings, hosts=hosts, watch=watch, watch_every=watch_every)
    else:
        from veille.api.app import check_database

        check_database(db_path)           # a clear error here, not one per worker
        os.environ[_ENV] = json.dumps({"db": str(db_path), "hosts": sorted(hosts) if hosts is not None else None})
        app = "veille.api.server:app_from_environment"
    sock = bind(host, port, fallback=fallback_port)
    if ready:
        ready(url_of(sock), workers)
    try:
        if workers == 1:
            _server(app, log_level).run(sockets=[sock])
        else:
            from uvicorn.supervisors import Multiprocess

            config = uvicorn.Config(app, factory=True, workers=workers, log_level=log_level, access_log=False,
                                    lifespan="on", timeout_graceful_shutdown=3)
            Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()


_ENV = "VEILLE_SERVE_WORKER"


def app_from_environment():
    """The read-only app of one worker process of `serve` (uvicorn imports it by name)."""
    import json
    import os

    from veille.api.app import create_app

    spec = json.loads(os.environ[_ENV])
    hosts = frozenset(spec["hosts"]) if spec["hosts"] is not None else None
    return create_app(spec["db"], None, None, hosts=hosts)


@contextlib.contextmanager
def running(app, host: str = DEFAULT_HOST, port: int = 0, log_level: str = "warning") -> Iterator[str]:
    """Run `app` on a background thread for the length of the block; yields its base URL."""
    sock = bind(host, port)
    server = _server(app, log_level)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="veille-server")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield url_of(sock).rstrip("/")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def serving(db_path: str | Path, workers: int | None = None, token: str | None = None,
            timeout: float = 120) -> Iterator[tuple[str, int]]:
    """`veille serve` over `db_path` in a process of its own, as a user starts it, for the length of
    the block; yields its base URL and how many worker processes answer."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("veille")
    args = [str(exe), "serve", "--db", str(db_path), "--port", "0"]
    if workers:
        args += ["--workers", str(workers)]
    env = {**os.environ, **({"VEILLE_TOKEN": token} if token else {})}
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + timeout
        line = ""
        while "veille dashboard: " not in line:
            line = process.stdout.readline()
            if not line and process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"veille serve did not start: {process.stderr.read()[-2000:]}")
        base = line.split("veille dashboard: ", 1)[1].split()[0].rstrip("/")
        used = int(line.split(" worker process", 1)[0].rsplit(" ", 1)[1]) if " worker process" in line else 1
        yield base, used
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

"""Serving veille: the HTTP API (FastAPI, under /api/) and the dashboard, one process.

`create_app(db_path, token=None)` builds the app; `serve(db_path, ...)` runs it;
`veille.read` holds the read functions every route (and `veille export`) calls.
"""
from __future__ import annotations

from veille.api.app import create_app
from veille.api.server import running, serve

__all__ = ["create_app", "running", "serve"]

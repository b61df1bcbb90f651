"""The served database: one DuckDB connection (read-only unless writing is allowed), a cursor per
request, the search index, and the few answers worth caching until the data changes."""
from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path

from veille.read import fusion_ready, overview
from veille.api.search import SearchIndex
from veille.store import Store


class Database:
    """A veille database opened for serving. `writable` opens it read-write (for ingesting through
    the API, one ingest at a time); otherwise it is read-only and other readers may share it."""

    def __init__(self, path: str | Path, writable: bool = False):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no database at {self.path}: run `veille ingest` or `veille demo` first")
        self.writable = writable
        self.store = None
        if writable:
            self.store = Store(self.path)
            self.con = self.store.con
        else:
            self.con = Store(self.path, read_only=True).con
        self.write_lock = threading.Lock()
        self.watch_report = None           # the last watch round (`veille serve --watch`), and its failure
        self.watch_error: str | None = None
        self._cache_lock = threading.Lock()
        self._overview: dict | None = None
        self.fused = fusion_ready(self.con)
        self.search = SearchIndex(self.path.with_name(self.path.name + ".search.sqlite"))

    def cursor(self):
        """A cursor of its own for one request (DuckDB connections are not shared between threads)."""
        return self.con.cursor()

    def overview(self) -> dict:
        with self._cache_lock:
            if self._overview is None:
                cur = self.cursor()
                try:
                    self._overview = overview(cur, self.fused)
                finally:
                    cur.close()
            return self._overview

    def changed(self) -> None:
        """Forget what was cached: articles were added. Called by the writer while it holds the
        write lock; reads through a cursor of its own, never the writer's connection."""
        cur = self.cursor()
        try:
            fused = fusion_ready(cur)
        finally:
            cur.close()
        with self._cache_lock:
            self._overview = None
            self.fused = fused

    def ingest(self, articles: list[dict], settings) -> dict:
        """Ingest articles given as dicts (`text` or `html`, `source`, ...) through the whole pipeline,
        fusion included; what was new, unchanged, or failed and why."""
        if self.store is None:
            raise PermissionError("the database is open read-only")
        from veille.workflow import ingest

        with tempfile.TemporaryDirectory(prefix="veille-api-") as tmp:
            batch = Path(tmp) / "api.jsonl"
            batch.write_text("".join(json.dumps({k: v for k, v in a.items() if v is not None}, ensure_ascii=False)
                                     + "\n" for a in articles), encoding="utf-8")
            with self.write_lock:
                report = ingest([str(batch)], settings, self.store)
                self.changed()
        return {"new": report.new, "versions": report.versions, "reprints": report.reprints,
                "unchanged": report.unchanged, "not_extracted": report.not_extracted,
                "errors": [{"source": e.source, "reason": e.reason} for e in report.errors]}

    def close(self) -> None:
        self.search.close()
        if self.store is not None:
            self.store.close()
        else:
            self.con.close()

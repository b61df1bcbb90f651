"""The lists as files: `?format=csv|jsonl|parquet` on a list endpoint answers a download of every
item matching its filters, read through the same read-layer function as the JSON page and
written by `veille.export` (the same rows and columns as `veille export`).

    GET /api/events?type=AGREE&format=csv     -> events.csv, every AGREE event, one row each

`limit` and `offset` are ignored: a download holds every matching item, read a page of the read
layer at a time. CSV and JSON Lines stream, one chunk per page, so a download of 100,000 items
never holds more than a page. Parquet cannot be written row by row: it is written to a
temporary file, sent, then deleted.

CSV downloads start with a UTF-8 byte order mark: Excel opens a CSV without one in the
machine's legacy code page (Windows-1252 on a French Windows) and shows "Pékin" as "PÃ©kin";
with it, Excel, LibreOffice and Numbers read UTF-8, and Python's `csv` (with encoding
"utf-8-sig"), pandas and DuckDB skip it. `veille export` writes no mark: its CSV goes to pipes.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from veille.api.db import Database
from veille.api.params import FileFormat
from veille.export import pages, text_chunks, write
from veille.read import Page

BOM = "\ufeff"
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
               "parquet": "application/vnd.apache.parquet"}

# for the OpenAPI description: what a list endpoint answers besides its JSON page
DOWNLOADS = {200: {"description": "One page as JSON; with `format=csv|jsonl|parquet`, a file of every matching item.",
                   "content": {"text/csv": {"schema": {"type": "string"}},
                               "application/x-ndjson": {"schema": {"type": "string"}},
                               "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}}

Pages = Callable[[object], Iterator[list[dict]]]     # a cursor -> the items, a page at a time


def listed(db: Database, cur, name: str, fmt: FileFormat, listing: Callable[[object, Page], dict], limit: int,
           offset: int):
    """The page `limit`, `offset` of `listing(cursor, page)` as JSON, or, for another `fmt`, every
    item of it as the file `name.fmt`."""
    if fmt is FileFormat.json:
        return listing(cur, Page(limit=limit, offset=offset))
    return download(db, name, fmt, lambda con: pages(lambda page: listing(con, page)))


def download(db: Database, name: str, fmt: FileFormat, pages_of: Pages):
    """Every item `pages_of(cursor)` yields, as the attachment `name.csv`, `.jsonl` or `.parquet`.
    The file reads through a cursor of its own, closed when the download ends (or fails)."""
    fmt = fmt.value
    filename = f"{name}.{fmt}"
    if fmt == "parquet":
        return _parquet(db, filename, pages_of)
    return StreamingResponse(_stream(db, fmt, pages_of), media_type=MEDIA_TYPES[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _stream(db: Database, fmt: str, pages_of: Pages) -> Iterator[bytes]:
    cur = db.cursor()
    try:
        if fmt == "csv":
            yield BOM.encode("utf-8")
        for chunk in text_chunks(pages_of(cur), fmt):
            yield chunk.encode("utf-8")
    finally:
        cur.close()


def _parquet(db: Database, filename: str, pages_of: Pages) -> FileResponse:
    handle, name = tempfile.mkstemp(prefix="veille-download-", suffix=".parquet")
    os.close(handle)
    path = Path(name)
    cur = db.cursor()
    try:
        write(pages_of(cur), "parquet", path, cur)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    finally:
        cur.close()
    return FileResponse(path, media_type=MEDIA_TYPES["parquet"], filename=filename,
                        background=BackgroundTask(path.unlink, missing_ok=True))

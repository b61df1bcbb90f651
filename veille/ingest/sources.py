"""Inputs -> raw articles: files, folders, URLs, HTML, JSON Lines, RSS/Atom, WARC.

`read_inputs` walks what the user named and yields one `RawArticle` per
article found, or an `IngestError` naming the input (and line or record) that
could not be read, so that one bad input never stops a batch.
"""
from __future__ import annotations

import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from veille.errors import IngestError
from veille.ingest.decode import decode, looks_binary
from veille.settings import Settings

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}


@dataclass
class RawArticle:
    """An article as an input gives it, before cleaning.

    `body` is plain text or HTML (`is_html`); `meta` holds what the input says
    of it: title, published, language, url, author, site.
    """

    source: str
    body: str
    is_html: bool = False
    meta: dict = field(default_factory=dict)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for s in (".warc.gz", ".arc.gz"):
        if name.endswith(s):
            return s
    return path.suffix.lower()


def sniff(data: bytes, suffix: str) -> str:
    """Kind of an input file: text, html, jsonl, feed or warc, by name then content."""
    if suffix in WARC_SUFFIXES:
        return "warc"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    head = data[:2048].lstrip().lower()
    if data[:2] == b"\x1f\x8b" or head.startswith(b"warc/"):
        return "warc"
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or (head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def read_inputs(targets: list[str], settings: Settings) -> Iterator[RawArticle | IngestError]:
    """Every article in the named files, folders and URLs, in a stable order."""
    for target in targets:
        if target.startswith(("http://", "https://")):
            yield from _read_url(target, settings)
            continue
        path = Path(target).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield IngestError(target, "folder holds no files")
            for p in files:
                yield from _read_file(p, settings)
        elif path.is_file():
            yield from _read_file(path, settings)
        else:
            yield IngestError(target, "no such file or folder")


def _read_file(path: Path, settings: Settings) -> Iterator[RawArticle | IngestError]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size == 0:
            yield IngestError(source, "empty file")
            return
        if size > settings.max_input_bytes:
            yield IngestError(source, f"file of {size} bytes is larger than max_input_bytes ({settings.max_input_bytes})")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, source, _suffix(path), settings)


def read_bytes(data: bytes, source: str, suffix: str, settings: Settings,
               meta: dict | None = None, content_type: str | None = None) -> Iterator[RawArticle | IngestError]:
    """Articles held in one input's bytes; `suffix` and `content_type` guide the reader."""
    kind = sniff(data, suffix)
    if content_type:
        ct = content_type.lower()
        if "html" in ct:
            kind = "html"
        elif "rss" in ct or "atom" in ct or ct.endswith("/xml"):
            kind = "feed"
    reader = {"text": _read_text, "html": _read_html, "jsonl": _read_jsonl,
              "feed": _read_feed, "warc": _read_warc}[kind]
    try:
        yield from reader(data, source, dict(meta or {}))
    except IngestError as exc:
        yield exc
    except Exception as exc:  # a reader's library failed on malformed input: name the input
        yield IngestError(source, f"unreadable {kind} input: {type(exc).__name__}: {exc}")


def _read_text(data: bytes, source: str, meta: dict) -> Iterator[RawArticle]:
    yield RawArticle(source=source, body=decode(data, source), meta=meta)


def _read_html(data: bytes, source: str, meta: dict) -> Iterator[RawArticle]:
    if looks_binary(data):
        raise IngestError(source, "binary data, not HTML")
    yield RawArticle(source=source, body=decode(data, source), is_html=True, meta=meta)


def _read_jsonl(data: bytes, source: str, meta: dict) -> Iterator[RawArticle | IngestError]:
    text = decode(data, source)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON line: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield IngestError(where, "JSON line is not an object")
            continue
        body = obj.get("text")
        is_html = False
        if not isinstance(body, str) or not body.strip():
            body, is_html = obj.get("html"), True
        if not isinstance(body, str) or not body.strip():
            yield IngestError(where, "JSON line has neither 'text' nor 'html'")
            continue
        line_meta = dict(meta)
        for key in ("title", "published", "language", "url", "author", "site"):
            if obj.get(key) not in (None, ""):
                line_meta[key] = str(obj[key])
        yield RawArticle(source=str(obj.get("source") or obj.get("url") or where), body=body,
                         is_html=is_html, meta=line_meta)


def _read_feed(data: bytes, source: str, meta: dict) -> Iterator[RawArticle | IngestError]:
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        raise IngestError(source, f"not a readable RSS/Atom feed ({reason or 'no entries'})")
    for n, entry in enumerate(parsed.entries, start=1):
        where = entry.get("link") or f"{source}#{n}"
        contents = entry.get("content") or []
        body = contents[0].get("value") if contents else entry.get("summary")
        if not body:
            yield IngestError(where, "feed entry has no content")
            continue
        entry_meta = dict(meta)
        entry_meta["title"] = entry.get("title")
        entry_meta["url"] = entry.get("link")
        entry_meta["author"] = entry.get("author")
        entry_meta["site"] = parsed.feed.get("title")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            entry_meta["published"] = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        yield RawArticle(source=where, body=body, is_html=True,
                         meta={k: v for k, v in entry_meta.items() if v})


def _read_warc(data: bytes, source: str, meta: dict) -> Iterator[RawArticle | IngestError]:
    from warcio.archiveiterator import ArchiveIterator

    stream = io.BytesIO(data)
    count = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#{count + 1}"
            payload = record.content_stream().read()
            if getattr(record.raw_stream, "limit", 0):
                raise IngestError(source, f"truncated WARC: record {uri} is cut short after {count} complete HTML records")
            count += 1
            charset = None
            if "charset=" in ctype.lower():
                charset = ctype.lower().split("charset=")[-1].split(";")[0].strip()
            record_meta = dict(meta)
            record_meta["url"] = uri
            warc_date = record.rec_headers.get_header("WARC-Date")
            if warc_date:
                record_meta["crawl_date"] = warc_date[:10]
            try:
                body = decode(payload, uri, charset)
            except IngestError as exc:
                yield exc
                continue
            yield RawArticle(source=uri, body=body, is_html=True, meta=record_meta)
    except IngestError:
        raise
    except (EOFError, OSError, gzip.BadGzipFile, ValueError) as exc:
        raise IngestError(source, f"truncated or corrupt WARC after {count} HTML records ({type(exc).__name__}: {exc})")
    except Exception as exc:
        if type(exc).__name__ == "ArchiveLoadFailed":
            raise IngestError(source, f"truncated or corrupt WARC after {count} HTML records ({exc})")
        raise
    if data[:2] == b"\x1f\x8b" and _gzip_cut_short(data):
        raise IngestError(source, f"truncated WARC: the archive ends inside a record, after {count} complete HTML records")
    if count == 0:
        raise IngestError(source, "WARC holds no HTML response records")


def _gzip_cut_short(data: bytes) -> bool:
    """True when a gzip file ends inside a member (warcio reads such a cut as a clean end)."""
    import zlib

    view = memoryview(data)
    pos = 0
    while pos < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            inflater.decompress(view[pos:])  # one member (a WARC record); its output is dropped
        except zlib.error:
            return True
        if not inflater.eof:
            return True
        pos = len(data) - len(inflater.unused_data)
    return False


def _read_url(url: str, settings: Settings) -> Iterator[RawArticle | IngestError]:
    import httpx

    try:
        response = httpx.get(url, timeout=settings.http_timeout, follow_redirects=True,
                             headers={"User-Agent": settings.user_agent})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        yield IngestError(url, f"fetch failed: {exc}")
        return
    suffix = _suffix(Path(httpx.URL(url).path or "/"))
    yield from read_bytes(response.content, url, suffix, settings, meta={"url": url},
                          content_type=response.headers.get("content-type"))

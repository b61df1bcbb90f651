"""Inputs -> raw articles: files, folders, URLs, HTML, JSON Lines, RSS/Atom, WARC.

`read_inputs` walks what the user named and yields one `RawArticle` per
article found, or an `IngestError` naming the input (and line or record) that
could not be read, so that one bad input never stops a batch.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from veille.errors import IngestError
from veille.ingest.decode import decode, decode_noted, looks_binary, wide_unicode as _wide_unicode
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
    of it: title, published, language, url, author, site. `key` is what makes a
    later text the same article corrected (a new version): its URL, an id the
    input gives, or the path of a file holding one article; None when the input
    says nothing that identifies it (then two texts are two articles).
    """

    source: str
    body: str
    is_html: bool = False
    meta: dict = field(default_factory=dict)
    key: str | None = None


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
        if target.startswith("file://"):
            from urllib.parse import unquote, urlparse

            target = unquote(urlparse(target).path)
        path = Path(target).expanduser()
        if path.is_dir():
            found = False
            for item in folder_files(path, settings):
                found = True
                if isinstance(item, IngestError):
                    yield item
                else:
                    yield from _read_file(item, settings)
            if not found:
                yield IngestError(target, "folder holds no files")
        elif path.is_file():
            yield from _read_file(path, settings)
        elif path.is_symlink():
            yield IngestError(target, "broken symbolic link")
        else:
            yield IngestError(target, "no such file or folder")


def folder_files(folder: Path, settings: Settings) -> Iterator[Path | IngestError]:
    """The files of a folder and its subfolders, sorted, hidden ones aside.

    A symbolic link to something inside the folder is skipped (its target is read on its own);
    a link out of the folder (a crawl folder holding a link to /etc/shadow) is reported and not
    read, unless the settings ask for it (`follow_symlinks = true`).
    """
    root = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in links]
        for name in sorted(filenames + links):
            if name.startswith("."):
                continue
            path = here / name
            if path.is_symlink():
                target = path.resolve()
                if target == root or root in target.parents:
                    continue
                if not settings.follow_symlinks:
                    yield IngestError(str(path), f"symbolic link out of the folder ({target}), not followed "
                                                 f"(set follow_symlinks = true in the settings to follow it)")
                    continue
                if target.is_dir():
                    yield from folder_files(target, settings)
                    continue
            if path.is_file():
                yield path


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
        with path.open("rb") as fh:
            head = fh.read(4096)
            kind = sniff(_peek_gunzip(head) if head[:2] == GZIP_MAGIC else head, _suffix(path))
            if head[:2] == GZIP_MAGIC and kind == "warc":
                fh.seek(0)
                yield from _guarded("warc", source, lambda: _read_warc(fh, source, {}, settings))
                return
            fh.seek(0)
            data = fh.read()
    except OSError as exc:
        yield IngestError(source, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, source, _suffix(path), settings, key=source)


GZIP_MAGIC = b"\x1f\x8b"


def _peek_gunzip(head: bytes) -> bytes:
    """The first decompressed bytes of gzip data (what it holds), or b"" when they do not inflate."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 2048)
    except zlib.error:
        return b""


def gunzip_limited(data: bytes, limit: int, source: str) -> bytes:
    """Decompressed gzip data, refused beyond `limit` bytes (a 1 MB bomb inflates to gigabytes)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise IngestError(source, f"corrupt gzip data ({exc})")
    if len(out) > limit:
        raise IngestError(source, f"gzip data inflates beyond max_input_bytes ({limit} bytes)")
    return out


def read_bytes(data: bytes, source: str, suffix: str, settings: Settings,
               meta: dict | None = None, content_type: str | None = None,
               key: str | None = None) -> Iterator[RawArticle | IngestError]:
    """Articles held in one input's bytes; `suffix` and `content_type` guide the reader.

    `key` identifies the article of an input that holds one (a file's path, a URL).
    """
    if data[:2] == GZIP_MAGIC and sniff(_peek_gunzip(data[:4096]), suffix) != "warc":
        # gzip around something else than a WARC archive: a .txt.gz, a .jsonl.gz
        try:
            data = gunzip_limited(data, settings.max_input_bytes, source)
        except IngestError as exc:
            yield exc
            return
        suffix = Path(suffix.removesuffix(".gz")).suffix if suffix.endswith(".gz") else ""
        if data[:2] == GZIP_MAGIC:
            yield IngestError(source, "gzip inside gzip: not read")
            return
    kind = sniff(data, suffix)
    if content_type:
        ct = content_type.lower()
        if "html" in ct:
            kind = "html"
        elif "rss" in ct or "atom" in ct or ct.endswith("/xml"):
            kind = "feed"
    meta = dict(meta or {})
    if kind == "warc":
        yield from _guarded(kind, source, lambda: _read_warc(io.BytesIO(data), source, meta, settings))
        return
    reader = {"text": _read_text, "html": _read_html, "jsonl": _read_jsonl, "feed": _read_feed}[kind]
    yield from _guarded(kind, source, lambda: reader(data, source, meta, key))


def _guarded(kind: str, source: str, read) -> Iterator[RawArticle | IngestError]:
    try:
        yield from read()
    except IngestError as exc:
        yield exc
    except Exception as exc:  # a reader's library failed on malformed input: name the input
        yield IngestError(source, f"unreadable {kind} input: {type(exc).__name__}: {exc}")


def _read_text(data: bytes, source: str, meta: dict, key: str | None) -> Iterator[RawArticle]:
    body, notes = decode_noted(data, source)
    yield RawArticle(source=source, body=body, meta=_with_notes(meta, notes), key=meta.get("url") or key)


def _read_html(data: bytes, source: str, meta: dict, key: str | None) -> Iterator[RawArticle]:
    if looks_binary(data) and not _wide_unicode(data):
        raise IngestError(source, "binary data, not HTML")
    body, notes = decode_noted(data, source)
    yield RawArticle(source=source, body=body, is_html=True, meta=_with_notes(meta, notes),
                     key=meta.get("url") or key)


def _with_notes(meta: dict, notes: dict) -> dict:
    if notes:
        meta = dict(meta)
        meta["decoding"] = notes
    return meta


# Fields of a JSON Lines article kept as metadata; each must be a string (a number is taken as
# its text, a list of strings as its first one: some scrapers emit a title per language).
JSONL_META = ("title", "published", "language", "url", "author", "site")


def _jsonl_value(obj: dict, key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise IngestError(where, f"field {key!r} is a boolean, not a string")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        texts = [v.strip() for v in value if isinstance(v, str) and v.strip()]
        if not texts:
            raise IngestError(where, f"field {key!r} is a list without a string")
        return texts[0]
    if isinstance(value, str):
        return value
    raise IngestError(where, f"field {key!r} is a {type(value).__name__}, not a string")


def _read_jsonl(data: bytes, source: str, meta: dict, key: str | None) -> Iterator[RawArticle | IngestError]:
    """One article per line. A line that is not valid (binary bytes, bad JSON, no text) is refused
    alone, naming its line; the other lines go on."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _wide_unicode(data):
        lines = decode(data, source).splitlines()      # UTF-16 or UTF-32: decoded whole
    else:
        lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    for lineno, raw in enumerate(lines, start=1):
        where = f"{source}:{lineno}"
        try:
            line = raw if isinstance(raw, str) else decode(raw.rstrip(b"\r"), where)
        except IngestError as exc:
            yield IngestError(where, f"line refused: {exc.reason}")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON line: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:
            yield IngestError(where, "invalid JSON line: nested too deeply")
            continue
        if not isinstance(obj, dict):
            yield IngestError(where, "JSON line is not an object")
            continue
        try:
            yield _jsonl_article(obj, where, meta)
        except IngestError as exc:
            yield exc


def _jsonl_article(obj: dict, where: str, meta: dict) -> RawArticle:
    body, is_html = obj.get("text"), False
    if body is None or (isinstance(body, str) and not body.strip()):
        body, is_html = obj.get("html"), True
    if body is None or (isinstance(body, str) and not body.strip()):
        raise IngestError(where, "JSON line has neither 'text' nor 'html'")
    if not isinstance(body, str):
        field_name = "html" if is_html else "text"
        raise IngestError(where, f"field {field_name!r} is a {type(body).__name__}, not a string")
    if "\x00" in body:
        raise IngestError(where, "the article's text holds NUL characters: binary data, not text")
    line_meta = dict(meta)
    for name in JSONL_META:
        value = _jsonl_value(obj, name, where)
        if value is not None:
            line_meta[name] = value
    given_id = _jsonl_value(obj, "id", where)
    source = _jsonl_value(obj, "source", where) or line_meta.get("url") or where
    # a new version needs the same explicit id or the same URL; an outlet name in `source` is no identity
    key = f"id:{given_id}" if given_id else line_meta.get("url")
    return RawArticle(source=source, body=body, is_html=is_html, meta=line_meta, key=key)


def _read_feed(data: bytes, source: str, meta: dict, key: str | None) -> Iterator[RawArticle | IngestError]:
    import feedparser

    # no sanitizing here: an entry's HTML is read as text (fragment_text), never served as HTML
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
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
        entry_meta["title"] = _plain_title(entry.get("title"))
        entry_meta["url"] = entry.get("link")
        entry_meta["author"] = entry.get("author")
        entry_meta["site"] = parsed.feed.get("title")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            entry_meta["published"] = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        entry_key = entry.get("link") or (f"id:{entry['id']}" if entry.get("id") else None)
        yield RawArticle(source=where, body=body, is_html=True,
                         meta={k: v for k, v in entry_meta.items() if v}, key=entry_key)


def _plain_title(title: str | None) -> str | None:
    """A feed title as text: markup some feeds put in titles ("<b>Athènes</b> &amp; Ankara") removed."""
    if not title or "<" not in title and "&" not in title:
        return title
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]{0,500}>", "", title))
    return " ".join(text.split()) or None


def _read_warc(stream: BinaryIO, source: str, meta: dict, settings: Settings) -> Iterator[RawArticle | IngestError]:
    """HTML responses of a WARC archive, read record by record from `stream`.

    Memory stays bounded: a record larger than max_input_bytes is skipped with an error, and the
    archive stops once its records add up to more than max_input_bytes decompressed.
    """
    from warcio.archiveiterator import ArchiveIterator

    head = stream.read(4096)
    stream.seek(0)
    plain = _peek_gunzip(head) if head[:2] == GZIP_MAGIC else head
    if not plain.lstrip().upper().startswith((b"WARC/", b"FILEDESC://")):
        shown = plain[:12].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise IngestError(source, f"not a WARC archive: it starts with {shown!r}, not 'WARC/'")
    limit = settings.max_input_bytes
    count = total = 0
    try:
        for record in ArchiveIterator(stream):
            declared = int(record.rec_headers.get_header("Content-Length") or 0)
            total += declared
            if total > limit:
                raise IngestError(source, f"WARC records add up to more than max_input_bytes ({limit} bytes) "
                                          f"decompressed; stopped after {count} HTML records")
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or f"{source}#{count + 1}"
            payload = record.content_stream().read(limit + 1)
            if len(payload) > limit:
                yield IngestError(uri, f"WARC record larger than max_input_bytes ({limit} bytes)")
                continue
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
                body, notes = decode_noted(payload, uri, charset)
            except IngestError as exc:
                yield exc
                continue
            yield RawArticle(source=uri, body=body, is_html=True, meta=_with_notes(record_meta, notes), key=uri)
    except IngestError:
        raise
    except (EOFError, OSError, gzip.BadGzipFile, ValueError, zlib.error) as exc:
        raise IngestError(source, f"truncated or corrupt WARC after {count} HTML records ({type(exc).__name__}: {exc})")
    except Exception as exc:
        raise IngestError(source, f"corrupt WARC after {count} HTML records ({type(exc).__name__}: {exc})")
    if head[:2] == GZIP_MAGIC and _gzip_cut_short(stream):
        raise IngestError(source, f"truncated WARC: the archive ends inside a record, after {count} complete HTML records")
    if count == 0:
        raise IngestError(source, "WARC holds no HTML response records")


def _gzip_cut_short(stream: BinaryIO) -> bool:
    """True when gzip data ends inside a member (warcio reads such a cut as a clean end).
    Reads the stream again in chunks; what inflates is dropped as it comes."""
    stream.seek(0)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data, in_member = b"", False
    while True:
        if not data:
            data = stream.read(1 << 20)
            if not data:
                return in_member
        try:
            inflater.decompress(data, 1 << 16)
        except zlib.error:
            return True
        in_member = True
        if inflater.eof:
            data, in_member = inflater.unused_data, False
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        else:
            data = inflater.unconsumed_tail


@dataclass
class Fetched:
    """One HTTP answer read within the limits: its status (200, or 304 when not modified since
    the validators sent), body, content type and the validators to send next time."""

    url: str
    status: int
    data: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def fetch_url(url: str, settings: Settings, etag: str | None = None, last_modified: str | None = None,
              client=None) -> Fetched:
    """GET `url`, streamed: refused past max_input_bytes (counted after content decoding, so a
    gzip bomb stops early) or past http_timeout seconds in all (a server that sends a byte every
    few seconds does not hold the batch). With `etag` or `last_modified` the request is
    conditional and a 304 comes back empty. Raises IngestError naming the URL and the cause."""
    import httpx

    limit = settings.max_input_bytes
    deadline = time.monotonic() + settings.http_timeout
    headers = {"User-Agent": settings.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    chunks: list[bytes] = []
    received = 0
    own = client is None
    if own:
        client = httpx.Client(timeout=httpx.Timeout(settings.http_timeout), follow_redirects=True, max_redirects=10)
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                response.read()          # nothing, but read: the connection goes back to the pool
                return Fetched(url, 304, etag=response.headers.get("etag") or etag,
                               last_modified=response.headers.get("last-modified") or last_modified)
            response.raise_for_status()
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise IngestError(url, f"page of {declared} bytes is larger than max_input_bytes ({limit})")
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > limit:
                    raise IngestError(url, f"page larger than max_input_bytes ({limit} bytes, after decompression)")
                if time.monotonic() > deadline:
                    raise IngestError(url, f"fetch failed: the page took more than {settings.http_timeout:g} s "
                                           f"to arrive ({received} bytes received)")
                chunks.append(chunk)
            return Fetched(url, response.status_code, b"".join(chunks), response.headers.get("content-type"),
                           response.headers.get("etag"), response.headers.get("last-modified"))
    except httpx.TooManyRedirects:
        raise IngestError(url, "fetch failed: too many redirects (a redirect loop?)") from None
    except httpx.HTTPStatusError as exc:
        raise IngestError(url, f"fetch failed: HTTP {exc.response.status_code} {exc.response.reason_phrase}") from None
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        raise IngestError(url, f"fetch failed: {type(exc).__name__}: {exc}") from None
    finally:
        if own:
            client.close()


def _read_url(url: str, settings: Settings) -> Iterator[RawArticle | IngestError]:
    """The articles of the page or feed at `url` (`fetch_url`), or the error that stopped it."""
    try:
        fetched = fetch_url(url, settings)
    except IngestError as exc:
        yield exc
        return
    if not fetched.data:
        yield IngestError(url, "empty page")
        return
    yield from read_fetched(fetched, settings)


def read_fetched(fetched: Fetched, settings: Settings) -> Iterator[RawArticle | IngestError]:
    """The articles of a fetched page or feed, read by its content type and the suffix of its path."""
    import httpx

    suffix = _suffix(Path(httpx.URL(fetched.url).path or "/"))
    yield from read_bytes(fetched.data, fetched.url, suffix, settings, meta={"url": fetched.url},
                          content_type=fetched.content_type, key=fetched.url)

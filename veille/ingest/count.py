"""How many articles the named inputs hold, before reading them: the total of a progress bar.

Each input counts as many steps as `read_inputs` yields items for it (an article or an error):
a text or HTML file one, a JSON Lines file its non-blank lines, a feed its entries, a folder
the sum of its files. None when that cannot be said without reading it all: a URL, a WARC
archive, a gzipped file.
"""
from __future__ import annotations

from pathlib import Path

from veille.errors import IngestError
from veille.ingest.decode import decode, wide_unicode
from veille.ingest.sources import GZIP_MAGIC, _suffix, folder_files, sniff
from veille.settings import Settings


def count_articles(targets: list[str], settings: Settings) -> int | None:
    """The number of articles (and unreadable inputs) in `targets`, or None when one of them
    does not say. `["corpus/", "fil.jsonl"]` with 3 files and 40 lines: 43."""
    total = 0
    for target in targets:
        n = _count_target(target, settings)
        if n is None:
            return None
        total += n
    return total


def _count_target(target: str, settings: Settings) -> int | None:
    if target.startswith(("http://", "https://")):
        return None
    if target.startswith("file://"):
        from urllib.parse import unquote, urlparse

        target = unquote(urlparse(target).path)
    path = Path(target).expanduser()
    if not path.is_dir():
        return _count_file(path, settings) if path.is_file() else 1
    total = 0
    for item in folder_files(path, settings):
        n = 1 if isinstance(item, IngestError) else _count_file(item, settings)
        if n is None:
            return None
        total += n
    return total or 1                        # an empty folder is one error


def _count_file(path: Path, settings: Settings) -> int | None:
    try:
        size = path.stat().st_size
        if size == 0 or size > settings.max_input_bytes:
            return 1                         # refused whole: one error
        with path.open("rb") as fh:
            head = fh.read(4096)
            if head[:2] == GZIP_MAGIC:
                return None
            kind = sniff(head, _suffix(path))
            if kind in ("text", "html"):
                return 1
            if kind == "warc":
                return None
            fh.seek(0)
            data = fh.read()
    except OSError:
        return 1
    if kind == "jsonl":
        return _count_lines(data)
    return _count_entries(data)


def _count_lines(data: bytes) -> int:
    """Non-blank lines, as the JSON Lines reader takes them (UTF-16 and UTF-32 decoded first)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or wide_unicode(data):
        try:
            return sum(1 for line in decode(data, "").splitlines() if line.strip())
        except IngestError:
            return 1
    return sum(1 for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n") if line.strip())


def _count_entries(data: bytes) -> int:
    """The entries of a feed (one error when it has none)."""
    import feedparser

    try:
        return len(feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False).entries) or 1
    except Exception:
        return 1

"""The fusion's named thresholds (resources/fusion.yaml), the language bundle of an article, and
small shared helpers."""
from __future__ import annotations

import calendar
import hashlib
from datetime import date, timedelta
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlparse

from veille.language import Language, bundle_for, default
from veille.resources import load
from veille.text import fold


@lru_cache(maxsize=1)
def config() -> dict:
    """The parsed resources/fusion.yaml."""
    return load("fusion.yaml")


def bundle_of(code: str | None) -> Language:
    """The language bundle of an article's language: French (the default) when it has none or
    veille ships none for it, so that its cues are read as the pipeline's default reads them."""
    return bundle_for(code) or default()


def hash_id(prefix: str, *parts: object) -> str:
    """A deterministic id: `prefix` and 16 hex digits of the sha256 of the parts."""
    digest = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}{digest.hexdigest()[:16]}"


def outlet_of(metadata: dict | None, source: str | None) -> str:
    """Who published an article: its site name, else the host of its url, else its source.

    >>> outlet_of({"url": "https://www.courrier-asie.example/a/b"}, "demo/001.txt")
    'courrier-asie.example'
    """
    metadata = metadata or {}
    if metadata.get("site"):
        return str(metadata["site"])
    for candidate in (metadata.get("url"), source):
        if candidate and "://" in str(candidate):
            host = urlparse(str(candidate)).hostname or ""
            if host:
                return host.removeprefix("www.")
    return PurePath(str(source)).name if source else "unknown"


@lru_cache(maxsize=65536)
def folded(text: str) -> str:
    """`veille.text.fold`, cached: fusion folds the same stored text again for every item of it."""
    return fold(text or "")


def published_days(published: str | None) -> tuple[date, date] | None:
    """The first and last day a publication date allows ("2024-06" is the whole of June);
    None when it is missing or unreadable.

    >>> published_days("2024-06")
    (datetime.date(2024, 6, 1), datetime.date(2024, 6, 30))
    """
    if not published:
        return None
    text = str(published)[:10]
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return (day, day)
        if len(text) == 7:
            first = date.fromisoformat(text + "-01")
            return (first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))
        if len(text) == 4:
            return (date(int(text), 1, 1), date(int(text), 12, 31))
    except ValueError:
        return None
    return None


def window(published: str | None, before: int, after: int) -> tuple[str, str] | None:
    """The days from `before` days before a publication date to `after` days after it."""
    days = published_days(published)
    if days is None:
        return None
    return ((days[0] + timedelta(days=before)).isoformat(), (days[1] + timedelta(days=after)).isoformat())

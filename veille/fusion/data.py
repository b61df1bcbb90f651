"""The fusion's named thresholds and French cues (resources/fusion.yaml), and small shared helpers."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlparse

from veille.resources import load
from veille.text import fold


@lru_cache(maxsize=1)
def config() -> dict:
    """The parsed resources/fusion.yaml."""
    return load("fusion.yaml")


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


def folded(text: str) -> str:
    return fold(text or "")

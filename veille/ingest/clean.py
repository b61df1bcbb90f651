"""str -> cleaned text: scraper debris out, metadata lines moved, white space normalised.

The patterns live in resources/cleaning.yaml. `clean_text` never changes the
words of the article: machine-translation artefacts are flagged, not fixed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from veille.resources import load

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Cleaned:
    """What cleaning made of a text."""

    text: str
    metadata: dict = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class _Patterns:
    drop: tuple[tuple[str, re.Pattern], ...]
    metadata: tuple[tuple[str, re.Pattern], ...]
    crawl_header: re.Pattern
    trailing_tag: re.Pattern
    byline_with_credit: re.Pattern
    mt_bracket: re.Pattern
    english_words: frozenset[str]
    doubled_word: re.Pattern
    legit_doubles: frozenset[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    data = load("cleaning.yaml")
    flags = re.IGNORECASE | re.UNICODE
    return _Patterns(
        drop=tuple((kind, re.compile(p, flags)) for kind, ps in data["drop"].items() for p in ps),
        metadata=tuple((key, re.compile(p, flags if key != "byline" else re.UNICODE))
                       for key, ps in data["metadata"].items() for p in ps),
        crawl_header=re.compile(data["crawl_header"], flags),
        trailing_tag=re.compile(data["trailing_tag"], flags),
        byline_with_credit=re.compile(data["byline_with_credit"], flags),
        mt_bracket=re.compile(data["mt_bracket"]),
        english_words=frozenset(data["english_words"]),
        doubled_word=re.compile(data["doubled_word"], flags),
        legit_doubles=frozenset(data["legit_doubles"]),
    )


def normalise_spaces(text: str) -> str:
    """One space between words, no trailing spaces, paragraphs split by one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZERO_WIDTH.sub("", _CONTROL.sub(" ", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out)


def _add(meta: dict, key: str, value: str) -> None:
    value = value.strip()
    if not value:
        return
    if key in meta and meta[key] != value:
        existing = meta[key] if isinstance(meta[key], list) else [meta[key]]
        meta[key] = existing + [value]
    else:
        meta[key] = value


def _classify(line: str, pats: _Patterns, meta: dict, removed: list[str], at_top: bool) -> bool:
    """True when `line` is debris or metadata (and has been recorded as such)."""
    stripped = line.strip()
    both = pats.byline_with_credit.match(stripped)
    if both:
        _add(meta, "byline", both.group(1))
        _add(meta, "photo_credit", both.group(2))
        return True
    for kind, pat in pats.drop:
        if len(stripped) < 400 and pat.match(stripped):
            removed.append(stripped)
            return True
    for key, pat in pats.metadata:
        if key == "byline" and not at_top:
            continue
        m = pat.match(stripped)
        if m and len(stripped) < 300:
            _add(meta, key, m.group(1) if m.groups() else stripped)
            return True
    return False


def clean_text(raw: str) -> Cleaned:
    """Cleaned body of a scraped article, with what was removed and flagged.

    >>> clean_text(" date 2025-05 Le président a parlé.\\n1:20\\n• Copié").text
    'Le président a parlé.'
    """
    pats = patterns()
    meta: dict = {}
    removed: list[str] = []
    text = normalise_spaces(raw)
    header = pats.crawl_header.match(text)
    if header:
        meta["crawl_date"] = header.group(1)
        removed.append(header.group(0).strip())
        text = text[header.end():]
    kept: list[str] = []
    seen_body = False
    for line in text.split("\n"):
        if not line:
            kept.append(line)
            continue
        if _classify(line, pats, meta, removed, at_top=not seen_body):
            continue
        kept.append(line)
        if len(line) > 120:
            seen_body = True
    while kept and kept[-1] == "":
        kept.pop()
    body = normalise_spaces("\n".join(kept))
    while True:
        tag = pats.trailing_tag.search(body)
        if not tag:
            break
        _add(meta, "credits", tag.group(1))
        removed.append(tag.group(0).strip())
        body = body[:tag.start()].rstrip()
    return Cleaned(text=body, metadata=meta, removed=removed, flags=find_artefacts(body))


def find_artefacts(text: str) -> list[dict]:
    """Suspected machine-translation artefacts: English brackets, doubled words."""
    pats = patterns()
    flags = []
    for m in pats.mt_bracket.finditer(text):
        words = set(m.group(1).lower().split())
        if words & pats.english_words:
            flags.append({"kind": "untranslated_bracket", "start": m.start(), "end": m.end(), "text": m.group(0)})
    for m in pats.doubled_word.finditer(text):
        if m.group(1).lower() not in pats.legit_doubles and not m.group(1).isdigit():
            flags.append({"kind": "doubled_word", "start": m.start(), "end": m.end(), "text": m.group(0)})
    return sorted(flags, key=lambda f: f["start"])


def split_headline(text: str) -> tuple[str | None, str]:
    """A leading headline line (short, no final stop, followed by a blank line) and the rest."""
    first, sep, rest = text.partition("\n\n")
    if sep and "\n" not in first and len(first) <= 200 and not first.rstrip().endswith((".", "!", "?", ":", "»", '"')) and rest.strip():
        return first.strip(), rest
    return None, text

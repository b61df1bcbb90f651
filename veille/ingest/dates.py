"""Publication date of an article, by ordered fallbacks.

Steps, in the order of `Settings.published_order`:
  input         the input's own metadata (JSON Lines `published`, feed pubDate)
  page          the page's metadata (HTML meta tags, read by trafilatura)
  crawl_header  a crawl header (" date 2025-05") or the WARC record date
  dateline      a dateline at the head of the text ("MOSCOU, 12 mars 2024 -")
else unknown. Each gives an ISO date and its precision (day, month, year).
"""
from __future__ import annotations

import re
from datetime import date, datetime

from veille.errors import IngestError

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")
_DATELINE = re.compile(
    r"^\s*(?:[A-ZÉÈÀÂÎÔÛÇ][\w'’ .-]{1,40},\s*(?:le\s+)?)?"
    r"((?:\d{1,2}(?:er)?\s+)?[a-zéû]+\.?\s+\d{4})\b", re.IGNORECASE)

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def parse_published(value: str, source: str) -> tuple[str, str]:
    """ISO date and precision of a stated publication date.

    "2023-10-23" -> ("2023-10-23", "day"); "2025-05" -> ("2025-05", "month");
    "Mon, 16 May 2024 08:00:00 GMT" and "16 mai 2024" are parsed too.
    Raises IngestError when the value is not a date.
    """
    text = str(value).strip()
    m = _ISO.match(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        try:
            if day:
                d = date(int(year), int(month), int(day))
                parsed = (d.isoformat(), "day")
            elif month:
                if not 1 <= int(month) <= 12:
                    raise ValueError("month out of range")
                parsed = (f"{int(year):04d}-{int(month):02d}", "month")
            else:
                parsed = (f"{int(year):04d}", "year")
        except ValueError as exc:
            raise IngestError(source, f"publication date {text!r} does not parse: {exc}") from None
        _check_year(int(year), text, source)
        return parsed
    parsed_dt = _parse_free(text)
    if parsed_dt is None:
        raise IngestError(source, f"publication date {text!r} does not parse")
    _check_year(parsed_dt.year, text, source)
    return parsed_dt.date().isoformat(), "day"


def _check_year(year: int, text: str, source: str) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise IngestError(source, f"publication date {text!r} is out of range")


def _parse_free(text: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser

    return dateparser.parse(
        text, languages=["fr", "en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RELATIVE_BASE": datetime(2000, 1, 1),
                  "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def dateline_date(text: str) -> tuple[str, str] | None:
    """Date of a dateline at the head of the text: "PÉKIN, 16 mai 2024 (AFP) -"."""
    m = _DATELINE.match(text[:120])
    if not m:
        return None
    import dateparser

    when = dateparser.parse(m.group(1), languages=["fr", "en"],
                            settings={"RELATIVE_BASE": datetime(2000, 1, 1), "REQUIRE_PARTS": ["month", "year"]})
    if when is None or not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        return None
    has_day = bool(re.match(r"\d", m.group(1)))
    return (when.date().isoformat(), "day") if has_day else (f"{when.year:04d}-{when.month:02d}", "month")


def choose_published(candidates: dict[str, str | None], text: str, order: tuple[str, ...],
                     source: str) -> tuple[str | None, str | None, str | None]:
    """(published, precision, step) from the first step of `order` that gives a date.

    `candidates` maps step names to stated values. A date the input itself states
    that does not parse raises IngestError (the user gave a bad date: say so, do
    not guess); a page or crawl date that does not parse is passed over.
    """
    for step in order:
        if step == "dateline":
            found = dateline_date(text)
            if found:
                return found[0], found[1], step
            continue
        value = candidates.get(step)
        if not value:
            continue
        try:
            published, precision = parse_published(value, source)
        except IngestError:
            if step == "input":
                raise
            continue
        return published, precision, step
    return None, None, None

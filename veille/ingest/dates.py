"""Publication date of an article, by ordered fallbacks.

Steps, in the order of `Settings.published_order`:
  input         the input's own metadata (JSON Lines `published`, feed pubDate)
  page          the page's metadata (HTML meta tags, read by trafilatura)
  url           a date in the article's URL (/2024/05/16/, /20240516/, a unix timestamp in a slug)
  crawl_header  a crawl header (" date 2025-05") or the WARC record date
  dateline      a dateline at the head of the text ("MOSCOU, 12 mars 2024 -"); without its
                year ("TOKYO, 16 mars (AFP) -"), the year of the text's latest explicit date:
                an estimate
  text          the latest explicit date the text states: an estimate
else unknown. Each gives an ISO date and its precision (day, month, year); an estimate says so
(`estimated`), and the article is flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from veille.errors import IngestError
from veille.language import Language, default as default_language

# The steps that read the article's words, in its language's bundle.
TEXT_STEPS = ("dateline", "text")

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$")

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200
# A text's dates estimate its publication only from this year on: a story that names 1914 and
# nothing later is history, not news of 1914.
EARLIEST_ESTIMATE_YEAR = 1990
# Unix timestamps read in a URL slug: 2000-01-01 .. 2035-12-31.
TIMESTAMPS = (946684800, 2082758399)

_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")
_URL_STAMP = re.compile(r"(?<![\d.])(\d{10})(?![\d.])")


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


def url_date(url: str | None) -> tuple[str, str, str | None] | None:
    """(ISO date, precision, note) of a date in an article's URL path, or None.

    "/2024/05/16/", "/2024-05-16/", "/20240516/", "_20231130_" give days; "/2024/05/" a month;
    a 10-digit unix timestamp in a slug ("-1701337320") a day. Impossible dates and numbers
    outside 2000-2035 are no dates. With two dates, the last (nearest the article's own name)
    is kept and the note says so.
    """
    from urllib.parse import urlparse

    if not url or "://" not in str(url):
        return None
    path = urlparse(str(url)).path
    found: list[tuple[int, str, str]] = []
    for m in _URL_DAY.finditer(path):
        try:
            found.append((m.end(), date(int(m.group(1)), int(m.group(3)), int(m.group(4))).isoformat(), "day"))
        except ValueError:
            continue
    if not found:
        found += [(m.end(), f"{m.group(1)}-{m.group(2)}", "month") for m in _URL_MONTH.finditer(path)]
    for m in _URL_STAMP.finditer(path):
        stamp = int(m.group(1))
        if TIMESTAMPS[0] <= stamp <= TIMESTAMPS[1]:
            found.append((m.end(), datetime.utcfromtimestamp(stamp).date().isoformat(), "day"))
    if not found:
        return None
    found.sort()
    end, iso, precision = found[-1]
    note = f"two dates in the URL ({found[0][1]}, {iso}): the last is taken" if len({f[1] for f in found}) > 1 else None
    return iso, precision, note


def text_estimate(text: str, lang: Language | None = None) -> tuple[str, str] | None:
    """The latest explicit date a text states (a day, a month or a year it writes out), as an
    estimate of its publication; None when it states none since EARLIEST_ESTIMATE_YEAR.

    "Le sommet s'est tenu le 12 mars 2023 ... en janvier 2019" -> ("2023-03-12", "day").
    """
    from veille.extract.timexes import absolute_dates

    found = sorted((begin, granularity) for begin, granularity in absolute_dates(text, lang)
                   if int(begin[:4]) >= EARLIEST_ESTIMATE_YEAR and granularity in ("day", "month", "year"))
    precise = [int(b[:4]) for b, g in found if g in ("day", "month")]
    if precise:
        # a bare year beyond the written-out days and months is a target ("l'objectif pour 2030")
        found = [f for f in found if f[1] != "year" or int(f[0][:4]) <= max(precise) + 1]
    else:
        years = sorted({int(b[:4]) for b, _ in found})
        while len(years) > 1 and years[-1] > years[-2] + 2:
            found = [f for f in found if int(f[0][:4]) != years[-1]]
            years.pop()
    if not found:
        return None
    begin, granularity = found[-1]
    return (begin if granularity == "day" else begin[:7] if granularity == "month" else begin[:4]), granularity


def _start_of(iso: str) -> str:
    return iso if len(iso) == 10 else f"{iso}-01" if len(iso) == 7 else f"{iso}-01-01"


@dataclass(frozen=True)
class Datelines:
    """The two dateline patterns of a language: "PÉKIN, 16 mai 2024 (AFP) -" and, without its
    year, "TOKYO, le 1er mars (AFP) -"; the article before the day and the ordinal endings of
    the first day come from the bundle's time words (`day_articles`, `day_words`)."""

    dated: re.Pattern
    day_month: re.Pattern


def datelines(lang: Language | None = None) -> Datelines:
    """The dateline patterns of `lang` (default: French), built once per bundle."""
    return (lang or default_language()).cached("datelines", _datelines)


def _datelines(lang: Language) -> Datelines:
    from veille.text import alternation

    time = lang.data("time")
    article = rf"(?:(?:{alternation(time['day_articles'])})\s+)?"
    ordinal = alternation({re.sub(r"^\d+", "", w) for w in time["day_words"] if w[:1].isdigit()})
    day = rf"\d{{1,2}}(?:{ordinal})?"
    place = r"[^\W\d_][\w'’ .-]{1,40},\s*"
    return Datelines(
        dated=re.compile(rf"^\s*(?:{place}{article})?((?:{day}\s+)?[^\W\d_]+\.?\s+\d{{4}})\b", re.IGNORECASE),
        day_month=re.compile(rf"^\s*{place}{article}(\d{{1,2}})(?:{ordinal})?\s+([^\W\d_]+)\.?(?=\s*(?:\(|[-–—]|$))",
                             re.IGNORECASE))


def dateline_date(text: str, lang: Language | None = None) -> tuple[str, str] | None:
    """Date of a dateline at the head of the text: "PÉKIN, 16 mai 2024 (AFP) -"."""
    lang = lang or default_language()
    m = datelines(lang).dated.match(text[:120])
    if not m:
        return None
    import dateparser

    when = dateparser.parse(m.group(1), languages=list(dict.fromkeys([lang.code, "en"])),
                            settings={"RELATIVE_BASE": datetime(2000, 1, 1), "REQUIRE_PARTS": ["month", "year"]})
    if when is None or not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        return None
    has_day = bool(re.match(r"\d", m.group(1)))
    return (when.date().isoformat(), "day") if has_day else (f"{when.year:04d}-{when.month:02d}", "month")


def dateline_day_month(text: str, lang: Language | None = None) -> tuple[int, int] | None:
    """(day, month) of a dateline without its year: "TOKYO, 16 mars (AFP) -"."""
    from veille.extract.time.vocab import vocab
    from veille.text import fold

    m = datelines(lang).day_month.match(text[:120])
    if not m:
        return None
    months = vocab(lang).months  # keyed by folded words: "aout", "fevrier"
    word = fold(m.group(2)).rstrip(".")
    month = months.get(word) or next((v for k, v in months.items() if k.startswith(word) and len(word) >= 3), None)
    day = int(m.group(1))
    return (day, month) if month and 1 <= day <= 31 else None


def year_of_dateline(day_month: tuple[int, int], earliest: int, text: str,
                     lang: Language | None = None) -> date | None:
    """The dateline's day in the first year from `earliest` on where the weekday of the lead
    fits it ("TOKYO, 16 mars (AFP) - ... est arrivé jeudi": 16 March is a Thursday in 2023), or
    its day before ("a dit mardi avoir eu la veille..."); `earliest` itself when the lead names
    no weekday."""
    from datetime import timedelta

    from veille.extract.time.vocab import vocab

    day_, month = day_month
    lead = text[:400].lower()
    weekday = next((n for w, n in vocab(lang).weekdays.items() if re.search(rf"\b{w}\b", lead)), None)
    for shift in (0, 1):
        for year in range(earliest, earliest + 7):
            try:
                d = date(year, month, day_)
            except ValueError:
                continue
            if weekday is None or (d - timedelta(days=shift)).weekday() == weekday:
                return d
    try:
        return date(earliest, month, day_)
    except ValueError:
        return None


def choose_published(candidates: dict[str, str | None], text: str, order: tuple[str, ...], source: str,
                     lang: Language | None = None) -> tuple[str | None, str | None, str | None, str | None]:
    """(published, precision, step, note) from the first step of `order` that gives a date;
    `note` says when the date is an estimate (or was chosen among several).

    `candidates` maps step names to stated values ("url": the article's URL). A date the
    input itself states that does not parse raises IngestError (the user gave a bad date:
    say so, do not guess); a page or crawl date that does not parse is passed over. The
    dateline and the text are read with the words of `lang`, the article's language bundle
    (default: French).
    """
    for step in order:
        if step == "url":
            found = url_date(candidates.get("url"))
            if found:
                return found[0], found[1], step, found[2]
            continue
        if step == "dateline":
            found = dateline_date(text, lang)
            if found:
                return found[0], found[1], step, None
            day_month = dateline_day_month(text, lang)
            estimate = text_estimate(text, lang) if day_month else None
            if day_month and estimate:
                day = year_of_dateline(day_month, int(estimate[0][:4]), text, lang)
                if day is None:
                    continue
                return day.isoformat(), "day", step, ("estimated: the dateline gives no year; the first year from "
                                                      "the text's latest date on whose calendar its weekday fits")
            continue
        if step == "text":
            found = text_estimate(text, lang)
            if found:
                return found[0], found[1], step, "estimated: the latest date the text states"
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
        return published, precision, step, None
    return None, None, None, None

"""The time vocabulary of a language bundle (`resources/<code>/time.yaml`), folded and ready to match.

    vocab(lang).months["aout"] -> 8           # lang: a veille.language.Language; French by default

Every word is folded like the text it is matched against (`veille.text.fold`:
no case, no accents, straight apostrophes), so the grammar only sees one form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from veille.language import Language, default
from veille.text import fold

HYPHENS = {"\u2010": "-", "\u2011": "-"}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    folded = folded if len(folded) == 1 else ch
    return HYPHENS.get(folded, folded)


def fold_text(text: str) -> str:
    """`text` folded one character for one character, so offsets carry over.

    "Fin Août" -> "fin aout".
    """
    table = {ord(ch): _fold_char(ch) for ch in set(text)}
    return text.translate(table)


def alternation(words) -> str:
    """A regex alternation of folded `words`, longest first, spaces as runs of spaces.

    ["d'ici", "d'ici à"] -> "d'ici\\s+a|d'ici".
    """
    forms = sorted({fold(str(w)) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in forms)


def leading(words) -> str:
    """An alternation of folded `words` as `alternation` has it, each with the spaces after it,
    none after an elided word: ["de", "d'"] -> "d'|de\\s+" ("de mars", "d'avril")."""
    forms = sorted({fold(str(w)) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) + ("" if w.endswith("'") else r"\s+")
                    for w in forms)


def _folded_map(mapping: dict) -> dict:
    return {fold(str(k)): v for k, v in mapping.items()}


@dataclass(frozen=True)
class Unit:
    """A unit of time: "mois" is ISO letter M, calendar granularity month.

    `also_ordinal`: its singular is also an ordinal ("une seconde chaîne")."""

    iso: str
    size: float
    time: bool
    granularity: str
    digits_only: bool
    also_ordinal: bool = False


@dataclass(frozen=True)
class DayRange:
    """One kind of range of days: the words that close it (folded) and whether a dash may:
    "du 3 au 5 juillet", "du 3-5 juillet"."""

    closes: frozenset
    dash: bool


@dataclass(frozen=True)
class Vocab:
    """The folded vocabulary of one bundle; built once per bundle by `vocab(lang)`."""

    code: str
    months: dict
    weekdays: dict
    day_words: dict
    ordinals: dict
    number_words: tuple
    deictics: dict
    relative_days: dict
    relative_day_blockers: tuple
    day_parts: tuple
    this_day_parts: tuple
    units: dict
    half_units: dict
    first_words: tuple
    last_words: tuple
    duration_qualifiers: tuple
    age_markers: tuple
    relative_units: dict
    relatives: dict
    context_relatives: dict
    demonstratives: tuple
    approximations: dict
    approximation_parts: dict
    approximation_articles: tuple
    seasons: dict
    season_articles: tuple
    markers: dict
    comparison_cues: tuple
    tense: dict
    abbreviations: tuple
    year_blockers: tuple
    anchors: dict
    month_subject_verbs: tuple
    vague_counts: tuple
    # grammar words, by concept
    day_articles: tuple
    numeric_day_articles: tuple
    day_ranges: dict            # folded opening words -> DayRange
    month_day_range: dict       # "open", "close" -> folded words
    numeric_day_range: dict
    of: tuple
    of_the: tuple
    of_the_month: tuple
    this_month: tuple
    of_the_year: tuple
    this_year: tuple
    year_of: tuple
    quarter_determiners: tuple
    quarter_codes: dict
    count_determiners: tuple
    unit_articles: tuple
    proximal_suffixes: tuple
    anchor_articles: tuple
    decades: tuple
    weekday_determiners: tuple
    day_part_articles: tuple
    indefinite_articles: tuple
    and_words: tuple
    half_words: tuple
    hour_marks: tuple
    plural_endings: tuple
    accented_markers: tuple     # (folded, as written in lower case): ("des", "dès")


def _anchors(entries) -> dict:
    out = {}
    for entry in entries or ():
        day = entry["date"]
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        for name in entry["names"]:
            out[fold(name)] = day
    return out


def _units(entries) -> dict:
    out = {}
    for entry in entries:
        unit = Unit(iso=entry["iso"], size=float(entry.get("size", 1)),
                    time=bool(entry.get("time", False)), granularity=entry["granularity"],
                    digits_only=bool(entry.get("digits_only", False)),
                    also_ordinal=bool(entry.get("also_ordinal", False)))
        for form in entry["forms"]:
            out[fold(form)] = unit
    return out


def _day_ranges(entries) -> dict:
    out = {}
    for entry in entries:
        kind = DayRange(closes=frozenset(fold(str(w)) for w in entry["close"]), dash=bool(entry.get("dash")))
        for opening in entry["open"]:
            out[fold(str(opening))] = kind
    return out


def _range_words(entry) -> dict:
    return {end: tuple(fold(str(w)) for w in entry[end]) for end in ("open", "close")}


def vocab(lang: Language | None = None) -> Vocab:
    """The time vocabulary of `lang` (French when None), folded; built once per bundle."""
    return (lang or default()).cached("time.vocab", _build)


def _build(lang: Language) -> Vocab:
    data = lang.data("time")
    months = _folded_map(data["months"])
    months.update(_folded_map(data["month_abbreviations"]))
    folded_list = lambda key: tuple(fold(str(w)) for w in data[key])  # noqa: E731
    return Vocab(
        code=lang.code,
        months=months,
        weekdays=_folded_map(data["weekdays"]),
        day_words=_folded_map(data["day_words"]),
        ordinals=_folded_map(data["ordinals"]),
        number_words=folded_list("number_words"),
        deictics=_folded_map(data["deictics"]),
        relative_days=_folded_map(data["relative_days"]),
        relative_day_blockers=folded_list("relative_day_blockers"),
        day_parts=folded_list("day_parts"),
        this_day_parts=folded_list("this_day_parts"),
        units=_units(data["units"]),
        half_units=_folded_map(data["half_units"]),
        first_words=folded_list("first_words"),
        last_words=folded_list("last_words"),
        duration_qualifiers=folded_list("duration_qualifiers"),
        age_markers=folded_list("age_markers"),
        relative_units=_folded_map(data["relative_units"]),
        relatives=_folded_map(data["relatives"]),
        context_relatives=_folded_map(data["context_relatives"]),
        demonstratives=folded_list("demonstratives"),
        approximations=_folded_map(data["approximations"]),
        approximation_parts=dict(data["approximation_parts"]),
        approximation_articles=folded_list("approximation_articles"),
        seasons=_folded_map(data["seasons"]),
        season_articles=folded_list("season_articles"),
        markers={role: tuple(str(w) for w in words) for role, words in data["markers"].items()},
        comparison_cues=folded_list("comparison_cues"),
        tense=dict(data["tense"]),
        abbreviations=tuple(str(w) for w in data["abbreviations"]),
        year_blockers=tuple(str(w) for w in data["year_blockers"]),
        anchors=_anchors(data["named_anchors"]),
        month_subject_verbs=folded_list("month_subject_verbs"),
        vague_counts=folded_list("vague_counts"),
        day_articles=folded_list("day_articles"),
        numeric_day_articles=folded_list("numeric_day_articles"),
        day_ranges=_day_ranges(data["day_ranges"]),
        month_day_range=_range_words(data["month_day_range"]),
        numeric_day_range=_range_words(data["numeric_day_range"]),
        of=folded_list("of"),
        of_the=folded_list("of_the"),
        of_the_month=folded_list("of_the_month"),
        this_month=folded_list("this_month"),
        of_the_year=folded_list("of_the_year"),
        this_year=folded_list("this_year"),
        year_of=folded_list("year_of"),
        quarter_determiners=folded_list("quarter_determiners"),
        quarter_codes=_folded_map(data["quarter_codes"]),
        count_determiners=folded_list("count_determiners"),
        unit_articles=folded_list("unit_articles"),
        proximal_suffixes=folded_list("proximal_suffixes"),
        anchor_articles=folded_list("anchor_articles"),
        decades=folded_list("decades"),
        weekday_determiners=folded_list("weekday_determiners"),
        day_part_articles=folded_list("day_part_articles"),
        indefinite_articles=folded_list("indefinite_articles"),
        and_words=folded_list("and_words"),
        half_words=folded_list("half_words"),
        hour_marks=folded_list("hour_marks"),
        plural_endings=folded_list("plural_endings"),
        accented_markers=tuple((fold(str(w)), str(w).lower()) for w in data["accented_markers"]),
    )

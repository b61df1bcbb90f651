"""The time vocabulary of a language bundle (`resources/<code>/time.yaml`), folded and ready to match.

    vocab(lang).months["aout"] -> 8           # lang: a veille.language.Language; French by default

Every word is folded like the text it is matched against (`veille.text.fold`:
no case, no accents, straight apostrophes; the text also takes its hyphen step),
so the grammar only sees one form.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, TypeVar

from veille.language import Language, default
from veille.text import NEVER, fold, folded_table, longest_first, spaced

T = TypeVar("T")


def leading(words) -> str:
    """An alternation of folded `words` as `alternation` has it, each with the spaces after it,
    none after an elided word: ["de", "d'"] -> "d'|de\\s+" ("de mars", "d'avril")."""
    return "|".join(spaced(w) + ("" if w.endswith("'") else r"\s+") for w in longest_first(words)) or NEVER


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


def _by_name(entries, names: str, value: Callable[[dict], T]) -> dict[str, T]:
    """{folded name: value(entry)} for every name (under `names`) of every entry of a bundle's
    list: a unit by its forms, a kind of day range by its opening words, a day by its names."""
    out = {}
    for entry in entries:
        read = value(entry)
        for name in entry[names]:
            out[fold(str(name))] = read
    return out


def _day(entry: dict) -> date:
    day = entry["date"]
    return day if isinstance(day, date) else date.fromisoformat(str(day))


def _unit(entry: dict) -> Unit:
    return Unit(iso=entry["iso"], size=float(entry.get("size", 1)),
                time=bool(entry.get("time", False)), granularity=entry["granularity"],
                digits_only=bool(entry.get("digits_only", False)),
                also_ordinal=bool(entry.get("also_ordinal", False)))


def _day_range(entry: dict) -> DayRange:
    return DayRange(closes=frozenset(fold(str(w)) for w in entry["close"]), dash=bool(entry.get("dash")))


def _range_words(entry) -> dict:
    return {end: tuple(fold(str(w)) for w in entry[end]) for end in ("open", "close")}


def vocab(lang: Language | None = None) -> Vocab:
    """The time vocabulary of `lang` (French when None), folded; built once per bundle."""
    return (lang or default()).cached("time.vocab", _build)


def from_vocab(lang: Language | None, key: str, build: Callable[[Vocab], T]) -> T:
    """`build(vocab(lang))`, once per bundle under `key`: what a time stage compiles from the
    vocabulary (the vocabulary is built first, outside `cached`: a build may not ask its bundle
    for another)."""
    lang = lang or default()
    words = vocab(lang)
    return lang.cached(key, lambda _: build(words))


# The fields that are the bundle's list, or table, of the same name, folded.
FOLDED_LISTS = (
    "number_words", "relative_day_blockers", "day_parts", "this_day_parts", "first_words", "last_words",
    "duration_qualifiers", "age_markers", "demonstratives", "approximation_articles", "season_articles",
    "comparison_cues", "month_subject_verbs", "vague_counts", "day_articles", "numeric_day_articles", "of",
    "of_the", "of_the_month", "this_month", "of_the_year", "this_year", "year_of", "quarter_determiners",
    "count_determiners", "unit_articles", "proximal_suffixes", "anchor_articles", "decades",
    "weekday_determiners", "day_part_articles", "indefinite_articles", "and_words", "half_words",
    "hour_marks", "plural_endings",
)
FOLDED_TABLES = (
    "weekdays", "day_words", "ordinals", "deictics", "relative_days", "half_units", "relative_units",
    "relatives", "context_relatives", "approximations", "seasons", "quarter_codes",
)


def _build(lang: Language) -> Vocab:
    data = lang.data("time")
    months = folded_table(data["months"])
    months.update(folded_table(data["month_abbreviations"]))
    return Vocab(
        code=lang.code,
        **{key: tuple(fold(str(w)) for w in data[key]) for key in FOLDED_LISTS},
        **{key: folded_table(data[key]) for key in FOLDED_TABLES},
        months=months,
        units=_by_name(data["units"], "forms", _unit),
        approximation_parts=dict(data["approximation_parts"]),
        markers={role: tuple(str(w) for w in words) for role, words in data["markers"].items()},
        tense=dict(data["tense"]),
        abbreviations=tuple(str(w) for w in data["abbreviations"]),
        year_blockers=tuple(str(w) for w in data["year_blockers"]),
        anchors=_by_name(data["named_anchors"] or (), "names", _day),
        day_ranges=_by_name(data["day_ranges"], "open", _day_range),
        month_day_range=_range_words(data["month_day_range"]),
        numeric_day_range=_range_words(data["numeric_day_range"]),
        accented_markers=tuple((fold(str(w)), str(w).lower()) for w in data["accented_markers"]),
    )

"""The French time vocabulary of `resources/fr/time.yaml`, folded and ready to match.

Every word is folded like the text it is matched against (`veille.text.fold`:
no case, no accents, straight apostrophes), so the grammar only sees one form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from veille.resources import load
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
class Vocab:
    """The folded French vocabulary; built once by `vocab()`."""

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


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """The vocabulary of `fr/time.yaml`, folded; loaded once."""
    data = load("fr/time.yaml")
    months = _folded_map(data["months"])
    months.update(_folded_map(data["month_abbreviations"]))
    folded_list = lambda key: tuple(fold(str(w)) for w in data[key])  # noqa: E731
    return Vocab(
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
    )

"""Time expressions, found and resolved against the publication date.

`extract_timexes(text, published, lang=...)` finds every time expression of a
text ("lundi", "la semaine dernière", "De janvier à septembre", "d'ici 2030",
"quatre jours") and resolves each to inclusive ISO days (DATE, PERIOD) or an
ISO 8601 duration (DURATION). The grammar lives in `veille.extract.time`, the
words in the language bundle (`resources/fr/time.yaml` for French, the
default); the clock is never read.

When the publication date is unknown, or known only to the month or year,
every expression is resolved against the first and the last day it may be; what
both readings agree on is kept and the rest is left null with a `note`.
"""
from __future__ import annotations

import re
from datetime import date

from veille.language import Language, default
from veille.records import Timex
from veille.text import fold, fold_hyphens

from .time import calendar as cal
from .time.grammar import Expr, grammar
from .time.resolve import ANCHORING, Context, Resolver, Unresolved, Value
from .time.tense import Sentences, tense_cues
from .time.vocab import from_vocab
from .view import ArticleView


def resolver(lang: Language) -> Resolver:
    """The resolver of `lang`'s approximation parts ("début" is days 1-10), built once per bundle."""
    return from_vocab(lang, "time.resolver", lambda v: Resolver(v.approximation_parts))


# Two stand-in reference days that differ in year, quarter, month, week and weekday:
# whatever resolves the same against both does not depend on the publication date.
UNKNOWN_DAYS = (date(1950, 1, 4), date(2150, 8, 20))
UNKNOWN_NOTE = "publication date unknown"

_PUBLISHED = re.compile(r"(?<!\s)\s*+(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T\s].*)?", re.S)
_ORDER = {"day": 3, "month": 2, "year": 1}
_PERIODS = frozenset({"range", "since", "by", "until", "since_unknown"})
_PERIOD_ATOMS = frozenset({"day_range", "year_range", "decade", "first_last"})


def reference_days(published: str | date | None,
                   precision: str | None = "day") -> tuple[tuple[date, ...], str | None]:
    """The days a publication date may be, and the note for what it leaves unknown.

    "2023-10-23" -> ((2023-10-23,), None); "2023-10" -> ((2023-10-01, 2023-10-31),
    "publication date known only to the month"); None -> stand-ins and "publication date unknown".
    """
    if isinstance(published, date):
        published = published.isoformat()
    m = _PUBLISHED.fullmatch(published) if isinstance(published, str) else None
    if not m:
        return UNKNOWN_DAYS, UNKNOWN_NOTE
    year, month, day = (int(g) if g else None for g in m.groups())
    known = "day" if day else "month" if month else "year"
    if precision in _ORDER and _ORDER[precision] < _ORDER[known]:
        known = precision
    try:
        if known == "day":
            return (date(year, month, day),), None
        if known == "month":
            return cal.month_span(year, month), "publication date known only to the month"
        return cal.year_span(year), "publication date known only to the year"
    except ValueError:
        return UNKNOWN_DAYS, UNKNOWN_NOTE


def expression_type(e: Expr) -> str:
    """DATE, PERIOD or DURATION, from the shape of the expression alone."""
    kind = e.atoms[0].kind if e.atoms else None
    if kind == "duration" and e.role not in ("ago", "after", "by"):
        return "DURATION"
    if e.role in _PERIODS or kind in _PERIOD_ATOMS:
        return "PERIOD"
    return "DATE"


def resolve_all(exprs: list[Expr], sentences: Sentences, ref: date, resolve: Resolver) -> list[Value]:
    """The value of each expression against one reference day, in text order.

    Each sentence keeps an anchor: the last date in it with a place in the
    calendar, which a later bare month or weekday counts from ("En mai, …, à
    partir de juin": June after that May). A bound, target or baseline ("fixé
    pour 2024", "par rapport à 2021") is no anchor: the sentence is not about it.
    The text keeps the last single day it named, which "la veille" and "le
    lendemain" count from.
    """
    values = []
    anchor, sentence, last_day = None, -1, None
    for e in exprs:
        index = sentences.index(e.start)
        if index != sentence:
            anchor, sentence = None, index
        direction, cued = sentences.direction(e.start, e.end)
        ctx = Context(ref, direction, anchor, cued=cued, last_day=last_day)
        try:
            v = resolve.expr(e, ctx)
        except Unresolved as exc:
            v = Value(expression_type(e), note=str(exc))
        except (ValueError, OverflowError):
            v = Value(expression_type(e), note="outside the calendar")
        values.append(v)
        if v.type == "DATE" and v.granularity == "day" and v.begin is not None and v.begin == v.end:
            last_day = v.begin
        if (e.role in ("plain", "within", "from", "comparison")
                and e.atoms[0].kind in ANCHORING and v.begin is not None):
            anchor = v
    return values


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def merge(values: tuple[Value, ...], unknown_note: str | None) -> Value:
    """What the readings against every possible reference day agree on.

    "en 2030" agrees everywhere; "hier" with an unknown publication date does
    not, and comes back with null days and `unknown_note`.
    """
    first = values[0]
    if len(values) == 1:
        return first
    agree = {attr: all(getattr(v, attr) == getattr(first, attr) for v in values)
             for attr in ("begin", "end", "granularity", "value", "type")}
    begin = first.begin if agree["begin"] else None
    end = first.end if agree["end"] else None
    value = first.value if agree["value"] else None
    granularity = first.granularity if agree["granularity"] and (begin or end) else None
    note = first.note
    if not (agree["begin"] and agree["end"] and agree["value"]):
        note = unknown_note if not note or note == unknown_note else f"{unknown_note}; {note}"
    return Value(first.type, begin, end, granularity, value, note)


ESTIMATED_NOTE = "resolved against an estimated publication date"


def extract_timexes(text: str, published: str | None, precision: str | None = "day",
                    estimated: bool = False, lang: Language | None = None,
                    view: ArticleView | None = None) -> list[Timex]:
    """Every time expression of `text` in language `lang` (French when None), resolved against
    `published`, by offset.

    `published` is an ISO date ("2023-10-23", or "2023-10" / "2023" with a
    coarser `precision`) or None. Expressions do not overlap; the longest wins.
    Published Monday 2023-10-23, "Ils ont signé lundi un accord valable d'ici 2030."
    gives "lundi" (DATE 2023-10-23) and "d'ici 2030" (PERIOD 2023-10-23..2030-12-31).
    `view`, the article's view, gives its folded text (else `text` is folded here).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if not text:
        return []
    lang = lang or default()
    refs, unknown_note = reference_days(published, precision)
    folded = fold_hyphens(view.folded if view is not None else fold(text))
    rules = grammar(lang)
    exprs = rules.compose(folded, text, rules.find_atoms(folded))
    if not exprs:
        return []
    # not the view's sentences: the tense of a date is read in these, cut at final punctuation
    # before a capital and at line breaks whether or not a parser agrees, on any plain text
    sentences = Sentences(text, tense_cues(lang))
    resolve = resolver(lang)
    runs = [resolve_all(exprs, sentences, ref, resolve) for ref in refs]
    # against an estimated date, what depends on the date is marked as such
    absolute = [merge(v, UNKNOWN_NOTE) for v in zip(*[resolve_all(exprs, sentences, ref, resolve)
                                                      for ref in UNKNOWN_DAYS])] if estimated else None
    out = []
    for i, (e, values) in enumerate(zip(exprs, zip(*runs))):
        v = merge(values, unknown_note)
        note = v.note
        if absolute is not None and v.begin is not None and absolute[i].begin is None:
            note = f"{note}; {ESTIMATED_NOTE}" if note else ESTIMATED_NOTE
        out.append(Timex(start=e.start, end=e.end, text=text[e.start:e.end], type=v.type,
                         begin=_iso(v.begin), end_date=_iso(v.end), granularity=v.granularity,
                         value=v.value, note=note))
    return out


def absolute_dates(text: str, lang: Language | None = None) -> list[tuple[str, str]]:
    """(first day, granularity) of every date the text writes out whole, which no publication
    date is needed to resolve: "le 12 mars 2023" -> ("2023-03-12", "day"), "en janvier 2019" ->
    ("2019-01-01", "month"); "jeudi" and "l'an dernier" are not."""
    return [(t.begin, t.granularity) for t in extract_timexes(text, None, lang=lang)
            if t.type == "DATE" and t.begin and t.granularity in ("day", "month", "year")]

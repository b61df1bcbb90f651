"""Turn a time expression into dates, given a reference day, a tense and a sentence anchor.

The reference day is the publication day. The anchor is the last date of the
sentence with a place in the calendar ("En mai, …, à partir de juin": June
after that May). Every function here is pure; a value that cannot be had
raises `Unresolved` with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import calendar as cal
from .grammar import Atom, Expr
from .tense import PAST, FUTURE
from .vocab import Unit


# Days a day-and-month date may lie against the tense of its sentence before the
# other year is taken: "a confirmé sa venue le 9 novembre" published 23 October.
TENSE_SLACK = 31

# Months a bare month may lie after its sentence anchor in the next year: "En
# décembre, …, puis en janvier" is the next January; otherwise it stays in the
# anchor's year, as text tells events in order ("en mars …, puis en octobre").
YEAR_CROSSING = 3


class Unresolved(Exception):
    """The expression has no value; the message says why."""


@dataclass(frozen=True)
class Value:
    """What an expression stands for: a span of days, or an ISO 8601 duration."""

    type: str
    begin: date | None = None
    end: date | None = None
    granularity: str | None = None
    value: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Context:
    """The reference day, the tense of the sentence and its anchor date, if any.

    A sentence anchor draws a bare month or day to the occurrence nearest it;
    an `ordered` anchor is the other end of a range, counted from in `direction`.
    `cued` says a tense cue of the sentence gave `direction` (else it is the default).
    `last_day` is the last single day named before in the text ("la veille" counts from it).
    """

    ref: date
    direction: str = PAST
    anchor: Value | None = None
    ordered: bool = False
    cued: bool = False
    last_day: date | None = None


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Unresolved(f"no such date: {day:02d}/{month:02d}/{year}") from None


def _span(kind: str, begin: date, end: date, granularity: str | None) -> Value:
    return Value(kind, begin, end, granularity)


# -- atoms ------------------------------------------------------------------------------

def _anchor_year(ctx: Context) -> int | None:
    a = ctx.anchor
    return a.begin.year if a and a.begin and a.granularity == "year" else None


def _anchor_day(ctx: Context, granularities: tuple[str, ...] = ("day", "month")) -> date | None:
    """The sentence anchor's first day, if it is as fine as `granularities`."""
    a = ctx.anchor
    return a.begin if a and a.begin and a.granularity in granularities else None


def _anchored_month_year(month: int, anchor: date, ctx: Context) -> int:
    """The anchor's year, or the next one when that puts `month` at most `YEAR_CROSSING`
    months after the anchor; never after the reference in a past sentence, where the
    year nearest the anchor is taken instead."""
    years = [anchor.year - 1, anchor.year, anchor.year + 1]
    if ctx.direction == PAST:
        years = [y for y in years if date(y, month, 1) <= ctx.ref] or years
    here = anchor.year * 12 + anchor.month
    after = {y: y * 12 + month - here for y in years}
    following = anchor.year + 1
    if following in years and 0 < after[following] <= YEAR_CROSSING:
        return following
    if anchor.year in years:
        return anchor.year
    return min(years, key=lambda y: abs(after[y]))


def _said_year(f: dict, ctx: Context) -> int | None:
    """The year a month is said to be in: "octobre de l'an dernier" -> the year before the
    reference; "mars de l'année suivante" -> the year after the anchor's."""
    if f.get("year_offset") is None:
        return None
    base = ctx.anchor.begin if f["year_context"] and ctx.anchor and ctx.anchor.begin else ctx.ref
    return base.year + f["year_offset"]


def _month_year(month: int, rel: int | None, ctx: Context) -> int:
    """The year of a month named without one: "en mars" in a past sentence -> the last March."""
    base = ctx.ref
    if rel is None:
        year = _anchor_year(ctx)
        if year is not None:
            return year
        anchor = _anchor_day(ctx)
        if anchor and not ctx.ordered:
            return _anchored_month_year(month, anchor, ctx)
        base = anchor or ctx.ref
    if rel == -1:
        return base.year if month < base.month else base.year - 1
    if rel == 1:
        return base.year if month > base.month else base.year + 1
    if ctx.direction == FUTURE:
        return base.year if month >= base.month else base.year + 1
    return base.year if month <= base.month else base.year - 1


def _day_month(day: int, month: int, ctx: Context) -> date:
    """A day and month without a year: the occurrence nearest the reference (or anchor)."""
    _date(2000, month, day)
    year = _anchor_year(ctx)
    if year is not None:
        return _date(year, month, day)
    anchor = _anchor_day(ctx)
    base = anchor or ctx.ref
    options = []
    for y in (base.year - 1, base.year, base.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if ctx.ordered and anchor:
        ordered = [d for d in options if (d <= base if ctx.direction == PAST else d >= base)]
        options = ordered or options
    if not options:
        raise Unresolved(f"no such date: {day:02d}/{month:02d}")
    options.sort()
    nearest = min(options, key=lambda d: (abs((d - base).days), d < base))
    if ctx.cued and not anchor:
        # What a past sentence reports cannot lie months ahead, nor a future one months behind.
        i = options.index(nearest)
        if ctx.direction == PAST and (nearest - base).days > TENSE_SLACK and i > 0:
            return options[i - 1]
        if ctx.direction == FUTURE and (base - nearest).days > TENSE_SLACK and i + 1 < len(options):
            return options[i + 1]
    return nearest


def day_date(f: dict, ctx: Context) -> Value:
    """ "le 3 juillet 2017" -> 2017-07-03; "9 mai" -> the 9 May nearest the reference."""
    said = _said_year(f, ctx)
    if f["year"] or said:
        d = _date(f["year"] or said, f["month"], f["day"])
    elif f.get("rel"):
        d = _day_month_moved(f["day"], f["month"], f["rel"], ctx.ref)
    else:
        d = _day_month(f["day"], f["month"], ctx)
    return _span("DATE", d, d, "day")


def _day_month_moved(day: int, month: int, rel: int, ref: date) -> date:
    """ "le 2 mai dernier" -> the last 2 May before the reference; "prochain" -> the next."""
    _date(2000, month, day)
    for step in range(0, 9):
        y = ref.year - step if rel < 0 else ref.year + step
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if (d < ref) if rel < 0 else (d > ref):
            return d
    raise Unresolved(f"no such date: {day:02d}/{month:02d}")


def day_range(f: dict, ctx: Context) -> Value:
    """ "du 3 au 5 juillet" -> 3..5 July of the year nearest the reference; "du 4 au 23 du
    mois prochain" -> in the month after the reference's."""
    if f.get("month_offset") is not None:
        year_, month_ = cal.add_months(ctx.ref.year, ctx.ref.month, f["month_offset"])
        first, last = _date(year_, month_, f["day1"]), _date(year_, month_, f["day"])
        if first > last:
            raise Unresolved("range ends before it begins")
        return _span("PERIOD", first, last, "day")
    last = day_date({"day": f["day"], "month": f["month"], "year": f["year"]}, ctx).begin
    month1 = f["month1"] or f["month"]
    year1 = f["year1"] or (last.year if month1 <= f["month"] else last.year - 1)
    first = _date(year1, month1, f["day1"])
    if first > last:
        raise Unresolved("range ends before it begins")
    return _span("PERIOD", first, last, "day")


def numeric(f: dict, ctx: Context) -> Value:
    """ "16/05/2024" -> 2024-05-16."""
    d = _date(f["year"], f["month"], f["day"])
    return _span("DATE", d, d, "day")


def month_year(f: dict, ctx: Context) -> Value:
    """ "février 2022" -> 2022-02-01..2022-02-28."""
    return _span("DATE", *cal.month_span(f["year"], f["month"]), "month")


def month(f: dict, ctx: Context) -> Value:
    """ "en mars" published 2023-10-23 in a past sentence -> March 2023;
    "octobre de l'an dernier" -> October 2022."""
    year = _said_year(f, ctx) or _month_year(f["month"], f.get("rel"), ctx)
    return _span("DATE", *cal.month_span(year, f["month"]), "month")


def year(f: dict, ctx: Context) -> Value:
    """ "en 2030" -> 2030-01-01..2030-12-31."""
    return _span("DATE", *cal.year_span(f["year"]), "year")


def year_range(f: dict, ctx: Context) -> Value:
    """ "2022-2024" -> 2022-01-01..2024-12-31."""
    return _span("PERIOD", cal.year_span(f["year1"])[0], cal.year_span(f["year"])[1], "year")


def decade(f: dict, ctx: Context) -> Value:
    """ "les années 1990" -> 1990-01-01..1999-12-31."""
    return _span("PERIOD", cal.year_span(f["year"])[0], cal.year_span(f["year"] + 9)[1], "year")


def _part_index(day: date, unit: str) -> int:
    return cal.quarter_of(day) if unit == "quarter" else (day.month - 1) // 6 + 1


def _part_span(year_: int, n: int, unit: str) -> tuple[date, date]:
    return cal.quarter_span(year_, n) if unit == "quarter" else cal.half_span(year_, n)


def quarter(f: dict, ctx: Context) -> Value:
    """ "au premier trimestre" in a past sentence published 2023-10-23 -> 2023 Q1."""
    unit, n = f["unit"], f["n"]
    granularity = "quarter" if unit == "quarter" else "month"
    if f["year"]:
        return _span("DATE", *_part_span(f["year"], n, unit), granularity)
    if f["offset"] is not None:
        base = ctx.anchor.begin if f["context"] and ctx.anchor and ctx.anchor.begin else ctx.ref
        return _span("DATE", *_part_span(base.year + f["offset"], n, unit), granularity)
    year_ = _anchor_year(ctx)
    if year_ is None:
        base = _anchor_day(ctx) or ctx.ref
        current = _part_index(base, unit)
        if ctx.direction == FUTURE:
            year_ = base.year if n >= current else base.year + 1
        else:
            year_ = base.year if n <= current else base.year - 1
    return _span("DATE", *_part_span(year_, n, unit), granularity)


def first_last(f: dict, ctx: Context) -> Value:
    """ "les neuf premiers mois" published 2023-10-23 -> 2023-01-01..2023-09-30; "les sept
    derniers mois" published in August -> January to July (whole months); "ces dix dernières
    années" -> the ten years up to the reference day."""
    unit: Unit = f["unit"]
    n = f["n"]
    if f["first"]:
        if unit.iso != "M" or unit.time or n * unit.size > 12:
            raise Unresolved("first days or weeks of an unnamed period")
        months = int(n * unit.size)
        if f["year"]:
            year_ = f["year"]
        elif f["offset"] is not None:
            base = ctx.anchor.begin if f["context"] and ctx.anchor and ctx.anchor.begin else ctx.ref
            year_ = base.year + f["offset"]
        else:
            year_ = ctx.ref.year if cal.month_end(ctx.ref.year, months) < ctx.ref else ctx.ref.year - 1
        return _span("PERIOD", *cal.months_span(year_, 1, months), "month")
    if unit.iso == "M" and not unit.time and n == int(n) and unit.size == 1:
        # "les sept derniers mois" in August: January to July, whole months before the current one
        year_, month = cal.add_months(ctx.ref.year, ctx.ref.month, -int(n))
        end_year, end_month = cal.add_months(ctx.ref.year, ctx.ref.month, -1)
        return _span("PERIOD", cal.month_span(year_, month)[0], cal.month_span(end_year, end_month)[1], "month")
    begin = cal.shift(ctx.ref, -int(n * unit.size), unit.iso)
    return _span("PERIOD", begin, ctx.ref, unit.granularity)


def _weekend(ref: date, offset: int, direction: str) -> tuple[date, date]:
    if offset < 0:
        sunday = cal.weekday_on_or_before(ref - timedelta(days=1), 6)
        return sunday - timedelta(days=1), sunday
    if offset > 0:
        saturday = cal.weekday_on_or_after(ref + timedelta(days=1), 5)
    elif direction == FUTURE:
        saturday = cal.weekday_on_or_after(ref - timedelta(days=1), 5)
    else:
        saturday = cal.weekday_on_or_before(ref, 5) if ref.weekday() != 6 else ref - timedelta(days=1)
    return saturday, saturday + timedelta(days=1)


def _unit_span(unit: str, offset: int, base: date, direction: str) -> tuple[date, date, str]:
    """The week, month, year, quarter or half `offset` units from the one holding `base`."""
    if unit == "week":
        return (*cal.week_span(base + timedelta(weeks=offset)), "week")
    if unit == "month":
        return (*cal.month_span(*cal.add_months(base.year, base.month, offset)), "month")
    if unit == "year":
        return (*cal.year_span(base.year + offset), "year")
    if unit == "quarter":
        index = base.year * 4 + cal.quarter_of(base) - 1 + offset
        return (*cal.quarter_span(index // 4, index % 4 + 1), "quarter")
    if unit == "half":
        index = base.year * 2 + (base.month - 1) // 6 + offset
        return (*cal.half_span(index // 2, index % 2 + 1), "month")
    if unit == "weekend":
        return (*_weekend(base, offset, direction), "day")
    raise Unresolved(f"unknown unit {unit}")


def relative(f: dict, ctx: Context) -> Value:
    """ "la semaine dernière" published Monday 2023-10-23 -> 2023-10-16..2023-10-22."""
    base = ctx.anchor.begin if f["context"] and ctx.anchor and ctx.anchor.begin else ctx.ref
    begin, end, granularity = _unit_span(f["unit"], f["offset"], base, ctx.direction)
    return _span("DATE", begin, end, granularity)


def _thirds(first: int, last: int, part: str) -> tuple[int, int]:
    size = last - first + 1
    cut1, cut2 = first + size // 3, first + size - size // 3
    return {"early": (first, max(first, cut1 - 1)), "mid": (cut1, max(cut1, cut2 - 1)),
            "late": (cut2, last)}[part]


def approx(f: dict, ctx: Context, parts: dict) -> Value:
    """ "au début du mois" -> days 1-10; "fin 2024" -> 2024 Q4; "mi-mars" -> 11-20 March."""
    part = f["part"]
    if f["base"] == "month":
        year_ = f["year"] or _said_year(f, ctx) or _month_year(f["month"], f.get("rel"), ctx)
        begin, end, granularity, base = *cal.month_span(year_, f["month"]), "month", "month"
    elif f["base"] == "year":
        begin, end, granularity, base = *cal.year_span(f["year"]), "year", "year"
    else:
        origin = ctx.anchor.begin if f["context"] and ctx.anchor and ctx.anchor.begin else ctx.ref
        begin, end, granularity = _unit_span(f["unit"], f["offset"], origin, ctx.direction)
        base = granularity if f["unit"] in ("week", "month", "year") else "months"
    if part == "whole":
        return _span("DATE", begin, end, granularity)
    if base == "month":
        first, last = parts[part]["month_days"]
        return _span("DATE", begin.replace(day=first), end.replace(day=min(last, end.day)), "day")
    if base == "year":
        first, last = parts[part]["year_months"]
        return _span("DATE", *cal.months_span(begin.year, first, last), "quarter")
    if base == "week":
        first, last = parts[part]["week_days"]
        return _span("DATE", begin + timedelta(days=first), begin + timedelta(days=last), "day")
    months = (end.year - begin.year) * 12 + end.month - begin.month
    first, last = _thirds(0, months, part)
    y1, m1 = cal.add_months(begin.year, begin.month, first)
    y2, m2 = cal.add_months(begin.year, begin.month, last)
    return _span("DATE", date(y1, m1, 1), cal.month_end(y2, m2), "month")


def season(f: dict, ctx: Context) -> Value:
    """ "l'été dernier" published 2023-10-23 -> 2023-06-01..2023-08-31."""
    first, last = f["first"], f["last"]

    def span(y: int) -> tuple[date, date]:
        return date(y, first, 1), cal.month_end(y + (1 if last < first else 0), last)

    if f["year"]:
        return _span("DATE", *span(f["year"]), "month")
    ref = ctx.ref if f["rel"] else (_anchor_day(ctx) or ctx.ref)
    options = [span(y) for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1)]
    rel = f["rel"]
    holding = [s for s in options if s[0] <= ref <= s[1]]
    if rel == -1:
        chosen = [s for s in options if s[1] < ref][-1]
    elif rel == 1:
        chosen = [s for s in options if s[0] > ref][0]
    elif f["this"] and holding:
        chosen = holding[0]
    elif ctx.direction == FUTURE:
        chosen = [s for s in options if s[1] >= ref][0]
    else:
        chosen = [s for s in options if s[0] <= ref][-1]
    return _span("DATE", *chosen, "month")


def weekday(f: dict, ctx: Context) -> Value:
    """ "lundi" in a past sentence published Monday 2023-10-23 -> 2023-10-23;
    "jeudi prochain" -> the Thursday after."""
    wd, rel = f["weekday"], f["rel"]
    anchor = _anchor_day(ctx, ("day",)) if rel is None else None
    base = anchor or ctx.ref
    if anchor and not ctx.ordered:
        d = base + timedelta(days=(wd - base.weekday() + 3) % 7 - 3)
    elif rel == -1:
        d = cal.weekday_on_or_before(base - timedelta(days=1), wd)
    elif rel == 1:
        d = cal.weekday_on_or_after(base + timedelta(days=1), wd)
    elif ctx.direction == FUTURE:
        d = cal.weekday_on_or_after(base, wd)
    else:
        d = cal.weekday_on_or_before(base, wd)
    return _span("DATE", d, d, "day")


def deictic(f: dict, ctx: Context) -> Value:
    """ "hier" -> the day before the reference."""
    d = ctx.ref + timedelta(days=f["offset"])
    return _span("DATE", d, d, "day")


def relative_day(f: dict, ctx: Context) -> Value:
    """ "la veille" -> the day before the last day the text named, else before the reference."""
    d = (ctx.last_day or ctx.ref) + timedelta(days=f["offset"])
    return _span("DATE", d, d, "day")


def _number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


# The order of the parts of an ISO 8601 duration: (time unit, letter).
_ISO_ORDER = ((False, "Y"), (False, "M"), (False, "W"), (False, "D"),
              (True, "H"), (True, "M"), (True, "S"))


def _parts(f: dict) -> list[tuple[float, Unit]]:
    return [(f["n"], f["unit"]), *f.get("more", ())]


def _hours_and_minutes(parts: list[tuple[float, Unit]]) -> list[tuple[float, Unit]]:
    """A fraction of an hour written in minutes: 2.5 hours -> 2 hours and 30 minutes."""
    out = []
    for n, unit in parts:
        if unit.time and unit.iso == "H" and n != int(n) and (n * 60) == int(n * 60):
            out += [(float(int(n)), unit), ((n - int(n)) * 60, replace(unit, iso="M"))]
        else:
            out.append((n, unit))
    return out


def duration(f: dict, ctx: Context) -> Value:
    """ "quatre jours" -> P4D; "48 heures" -> PT48H; "un demi-siècle" -> P50Y;
    "une heure et trente-cinq minutes" -> PT1H35M; "deux heures et demie" -> PT2H30M;
    "quelques jours" -> PXD (no stated count)."""
    if "iso" in f:
        return Value("DURATION", value=f["iso"])
    if f.get("vague"):      # TimeML's unknown count: "quelques jours" PXD, "quelques heures" PTXH
        unit = f["unit"]
        return Value("DURATION", value=f"P{'T' if unit.time else ''}X{unit.iso}",
                     note="vague: the count is not stated")
    parts = _hours_and_minutes(_parts(f))
    if len(parts) > 1 and any(u.iso == "W" and not u.time for _, u in parts):
        parts = [(n * 7, replace(u, iso="D")) if u.iso == "W" and not u.time else (n, u)
                 for n, u in parts]
    amounts: dict[tuple[bool, str], float] = {}
    for n, unit in parts:
        key = (unit.time, unit.iso)
        amounts[key] = amounts.get(key, 0) + n * unit.size
    days = "".join(f"{_number(amounts[k])}{k[1]}" for k in _ISO_ORDER if not k[0] and k in amounts)
    times = "".join(f"{_number(amounts[k])}{k[1]}" for k in _ISO_ORDER if k[0] and k in amounts)
    return Value("DURATION", value=f"P{days}{'T' + times if times else ''}")


def anchor(f: dict, ctx: Context) -> Value:
    """ "l'invasion de l'Ukraine" -> 2022-02-24."""
    return _span("DATE", f["day"], f["day"], "day")


# -- expressions ------------------------------------------------------------------------

def _moved(ref: date, f: dict, sign: int) -> tuple[date, str]:
    """The reference day moved by a counted duration, and its last part's granularity:
    "il y a deux ans et trois mois" is a month."""
    if "iso" in f:
        raise Unresolved("half units are not counted from a date")
    day, granularity = ref, "day"
    for n, unit in _parts(f):
        day, granularity = _moved_by(day, n, unit, sign)
    return day, granularity


def _moved_by(ref: date, n: float, unit: Unit, sign: int) -> tuple[date, str]:
    n = n * unit.size * sign
    if unit.time:
        hours = n * {"H": 1, "M": 1 / 60, "S": 1 / 3600}[unit.iso]
        return ref + timedelta(days=int(hours / 24)), "day"
    if n != int(n):
        n, iso = {"Y": (n * 12, "M"), "M": (n * 30, "D"), "W": (n * 7, "D"), "D": (n, "D")}[unit.iso]
        return cal.shift(ref, round(n), iso), unit.granularity
    return cal.shift(ref, int(n), unit.iso), unit.granularity


def _around(day: date, granularity: str) -> Value:
    if granularity == "week":
        return _span("DATE", *cal.week_span(day), "week")
    if granularity == "month":
        return _span("DATE", *cal.month_span(day.year, day.month), "month")
    if granularity == "quarter":
        return _span("DATE", *cal.quarter_span(day.year, cal.quarter_of(day)), "quarter")
    if granularity == "year":
        return _span("DATE", *cal.year_span(day.year), "year")
    return _span("DATE", day, day, "day")


class Resolver:
    """Resolves expressions with the approximation parts of the vocabulary."""

    def __init__(self, parts: dict):
        self.atoms = {
            "day_date": day_date, "day_range": day_range, "numeric": numeric,
            "month_year": month_year, "month": month, "year": year, "year_range": year_range,
            "decade": decade, "quarter": quarter, "first_last": first_last,
            "relative": relative, "approx": lambda f, ctx: approx(f, ctx, parts),
            "season": season, "weekday": weekday, "deictic": deictic,
            "relative_day": relative_day, "duration": duration, "anchor": anchor,
            "month_subject": month,
        }

    def atom(self, a: Atom, ctx: Context) -> Value:
        """The value of one atom in its context."""
        return self.atoms[a.kind](a.fields, ctx)

    def expr(self, e: Expr, ctx: Context) -> Value:
        """The value of an expression: its atom's, or an interval built from it.

        "depuis février 2022" published 2023-10-23 -> 2022-02-01..2023-10-23.
        """
        role, ref = e.role, ctx.ref
        if role == "since_unknown":
            return Value("PERIOD", None, ref, None, note="start of the period not stated")
        if role == "range":
            return self._range(e.atoms[0], e.atoms[1], ctx)
        a = e.atoms[0]
        if a.kind == "duration":
            if a.fields.get("vague"):
                if role in ("ago", "after"):
                    return Value("DATE", None, None, None, note="vague: the count is not stated")
                return self.atom(a, ctx)
            if role in ("ago", "after"):
                day, granularity = _moved(ref, a.fields, -1 if role == "ago" else 1)
                return _around(day, granularity)
            if role == "by":
                day, granularity = _moved(ref, a.fields, 1)
                return Value("PERIOD", ref, day, granularity)
            return self.atom(a, ctx)
        if role == "since":
            v = self.atom(a, replace(ctx, direction=PAST))
            return Value("PERIOD", v.begin, ref, v.granularity)
        if role == "by":
            v = self.atom(a, replace(ctx, direction=FUTURE))
            return Value("PERIOD", ref, v.end, v.granularity)
        if role == "until":
            v = self.atom(a, ctx)
            if v.end is not None and v.end >= ref:
                return Value("PERIOD", ref, v.end, v.granularity)
            return Value("PERIOD", None, v.end, v.granularity, note="start of the period not stated")
        return self.atom(a, ctx)

    def _range(self, a: Atom, b: Atom, ctx: Context) -> Value:
        if _explicit(b) or not _explicit(a):
            vb = self.atom(b, ctx)
            va = self.atom(a, replace(ctx, anchor=vb, direction=PAST, ordered=True))
        else:
            va = self.atom(a, ctx)
            vb = self.atom(b, replace(ctx, anchor=va, direction=FUTURE, ordered=True))
        if va.begin is None or vb.end is None or vb.end < va.begin:
            raise Unresolved("range ends before it begins")
        granularity = va.granularity if va.granularity == vb.granularity else "day"
        return Value("PERIOD", va.begin, vb.end, granularity)


def _explicit(a: Atom) -> bool:
    return bool(a.fields.get("year")) or a.kind in ("numeric", "year", "month_year")


ANCHORING = frozenset({"day_date", "numeric", "month_year", "month", "year", "quarter"})

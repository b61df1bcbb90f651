"""A small grammar of time expressions over folded text, built from a language bundle.

    grammar(lang).find_atoms(fold(text, hyphens=True))     # lang: a veille.language.Language

Two steps. `find_atoms` matches the building blocks ("9 mai", "mars", "2030",
"la semaine dernière", "quatre jours", "au début du mois") with regexes built
once per bundle from its `time.yaml`. `compose` then reads the words just before each atom
and between neighbours: "depuis", "d'ici", "à partir de", "en", "il y a",
"de … à", "entre … et". A bare year or month counts only with such a word
("en 2030", not "Agenda 2030"). Both steps keep the longest of overlapping matches.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from text_to_num import text2num

from veille.language import Language
from veille.text import alternation

from .vocab import Vocab, from_vocab, leading

B = r"(?<!\w)"
E = r"(?!\w)"


@dataclass(frozen=True)
class Atom:
    """A building block of a time expression: its span in the text, kind and parsed parts."""

    start: int
    end: int
    kind: str
    fields: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Expr:
    """A time expression: one atom, or two for a range, and the role its marker gives it.

    Roles: plain, within ("en mars"), licence ("avant 2030", "par rapport à 2021":
    a bound, target or baseline, span left out),
    from ("à partir de juin"), since ("depuis 2014"), by ("d'ici 2030"),
    until ("jusqu'en 2025"), ago ("il y a deux ans"), after ("dans trois mois"),
    comparison ("le plus élevé depuis février 2022": the date alone),
    range ("de janvier à septembre"), since_unknown ("depuis le début …").
    """

    start: int
    end: int
    role: str
    atoms: tuple[Atom, ...] = ()


def number(words: str, code: str) -> float | None:
    """The value of a count in digits or in words of language `code`: "vingt-deux" -> 22.0.

    The count of a match the grammar made ("quatre jours"), not one of the view's numbers: the
    time layer also reads plain text, and its counts are digits or number words only."""
    words = words.strip()
    if words[:1].isdigit():
        return float(words.replace(" ", "").replace(",", "."))
    try:
        return float(text2num(re.sub(r"\s+", " ", words), code))
    except ValueError:
        return None


def _year(name: str, blockers: str) -> str:
    # The lookbehinds follow the four digits (so that a search can start on a digit):
    # no digit, comma or point before, nor a digit and a space ("1 2023").
    return (rf"(?P<{name}>1\d{{3}}|20\d{{2}}|21\d{{2}}|2200)(?<![\d.,]\d{{4}})(?<!\d\s\d{{4}})"
            rf"(?!\d|[.,]\d)(?!\s*(?:{blockers})(?!\w))")


def _words(words) -> str:
    return f"(?:{alternation(words)})"


def grammar(lang: Language | None = None) -> Grammar:
    """The grammar of `lang`'s time vocabulary (French when None), compiled once per bundle."""
    return from_vocab(lang, "time.grammar", Grammar)


class Grammar:
    """The compiled atom patterns and marker patterns of one vocabulary."""

    def __init__(self, v: Vocab):
        self.v = v
        blockers = alternation(v.year_blockers)
        year = lambda name="year": _year(name, blockers)  # noqa: E731
        month = lambda name="month": rf"(?P<{name}>{alternation(v.months)})"  # noqa: E731
        day_words = alternation(v.day_words)
        day = lambda name="day": rf"(?P<{name}>{day_words}|3[01]|[12]\d|0?[1-9])(?!\d)"  # noqa: E731
        weekday = _words(v.weekdays)
        rel = _words({**v.relatives, **v.context_relatives})
        moves = _words(w for w, k in v.relatives.items() if k)
        parts = _words(v.day_parts)
        part_after = rf"(?:\s+(?P<part>{parts}){E})?"           # "mardi soir", "hier soir"
        and_ = _words(v.and_words)
        num_word = rf"{_words(v.number_words)}{E}"
        num = (rf"(?<![\d.,])(?<!\d\s)(?:\d{{1,3}}(?: \d{{3}})+|\d+)(?:[.,]\d+)?"
               rf"|{num_word}(?:(?:-|\s+)(?:{and_}(?:-|\s+))?{num_word})*")
        qual = _words(v.duration_qualifiers)
        qualified = rf"{B}(?:(?P<qual>{qual})\s+)?"              # "près de trois jours"
        apx = _words(v.approximations)
        art = _words(v.approximation_articles)
        cal_units = alternation(w for w, u in v.relative_units.items() if u != "weekend")
        plural_units = [w for w, u in v.units.items() if not u.time and w.endswith(v.plural_endings)]
        part_units = _words(w for w, u in v.relative_units.items() if u in ("quarter", "half"))
        since = alternation(v.markers["since_start"] + v.markers["since"])
        of_the_year, this_year = _words(v.of_the_year), _words(v.this_year)
        year_of = f"(?:{leading(v.year_of)})"
        # before a month: "fin de mars", "début d'avril", "fin du mois d'août"
        month_of = f"(?:{leading(v.of + tuple(f'{m} {o}' for m in v.of_the_month for o in v.of))})"
        # before a unit: "fin de l'année", "début du mois", "fin de cette semaine"
        unit_of = f"(?:{leading(v.of_the + v.of + tuple(f'{o} {d}' for o in v.of for d in v.demonstratives))})"
        near = _words(v.proximal_suffixes)
        day_open = alternation(v.day_ranges)
        day_close = alternation({c for kind in v.day_ranges.values() for c in kind.closes})
        dash_close = "|".join(map(re.escape, DASHES))

        # "octobre de l'an dernier", "mars de l'année suivante", "mai de cette année"
        of_year = (rf"\s+{of_the_year}\s+(?P<yrel>{rel}){E}"
                   rf"|\s+(?P<this>{this_year}){E}")
        # a blocker ends as a word does, or with its apostrophe ("d'")
        day_blockers = rf"\s+(?:{alternation(v.relative_day_blockers)})(?:(?<=')|{E})"
        day_month = r"(?P<day1>0?[1-9]|[12]\d|3[01])/(?P<month1>0?[1-9]|1[0-2])"
        self.patterns: list[tuple[str, re.Pattern, Callable[[re.Match], dict | None]]] = [
            ("day_date", rf"{B}(?:{_words(v.day_articles)}\s+)?(?:(?P<wd>{weekday})\s+)?{day()}\s+{month()}{E}"
                         rf"(?:,?\s+{year()}|\s+(?P<rel>{moves}){E}|{of_year})?",
             self._day_date),
            # "le 22/04": a day and month in digits, after an article that makes it a date
            ("day_date", rf"{B}{_words(v.numeric_day_articles)}\s+(?P<day>0?[1-9]|[12]\d|3[01])/(?P<mon>0?[1-9]|1[0-2])"
                         rf"(?![/\d]|[.,-]\d)", self._numeric_day),
            ("day_range", rf"(?P<open>{day_open})\s+(?:{weekday}\s+)?{day('day1')}"
                          rf"(?:\s+{month('month1')}{E})?(?:\s+{year('year1')})?"
                          rf"\s*(?P<close>{day_close}|{dash_close})\s*(?:{weekday}\s+)?{day()}\s+{month()}{E}"
                          rf"(?:\s+{year()})?", self._day_range),
            ("day_range", rf"{_words(v.month_day_range['open'])}\s+{day('day1')}"
                          rf"\s*{_words(v.month_day_range['close'])}\s*{day()}\s+"
                          rf"(?:{_words(v.of_the_month)}\s+(?P<mrel>{moves}){E}|{_words(v.this_month)}{E})",
             self._day_range_of_month),
            ("day_range", rf"{_words(v.numeric_day_range['open'])}\s+{day_month}"
                          rf"(?:/(?P<year1>\d{{4}}))?\s*{_words(v.numeric_day_range['close'])}\s*"
                          rf"(?P<day>0?[1-9]|[12]\d|3[01])/(?P<month>0?[1-9]|1[0-2])(?:/(?P<year>\d{{4}}))?(?![/\d])",
             self._numeric_range),
            ("numeric", rf"{B}(?:{_words(v.day_articles)}\s+)?(?P<day>0?[1-9]|[12]\d|3[01])(?P<sep>[/.-])"
                        rf"(?P<mon>0?[1-9]|1[0-2])(?P=sep)(?P<year>\d{{4}}|\d{{2}})(?!\d|[.,/-]\d)",
             self._numeric),
            ("month_year", rf"{B}(?<![/.\d-])(?P<mon>0?[1-9]|1[0-2])/(?P<year>1\d{{3}}|20\d{{2}})(?![/\d])",
             self._numeric_month),
            ("month_year", rf"{B}(?<![/.\d-])(?P<year>1\d{{3}}|20\d{{2}})-(?P<mon>0?[1-9]|1[0-2])(?![\d/-])",
             self._numeric_month),
            ("numeric", rf"(?P<year>\d{{4}})-(?P<mon>\d\d)-(?P<day>\d\d)(?!\d)", self._numeric),
            ("month_year", rf"{month()}\s+{year()}", self._month_year),
            ("month_subject", rf"(?:(?<=^)|(?<=[.!?\n]\s)|(?<=[.!?]\s\s))(?P<month>{alternation(v.months)})"
                              rf"(?=\s+(?:{alternation(v.month_subject_verbs)}){E})", self._month_subject),
            ("month", rf"{month()}{E}(?:\s+(?P<rel>{moves}){E}|{of_year})?",
             self._month),
            ("year", rf"{year()}", self._year),
            ("year_range", rf"{year('year1')}\s*[-–/]\s*{year()}", self._year_range),
            ("decade", rf"{_words(v.decades)}\s+(?P<dec>(?:19|20)?\d0){E}",
             self._decade),
            ("quarter", rf"{B}(?:{_words(v.quarter_determiners)}\s+)?(?P<ord>{_words(v.ordinals)})\s+"
                        rf"(?P<unit>{part_units}){E}"
                        rf"(?:\s+{year_of}?{year()}"
                        rf"|\s+(?P<ofyear>{of_the_year}){E}(?:\s+(?P<rel>{rel}){E})?"
                        rf"|\s+(?P<this>{this_year}){E})?", self._quarter),
            ("quarter", rf"(?P<tq>{_words(v.quarter_codes)})(?P<tn>[1-4])\s+(?P<year>\d{{4}})(?!\d)",
             self._quarter_code),
            ("first_last", rf"{_words(v.count_determiners)}\s+(?P<n>{num})\s+"
                           rf"(?:(?P<first>{_words(v.first_words)})|{_words(v.last_words)})\s+"
                           rf"(?P<unit>{_words(plural_units)}){E}"
                           rf"(?:\s+(?:{of_the_year}(?:\s+(?P<rel>{rel}){E})?{E}|{year_of}{year()}"
                           rf"|(?P<this>{this_year}){E}))?", self._first_last),
            ("relative", rf"(?P<det>{leading(v.unit_articles + v.demonstratives)})"
                         rf"(?P<unit>{_words(v.relative_units)}){E}"
                         rf"(?:(?P<ci>{near})|\s+(?P<rel>{rel}){E})?", self._relative),
            ("approx", rf"{B}(?<!')(?:(?P<art>{art})\s+)?(?P<approx>{apx})"
                       rf"(?:(?:-|\s+){month_of}?{month()}{E}"
                       rf"(?:\s+{year('myear')}|\s+(?P<mrel>{moves}){E}|{of_year})?"
                       rf"|(?:-|\s+){year_of}?{year()}"
                       rf"|\s+{unit_of}"
                       rf"(?P<unit>{cal_units}){E}(?:(?P<ci>{near})|\s+(?P<rel>{rel}){E})?)",
             self._approx),
            ("season", rf"(?P<art>{_words(v.season_articles)})\s*(?P<season>{_words(v.seasons)}){E}"
                       rf"(?:\s+{year()}|\s+(?P<rel>{moves}){E})?", self._season),
            ("weekday", rf"{B}(?:{_words(v.weekday_determiners)}\s+)?(?P<wd>{weekday}){E}"
                        rf"(?:\s+(?P<rel>{moves}){E})?{part_after}", self._weekday),
            ("deictic", rf"(?P<deictic>{_words(v.deictics)}){E}{part_after}", self._deictic),
            ("deictic", rf"(?P<thispart>{_words(v.this_day_parts)}){E}", self._this_part),
            ("relative_day", rf"{B}(?P<relday>{_words(v.relative_days)}){E}(?!{day_blockers})"
                             rf"(?:\s+(?:{_words(v.day_part_articles)}\s+)?(?P<part>{parts}){E})?", self._relative_day),
            ("duration", rf"{qualified}(?P<n>{num})\s*(?P<unit>{_words(v.units)}){E}"
                         rf"(?:\s+{and_}\s+(?P<half>{_words(v.half_words)}){E})?", self._duration),
            ("duration", rf"{qualified}{_words(v.indefinite_articles)}\s+"
                         rf"(?P<halfunit>{_words(v.half_units)}){E}", self._half_duration),
            ("duration", rf"{B}(?P<vague>{_words(v.vague_counts)})\s+(?P<unit>{_words(v.units)}){E}",
             self._vague_duration),
            # "1h30", "2 h 15": hours and minutes of a duration (a clock time is told apart by its marker)
            ("duration", rf"{B}(?P<h>[01]?\d|2[0-3])\s?{_words(v.hour_marks)}\s?(?P<min>[0-5]\d)(?!\d)",
             self._clock_duration),
            ("anchor", rf"(?:{since})\s*"
                       rf"(?P<body>(?:{leading(v.anchor_articles)})?(?P<anchor>{_words(v.anchors)})){E}",
             self._anchor),
            ("since_unknown", rf"(?:{alternation(v.markers['since_unknown'])}){E}", lambda m: {}),
        ]
        # A pattern whose first token is required starts without the word-start
        # lookbehind, which would keep the regex engine from skipping ahead to its
        # possible first characters; `_scan` checks word starts for those.
        self.patterns = [(kind, re.compile(p), parse) for kind, p, parse in self.patterns]
        roles = ("since_start", "since", "by", "from", "until", "ago", "after", "within", "licence")
        groups = "|".join(f"(?P<{r}>{alternation(v.markers[r])})" for r in roles)
        self.prefix = re.compile(rf"{B}(?:{groups})\s*$")
        self.range_open = re.compile(rf"{B}(?:{alternation(v.markers['range_open'])})\s*$")
        self.range_close = re.compile(rf"\s*(?:{alternation(v.markers['range_close'])})\s*")
        self.between_open = re.compile(rf"{B}(?:{alternation(v.markers['between_open'])})\s*$")
        self.between_close = re.compile(rf"\s*(?:{alternation(v.markers['between_close'])})\s*")
        self.age = re.compile(rf"{B}(?:{alternation(v.age_markers)})\s*$")
        self.clock = re.compile(rf"{B}(?:{alternation(v.markers['clock'])})\s*$")
        self.coordination = re.compile(rf"\s*(?:{alternation(v.markers['coordination'])})\s*")
        self.joining = re.compile(rf"\s+{and_}\s+")
        # a word after "une seconde" other than "de": the ordinal ("une seconde chaîne")
        self.ordinal_next = re.compile(rf"(?<!\s)\s++(?!(?:{alternation(v.of)})(?:(?<=')|{E}))[^\W\d_]")
        self.comparison = re.compile(rf"{B}(?:{alternation(v.comparison_cues)}){E}")

    # -- parsers: match -> fields, or None to reject ------------------------------

    def _month_of(self, m: re.Match, name: str = "month") -> int | None:
        text = m.group(name)
        return self.v.months.get(text) if text else None

    @staticmethod
    def _int(m: re.Match, name: str) -> int | None:
        text = m.group(name)
        return int(text) if text else None

    def _day_of(self, m: re.Match, name: str = "day") -> int:
        text = m.group(name)
        return self.v.day_words.get(text) or int(text)

    def _rel(self, m: re.Match, name: str = "rel") -> tuple[int | None, bool]:
        text = m.group(name)
        if not text:
            return None, False
        text = " ".join(text.split())
        if text in self.v.context_relatives:
            return self.v.context_relatives[text], True
        return self.v.relatives.get(text), False

    def _of_year(self, m: re.Match) -> dict:
        """The year a month is said to be in, from the year it names or the one before:
        "octobre de l'an dernier" -> offset -1; "de l'année suivante" counts from the anchor."""
        if m.group("this"):
            return {"year_offset": 0, "year_context": False}
        offset, context = self._rel(m, "yrel")
        return {"year_offset": offset, "year_context": context} if offset is not None else {}

    def _day_date(self, m):
        return {"day": self._day_of(m), "month": self._month_of(m), "year": self._int(m, "year"),
                "weekday": self.v.weekdays.get(m.group("wd")) if m.group("wd") else None,
                "rel": self._rel(m)[0], **self._of_year(m)}

    def _closes(self, m) -> bool:
        """Whether the closing word fits the opening one: "du 3 au 5", "entre le 3 et le 5", not
        "entre le 3 au 5"."""
        kind = self.v.day_ranges[" ".join(m.group("open").split())]
        closing = " ".join(m.group("close").split())
        return closing in kind.closes or (kind.dash and closing in DASHES)

    def _day_range(self, m):
        if not self._closes(m):
            return None
        return {"day1": self._day_of(m, "day1"), "month1": self._month_of(m, "month1"),
                "year1": self._int(m, "year1"), "day": self._day_of(m),
                "month": self._month_of(m), "year": self._int(m, "year")}

    def _numeric(self, m):
        if not (1 <= int(m.group("mon")) <= 12 and 1 <= int(m.group("day")) <= 31):
            return None                   # "2024-13-45" is no date at all
        year = int(m.group("year"))
        if len(m.group("year")) == 2:
            year += 1900 if year > 40 else 2000       # "14/07/89": 1989; "03/05/21": 2021
        if not 1000 <= year <= 2200:
            return None
        return {"day": int(m.group("day")), "month": int(m.group("mon")), "year": year}

    def _numeric_day(self, m):
        return {"day": int(m.group("day")), "month": int(m.group("mon")), "year": None, "weekday": None,
                "rel": None}

    def _numeric_month(self, m):
        return {"month": int(m.group("mon")), "year": int(m.group("year"))}

    def _numeric_range(self, m):
        return {"day1": int(m.group("day1")), "month1": int(m.group("month1")), "year1": self._int(m, "year1"),
                "day": int(m.group("day")), "month": int(m.group("month")), "year": self._int(m, "year")}

    def _day_range_of_month(self, m):
        offset = self._rel(m, "mrel")[0] or 0
        return {"day1": self._day_of(m, "day1"), "month1": None, "year1": None, "day": self._day_of(m),
                "month": None, "year": None, "month_offset": offset}

    def _month_subject(self, m):
        return {"month": self._month_of(m), "rel": None, "subject": True}

    def _vague_duration(self, m):
        return {"vague": True, "unit": self.v.units[m.group("unit")]}

    def _clock_duration(self, m):
        hours, minutes = int(m.group("h")), int(m.group("min"))
        unit_h = next(u for u in self.v.units.values() if u.time and u.iso == "H")
        unit_m = next(u for u in self.v.units.values() if u.time and u.iso == "M")
        return {"n": float(hours), "unit": unit_h, "qual": False, "more": ((float(minutes), unit_m),)}

    def _month_year(self, m):
        return {"month": self._month_of(m), "year": self._int(m, "year")}

    def _month(self, m):
        return {"month": self._month_of(m), "rel": self._rel(m)[0], **self._of_year(m)}

    def _year(self, m):
        return {"year": self._int(m, "year")}

    def _year_range(self, m):
        first, last = self._int(m, "year1"), self._int(m, "year")
        return {"year1": first, "year": last} if first < last <= first + 30 else None

    def _decade(self, m):
        text = m.group("dec")
        year = int(text) if len(text) == 4 else (1900 if int(text) >= 20 else 2000) + int(text)
        return {"year": year}

    def _quarter(self, m):
        n = self.v.ordinals.get(m.group("ord"))
        unit = self.v.relative_units[m.group("unit")]
        if not n or n > (4 if unit == "quarter" else 2):
            return None
        offset, context = self._rel(m)
        if m.group("this"):
            offset = 0
        elif m.group("ofyear") and offset is None:      # "au premier trimestre de l'année"
            offset = 0
        return {"unit": unit, "n": n, "year": self._int(m, "year"), "offset": offset,
                "context": context}

    def _quarter_code(self, m):
        unit = self.v.quarter_codes[m.group("tq")]
        n = int(m.group("tn"))
        if (unit == "half" and n > 2) or not 1000 <= int(m.group("year")) <= 2200:
            return None
        return {"unit": unit, "n": n, "year": self._int(m, "year"), "offset": None,
                "context": False}

    def _first_last(self, m):
        n = number(m.group("n"), self.v.code)
        if not n or n != int(n):
            return None
        offset, context = self._rel(m)
        if m.group("this"):
            offset = 0
        unit = self.v.units.get(m.group("unit"))
        return {"n": int(n), "first": bool(m.group("first")), "unit": unit,
                "year": self._int(m, "year"), "offset": offset, "context": context}

    def _relative(self, m):
        det = m.group("det").strip()
        offset, context = self._rel(m)
        unit = self.v.relative_units[m.group("unit")]
        if offset is None and det not in self.v.demonstratives and not m.group("ci"):
            if unit == "weekend":          # "pendant le week-end": the one the verb's tense points to
                return {"unit": unit, "offset": 0, "context": False}
            if unit not in ("year", "month"):
                return None
            # "l'année" alone: the year of the sentence, kept after "au cours de" only.
            return {"unit": unit, "offset": 0, "context": True, "bare": True}
        return {"unit": unit, "offset": 0 if offset is None else offset, "context": context}

    def _approx(self, m):
        part = self.v.approximations[m.group("approx")]
        if m.group("month"):
            return {"part": part, "base": "month", "month": self._month_of(m),
                    "year": self._int(m, "myear"), "rel": self._rel(m, "mrel")[0], **self._of_year(m)}
        if m.group("year"):
            return {"part": part, "base": "year", "year": self._int(m, "year")}
        offset, context = self._rel(m)
        return {"part": part, "base": "unit", "unit": self.v.relative_units[m.group("unit")],
                "offset": 0 if offset is None else offset, "context": context}

    def _season(self, m):
        first, last = self.v.seasons[m.group("season")]
        return {"first": first, "last": last, "year": self._int(m, "year"),
                "rel": self._rel(m)[0], "this": m.group("art") in self.v.demonstratives}

    def _weekday(self, m):
        return {"weekday": self.v.weekdays[m.group("wd")], "rel": self._rel(m)[0]}

    def _deictic(self, m):
        return {"offset": self.v.deictics[m.group("deictic")]}

    def _this_part(self, m):
        return {"offset": 0}

    def _relative_day(self, m):
        return {"offset": self.v.relative_days[" ".join(m.group("relday").split())]}

    def _duration(self, m):
        unit = self.v.units[m.group("unit")]
        text = m.group("n")
        if unit.digits_only and not text[:1].isdigit():
            return None
        n = number(text, self.v.code)
        if not n:
            return None
        if unit.also_ordinal and n == 1 and self.ordinal_next.match(m.string, m.end()):
            return None
        return {"n": n + (0.5 if m.group("half") else 0), "unit": unit, "qual": bool(m.group("qual"))}

    def _half_duration(self, m):
        return {"iso": self.v.half_units[m.group("halfunit")]}

    def _anchor(self, m):
        return {"day": self.v.anchors[" ".join(m.group("anchor").split())]}

    # -- finding --------------------------------------------------------------------

    def find_atoms(self, folded: str) -> list[Atom]:
        """Every atom of `folded`, the longest of overlapping ones, sorted by start.

        "fin 2024" gives one approx atom, not a year inside it.
        """
        found = []
        for kind, pattern, parse in self.patterns:
            matches = pattern.finditer(folded) if pattern.pattern.startswith(B) else _scan(pattern, folded)
            for m in matches:
                fields = parse(m)
                if fields is not None:
                    start = m.start("body") if kind == "anchor" else m.start()
                    found.append(Atom(start, m.end(), kind, fields))
        return self._joined(folded, longest(found))

    def _joined(self, folded: str, atoms: list[Atom]) -> list[Atom]:
        """Counts of ever smaller units joined by "et" as one duration:
        "une heure et trente-cinq minutes", "deux ans et trois mois"."""
        out: list[Atom] = []
        for a in atoms:
            last = out[-1] if out else None
            if (last and last.kind == a.kind == "duration" and "unit" in last.fields
                    and "unit" in a.fields and not a.fields.get("qual")
                    and "n" in a.fields and "n" in last.fields       # "quelques mois": no count to add
                    and _days(a.fields["unit"]) < _days(_parts(last.fields)[-1][1])
                    and self.joining.fullmatch(folded, last.end, a.start)):
                more = (*last.fields.get("more", ()), (a.fields["n"], a.fields["unit"]))
                out[-1] = Atom(last.start, a.end, "duration", {**last.fields, "more": more})
                continue
            out.append(a)
        return out

    def compose(self, folded: str, original: str, atoms: list[Atom]) -> list[Expr]:
        """Expressions built from `atoms` and the markers around them, longest kept.

        "De janvier à septembre" -> one range; "d'ici 2030" -> by; "Agenda 2030" -> nothing.
        """
        out: list[Expr] = []
        i = 0
        while i < len(atoms):
            pair = self._range(folded, atoms[i], atoms[i + 1]) if i + 1 < len(atoms) else None
            if pair:
                out.append(pair)
                i += 2
                continue
            single = self._single(folded, original, atoms[i])
            if single is None and out and self._coordinated(folded, out[-1], atoms[i]):
                single = Expr(atoms[i].start, atoms[i].end, "plain", (atoms[i],))
            if single:
                out.append(single)
            i += 1
        return sorted(longest(out), key=lambda e: e.start)

    def _coordinated(self, folded: str, previous: Expr, a: Atom) -> bool:
        """A bare year or month joined to the one before: "en 2022 et 2023", "en mars ou avril"."""
        return (a.kind in ("month", "year") and len(previous.atoms) == 1
                and previous.atoms[0].kind == a.kind and previous.role != "range"
                and bool(self.coordination.fullmatch(folded, previous.end, a.start)))

    def _range(self, folded: str, a: Atom, b: Atom) -> Expr | None:
        if a.kind not in RANGED or b.kind not in RANGED or b.start - a.end > 14:
            return None
        gap = folded[a.end:b.start]
        before = folded[max(0, a.start - 12):a.start]
        if self.range_close.fullmatch(gap):
            opening = self.range_open.search(before)
            if opening:
                return Expr(a.start - len(before) + opening.start(), b.end, "range", (a, b))
            if gap.strip() in DASHES and a.kind == b.kind == "year":
                return Expr(a.start, b.end, "range", (a, b))
        elif self.between_close.fullmatch(gap):
            opening = self.between_open.search(before)
            if opening:
                return Expr(a.start - len(before) + opening.start(), b.end, "range", (a, b))
        return None

    def _marker(self, folded: str, original: str, start: int) -> tuple[str | None, int]:
        """The role of the marker ending right before `start`, and where it begins."""
        offset = max(0, start - 48)
        marker = self.prefix.search(folded, offset, start)
        if not marker:
            return None, start
        role, begin = marker.lastgroup, marker.start()
        # Folding made "dès" and "des" one word; only "dès" is a marker.
        if any(folded.startswith(form, begin) and original[begin:begin + len(written)].lower() != written
               for form, written in self.v.accented_markers):
            return None, start
        return role, begin

    def _single(self, folded: str, original: str, a: Atom) -> Expr | None:
        role, start = self._marker(folded, original, a.start)
        if a.kind == "since_unknown":
            return Expr(a.start, a.end, "since_unknown", (a,))
        if a.kind == "anchor":
            return Expr(start, a.end, "since", (a,)) if role in ("since", "since_start") else None
        if a.kind == "duration":
            return self._counted(folded, a, role, start)
        if role in ("ago", "after"):
            role = None
        elif role == "since_start":
            role = "since"
        if (a.kind in ("month", "year") and role is None and a.fields.get("rel") is None
                and a.fields.get("year_offset") is None):
            return None
        if a.kind == "relative" and a.fields.get("bare") and role != "within":
            return None
        if a.kind == "month" and _capitalised_inside(original, a.start):
            return None
        if a.kind == "month_subject":
            return Expr(a.start, a.end, "plain", (a,))
        if role is None or role == "licence":
            return Expr(a.start, a.end, "licence" if role else "plain", (a,))
        if role == "since":
            role = self._since(folded, start)
            if role == "comparison":
                return Expr(a.start, a.end, role, (a,))
        return Expr(start, a.end, role, (a,))

    def _counted(self, folded: str, a: Atom, role: str | None, start: int) -> Expr | None:
        """A count of units: an age ("âgé de 70 ans") or a clock time ("à 14 heures") is none."""
        before = folded[max(0, a.start - 24):a.start]
        unit = a.fields.get("unit")
        if self.age.search(before) or (unit and unit.time and self.clock.search(before)):
            return None
        if role in ("ago", "after", "since", "by", "within"):
            return Expr(start, a.end, role, (a,))
        return Expr(a.start, a.end, "plain", (a,))

    def _since(self, folded: str, start: int) -> str:
        """since, or comparison when a superlative comes before ("le plus élevé depuis")."""
        before = folded[max(0, start - 60):start]
        before = re.split(r"[.!?;\n]", before)[-1]
        return "comparison" if self.comparison.search(before) else "since"


_WORD_CHAR = re.compile(r"\w")
# The dashes that close a range of days: "du 3-5 juillet".
DASHES = ("-", "–")

# Rough length in days of one of each kind of unit, to tell a smaller unit from a larger one.
_UNIT_DAYS = {(False, "Y"): 365.0, (False, "M"): 30.0, (False, "W"): 7.0, (False, "D"): 1.0,
              (True, "H"): 1 / 24, (True, "M"): 1 / 1440, (True, "S"): 1 / 86400}


def _days(unit) -> float:
    return unit.size * _UNIT_DAYS.get((unit.time, unit.iso), 0.0)


def _parts(fields: dict) -> list:
    return [(fields["n"], fields["unit"]), *fields.get("more", ())]


def _scan(pattern: re.Pattern, folded: str):
    """The matches of `pattern` that start a word."""
    pos, search = 0, pattern.search
    while True:
        m = search(folded, pos)
        if m is None:
            return
        s = m.start()
        if s and _WORD_CHAR.match(folded, s - 1):
            pos = s + 1
            continue
        yield m
        pos = max(m.end(), s + 1)


def _capitalised_inside(original: str, start: int) -> bool:
    """A capital inside a sentence: French months take none, so "vers Mars" is the planet."""
    before = original[:start].rstrip()
    return original[start:start + 1].isupper() and bool(before) and before[-1] not in ".!?\n«\"“"


RANGED = frozenset({"day_date", "numeric", "month_year", "month", "year", "quarter", "season"})


def longest(items: list) -> list:
    """The longest of overlapping spans (earliest first on ties), sorted by start."""
    starts: list[int] = []
    ends: list[int] = []
    kept = []
    for item in sorted(items, key=lambda x: (x.start - x.end, x.start)):
        i = bisect.bisect_left(starts, item.start)
        if i > 0 and ends[i - 1] > item.start:
            continue
        if i < len(starts) and starts[i] < item.end:
            continue
        starts.insert(i, item.start)
        ends.insert(i, item.end)
        kept.insert(i, item)
    return kept


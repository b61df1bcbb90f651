"""Finding figures: the numbers of a text (the article view's) that measure something, with their
unit, scale and qualifier."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from veille.extract.measurements.lexicon import CLAUSE_END_RE, FigureLanguage, lexicon_key, YEAR_RE
from veille.extract.numbers import Number, qualifier_before
from veille.records import Period, Timex


@dataclass
class Fig:
    start: int
    end: int
    value: float
    unit: str
    kind: str
    qualifier: str | None = None
    value_max: float | None = None
    metric: str | None = None
    sign: str | None = None
    core_start: int = 0          # after the qualifier
    rate: float | None = None    # for an exchange-rate figure: units of `unit` per base
    base: str | None = None
    relation: str = "level"
    status: str = "actual"
    from_: str | None = None
    to: str | None = None
    period: Period | None = None
    usd: float | None = None
    sentence: int = 0
    has_places: bool = False
    own_metric: bool = False
    per_year: bool = False       # a yearly flow: "50 milliards de mètres cubes par an"
    compared: bool = False       # a baseline of the figure before it: "contre 3 % en 2022"
    base_metric: str | None = None   # the metric before a kind-specific renaming
    own_places: bool = False     # the places come from the figure's own clause
    source: "Fig | None" = None      # the figure a bare number took its unit from


def shared_currency(d: "_Doc", f: Fig) -> bool:
    """Decide a currency name several states share ("dinars", "francs CFA") by the states the
    figure's sentence names, else the article's main states, else its default; False when
    none decides and the word is not money here ("livres" are books)."""
    if not f.unit.startswith("~"):
        return True
    spec = d.lex.shared_currencies[f.unit[1:]]
    sent = d.sents[f.sentence]
    named = [p.code for p in d.refs_in(*sent)] + list(d.top)
    code = next((spec["by_state"][c] for c in named if c in spec["by_state"]), None) or spec.get("default")
    if code is None:
        return False
    f.unit = code
    for g in d.figs:                      # a bare number that borrowed the unit follows it
        if g.source is f:
            g.unit = code
    return True


def _currency(lex: FigureLanguage, code: str, folded: str) -> str:
    if code != "¥":
        return code
    return "JPY" if lex.japan.search(folded) and not lex.china.search(folded) else "CNY"


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def _likely_year(n: Number) -> bool:
    return not n.words and n.scale is None and n.value.is_integer() and 1800 <= n.value <= 2100


# --- finding figures --------------------------------------------------------------

def _rates(lex: FigureLanguage, ft: str) -> tuple[list[Fig], dict[str, float], list[tuple[int, int]]]:
    figs, per_usd, spans = [], {}, []
    for rx in lex.rates:
        for m in rx.finditer(ft):
            if _overlaps(m.start(), m.end(), spans):
                continue
            base = _currency(lex, _currency_code(lex, m.group("base")), ft)
            quote = _currency(lex, _currency_code(lex, m.group("quote")), ft)
            raw = m.group("rate").replace(" ", "")
            raw = raw.replace(".", "") if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw) else raw
            try:
                rate = float(raw.replace(",", "."))
            except ValueError:
                continue
            if not base or not quote or base == quote or rate <= 0:
                continue
            if base == "USD":
                per_usd[quote] = rate
            elif quote == "USD":
                per_usd[base] = 1 / rate
            spans.append((m.start(), m.end()))
            figs.append(Fig(m.start("rate"), m.end("quote"), rate, quote, "amount", metric="exchange_rate",
                            core_start=m.start("rate"), rate=rate, base=base, own_metric=True))
    return figs, per_usd, spans


def _currency_code(lex: FigureLanguage, name: str) -> str | None:
    """The code of a currency named by its name or its sign ("dollars", "$")."""
    return lex.currency_names.get(lexicon_key(name)) or lex.currency_prefixes.get(lexicon_key(name))


def _multipliers(lex: FigureLanguage, text: str, ft: str) -> list[Fig]:
    out = []
    for m in lex.multiplier.finditer(ft):
        written = lex.accented_endings.get(m.group("end"))
        if written and text[m.end("stem")].lower() != written[0]:
            continue                     # "doublé", not "double"
        out.append(Fig(m.start(), m.end(), lex.multiplier_stems[m.group("stem")], "x", "multiplier",
                       core_start=m.start(), relation="change"))
    return out


def _fractions(lex: FigureLanguage, ft: str) -> list[Fig]:
    """ "plus d'un tiers des exportations" -> 33.333 %, a share."""
    out = []
    for m in lex.fraction.finditer(ft):
        value = lex.numerators[m.group("num")] * lex.fractions[m.group("frac")]
        start, qual = m.start(), None
        q = qualifier_before(lex.numbers, ft, start)
        if q and q[1]:
            start, qual = q
        out.append(Fig(start, m.end(), round(value, 3), "%", "percent", qual, core_start=m.start(),
                       relation="share"))
    for m in lex.fraction_change.finditer(ft):
        last = None
        for last in lex.relation.finditer(ft, max(0, m.start() - 40), m.start()):
            pass
        if last is not None and last.lastgroup in ("up", "down"):
            out.append(Fig(m.start(), m.end(), lex.fraction_changes[lexicon_key(m.group())], "%", "percent",
                           core_start=m.end()))
    return out


def _unit_of(lex: FigureLanguage, text: str, ft: str, n: Number) -> Fig | None:
    e = n.end
    pre = lex.currency_before.search(ft, max(0, n.num_start - 8), n.num_start)
    if pre:
        start, qual = pre.start(), n.qualifier
        q = qualifier_before(lex.numbers, ft, start)
        if q and q[1]:
            start, qual = q
        elif n.qualifier is None:
            start = pre.start()
        code = _currency(lex, lex.currency_prefixes[lexicon_key(pre.group("u"))], ft)
        end = e
        post = lex.currency_after.match(ft, e)
        if post and lex.currency_names.get(lexicon_key(post.group("u"))) == code:
            end = post.end()
        return Fig(min(start, n.start), end, n.value, code, "amount", qual, n.value_max,
                   sign=n.sign, core_start=n.num_start)
    for pattern, unit in ((lex.percentage_points, "pp"), (lex.basis_points, "bp"), (lex.percent, "%")):   # points before the bare sign
        m = pattern.match(ft, e)
        if m:
            return Fig(n.start, m.end(), n.value, unit, "percent", n.qualifier, n.value_max, sign=n.sign,
                       core_start=n.num_start)
    m = lex.points.match(ft, e)
    if m:
        clause = ft[max(0, ft.rfind(".", 0, n.start) + 1, n.start - 120):n.start]
        index = lex.index.search(clause) is not None or abs(n.value) > lex.index_points_above
        change = bool(n.sign or lex.direct.search(ft, max(0, n.start - 30), n.start) or any(
            c.lastgroup in ("up", "down") for c in lex.relation.finditer(ft, max(0, n.start - 30), n.start)))
        if index:          # "le CAC 40 a gagné 85 points", "l'indice s'établit à 112,4 points"
            return Fig(n.start, m.end(), n.value, "pts", "physical", n.qualifier, n.value_max, sign=n.sign,
                       core_start=n.num_start)
        if change:
            return Fig(n.start, m.end(), n.value, "pp", "percent", n.qualifier, n.value_max, sign=n.sign,
                       core_start=n.num_start)
    m = lex.minor_unit.match(ft, e)
    if m and not n.scale and n.value_max is None:
        # "99 centimes d'euro": a hundredth of the currency named after it
        code = _currency(lex, lex.currency_names[lexicon_key(m.group("u"))], ft)
        return Fig(n.start, m.end(), n.value / lex.minor_units[lexicon_key(m.group("minor"))], code, "amount",
                   n.qualifier, None, sign=n.sign, core_start=n.num_start)
    m = lex.currency_after.match(ft, e)
    if m and (n.scale or not lex.of_start.match(ft[e:m.start("u")])):
        code = _currency(lex, lex.currency_names[lexicon_key(m.group("u"))], ft)
        value, end = n.value, m.end()
        cents = lex.cents_after.match(ft, end)
        if cents and not n.scale and n.value_max is None and n.value == int(n.value):
            # "15 dollars et 15 cents", "10 euros 50"
            value, end = n.value + (-1 if n.value < 0 else 1) * int(cents.group("c")) / 100, cents.end()
        return Fig(n.start, end, value, code, "amount", n.qualifier, n.value_max, sign=n.sign,
                   core_start=n.num_start)
    m = lex.physical_unit.match(ft, e)
    if m:
        unit, factor, case, per = lex.physical_units[lexicon_key(m.group("u"))]
        if case is None or text[m.start("u"):m.end("u")] == case:
            vmax = n.value_max * factor if n.value_max is not None else None
            return Fig(n.start, m.end(), n.value * factor, unit, "physical", n.qualifier, vmax,
                       sign=n.sign, core_start=n.num_start, per_year=per == "year")
    m = lex.times.match(ft, e)
    if m:
        return Fig(n.start, m.end(), n.value, "x", "multiplier", n.qualifier, n.value_max,
                   core_start=n.num_start, relation="change")
    verb = lex.multiplied_by.search(ft, max(0, n.start - 30), n.start)
    if verb:
        return Fig(verb.start(), n.end, n.value, "x", "multiplier", n.qualifier, n.value_max,
                   core_start=n.num_start, relation="change")
    verb = lex.divided_by.search(ft, max(0, n.start - 30), n.start)
    if verb and n.value > 0 and n.value_max is None:
        return Fig(verb.start(), n.end, round(1 / n.value, 6), "x", "multiplier", n.qualifier,
                   core_start=n.num_start, relation="change")
    if lex.by_end.search(ft, max(0, n.start - 8), n.start) and n.sign is None:
        # "multiplier les exportations par au moins 1,5": the verb, its object, then "par"
        window = ft[max(0, n.start - 90):n.start]
        verb = None
        for verb in lex.multiply_verb.finditer(window):
            pass
        if verb is not None and not CLAUSE_END_RE.search(window, verb.end()):
            return Fig(n.start, n.end, n.value, "x", "multiplier", n.qualifier, n.value_max,
                       core_start=n.num_start, relation="change")
    m = lex.count_unit.match(ft, e)
    if m and n.value >= 0 and n.sign is None:
        return Fig(n.start, m.end(), n.value, "count", "count", n.qualifier, n.value_max,
                   metric=lex.count.find(m.group("u")), core_start=n.num_start, own_metric=True)
    m = lex.model.match(text, e)
    if m and n.value >= 0 and n.sign is None and not _likely_year(n) and n.value_max is None:
        return Fig(n.start, m.end(), n.value, "count", "count", n.qualifier, core_start=n.num_start)
    return None


def _borrowed(n: Number, like: Fig, value: float | None = None) -> Fig:
    return Fig(n.start, n.end, n.value if value is None else value, like.unit, like.kind, n.qualifier,
               n.value_max if value is None else None, sign=n.sign, core_start=n.num_start,
               metric=like.metric if like.kind == "count" else None, own_metric=like.kind == "count",
               per_year=like.per_year, source=like)


def _borrow_units(lex: FigureLanguage, ft: str, numbers: list[Number], found: list[Fig | None],
                  sentence_of) -> None:
    """Bare numbers that take the unit of a figure of their sentence, in place.

    "de 10 à 20 milliards de dollars" and "5 ou 6 %" (the unit that follows); "38
    milliards de dollars, contre 50 milliards" (a scaled number after an amount);
    "Quatorze traversées ..., contre 11 en 2024 et sept en 2023" (compared with a
    figure); "292 800 ventes, devant Chery (105 600)" (in brackets after one); "160
    appareils : 150 de la famille A320" (listed after one); "une trentaine de marques
    ..., et une quinzaine d'autres" (more of the same).
    """
    for i in range(len(numbers) - 2, -1, -1):
        nxt = found[i + 1]
        if found[i] is None and nxt is not None and nxt.kind != "count" and lex.shared_unit_gap.fullmatch(
                ft, numbers[i].end, numbers[i + 1].start):
            n = numbers[i]
            value = n.value * (numbers[i + 1].scale or 1) if n.scale is None else n.value
            found[i] = _borrowed(n, nxt, value)
    prev = None          # the last figure before numbers[i]
    for i in range(1, len(numbers)):
        prev = found[i - 1] if found[i - 1] is not None else prev
        n = numbers[i]
        if found[i] is not None or n.sign is not None:
            continue
        si = sentence_of(n.start)
        if prev is None or prev.rate is not None or sentence_of(prev.start) != si:
            continue
        gap = ft[prev.end:n.start]
        if n.scale and prev.kind in ("amount", "physical") and (
                lex.borrow_gap.fullmatch(gap) or lex.compare.search(ft, max(0, n.start - 25), n.start)):
            found[i] = _borrowed(n, prev)
            continue
        if _likely_year(n) or n.value_max is not None or prev.kind in ("amount", "physical"):
            continue                     # "5 milliards de dollars, contre 4 l'an dernier": scale unknown
        others = prev.kind == "count" and lex.others.match(ft, n.end) is not None
        if not others and not lex.bare_follower.match(ft, n.end):
            continue                     # a noun of its own follows: "a duré 3 heures"
        listed = prev.kind == "count" and (gap.lstrip().startswith(":") and ";" not in gap
                                           or lex.list_gap.match(gap) and found[i - 1] is prev
                                           or lex.of_which_gap.match(gap) is not None)
        compared = lex.compare.search(ft, max(0, n.start - 25), n.start) is not None
        chained = found[i - 1] is prev and prev.source is not None and len(gap) <= 25 \
            and lex.list_join_end.search(gap)
        bracketed = ft[max(0, n.start - 2):n.start].strip() == "(" and len(gap) <= 80
        if listed or compared or chained or bracketed or others:
            end = lex.others.match(ft, n.end).end() if others else n.end
            f = _borrowed(n, prev)
            f.end = end
            found[i] = f


def figures(lex: FigureLanguage, text: str, ft: str, found_numbers: Sequence[Number], sentence_of,
            skip: list[tuple[int, int]]) -> tuple[list[Fig], dict[str, float]]:
    rate_figs, per_usd, taken = _rates(lex, ft)
    figs = list(rate_figs)
    for f in _multipliers(lex, text, ft) + _fractions(lex, ft):
        if not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    numbers = [n for n in found_numbers
               if not _overlaps(n.num_start, n.end, taken) and not _overlaps(n.num_start, n.end, skip)]
    found: list[Fig | None] = [_unit_of(lex, text, ft, n) for n in numbers]
    _borrow_units(lex, ft, numbers, found, sentence_of)
    for f in found:
        if f is not None and not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    figs.sort(key=lambda f: (f.start, f.end))
    return figs, per_usd


def year_timexes(ft: str, figs: list[Fig], timexes: list[Timex]) -> list[Timex]:
    """Bare years the time layer left out ("par rapport à 2022", "celui de 2022")."""
    spans = [(t.start, t.end) for t in timexes] + [(f.start, f.end) for f in figs]
    out = []
    for m in YEAR_RE.finditer(ft):
        if not _overlaps(m.start(), m.end(), spans):
            y = m.group()
            out.append(Timex(m.start(), m.end(), y, "DATE", f"{y}-01-01", f"{y}-12-31", "year"))
    return out


def sentence_index(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)

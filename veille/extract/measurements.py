"""Figures: every number of an article that measures something, with its frame.

`extract_measurements(text, sentences, places, timexes, published)` is a pure
function: the sentences, places and time expressions come from the layers
upstream, the vocabulary from `resources/fr/figures.yaml`, the fallback exchange
rates from `resources/rates.yaml`. For

    "Les expéditions de Liaoning vers la Russie ont augmenté de 82,3 % au cours
     des neuf premiers mois, pour atteindre 42,64 milliards de yuans
     (5,83 milliards de dollars)."

it gives three measurements, all exports CN-LN -> RUS over the nine months: a
change of 82.3 %, a level of 42 640 000 000 CNY (usd 5 830 000 000) and its
dollar equivalent.

Conventions (tested in tests/test_measurements.py):

- A fall is a negative change: "recul de 5 %" -> value -5.0, relation change.
- An exchange rate "(1 $ = 7,3172 yuans)" is one measurement, metric
  exchange_rate, unit the quoted currency, value the rate; its "1 $" side is not
  emitted, and the rate converts the article's other amounts to dollars.
- `usd`, in order: the amount itself when in dollars; a dollar equivalent given
  next to it ("(5,83 milliards de dollars)", ", soit ..."); a rate stated in the
  article; the yearly average of rates.yaml for the figure's year (period end,
  period begin, then publication year); else None.
- `period`: the time expression governing the figure's clause, not a
  comparison baseline ("par rapport à l'année précédente") nor the date of a
  report ("a rapporté lundi"); else one elsewhere in the sentence; else, when
  the previous sentence of the same paragraph opens on a time expression
  ("En mars, ... . Un train transportant 55 conteneurs ..."), that one; else None.
- Physical flows per year keep their unit: "mètres cubes par an" -> "m3/an".
- Sentences are taken as given, trimmed, cut at line breaks (a paragraph never
  continues a sentence) and mended where a parser cut inside a compound
  ("machines-" / "-outils"); with no sentences, a crude splitter is used.
- Not figures: dates, years, times, ordinals, model and summit names (G20,
  COP28, A320, S-400), article numbers, ages and durations, and any bare number
  with no unit and no counted noun.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from veille.extract.numbers import Number, find_numbers, phrase_alternation, phrases_regex, qualifier_before
from veille.records import Measurement, Period, PlaceRef, Timex
from veille.resources import load
from veille.text import fold

_V = load("fr/figures.yaml")
_RATES = load("rates.yaml") or {}


def _alt(phrases) -> str:
    return phrase_alternation(phrases)


def _key(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip()).replace("' ", "'")


class _Lexicon(dict):
    """Folded phrase -> value, where a phrase may end in `*` ("investi*")."""

    def __init__(self, pairs):
        super().__init__()
        self._wild = []
        for phrase, value in pairs:
            key = fold(str(phrase)).strip()
            self[key] = value
            if "*" in key:
                pat = re.escape(key).replace(r"\*", r"\w*").replace(r"\ ", r"\s+").replace("'", r"'\s*")
                self._wild.append((re.compile(pat), value))

    def find(self, text: str):
        key = _key(text)
        if key in self:
            return self[key]
        return next((v for rx, v in self._wild if rx.fullmatch(key)), None)


# --- units --------------------------------------------------------------------

_SP = r"[^\S\n]{0,3}"
_CUR_NAMES = {fold(n): code for code, c in _V["currencies"].items() for n in c["names"]}
_CUR_PREFIX = {fold(n): code for code, c in _V["currencies"].items() for n in c.get("prefix", [])}
_CUR_PREFIX[fold(_V["yen_sign"])] = "¥"
_CUR_NAMES[fold(_V["yen_sign"])] = "¥"
_CUR_AFTER_RE = re.compile(rf"{_SP}(?:(?:de|d')\s*)?(?P<u>{_alt(_CUR_NAMES)})")
_CUR_BEFORE_RE = re.compile(rf"(?<![\w$€£¥₽])(?P<u>{_alt(_CUR_PREFIX)}){_SP}$")
_PERCENT_RE = re.compile(rf"{_SP}(?:{_alt(_V['percent_signs'])})")
_PP_RE = re.compile(rf"{_SP}(?:{_alt(_V['percentage_points'])})")
_BP_RE = re.compile(rf"{_SP}(?:{_alt(_V['basis_points'])})")

_PHYS = {}
for _u in _V["physical_units"]:
    for _n in _u["names"]:
        _PHYS[fold(_n)] = (_u["unit"], float(_u.get("factor", 1)), _u.get("case"))
_PHYS_RE = re.compile(rf"{_SP}(?:(?:de|d')\s*)?(?P<u>{_alt(_PHYS)})")

_COUNT = _Lexicon((n, metric) for metric, names in _V["count_nouns"].items() for n in names)
_COUNT_RE = re.compile(
    rf"{_SP}(?:(?:de|d')\s*)?(?:(?:{_alt(_V['count_adjectives'])})\s+)?(?P<u>{_alt(_COUNT)})")

_MULT = {fold(k): float(v) for k, v in _V["multiplier_stems"].items()}
_MULT_RE = re.compile(
    rf"(?<!\w)(?P<stem>{'|'.join(map(re.escape, _MULT))})"
    rf"(?P<end>{'|'.join(sorted((fold(e) for e in _V['multiplier_endings']), key=len, reverse=True))})(?!\w)")
_MULT_BY_RE = re.compile(rf"(?:{_alt(_V['multiplied_by'])})\s*$")
_TIMES_RE = re.compile(rf"{_SP}(?:{_alt(_V['times_more'])})")

_CUR_ANY = _alt(list(_CUR_NAMES) + list(_CUR_PREFIX))
_RATE_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_RATE_RES = [
    re.compile(rf"(?<![\w,.])(?:1|un|une)\s*(?P<base>{_CUR_ANY})\s*(?:=|vaut|valait|pour|contre|s'echange\s+contre)"
               rf"\s*(?P<rate>{_RATE_NUM})\s*(?P<quote>{_CUR_ANY})"),
    re.compile(rf"(?<![\w,.])(?P<rate>{_RATE_NUM})\s*(?P<quote>{_CUR_ANY})\s*(?:{_alt(_V['rate_per'])})\s*"
               rf"(?:(?<!\w)(?:1|un|une)\s*)?(?P<base>{_CUR_ANY})"),
]

# --- cues -----------------------------------------------------------------------

_RC = _V["relation_cues"]
_REL_RE = re.compile(
    rf"(?P<up>{_alt(_RC['change_up'])})|(?P<down>{_alt(_RC['change_down'])})"
    rf"|(?P<level>{_alt(_RC['level'])})|(?P<share>{_alt(_RC['share'])})")
_SHARE_CUE_RE = phrases_regex(_RC["share"])
_DIRECT_RE = re.compile(rf"(?:(?P<up>{_alt(_RC['direct_up'])})|(?P<down>{_alt(_RC['direct_down'])}))\s*$")
_AFTER_UP_RE = re.compile(rf"{_SP}(?:{_alt(_V['change_after_up'])})")
_AFTER_DOWN_RE = re.compile(rf"{_SP}(?:{_alt(_V['change_after_down'])})")
_AFTER_SHARE_RE = re.compile(
    rf"{_SP}(?:{_alt(_V['share_after'])})\s*(?!(?:{_alt(_V['share_after_not'])}))\w")
_DE_RE = re.compile(r"(?<!\w)(?:(?:de|par)(?!\w)|d')")

_SC = _V["status_cues"]
_future = "|".join(sorted((fold(e) for e in _V["future_endings"]), key=len, reverse=True))
_STATUS_RE = re.compile(
    rf"(?P<target>{_alt(_SC['target'])})|(?P<forecast>{_alt(_SC['forecast'] + _V['future_words'])}"
    rf"|(?<!\w)\w{{2,}}(?:{_future})(?!\w))|(?P<actual>{_alt(_SC['actual'])})")
_STATUS_AFTER_RE = re.compile(rf"(?P<target>{_alt(_SC['target_after'])})|(?P<forecast>{_alt(_SC['forecast_after'])})")
_NOT_FORECAST_RE = phrases_regex(_SC["not_forecast"] + _V["not_future"])

_METRIC = _Lexicon((n, metric) for metric, names in _V["metrics"].items() for n in names)
_METRIC_RE = re.compile(f"(?:{_alt(_METRIC)})")
_DIRECTION = _V["metric_direction"]
_METRIC_AFTER_RE = re.compile(rf"{_SP}(?:de|d'|en)\s*(?P<m>{_alt(_METRIC)})")
_PARTICIPLE = _Lexicon((n, metric) for metric, names in _V["metric_participles"].items() for n in names)
_PARTICIPLE_RE = re.compile(rf"{_SP}(?P<m>{_alt(_PARTICIPLE)})")
_SHARE_OF_RE = re.compile(
    rf"{_SP}(?:{_alt(_V['share_after'])})\s*(?:(?:{_alt(_V['count_adjectives'])})\s+)?"
    rf"(?P<m>{_alt(list(_METRIC) + list(_COUNT))})")

_ART = _alt(_V["place_articles"])
_HEADS = _alt(_V["place_heads"])
_PREP_RE = re.compile(
    rf"(?:(?P<between>{_alt(_V['between_before'])})|(?P<dest>{_alt(_V['destination_before'])})"
    rf"|(?P<origin>{_alt(_V['origin_before'])})|(?P<et>(?<!\w)et|,))"
    rf"\s*(?:(?:{_ART})\s*)?(?:(?:{_HEADS})\s*(?:de|du|d')\s*(?:(?:{_ART})\s*)?)?$")
_BOTH_RE = phrases_regex(_V["both_parties"])
_BASELINE_RE = re.compile(rf"(?:{_alt(_V['baseline_before'])})\s*$")
_REPORTING_RE = re.compile(rf"(?:{_alt(_V['reporting_before'])})\s*$")
_JAPAN_RE = phrases_regex(_V["japan_words"])
_CHINA_RE = phrases_regex(_V["china_words"])
_CLAUSE_END_RE = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s")
_EQUIV_RE = re.compile(r"^\s*(?:[(\[]|,?\s*soit|,?\s*ou|,?\s*c'est-a-dire)\s*(?:environ|pres\s+de|quelque)?\s*$")
_BORROW_GAP_RE = re.compile(r"[^\S\n]*,?[^\S\n]*(?:contre|et|a|soit|puis|ou)[^\S\n]+(?:\w+[^\S\n]+){0,2}?")
_SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+")


@dataclass
class _Fig:
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


def _currency(code: str, folded: str) -> str:
    if code != "¥":
        return code
    return "JPY" if _JAPAN_RE.search(folded) and not _CHINA_RE.search(folded) else "CNY"


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


# --- finding figures --------------------------------------------------------------

def _rates(ft: str) -> tuple[list[_Fig], dict[str, float], list[tuple[int, int]]]:
    figs, per_usd, spans = [], {}, []
    for rx in _RATE_RES:
        for m in rx.finditer(ft):
            if _overlaps(m.start(), m.end(), spans):
                continue
            base = _currency(_CUR_NAMES.get(_key(m.group("base"))) or _CUR_PREFIX.get(_key(m.group("base"))), ft)
            quote = _currency(_CUR_NAMES.get(_key(m.group("quote"))) or _CUR_PREFIX.get(_key(m.group("quote"))), ft)
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
            figs.append(_Fig(m.start("rate"), m.end("quote"), rate, quote, "amount", metric="exchange_rate",
                             core_start=m.start("rate"), rate=rate, base=base, own_metric=True))
    return figs, per_usd, spans


def _multipliers(text: str, ft: str) -> list[_Fig]:
    out = []
    for m in _MULT_RE.finditer(ft):
        if m.group("end") in ("e", "es", "ee", "ees") and text[m.end("stem")] not in "éÉ":
            continue
        out.append(_Fig(m.start(), m.end(), _MULT[m.group("stem")], "x", "multiplier",
                        core_start=m.start(), relation="change"))
    return out


def _unit_of(text: str, ft: str, n: Number) -> _Fig | None:
    e = n.end
    pre = _CUR_BEFORE_RE.search(ft, max(0, n.num_start - 8), n.num_start)
    if pre:
        start, qual = pre.start(), n.qualifier
        q = qualifier_before(ft, start)
        if q and q[1]:
            start, qual = q
        elif n.qualifier is None:
            start = pre.start()
        code = _currency(_CUR_PREFIX[_key(pre.group("u"))], ft)
        end = e
        post = _CUR_AFTER_RE.match(ft, e)
        if post and _CUR_NAMES.get(_key(post.group("u"))) == code:
            end = post.end()
        return _Fig(min(start, n.start), end, n.value, code, "amount", qual, n.value_max,
                    sign=n.sign, core_start=n.num_start)
    m = _PP_RE.match(ft, e)
    if m:
        return _Fig(n.start, m.end(), n.value, "pp", "percent", n.qualifier, n.value_max, sign=n.sign,
                    core_start=n.num_start)
    m = _BP_RE.match(ft, e)
    if m:
        return _Fig(n.start, m.end(), n.value, "bp", "percent", n.qualifier, n.value_max, sign=n.sign,
                    core_start=n.num_start)
    m = _PERCENT_RE.match(ft, e)
    if m:
        return _Fig(n.start, m.end(), n.value, "%", "percent", n.qualifier, n.value_max, sign=n.sign,
                    core_start=n.num_start)
    m = _CUR_AFTER_RE.match(ft, e)
    if m and (n.scale or not re.match(r"\s*(?:de|d')", ft[e:m.start("u")])):
        code = _currency(_CUR_NAMES[_key(m.group("u"))], ft)
        return _Fig(n.start, m.end(), n.value, code, "amount", n.qualifier, n.value_max, sign=n.sign,
                    core_start=n.num_start)
    m = _PHYS_RE.match(ft, e)
    if m:
        unit, factor, case = _PHYS[_key(m.group("u"))]
        if case is None or text[m.start("u"):m.end("u")] == case:
            vmax = n.value_max * factor if n.value_max is not None else None
            return _Fig(n.start, m.end(), n.value * factor, unit, "physical", n.qualifier, vmax,
                        sign=n.sign, core_start=n.num_start)
    m = _TIMES_RE.match(ft, e)
    if m:
        return _Fig(n.start, m.end(), n.value, "x", "multiplier", n.qualifier, n.value_max,
                    core_start=n.num_start, relation="change")
    if _MULT_BY_RE.search(ft, max(0, n.start - 30), n.start):
        verb = _MULT_BY_RE.search(ft, max(0, n.start - 30), n.start)
        return _Fig(verb.start(), n.end, n.value, "x", "multiplier", n.qualifier, n.value_max,
                    core_start=n.num_start, relation="change")
    m = _COUNT_RE.match(ft, e)
    if m and n.value >= 0 and n.sign is None:
        return _Fig(n.start, m.end(), n.value, "count", "count", n.qualifier, n.value_max,
                    metric=_COUNT.find(m.group("u")), core_start=n.num_start, own_metric=True)
    return None


def _figures(text: str, ft: str) -> tuple[list[_Fig], dict[str, float]]:
    rate_figs, per_usd, taken = _rates(ft)
    figs = list(rate_figs)
    for f in _multipliers(text, ft):
        if not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    numbers = [n for n in find_numbers(text, ft) if not _overlaps(n.num_start, n.end, taken)]
    found: list[_Fig | None] = [_unit_of(text, ft, n) for n in numbers]
    # "de 10 à 20 milliards de dollars", "5 ou 6 %": a bare number borrows the unit that follows.
    for i in range(len(numbers) - 2, -1, -1):
        nxt = found[i + 1]
        if found[i] is None and nxt is not None and nxt.kind != "count" and re.fullmatch(
                r"\s*(?:a|et|ou|-|\u2013|contre)\s*", ft[numbers[i].end:numbers[i + 1].start]):
            n = numbers[i]
            value = n.value * (numbers[i + 1].scale or 1) if n.scale is None else n.value
            found[i] = _Fig(n.start, n.end, value, nxt.unit, nxt.kind, n.qualifier, None, sign=n.sign,
                            core_start=n.num_start)
    # "38 milliards de dollars, contre 50 milliards un an plus tôt": a scaled bare number
    # after an amount borrows its unit.
    for i in range(1, len(numbers)):
        prev_f, n = found[i - 1], numbers[i]
        if found[i] is None and n.scale and prev_f is not None and prev_f.kind in ("amount", "physical") \
                and prev_f.rate is None and _BORROW_GAP_RE.fullmatch(ft[prev_f.end:n.start]):
            found[i] = _Fig(n.start, n.end, n.value, prev_f.unit, prev_f.kind, n.qualifier, n.value_max,
                            sign=n.sign, core_start=n.num_start)
    for f in found:
        if f is not None and not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    figs.sort(key=lambda f: (f.start, f.end))
    return figs, per_usd


# --- framing ----------------------------------------------------------------------

def _sentences(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The given sentences, trimmed and cut at line breaks (a paragraph never continues a sentence)."""
    spans = []
    for s, e in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in sentences):
        for m in re.finditer(r"[^\n]+", text[s:e]):
            a, b = s + m.start(), s + m.end()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a and (not spans or a >= spans[-1][1]):
                spans.append((a, b))
    merged: list[tuple[int, int]] = []
    for a, b in spans:     # a parser's cut inside "machines-outils" or "Chine-Europe"
        if merged and "\n" not in text[merged[-1][1]:a] and text[merged[-1][1] - 1] not in ".!?…" \
                and (text[a].islower() or text[a] in "-\u2013,;:)%"):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if merged:
        return merged
    out, pos = [], 0
    for m in _SENT_SPLIT_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out or [(0, len(text))]


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _clause_end(ft: str, start: int, limit: int) -> int:
    m = _CLAUSE_END_RE.search(ft, start, limit)
    return m.start() if m else limit


def _relation(ft: str, f: _Fig, seg_start: int) -> tuple[str, float, float | None]:
    value, vmax = f.value, f.value_max
    if f.kind == "multiplier":
        return "change", value, vmax
    if f.rate is not None or f.kind == "count":
        return "level", value, vmax
    if f.sign:
        return "change", value, vmax
    if _AFTER_DOWN_RE.match(ft, f.end):
        return "change", -abs(value), -abs(vmax) if vmax is not None else None
    if _AFTER_UP_RE.match(ft, f.end):
        return "change", value, vmax
    if f.kind == "percent" and _AFTER_SHARE_RE.match(ft, f.end):
        return "share", value, vmax
    left_start = max(seg_start, f.start - 120)
    last = None
    for m in _REL_RE.finditer(ft, left_start, f.start):
        last = m
    if last is not None and last.lastgroup in ("up", "down"):
        gap = ft[last.end():f.start]
        if len(gap) <= 45 and _DE_RE.search(gap + ft[f.start:f.core_start]):
            if last.lastgroup == "down":
                return "change", -abs(value), -abs(vmax) if vmax is not None else None
            return "change", value, vmax
    direct = _DIRECT_RE.search(ft, max(seg_start, f.start - 30), f.start)
    if direct and f.kind in ("percent", "amount"):
        if direct.lastgroup == "down":
            return "change", -abs(value), -abs(vmax) if vmax is not None else None
        return "change", value, vmax
    if f.kind == "percent" and _SHARE_CUE_RE.search(ft, seg_start, f.start) and (
            last is None or last.lastgroup not in ("up", "down")):
        return "share", value, vmax
    return "level", value, vmax


def _status(ft: str, start: int, end: int, after: bool = False) -> str | None:
    masked = _NOT_FORECAST_RE.sub(lambda m: " " * len(m.group()), ft[start:end])
    if after:
        m = _STATUS_AFTER_RE.search(masked)
        return m.lastgroup if m else None
    last = None
    for m in _STATUS_RE.finditer(masked):
        last = m
    return last.lastgroup if last else None


def _metric_near(ft: str, f: _Fig, seg_start: int) -> str | None:
    if f.kind == "percent":
        m = _SHARE_OF_RE.match(ft, f.end)
        if m:
            return _METRIC.find(m.group("m")) or _COUNT.find(m.group("m"))
    m = _METRIC_AFTER_RE.match(ft, f.end)
    if m:
        return _METRIC.find(m.group("m"))
    m = _PARTICIPLE_RE.match(ft, f.end)
    if m:
        return _PARTICIPLE.find(m.group("m"))
    last = None
    for m in _METRIC_RE.finditer(ft, seg_start, f.start):
        last = m
    return _METRIC.find(last.group()) if last else None


def _metric_in(ft: str, start: int, end: int, pos: int | None = None) -> str | None:
    found = list(_METRIC_RE.finditer(ft, start, end))
    if not found:
        return None
    if pos is None:
        return _METRIC.find(found[0].group())
    before = [m for m in found if m.end() <= pos]
    best = before[-1] if before else found[0]
    return _METRIC.find(best.group())


def _roles(ft: str, refs: list[PlaceRef]) -> list[tuple[PlaceRef, str]]:
    """Each place with how the text introduces it: between, dest, origin or attr."""
    out: list[tuple[PlaceRef, str]] = []
    for p in refs:
        m = _PREP_RE.search(ft, max(0, p.start - 60), p.start)
        role = "attr"
        if m:
            g = m.lastgroup
            if g == "et":
                role = out[-1][1] if out and p.start - out[-1][0].end < 40 else "attr"
            else:
                role = g
        if p.kind == "demonym" and role in ("origin", "dest") and m and m.group("origin") is not None:
            role = "attr"
        out.append((p, role))
    return out


def _top_states(places: Sequence[PlaceRef]) -> list[str]:
    counts = Counter(p.code for p in places if len(p.code) == 3)
    first = {}
    for i, p in enumerate(places):
        first.setdefault(p.code, i)
    return sorted(counts, key=lambda c: (-counts[c], first[c]))[:2]


def _flow(ft: str, metric: str | None, refs: list[PlaceRef], top: list[str],
          sentence: tuple[int, int]) -> tuple[str | None, str | None] | None:
    direction = _DIRECTION.get(metric or "", "single")
    if direction == "none":
        return None, None
    roles = _roles(ft, refs)
    if direction == "between":
        codes = [p.code for p, r in roles if r == "between"] or [p.code for p, _ in roles]
        uniq = list(dict.fromkeys(codes))
        if len(uniq) >= 2:
            if len(uniq) > 2:
                rank = {c: i for i, c in enumerate(top)}
                uniq = sorted(uniq, key=lambda c: (rank.get(c, 9), codes.index(c)))[:2]
            a, b = sorted(uniq[:2])
            return a, b
        if len(uniq) == 1:
            if _BOTH_RE.search(ft, *sentence) and len(top) == 2 and uniq[0] in top:
                a, b = sorted(top)
                return a, b
            return uniq[0], None
        if len(top) == 2:
            a, b = sorted(top)
            return a, b
        return None
    if not roles:
        return None
    origins = [p.code for p, r in roles if r in ("origin", "attr")]
    dests = [p.code for p, r in roles if r == "dest"]
    if direction == "in":
        attrs = [p.code for p, r in roles if r == "attr"]
        to = attrs[0] if attrs else (dests[0] if dests else None)
        frm = next((p.code for p, r in roles if r in ("origin", "attr") and p.code != to), None)
        return frm, to
    if direction == "out":
        frm = origins[0] if origins else None
        to = next((c for c in dests if c != frm), None)
        return frm, to
    return roles[0][0].code, None


def _count_flow(ft: str, f: _Fig, refs: list[PlaceRef], right_end: int) -> tuple[str | None, str | None]:
    frm = to = None
    for p, role in _roles(ft, [p for p in refs if f.end <= p.start < right_end]):
        if frm is None and to is None and p.kind == "demonym" and p.start - f.end <= 25:
            frm = p.code
        elif frm is None and to is None and role == "origin" and p.start - f.end <= 25:
            frm = p.code
        elif to is None and role == "dest" and p.code != frm:
            to = p.code
    return frm, to


def _period(ft: str, f: _Fig, seg_start: int, right_end: int, sent: tuple[int, int],
            timexes: list[Timex]) -> Period | None:
    cands = []
    for t in timexes:
        if not (sent[0] <= t.start < sent[1]) or t.type == "DURATION" or t.period is None:
            continue
        if _BASELINE_RE.search(ft, max(0, t.start - 40), t.start):
            continue
        if _REPORTING_RE.search(ft, max(0, t.start - 30), t.start):
            continue
        if f.start <= t.start < f.end:
            continue
        cands.append(t)
    if not cands:
        return None
    clause = [t for t in cands if seg_start <= t.start < f.start or f.end <= t.start < right_end]
    pool = clause or [t for t in cands if t.end <= f.start] or cands

    def dist(t: Timex) -> int:
        return f.start - t.end if t.end <= f.start else t.start - f.end
    return min(pool, key=dist).period


def _rate_table(code: str, years: list[int]) -> float | None:
    table = _RATES.get(code) or {}
    for y in years:
        if y in table:
            return float(table[y])
    return None


def _years(f: _Fig, published: str | None) -> list[int]:
    ys = []
    for d in ((f.period.end, f.period.begin) if f.period else ()) + (published,):
        if d and re.match(r"\d{4}", d):
            ys.append(int(d[:4]))
    return ys


def extract_measurements(text: str, sentences: Sequence[tuple[int, int]], places: Sequence[PlaceRef],
                         timexes: Sequence[Timex], published: str | None) -> list[Measurement]:
    """Every figure of `text` that measures something, in text order, with its frame.

    "En septembre, le commerce bilatéral entre la Russie et la Chine a atteint
    21,18 milliards de dollars" -> value 21180000000.0, unit USD, kind amount,
    relation level, metric trade_volume, from CHN, to RUS, period September.
    """
    if not text:
        return []
    ft = fold(text)
    figs, per_usd = _figures(text, ft)
    if not figs:
        return []
    sents = _sentences(text, sentences)
    starts = [s for s, _ in sents]
    refs = sorted(places, key=lambda p: p.start)
    ref_starts = [p.start for p in refs]
    tx = sorted(timexes, key=lambda t: t.start)
    top = _top_states(refs)

    def refs_in(a: int, b: int) -> list[PlaceRef]:
        return refs[bisect.bisect_left(ref_starts, a):bisect.bisect_left(ref_starts, b)]

    prev: _Fig | None = None
    for i, f in enumerate(figs):
        si = _sentence_of(starts, f.start)
        f.sentence = si
        sent = sents[si]
        same = prev is not None and prev.sentence == si
        seg_start = prev.end if same else sent[0]
        seg_start = min(seg_start, f.start)
        nxt = figs[i + 1].start if i + 1 < len(figs) and figs[i + 1].start < sent[1] else sent[1]
        right_end = _clause_end(ft, f.end, max(f.end, nxt))

        money = f.kind == "amount" and f.rate is None
        if (same and money and prev.kind == "amount" and prev.rate is None and prev.unit != f.unit
                and _EQUIV_RE.match(ft[prev.end:f.start])):
            f.relation, f.status, f.metric = prev.relation, prev.status, prev.metric
            f.from_, f.to, f.period, f.has_places = prev.from_, prev.to, prev.period, prev.has_places
            if f.unit == "USD":
                prev.usd = f.value
            elif prev.unit == "USD":
                f.usd = prev.value
            prev = f
            continue

        f.relation, f.value, f.value_max = _relation(ft, f, seg_start)

        status = _status(ft, seg_start, f.start)
        if status is None and same:
            status = prev.status
        if status is None:
            status = _status(ft, f.end, right_end, after=True)
        f.status = status or "actual"

        if f.metric is None:
            f.metric = _metric_near(ft, f, seg_start)
            f.own_metric = f.metric is not None
            if f.metric is None and same and prev.kind != "count" and prev.metric != "exchange_rate":
                f.metric = prev.metric
            if f.metric is None:
                f.metric = _metric_in(ft, sent[0], sent[1], f.start)
            if f.metric is None and si > 0:
                f.metric = _metric_in(ft, *sents[si - 1])

        if f.kind == "count":
            f.from_, f.to = _count_flow(ft, f, refs, right_end)
        elif f.rate is None:
            place_start = seg_start
            if same:
                cut = list(_CLAUSE_END_RE.finditer(ft, seg_start, f.start))
                place_start = cut[-1].end() if cut else seg_start
            scope = refs_in(place_start, f.start) + refs_in(f.end, right_end)
            flow = _flow(ft, f.metric, scope, top, sent) if scope else None
            if flow is None and same and not f.own_metric and prev.has_places:
                flow = (prev.from_, prev.to)
            if flow is None:
                wide = refs_in(*sent)
                direction = _DIRECTION.get(f.metric or "", "single")
                if not wide and si > 0 and direction in ("out", "in"):
                    wide = refs_in(*sents[si - 1])
                if wide or direction == "between":
                    flow = _flow(ft, f.metric, wide, top, sent)
            if flow is not None:
                f.from_, f.to = flow
                f.has_places = bool(f.from_ or f.to)

        f.period = _period(ft, f, seg_start, right_end, sent, tx)
        if f.period is None and same and not f.own_metric:
            f.period = prev.period
        if f.period is None and si > 0 and not any(sent[0] <= t.start < sent[1] for t in tx):
            ps = sents[si - 1]
            if "\n" not in text[ps[1]:sent[0]]:
                opener = next((t for t in tx if ps[0] <= t.start <= ps[0] + 3 and t.type != "DURATION"), None)
                if opener is not None:
                    f.period = opener.period
        prev = f

    out = []
    for f in figs:
        usd = f.usd
        if f.kind == "amount" and f.rate is None and usd is None:
            if f.unit == "USD":
                usd = f.value
            elif f.unit in per_usd:
                usd = f.value / per_usd[f.unit]
            else:
                r = _rate_table(f.unit, _years(f, published))
                usd = f.value / r if r else None
        if usd is not None:
            usd = float(round(usd, 2))
        sent = sents[f.sentence]
        out.append(Measurement(
            start=f.start, end=f.end, text=text[f.start:f.end], value=float(f.value), unit=f.unit,
            kind=f.kind, relation=f.relation, status=f.status, metric=f.metric, from_=f.from_, to=f.to,
            period=f.period, usd=usd, qualifier=f.qualifier,
            value_max=None if f.value_max is None else float(f.value_max), evidence=(sent[0], sent[1])))
    return out

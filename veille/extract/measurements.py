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
  comparison baseline ("par rapport à l'année précédente", "plus qu'en 2024",
  "contre 3 % en 2022" for the figure before "contre"), nor the date of a report
  ("publiés vendredi") or of a signature ("un accord signé en mars" for an
  amount); else one elsewhere in the sentence; else, when the previous sentence
  of the same paragraph opens on a time expression ("En mars, ... . Un train
  transportant 55 conteneurs ..."), or names the same metric with no figure of
  its own ("Le commerce ... a battu un record en 2023. ... les échanges ont
  totalisé ..."), that one; else the period of the last figure of the same
  status that is not a baseline (the time the article's figures speak of),
  unless the clause is background ("avait permis"); else None. "d'ici 2030" for
  a yearly flow is the year 2030.
- A figure after "contre", "par rapport à", "après" (or the first of "passé de X
  à Y") is a baseline: it takes the relation, metric and places of the figure it
  is compared with, and its own period and status (actual unless said).
- A figure restated by a demonstrative ("ce montant représente 21 490 milliards
  de roubles", "ces quelque 218 milliards de dollars") takes the frame of the
  figure it restates.
- Physical flows per year keep the plain unit of the format: "50 milliards de
  mètres cubes par an" -> 5e10 "m3".
- A bare number takes the unit of a figure of its sentence it is listed or
  compared with ("contre 11 en 2024", "devant Chery (105 600)", "160 appareils :
  150 de la famille A320", "une quinzaine d'autres"); a count may be of things
  known by a model name ("deux Tu-95MS").
- Sentences are taken as given, trimmed, cut at line breaks (a paragraph never
  continues a sentence) and at a full stop the parser missed ("... Su-35S. Selon
  ..."), and mended where a parser cut inside a compound or after a number
  ("machines-" / "-outils", "240,11" / "Mds $"); with no sentences, a crude
  splitter is used.
- Not figures: dates, years, times, ordinals, model and summit names (G20,
  COP28, A320, S-400), article numbers, ages and durations, and any bare number
  with no unit and no counted noun.
"""
from __future__ import annotations

import bisect
import math
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
# a name several states' currencies share ("dinars") reads as "~dinars" until its context decides
_SHARED_CUR = _V["shared_currency_names"]
for _name, _spec in _SHARED_CUR.items():
    for _n in _spec["names"]:
        _CUR_NAMES[fold(_n)] = f"~{_name}"
_CUR_AFTER_RE = re.compile(rf"{_SP}(?:(?:de|d')\s*)?(?P<u>{_alt(_CUR_NAMES)})")
_CUR_BEFORE_RE = re.compile(rf"(?<![\w$€£¥₽])(?P<u>{_alt(_CUR_PREFIX)}){_SP}$")
_PERCENT_RE = re.compile(rf"{_SP}(?:{_alt(_V['percent_signs'])})")
_MINOR = {fold(k): float(v) for k, v in _V["minor_units"].items()}
_MINOR_RE = re.compile(rf"{_SP}(?P<minor>{_alt(_MINOR)}){_SP}(?:de|d')\s*(?P<u>{_alt(_CUR_NAMES)})")
_CENTS_AFTER_RE = re.compile(   # the cents a minor-unit word names, or that a function word or a stop follows
    rf"(?<!\s)(?:\s++et)?+\s++(?P<c>\d{{1,2}})(?:{_SP}(?:{_alt(_MINOR)})(?!\w)"
    rf"|(?=\s*+[.,;:!?)]|\s*+$|\s++(?:entre|pour|par|le|la|les|l'|a|au|aux|de|du|des|et|ou|contre|en|dans|sur)(?!\w)))")
_PP_RE = re.compile(rf"{_SP}(?:{_alt(_V['percentage_points'])})")
_BP_RE = re.compile(rf"{_SP}(?:{_alt(_V['basis_points'])})")

_PHYS = {}
for _u in _V["physical_units"]:
    for _n in _u["names"]:
        _PHYS[fold(_n)] = (_u["unit"], float(_u.get("factor", 1)), _u.get("case"), _u.get("per"))
_PHYS_RE = re.compile(rf"(?:{_SP}|-)(?:(?:de|d')\s*)?(?P<u>{_alt(_PHYS)})")   # "2,5-km" too

_COUNT = _Lexicon((n, metric) for metric, names in _V["count_nouns"].items() for n in names)
_COUNT_RE = re.compile(
    rf"{_SP}(?:(?:de|d')\s*)?(?:(?:{_alt(_V['count_adjectives'])})\s+)?(?P<u>{_alt(_COUNT)})")

_MULT = {fold(k): float(v) for k, v in _V["multiplier_stems"].items()}
_MULT_RE = re.compile(
    rf"(?<!\w)(?P<stem>{'|'.join(map(re.escape, _MULT))})"
    rf"(?P<end>{'|'.join(sorted((fold(e) for e in _V['multiplier_endings']), key=len, reverse=True))})(?!\w)")
_MULT_BY_RE = re.compile(rf"(?:{_alt(_V['multiplied_by'])})\s*$")
_DIV_BY_RE = re.compile(rf"(?:{_alt(_V['divided_by'])})\s*$")
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
    rf"(?:(?P<agent>{_alt(_V['agent_before'])})|(?P<between>{_alt(_V['between_before'])})"
    rf"|(?P<dest>{_alt(_V['destination_before'])})"
    rf"|(?P<origin>{_alt(_V['origin_before'])})|(?P<et>(?<!\w)et|,))"
    rf"\s*(?:(?:{_ART})\s*)?(?:(?:{_HEADS})\s*(?:de|du|d')\s*(?:(?:{_ART})\s*)?)?$")
_BOTH_RE = phrases_regex(_V["both_parties"])
_TOTAL_RE = phrases_regex(_V["total_markers"])
_BACKGROUND_RE = phrases_regex(_V["background_markers"])
_COUNT_ORIGIN_VERB_RE = phrases_regex(_V["count_origin_verbs"])
_PERSON_TITLE_RE = re.compile(rf"(?:{_alt(_V['person_titles'])})\s*$")
_BASELINE_RE = re.compile(rf"(?:{_alt(_V['baseline_before'])})\s*$")
_REPORTING_RE = re.compile(rf"(?:{_alt(_V['reporting_before'])})\s*$")
_JAPAN_RE = phrases_regex(_V["japan_words"])
_CHINA_RE = phrases_regex(_V["china_words"])
_CLAUSE_END_RE = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s")
_EQUIV_RE = re.compile(r"^\s*+(?:[(\[]|,?\s*+soit|,?\s*+ou|,?\s*+c'est-a-dire)\s*+(?:environ|pres\s++de|quelque)?\s*+$")
_BORROW_GAP_RE = re.compile(r"(?<!\s)[^\S\n]*+,?[^\S\n]*+(?:contre|et|a|soit|puis|ou|dont)[^\S\n]+(?:\w+[^\S\n]+){0,2}?")
_SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+")

# figures found beyond units: fractions, counts known by a model name, bare numbers
# that take the unit of the figure they are listed or compared with
_FRACTION = {fold(k): float(v) for k, v in _V["fractions"].items()}
_FRACTION_RE = re.compile(
    rf"(?<!\w)(?P<num>{_alt(_V['fraction_numerators'])})\s+(?P<frac>{_alt(_FRACTION)})"
    rf"(?=\s*(?:{_alt(_V['fraction_after'])}))")
_NUMERATOR = {fold(k): float(v) for k, v in _V["fraction_numerators"].items()}
_FRACTION_CHANGE = {_key(fold(k)): float(v) for k, v in _V["fraction_changes"].items()}
_FRACTION_CHANGE_RE = re.compile(f"(?:{_alt(_FRACTION_CHANGE)})")
_POINTS_RE = re.compile(rf"{_SP}(?:{_alt(_V['points_after_change'])})")
_INDEX_RE = phrases_regex(_V["index_words"])
_MODEL_RE = re.compile(
    rf"(?<!\s)[^\S\n]++(?:(?:{'|'.join(re.escape(w) for w in _V['model_count_between'])})[^\S\n]+)?"
    r"(?P<code>[A-Z][A-Za-z]{0,5}-?\d{1,4}[A-Za-z0-9]*(?:-\d+)?)(?![\w-])")
_MODEL_METRICS = set(_V["model_count_metrics"])
_COUNT_NOUN_RE = re.compile(
    f"(?:{_alt([n for metric, names in _V['count_nouns'].items() if metric in _MODEL_METRICS for n in names])})")
_COUNT_WORD_RE = re.compile(f"(?:{_alt(_COUNT)})")
_BARE_FOLLOWER_RE = re.compile(
    rf"[^\S\n]*(?:$|[^\w\s]|(?:{_alt(_V['bare_number_followers'])})|[A-Z0-9])")
_OTHERS_RE = re.compile(rf"{_SP}(?:{_alt(_V['count_others'])})(?!\w)")
_MULTIPLY_VERB_RE = phrases_regex(_V["multiply_verb"])
_PAR_END_RE = re.compile(r"(?<!\w)par\s*$")
_COMPARE_RE = re.compile(rf"(?:{_alt(_V['comparison_before'])})\s*$")
_LIST_GAP_RE = re.compile(r"^\s*(?:,|et|ou|puis)?\s*$")
_DONT_RE = re.compile(r"^\s*,?\s*dont\s*$")
_OWN_VALUE_RE = re.compile(r"\s*(?:de|d')\s*(?:sa|son|ses|leur|leurs)(?!\w)")
_YEAR_RE = re.compile(r"(?<![\w,.\-/])(?:19[5-9]\d|20\d\d)(?![\w\-/]|[,.]\d)")

# cues of the frame added to those above
_AMOUNT_LEVEL_RE = re.compile(f"(?:{_alt(_RC['amount_level'])})")
_SUBJECT_CHANGE_RE = re.compile(
    rf"(?P<up>{_alt(_RC['change_subject_up'])})|(?P<down>{_alt(_RC['change_subject_down'])})")
_METRIC_NOUN_AFTER = _Lexicon((n, m) for m, names in _V["metric_nouns_after"].items() for n in names)
_METRIC_NOUN_AFTER_RE = re.compile(rf"{_SP}(?:de|d')\s*(?P<m>{_alt(_METRIC_NOUN_AFTER)})")
_UNIT_METRICS = _V["unit_metrics"]
_SHARE_METRICS = _V["share_metrics"]
_COUNT_VALUE = _V["count_value_metrics"]
_COUNT_VALUE_LINK_RE = phrases_regex(_V["count_value_link"])
_PHYSICAL_METRICS = _V["physical_metrics"]
_TRANSIT_RE = re.compile(rf"(?:{_alt(_V['transit_before'])})\s*(?:(?:{_alt(_V['place_articles'])})\s*)?$")
_BARE_QUE_RE = re.compile(r"(?<!\w)qu(?:e|')\s*$")
_COMPARATIVE_RE = phrases_regex(_V["baseline_comparatives"])
_RELATIVE_AFTER_RE = re.compile(rf"(?<!\s)\s*+,?\s*+(?:{_alt(_V['period_relative_after'])})")
_ACT_RE = re.compile(rf"(?:{_alt(_V['act_before'])})\s*$")
_HORIZON_RE = re.compile(rf"(?:{_alt(_V['horizon_words'])})")
_PER_YEAR_RE = phrases_regex(_V["per_year_words"])
_YEARLY_METRICS = frozenset(_V["yearly_metrics"])
_RESTATE_NEAR_RE = re.compile(rf"(?<!\w)(?:{_alt(_V['restating_determiners'])})\s*$")
_RESTATE_NOUN_RE = re.compile(
    rf"(?:{_alt(_V['restating_determiners'])})\s+(?:{_alt(_V['restating_nouns'])})")
_SPEECH_PLACE_RE = re.compile(
    rf"(?:{_alt(_V['speech_verbs'])})(?:\s+[\w'-]+){{0,2}}?\s+(?:a|au|aux|en|dans)\s*(?:(?:{_ART})\s*)?$")
_SOURCE_RE = phrases_regex(_V["source_before"])
_LINK_WORDS = {fold(w) for w in _V["ellipsis_link_words"]}
_AGENT_PARTICIPLE_RE = re.compile(rf"(?P<m>{_alt(_PARTICIPLE)})\s*$")
_PHRASE_END_RE = re.compile(r"[,;:()\[\].!?…]|\s[-\u2013\u2014]\s")
_ABBREVIATIONS = {fold(a) for a in _V["abbreviations"]}
_FULL_STOP_RE = re.compile(r"(?<![^\s.!?…])(?P<word>[^\s.!?…]+)[.!?…]+[\"”»)]*\s+(?=[«\"“]?\s*[A-ZÀ-Ý])")
_SOIT_RE = re.compile(r",\s*soit\s*(?:environ|pres\s+de|quelque|plus\s+de)?\s*$")
_DEMONYM_PREP_RE = re.compile(
    rf"(?:(?P<dest>{_alt(_V['destination_before'])})|(?P<between>{_alt(_V['between_before'])}))"
    rf"\s+(?:[\w'-]+\s+){{1,2}}$")
_LEAD_ARTICLE_RE = re.compile(r"^(?:(?:le|la|les|l['’])\s*)", re.I)
# the word before the conjunction starts a word and is read whole: no retry from inside a long run
_COORDINATED_RE = re.compile(r"(?<!\s)\s*+(?:(?:d[eu]s?\s+|de\s+la\s+|de\s+l')?(?<![\w'-])[\w'-]++\s*+)?(?:,|et|ou)\s*")


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
    per_year: bool = False       # a yearly flow: "50 milliards de mètres cubes par an"
    compared: bool = False       # a baseline of the figure before it: "contre 3 % en 2022"
    base_metric: str | None = None   # the metric before a kind-specific renaming
    own_places: bool = False     # the places come from the figure's own clause
    source: "_Fig | None" = None     # the figure a bare number took its unit from


def _shared_currency(d: "_Doc", f: _Fig) -> bool:
    """Decide a currency name several states share ("dinars", "francs CFA") by the states the
    figure's sentence names, else the article's main states, else its default; False when
    none decides and the word is not money here ("livres" are books)."""
    if not f.unit.startswith("~"):
        return True
    spec = _SHARED_CUR[f.unit[1:]]
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


def _currency(code: str, folded: str) -> str:
    if code != "¥":
        return code
    return "JPY" if _JAPAN_RE.search(folded) and not _CHINA_RE.search(folded) else "CNY"


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def _likely_year(n: Number) -> bool:
    return not n.words and n.scale is None and n.value.is_integer() and 1800 <= n.value <= 2100


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


def _fractions(ft: str) -> list[_Fig]:
    """ "plus d'un tiers des exportations" -> 33.333 %, a share."""
    out = []
    for m in _FRACTION_RE.finditer(ft):
        value = _NUMERATOR[m.group("num")] * _FRACTION[m.group("frac")]
        start, qual = m.start(), None
        q = qualifier_before(ft, start)
        if q and q[1]:
            start, qual = q
        out.append(_Fig(start, m.end(), round(value, 3), "%", "percent", qual, core_start=m.start(),
                        relation="share"))
    for m in _FRACTION_CHANGE_RE.finditer(ft):
        last = None
        for last in _REL_RE.finditer(ft, max(0, m.start() - 40), m.start()):
            pass
        if last is not None and last.lastgroup in ("up", "down"):
            out.append(_Fig(m.start(), m.end(), _FRACTION_CHANGE[_key(m.group())], "%", "percent",
                            core_start=m.end()))
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
    m = _POINTS_RE.match(ft, e)
    if m:
        clause = ft[max(0, ft.rfind(".", 0, n.start) + 1, n.start - 120):n.start]
        index = _INDEX_RE.search(clause) is not None or abs(n.value) > _V["index_points_above"]
        change = bool(n.sign or _DIRECT_RE.search(ft, max(0, n.start - 30), n.start) or any(
            c.lastgroup in ("up", "down") for c in _REL_RE.finditer(ft, max(0, n.start - 30), n.start)))
        if index:          # "le CAC 40 a gagné 85 points", "l'indice s'établit à 112,4 points"
            return _Fig(n.start, m.end(), n.value, "pts", "physical", n.qualifier, n.value_max, sign=n.sign,
                        core_start=n.num_start)
        if change:
            return _Fig(n.start, m.end(), n.value, "pp", "percent", n.qualifier, n.value_max, sign=n.sign,
                        core_start=n.num_start)
    m = _MINOR_RE.match(ft, e)
    if m and not n.scale and n.value_max is None:
        # "99 centimes d'euro": a hundredth of the currency named after it
        code = _currency(_CUR_NAMES[_key(m.group("u"))], ft)
        return _Fig(n.start, m.end(), n.value / _MINOR[_key(m.group("minor"))], code, "amount", n.qualifier,
                    None, sign=n.sign, core_start=n.num_start)
    m = _CUR_AFTER_RE.match(ft, e)
    if m and (n.scale or not re.match(r"\s*(?:de|d')", ft[e:m.start("u")])):
        code = _currency(_CUR_NAMES[_key(m.group("u"))], ft)
        value, end = n.value, m.end()
        cents = _CENTS_AFTER_RE.match(ft, end)
        if cents and not n.scale and n.value_max is None and n.value == int(n.value):
            # "15 dollars et 15 cents", "10 euros 50"
            value, end = n.value + (-1 if n.value < 0 else 1) * int(cents.group("c")) / 100, cents.end()
        return _Fig(n.start, end, value, code, "amount", n.qualifier, n.value_max, sign=n.sign,
                    core_start=n.num_start)
    m = _PHYS_RE.match(ft, e)
    if m:
        unit, factor, case, per = _PHYS[_key(m.group("u"))]
        if case is None or text[m.start("u"):m.end("u")] == case:
            vmax = n.value_max * factor if n.value_max is not None else None
            return _Fig(n.start, m.end(), n.value * factor, unit, "physical", n.qualifier, vmax,
                        sign=n.sign, core_start=n.num_start, per_year=per == "year")
    m = _TIMES_RE.match(ft, e)
    if m:
        return _Fig(n.start, m.end(), n.value, "x", "multiplier", n.qualifier, n.value_max,
                    core_start=n.num_start, relation="change")
    verb = _MULT_BY_RE.search(ft, max(0, n.start - 30), n.start)
    if verb:
        return _Fig(verb.start(), n.end, n.value, "x", "multiplier", n.qualifier, n.value_max,
                    core_start=n.num_start, relation="change")
    verb = _DIV_BY_RE.search(ft, max(0, n.start - 30), n.start)
    if verb and n.value > 0 and n.value_max is None:
        return _Fig(verb.start(), n.end, round(1 / n.value, 6), "x", "multiplier", n.qualifier,
                    core_start=n.num_start, relation="change")
    if _PAR_END_RE.search(ft, max(0, n.start - 8), n.start) and n.sign is None:
        # "multiplier les exportations par au moins 1,5": the verb, its object, then "par"
        window = ft[max(0, n.start - 90):n.start]
        verb = None
        for verb in _MULTIPLY_VERB_RE.finditer(window):
            pass
        if verb is not None and not _CLAUSE_END_RE.search(window, verb.end()):
            return _Fig(n.start, n.end, n.value, "x", "multiplier", n.qualifier, n.value_max,
                        core_start=n.num_start, relation="change")
    m = _COUNT_RE.match(ft, e)
    if m and n.value >= 0 and n.sign is None:
        return _Fig(n.start, m.end(), n.value, "count", "count", n.qualifier, n.value_max,
                    metric=_COUNT.find(m.group("u")), core_start=n.num_start, own_metric=True)
    m = _MODEL_RE.match(text, e)
    if m and n.value >= 0 and n.sign is None and not _likely_year(n) and n.value_max is None:
        return _Fig(n.start, m.end(), n.value, "count", "count", n.qualifier, core_start=n.num_start)
    return None


def _borrowed(n: Number, like: _Fig, value: float | None = None) -> _Fig:
    return _Fig(n.start, n.end, n.value if value is None else value, like.unit, like.kind, n.qualifier,
                n.value_max if value is None else None, sign=n.sign, core_start=n.num_start,
                metric=like.metric if like.kind == "count" else None, own_metric=like.kind == "count",
                per_year=like.per_year, source=like)


def _borrow_units(ft: str, numbers: list[Number], found: list[_Fig | None],
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
        if found[i] is None and nxt is not None and nxt.kind != "count" and re.fullmatch(
                r"\s*(?:a|et|ou|-|\u2013|contre)\s*", ft[numbers[i].end:numbers[i + 1].start]):
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
                _BORROW_GAP_RE.fullmatch(gap) or _COMPARE_RE.search(ft, max(0, n.start - 25), n.start)):
            found[i] = _borrowed(n, prev)
            continue
        if _likely_year(n) or n.value_max is not None or prev.kind in ("amount", "physical"):
            continue                     # "5 milliards de dollars, contre 4 l'an dernier": scale unknown
        others = prev.kind == "count" and _OTHERS_RE.match(ft, n.end) is not None
        if not others and not _BARE_FOLLOWER_RE.match(ft, n.end):
            continue                     # a noun of its own follows: "a duré 3 heures"
        listed = prev.kind == "count" and (gap.lstrip().startswith(":") and ";" not in gap
                                           or _LIST_GAP_RE.match(gap) and found[i - 1] is prev
                                           or _DONT_RE.match(gap) is not None)
        compared = _COMPARE_RE.search(ft, max(0, n.start - 25), n.start) is not None
        chained = found[i - 1] is prev and prev.source is not None and len(gap) <= 25 \
            and re.search(r"(?:,|\bet|\bou)\s*$", gap)
        bracketed = ft[max(0, n.start - 2):n.start].strip() == "(" and len(gap) <= 80
        if listed or compared or chained or bracketed or others:
            end = _OTHERS_RE.match(ft, n.end).end() if others else n.end
            f = _borrowed(n, prev)
            f.end = end
            found[i] = f


def _figures(text: str, ft: str, sentence_of, skip: list[tuple[int, int]]) -> tuple[list[_Fig], dict[str, float]]:
    rate_figs, per_usd, taken = _rates(ft)
    figs = list(rate_figs)
    for f in _multipliers(text, ft) + _fractions(ft):
        if not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    numbers = [n for n in find_numbers(text, ft)
               if not _overlaps(n.num_start, n.end, taken) and not _overlaps(n.num_start, n.end, skip)]
    found: list[_Fig | None] = [_unit_of(text, ft, n) for n in numbers]
    _borrow_units(ft, numbers, found, sentence_of)
    for f in found:
        if f is not None and not _overlaps(f.start, f.end, taken):
            figs.append(f)
            taken.append((f.start, f.end))
    figs.sort(key=lambda f: (f.start, f.end))
    return figs, per_usd


def _year_timexes(ft: str, figs: list[_Fig], timexes: list[Timex]) -> list[Timex]:
    """Bare years the time layer left out ("par rapport à 2022", "celui de 2022")."""
    spans = [(t.start, t.end) for t in timexes] + [(f.start, f.end) for f in figs]
    out = []
    for m in _YEAR_RE.finditer(ft):
        if not _overlaps(m.start(), m.end(), spans):
            y = m.group()
            out.append(Timex(m.start(), m.end(), y, "DATE", f"{y}-01-01", f"{y}-12-31", "year"))
    return out


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
    for a, b in spans:     # a parser's cut inside "machines-outils", "Chine-Europe" or "240,11 Mds $"
        if merged and "\n" not in text[merged[-1][1]:a] and text[merged[-1][1] - 1] not in ".!?…»\"”":
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if merged:
        return [piece for a, b in merged for piece in _split_missed(text, a, b)]
    out, pos = [], 0
    for m in _SENT_SPLIT_RE.finditer(text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out or [(0, len(text))]


def _split_missed(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence cut where the parser missed a full stop: "... des Su-35S. Selon Moscou, ..."
    (never after an abbreviation or an initial: "M. Poutine", "MM. Xi et Poutine")."""
    out = []
    for m in _FULL_STOP_RE.finditer(text, a, b):
        word = m.group("word").strip("-'(\"«")
        if not (fold(word) in _ABBREVIATIONS or len(word) == 1 and word.isalpha()):
            cut = m.end()
            end = m.start("word") + len(m.group().rstrip())
            if end > a:
                out.append((a, end))
                a = cut
    out.append((a, b))
    return out


def _sentence_of(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _clause_end(ft: str, start: int, limit: int) -> int:
    m = _CLAUSE_END_RE.search(ft, start, limit)
    return m.start() if m else limit


def _clause_start(ft: str, start: int, pos: int) -> int:
    """Where the clause holding `pos` begins, not before `start`; a figure in brackets
    belongs to the clause before the bracket ("celles de l'Arabie saoudite (1,59 ...)")."""
    cuts = list(_CLAUSE_END_RE.finditer(ft, start, pos))
    if cuts and ft[cuts[-1].start()] in "([" and (
            not ft[cuts[-1].end():pos].strip() or qualifier_before(ft, pos) is not None):
        cuts.pop()
    return cuts[-1].end() if cuts else start


def _negate(value: float, vmax: float | None) -> tuple[str, float, float | None]:
    return "change", -abs(value), -abs(vmax) if vmax is not None else None


def _relation(ft: str, f: _Fig, seg_start: int) -> tuple[str, float, float | None]:
    value, vmax = f.value, f.value_max
    if f.kind == "multiplier":
        return "change", value, vmax
    if f.rate is not None or f.kind == "count":
        return "level", value, vmax
    if f.kind == "percent" and f.relation == "share":
        return "share", value, vmax
    if f.sign:
        return "change", value, vmax
    if _AFTER_DOWN_RE.match(ft, f.end):
        return _negate(value, vmax)
    if _AFTER_UP_RE.match(ft, f.end):
        return "change", value, vmax
    direct = _DIRECT_RE.search(ft, max(seg_start, f.start - 30), f.start)
    if direct and f.kind == "percent" and _OWN_VALUE_RE.match(ft, f.end):
        # "le rouble a perdu 20 % de sa valeur" (not "il a gagné 52 % des voix")
        return _negate(value, vmax) if direct.lastgroup == "down" else ("change", value, vmax)
    left_start = max(seg_start, f.start - 120)
    last = None
    for m in _REL_RE.finditer(ft, left_start, f.start):
        last = m
    change_by = last is not None and last.lastgroup in ("up", "down") and len(ft[last.end():f.start]) <= 45 \
        and _DE_RE.search(ft[last.end():f.start] + ft[f.start:f.core_start]) is not None
    if f.kind == "percent" and _AFTER_SHARE_RE.match(ft, f.end) and not (
            change_by and f.start - last.end() <= 12):
        return "share", value, vmax              # not "une hausse de 6 % des ventes"
    if change_by:
        if f.kind == "amount" and _AMOUNT_LEVEL_RE.fullmatch(last.group()):
            return "level", value, vmax              # "une perte nette de 629 milliards"
        if last.lastgroup == "down":
            return _negate(value, vmax)
        return "change", value, vmax
    if direct and (f.kind in ("percent", "amount") or f.unit == "pts"):
        if f.kind == "amount" and _AMOUNT_LEVEL_RE.fullmatch(direct.group().strip()):
            return "level", value, vmax
        if direct.lastgroup == "down":
            return _negate(value, vmax)
        return "change", value, vmax
    if f.kind == "percent" and last is not None and last.lastgroup == "level":
        # "la progression atteint 26,3 %": a change noun whose size a level verb gives
        subject = None
        for subject in _SUBJECT_CHANGE_RE.finditer(ft, max(seg_start, last.start() - 40), last.start()):
            pass
        if subject is not None and not _SHARE_CUE_RE.search(ft, subject.end(), f.start):
            if subject.lastgroup == "down":
                return _negate(value, vmax)
            return "change", value, vmax
    if f.kind == "percent" and _SHARE_CUE_RE.search(ft, seg_start, f.start) and (
            last is None or last.lastgroup not in ("up", "down")):
        return "share", value, vmax
    return "level", value, vmax


def _status(ft: str, start: int, end: int) -> str | None:
    """The last status cue before the figure: "devraient augmenter de 40 %" -> forecast."""
    masked = _NOT_FORECAST_RE.sub(lambda m: " " * len(m.group()), ft[start:end])
    last = None
    for m in _STATUS_RE.finditer(masked):
        last = m
    return last.lastgroup if last else None


def _status_after(ft: str, start: int, clause_end: int, stop: int, later: list[int]) -> str | None:
    """A cue after the figure: a target on to the next figure that is not the same one
    restated ("55,2 milliards de dollars ..., soit 50 milliards d'euros, pour remplir
    l'objectif"), a forecast in its clause; never a cue that opens a later figure
    ("dépassent l'objectif de 200 milliards")."""
    masked = _NOT_FORECAST_RE.sub(lambda m: " " * len(m.group()), ft[start:stop])
    found = None
    for m in _STATUS_AFTER_RE.finditer(masked):
        a, b = start + m.start(), start + m.end()
        if m.lastgroup == "forecast" and a >= clause_end:
            continue
        if any(0 <= s - b <= 25 and not _CLAUSE_END_RE.search(ft, b, s) for s in later):
            continue
        if m.lastgroup == "target":
            return "target"
        found = found or m.lastgroup
    return found


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
    if last is not None:
        return _METRIC.find(last.group())
    m = _METRIC_NOUN_AFTER_RE.match(ft, f.end)
    return _METRIC_NOUN_AFTER.find(m.group("m")) if m else None


def _metric_in(ft: str, start: int, end: int, pos: int | None = None) -> str | None:
    found = list(_METRIC_RE.finditer(ft, start, end))
    if not found:
        return None
    if pos is None:
        return _METRIC.find(found[0].group())
    before = [m for m in found if m.end() <= pos]
    best = before[-1] if before else found[0]
    return _METRIC.find(best.group())


def _metrics_named(ft: str, start: int, end: int) -> set[str]:
    """Every metric a stretch of text names, by a metric word or a counted noun."""
    return {_METRIC.find(m.group()) for m in _METRIC_RE.finditer(ft, start, end)} | {
        _COUNT.find(m.group()) for m in _COUNT_WORD_RE.finditer(ft, start, end)}


def _main_metric(ft: str) -> str | None:
    """The metric the article speaks of most, for a figure that names none."""
    counts = Counter(_METRIC.find(m.group()) for m in _METRIC_RE.finditer(ft))
    counts.pop("exchange_rate", None)
    counts.pop(None, None)
    best = max(counts, key=counts.get) if counts else None
    return best if best is not None and counts[best] >= 2 else None


def _model_metric(ft: str, f: _Fig, sent: tuple[int, int], before: tuple[int, int] | None) -> str | None:
    """The counted noun a model name stands for: "Des bombardiers ... Deux Tu-95MS"."""
    found = list(_COUNT_NOUN_RE.finditer(ft, sent[0], f.start))
    if not found and before is not None:
        found = list(_COUNT_NOUN_RE.finditer(ft, *before))[:1]
    if not found:
        found = list(_COUNT_NOUN_RE.finditer(ft, f.end, sent[1]))[:1]
    return _COUNT.find(found[-1].group()) if found else None


def _roles(ft: str, refs: list[PlaceRef]) -> list[tuple[PlaceRef, str]]:
    """Each place with how the text introduces it: between, dest, origin, attr or transit."""
    out: list[tuple[PlaceRef, str]] = []
    for p in refs:
        source = _SOURCE_RE.search(ft, max(0, p.start - 70), p.start)
        if _TRANSIT_RE.search(ft, max(0, p.start - 25), p.start) or \
                _SPEECH_PLACE_RE.search(ft, max(0, p.start - 50), p.start) or \
                source is not None and not _PHRASE_END_RE.search(ft, source.end(), p.start):
            out.append((p, "aside"))     # "via la Mongolie", "avait déclaré lundi à Riyad", "selon ..."
            continue
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
        if role == "agent":
            # "importé par l'Italie" (the buyer), "livré par le Qatar" (the seller)
            done = _AGENT_PARTICIPLE_RE.search(ft, max(0, m.start() - 25), m.start())
            if done is not None:
                role = "dest" if _PARTICIPLE.find(done.group("m")) == "imports" else "origin"
        if p.kind == "demonym" and role == "attr":
            # "avec des partenaires chinois", "vers des clients européens"
            d = _DEMONYM_PREP_RE.search(ft, max(0, p.start - 40), p.start)
            if d and not _CLAUSE_END_RE.search(ft, d.start(), p.start):
                role = d.lastgroup
        out.append((p, role))
    return [(p, r) for p, r in out if r != "aside"]


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
            if len(top) == 2 and uniq[0] in top and (
                    _BOTH_RE.search(ft, *sentence) or not _TOTAL_RE.search(ft, *sentence)):
                a, b = sorted(top)       # "le commerce ... indien": with the article's other state
                return a, b
            return uniq[0], None
        if len(top) == 2:
            a, b = sorted(top)
            return a, b
        return None
    if not roles:
        return None
    agents = [p.code for p, r in roles if r == "agent"]
    origins = agents + [p.code for p, r in roles if r in ("origin", "attr")]
    dests = [p.code for p, r in roles if r == "dest"]
    if direction == "in":
        # "importé par l'Europe", "les importations turques de gaz russe"
        attrs = agents + [p.code for p, r in roles if r == "attr"]
        to = attrs[0] if attrs else (dests[0] if dests else None)
        # "les achats chinois à la Russie": the seller may come after any preposition
        frm = next((p.code for p, r in roles if r in ("origin", "attr") and p.code != to), None) \
            or next((p.code for p, r in roles if r == "dest" and p.code != to), None)
        return frm, to
    if direction == "out":
        frm = origins[0] if origins else None
        to = next((c for c in dests if c != frm), None)
        return frm, to
    return roles[0][0].code, None


def _count_flow(ft: str, f: _Fig, refs: list[PlaceRef], clause_start: int,
                right_end: int) -> tuple[str | None, str | None]:
    frm = to = None
    for p, role in _roles(ft, [p for p in refs if f.end <= p.start < right_end]):
        if frm is None and to is None and p.kind == "demonym" and p.start - f.end <= 35:
            frm = p.code
        elif frm is None and to is None and role == "origin" and p.start - f.end <= 25:
            frm = p.code
        elif to is None and role == "dest" and p.code != frm:
            to = p.code
    if frm is None:
        # "Les constructeurs chinois ont vendu ... 553 000 voitures": the subject's demonym
        before = [p for p in refs if clause_start <= p.start < f.start and p.kind == "demonym"
                  and p.code != to]
        if before and (_COUNT_ORIGIN_VERB_RE.search(ft, before[-1].end, f.start) or not _PERSON_TITLE_RE.search(
                ft, max(0, before[-1].start - 25), before[-1].start)):
            frm = before[-1].code
    return frm, to


def _baseline(ft: str, t: Timex) -> bool:
    """A comparison baseline: "par rapport à 2022", "contre 3 % en 2022", "plus qu'en 2024"."""
    lo = max(0, t.start - 40)
    if _BASELINE_RE.search(ft, lo, t.start) is None:
        return False
    que = _BARE_QUE_RE.search(ft, lo, t.start)
    if que is None:
        return True
    window = ft[max(0, que.start() - 60):que.start()]
    cut = _CLAUSE_END_RE.search(window[::-1])
    return _COMPARATIVE_RE.search(window[len(window) - cut.start():] if cut else window) is not None


def _period(ft: str, f: _Fig, seg_start: int, right_end: int, sent: tuple[int, int],
            timexes: list[Timex], next_fig: _Fig | None) -> tuple[Timex | None, bool]:
    """The time expression governing the figure, and whether it was marked as a baseline
    (a figure in "par rapport à 2022, année où il s'était établi à ..." is itself a baseline)."""
    cands, marked = [], set()
    for t in timexes:
        if not (sent[0] <= t.start < sent[1]) or t.type == "DURATION" or t.period is None:
            continue
        if f.start <= t.start < f.end:
            continue
        if _baseline(ft, t):
            if not (t.end <= f.start and _RELATIVE_AFTER_RE.match(ft, t.end)):
                continue
            marked.add(id(t))
        if _REPORTING_RE.search(ft, max(0, t.start - 30), t.start):
            continue
        if f.kind != "count" and _ACT_RE.search(ft, max(0, t.start - 20), t.start):
            continue
        if next_fig is not None and next_fig.compared and t.start >= next_fig.start:
            continue                     # "4 %, contre 3 % en 2022": 2022 is the other figure's
        cands.append(t)
    if not cands:
        return None, False
    clause_start = _clause_start(ft, seg_start, f.start)

    def dist(t: Timex) -> int:
        return f.start - t.end if t.end <= f.start else t.start - f.end
    for pool in ([t for t in cands if clause_start <= t.start < f.start or f.end <= t.start < right_end],
                 [t for t in cands if seg_start <= t.start < f.start or f.end <= t.start < right_end],
                 [t for t in cands if t.end <= f.start], cands):
        if pool:
            best = min(pool, key=dist)
            return best, id(best) in marked
    return None, False


def _horizon_year(ft: str, t: Timex, f: _Fig, sent: tuple[int, int]) -> Period | None:
    """ "55,2 milliards de dollars ... par an d'ici 2030": the yearly figure of 2030; so is a
    target of a yearly flow ("porter les échanges à 50 milliards d'ici 2030": the trade of
    2030), not a cumulative amount ("investir 20 milliards d'ici 2030" keeps its span)."""
    if t.period is None or not t.period.end or not t.period.begin or t.period.begin[:4] == t.period.end[:4]:
        return None
    if not _HORIZON_RE.match(ft, t.start) and not re.search(
            rf"(?:{_HORIZON_RE.pattern})\s*$", ft[max(0, t.start - 20):t.start]):
        return None
    yearly = f.status in ("target", "forecast") and f.metric in _YEARLY_METRICS and f.relation == "level"
    if not yearly and not f.per_year and "/" not in f.unit \
            and not _PER_YEAR_RE.search(ft, min(f.end, t.start), max(f.end, t.start)):
        return None
    y = t.period.end[:4]
    return Period(f"{y}-01-01", f"{y}-12-31")


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


def _referent(ft: str, f: _Fig, figs: list[_Fig], i: int, clause_start: int) -> _Fig | None:
    """The figure a demonstrative restates: "Ces quelque 218 milliards de dollars" (the
    same value given before), "ce montant représente 21 490 milliards de roubles" (the
    last level before, in any unit)."""
    if _RESTATE_NEAR_RE.search(ft, max(0, f.start - 8), f.start):
        for g in reversed(figs[:i]):
            if g.unit == f.unit and g.rate is None and abs(g.value - f.value) <= 0.02 * max(abs(f.value), 1e-9):
                return g
        return None
    if f.kind in ("amount", "physical") and _RESTATE_NOUN_RE.search(ft, clause_start, f.start):
        for g in reversed(figs[:i]):
            if g.kind == f.kind and g.rate is None and g.relation == "level" and not g.compared:
                return g
    return None


def _fill_flow(f: _Fig, figs: list[_Fig], i: int, top: list[str]) -> None:
    """The side of a flow the sentence leaves out, from the flow of the sentence before
    or of its own ("les livraisons russes ont atteint 2,29 millions de barils par jour"
    after the Chinese imports of Russian crude); a flow with no place at all continues
    the same flow just before it; a flow out whose destination is one of the article's
    two main states and whose origin is unsaid comes from the other one."""
    direction = _DIRECTION.get(f.metric or "")
    if f.from_ is None and f.to is None and direction not in ("none", "between"):
        # "Le Nigeria a produit 1,3 million de barils par jour. Le pays vise 2 millions ..."
        g = next((g for g in reversed(figs[:i]) if f.sentence - g.sentence <= 1 and g.metric == f.metric), None)
        if g is not None and g.sentence >= f.sentence - 1:
            f.from_, f.to = g.from_, g.to
        return
    if direction not in ("out", "in") or (f.from_ and f.to):
        return
    for g in reversed(figs[:i]):
        if f.sentence - g.sentence > 1:
            break
        if _DIRECTION.get(g.metric or "") not in ("out", "in") or not (g.from_ or g.to):
            continue
        if f.from_ and g.to and g.from_ and g.to != f.from_:
            f.to = g.to
        elif f.to and g.from_ and g.to and g.from_ != f.to:
            f.from_ = g.from_
        break
    if f.to and f.from_ is None and direction == "out" and len(top) == 2 and f.to in top:
        f.from_ = top[1] if top[0] == f.to else top[0]


def _sides(flow: tuple[str | None, str | None] | None) -> int:
    return sum(1 for c in flow or () if c)


def _equivalent(ft: str, a: _Fig, b: _Fig) -> bool:
    """ "42,64 milliards de yuans (5,83 milliards de dollars)", "55,2 milliards de dollars
    ... par an d'ici 2030, soit environ 50 milliards d'euros": one amount in two currencies."""
    if not (a.kind == b.kind == "amount" and a.rate is None and b.rate is None and a.unit != b.unit):
        return False
    gap = ft[a.end:b.start]
    return bool(_EQUIV_RE.match(gap) or (_SOIT_RE.search(gap) and len(gap) <= 90 and not re.search(r"[;.]", gap)))


def _elliptic(ft: str, a: _Fig, b: _Fig) -> bool:
    """ "Les exportations ont progressé de 5 %, les importations de 3 %": the second figure's
    clause leaves its verb out (a comma or "et", then a few words and no cue of its own)."""
    gap = ft[a.end:b.start]
    m = re.search(r"(?:,|\bet\b)([^,;:.()]*)$", gap)
    if m is None or len(m.group(1).split()) > 5 or len(gap) > 60:
        return False
    rest = m.group(1)
    words = [w for w in re.findall(r"[\w']+", rest) if w not in _LINK_WORDS]
    return bool(words) and not _REL_RE.search(rest) and not _STATUS_RE.search(rest)


def _restates(ft: str, a: _Fig, b: _Fig) -> bool:
    """ "5 millions de tonnes d'acier, soit 4 milliards de dollars": the same thing again."""
    gap = ft[a.end:b.start]
    return _equivalent(ft, a, b) or bool(_SOIT_RE.search(gap)) and len(gap) <= 90 and not re.search(r"[;.]", gap)


@dataclass
class _Doc:
    """What every figure of one article is framed against."""

    text: str
    ft: str
    sents: list[tuple[int, int]]
    paragraph: list[int]
    refs: list[PlaceRef]
    ref_starts: list[int]
    top: list[str]
    tx: list[Timex]
    figs: list[_Fig]
    main_metric: list[str | None]          # the text's main metric, computed when first needed

    def refs_in(self, a: int, b: int) -> list[PlaceRef]:
        return self.refs[bisect.bisect_left(self.ref_starts, a):bisect.bisect_left(self.ref_starts, b)]

    def timex_in(self, k: int) -> list[Timex]:
        return [t for t in self.tx if self.sents[k][0] <= t.start < self.sents[k][1]]

    def same_paragraph(self, k: int) -> bool:
        """Whether sentence k continues the paragraph of sentence k - 1."""
        return k > 0 and self.paragraph[k - 1] == self.paragraph[k]


@dataclass
class _Slot:
    """Where one figure stands: its sentence, the figures around it, its clause."""

    i: int
    si: int
    sent: tuple[int, int]
    prev: _Fig | None            # the figure before, in the same sentence
    seg_start: int               # after the figure before in the sentence, else the sentence start
    clause_start: int
    right_end: int               # the end of the clause after the figure
    nxt: _Fig | None             # the next figure of the sentence
    later: list[_Fig]            # the figures after it in the sentence
    stop: int                    # the next figure that is not the same one restated
    ref: _Fig | None = None      # the figure a demonstrative restates
    kin: _Fig | None = None      # the figure it is compared with or took its unit from


def _mark_comparisons(ft: str, figs: list[_Fig]) -> None:
    """Flag baselines: "contre 11 en 2024 et sept en 2023", the first of "passée de 17 % à 49 %"."""
    for prev, f in zip(figs, figs[1:]):
        if prev.sentence != f.sentence or prev.rate is not None:
            continue
        gap = ft[prev.end:f.start]
        if re.fullmatch(r"\s*a\s*", gap) and re.search(r"pass\w*\s+(?:de|d')\s*$",
                                                      ft[max(0, prev.start - 25):prev.start]):
            prev.compared = True
        elif _COMPARE_RE.search(ft, max(prev.end, f.start - 25), f.start) or (
                prev.compared and len(gap) <= 25 and re.search(r"(?:,|\bet|\bou)\s*$", gap)):
            f.compared = True


def _frame_status(d: _Doc, s: _Slot, f: _Fig) -> str:
    ft = d.ft
    cue = _COMPARE_RE.search(ft, max(s.seg_start, f.start - 25), f.start) if f.compared else None
    status = _status(ft, cue.start() if cue else s.seg_start, f.start)
    own = _STATUS_RE.fullmatch(ft, f.start, f.end) if f.kind == "multiplier" else None
    if own is not None and own.lastgroup == "forecast":
        status = "forecast"                      # "ce qui doublera la capacité"
    after = _status_after(ft, f.end, s.right_end, s.stop, [g.start for g in s.later])
    if status is None and s.ref is not None:
        status = s.ref.status
    elif status in (None, "forecast") and after == "target":
        status = "target"
    elif status is None and not f.compared:
        status = after or (s.prev.status if s.prev is not None and not s.prev.compared else None)
    return status or "actual"


def _frame_metric(d: _Doc, s: _Slot, f: _Fig) -> None:
    """The metric: the figure's own words (its counted noun, unit, the words next to it or
    before it in its segment), the figure it is compared with or restates, its sentence,
    the sentence before in the paragraph, else what the article's figures measure most."""
    ft, prev = d.ft, s.prev
    if f.metric is None and f.kind == "count" and not f.own_metric:
        f.metric = _model_metric(ft, f, s.sent, d.sents[s.si - 1] if s.si > 0 else None)
        f.own_metric = f.metric is not None
    if f.metric is None:
        f.metric = _UNIT_METRICS.get(f.unit) or _metric_near(ft, f, s.seg_start)
        f.own_metric = f.metric is not None
        if f.metric is None and s.kin is not None and s.kin.metric != "exchange_rate":
            f.metric = s.kin.base_metric or s.kin.metric
        if f.metric is None and s.ref is not None:
            f.metric = s.ref.base_metric or s.ref.metric
        if f.metric is None and prev is not None and prev.kind == "count" and f.kind == "amount" \
                and prev.metric in _COUNT_VALUE and _COUNT_VALUE_LINK_RE.search(ft, prev.end, f.start):
            f.metric = _COUNT_VALUE[prev.metric]     # "313 accords ..., pour 5 569 milliards de roubles"
        if f.metric is None and prev is not None and prev.metric != "exchange_rate" and (
                prev.kind != "count" or f.relation == "change") and (
                prev.unit == f.unit or prev.metric != _UNIT_METRICS.get(prev.unit)):
            f.metric = prev.base_metric or prev.metric  # "860 700 voitures ..., une hausse de 40,4 %"
        if f.metric is None:
            f.metric = _metric_in(ft, s.sent[0], s.sent[1], f.start)
        if f.metric is None and d.same_paragraph(s.si):
            f.metric = _metric_in(ft, *d.sents[s.si - 1])
        if f.metric is None and f.kind != "count" and f.rate is None:
            named = Counter(g.base_metric for g in d.figs[:s.i] if g.own_metric and g.kind != "count"
                            and g.rate is None and g.base_metric and g.base_metric != _UNIT_METRICS.get(g.unit))
            if named:
                f.metric = max(named, key=named.get)
            else:
                if not d.main_metric:
                    d.main_metric.append(_main_metric(ft))
                f.metric = d.main_metric[0]
    f.base_metric = f.metric
    if f.kind == "physical":
        f.metric = _PHYSICAL_METRICS.get(f.metric, f.metric)
    elif f.relation == "share":
        f.metric = _SHARE_METRICS.get(f.metric, f.metric)


def _frame_places(d: _Doc, s: _Slot, f: _Fig) -> None:
    """From and to: the figure's clause first, then its segment of the sentence, the
    figure before, the whole sentence (the one before for a flow); then the sides a
    flow leaves out (see `_fill_flow`)."""
    ft, prev, ref, kin = d.ft, s.prev, s.ref, s.kin
    direction = _DIRECTION.get(f.metric or "")
    if ref is not None and (direction == "between" or not d.refs_in(s.clause_start, s.right_end)):
        f.from_, f.to = ref.from_, ref.to
    elif kin is not None and kin.has_places:
        f.from_, f.to = kin.from_, kin.to        # a baseline or "d'autres": the same parties
    elif f.kind == "count":
        f.from_, f.to = _count_flow(ft, f, d.refs, s.clause_start, s.right_end)
    elif f.rate is None:
        place_start = s.seg_start
        if prev is not None:
            cut = list(_CLAUSE_END_RE.finditer(ft, s.seg_start, f.start))
            place_start = min(cut[-1].end(), s.clause_start) if cut else s.seg_start
        flow = None
        narrow = d.refs_in(s.clause_start, f.start) + d.refs_in(f.end, s.right_end)
        if narrow:
            flow = _flow(ft, f.metric, narrow, d.top, s.sent)
            if not _sides(flow):
                flow = None
            f.own_places = flow is not None
        scope = d.refs_in(place_start, f.start) + d.refs_in(f.end, s.right_end)
        if scope and (flow is None or direction == "between" and _sides(flow) < 2):
            wider = _flow(ft, f.metric, scope, d.top, s.sent)
            if _sides(wider) > _sides(flow):
                flow = wider
        if flow is None and prev is not None and not f.own_metric and prev.has_places:
            flow = (prev.from_, prev.to)
        if flow is None:
            wide = d.refs_in(*s.sent)
            if not wide and s.si > 0 and direction in ("out", "in"):
                wide = d.refs_in(*d.sents[s.si - 1])
            if wide or direction == "between":
                flow = _flow(ft, f.metric, wide, d.top, s.sent)
        if flow is not None:
            f.from_, f.to = flow
        if f.from_ is None and f.to is not None and direction == "out" and d.same_paragraph(s.si):
            # "la Russie mise sur le premier gazoduc. Celui-ci a livré 23 milliards de m3 à la Chine"
            f.from_ = next((p.code for p, r in _roles(ft, d.refs_in(*d.sents[s.si - 1]))
                            if r in ("origin", "attr") and p.code != f.to), None)
        if ref is not None:    # "Ces 12 millions de tonnes venaient de Russie": what the clause adds
            f.from_, f.to = f.from_ or ref.from_, f.to or ref.to
        _fill_flow(f, d.figs, s.i, d.top)
    f.has_places = bool(f.from_ or f.to)


def _frame_period(d: _Doc, s: _Slot, f: _Fig) -> None:
    """The period, in the order of the module's conventions."""
    ft, prev, si = d.ft, s.prev, s.si
    t, marked = _period(ft, f, s.seg_start, s.right_end, s.sent, d.tx, s.nxt)
    f.period = t.period if t is not None else None
    if t is not None:
        f.period = _horizon_year(ft, t, f, s.sent) or f.period
        f.compared = f.compared or marked
    if s.ref is not None and s.ref.period is not None:
        f.period = s.ref.period
    if f.period is None and s.kin is not None and not f.compared and s.kin.period is not None:
        f.period = s.kin.period
    if f.period is None and prev is not None and not f.compared and (not f.own_metric or f.metric == prev.metric):
        f.period = prev.period
    if f.period is None and si > 0 and not d.timex_in(si):
        ps = d.sents[si - 1]
        if "\n" not in d.text[ps[1]:s.sent[0]]:
            opener = next((t for t in d.tx if ps[0] <= t.start <= ps[0] + 3 and t.type != "DURATION"), None)
            if opener is not None:
                f.period = opener.period
    if f.period is None and si > 0 and f.metric is not None and not any(g.sentence == si - 1 for g in d.figs) \
            and f.base_metric in _metrics_named(ft, *d.sents[si - 1]):
        # "Le commerce ... a battu un record en 2023. [...] les échanges ont totalisé 240 milliards"
        gov = [t for t in d.timex_in(si - 1) if t.type != "DURATION" and t.period is not None
               and not _baseline(ft, t) and not _REPORTING_RE.search(ft, max(0, t.start - 30), t.start)]
        if gov:
            f.period = gov[0].period
    if f.period is None and not f.compared and not _BACKGROUND_RE.search(ft, s.clause_start, s.right_end):
        # the time the article's figures have been speaking of
        g = next((g for g in reversed(d.figs[:s.i]) if g.period is not None and not g.compared
                  and g.rate is None and g.status == f.status), None)
        if g is not None:
            f.period = g.period


def _share_coordinated(ft: str, figs: list[_Fig]) -> None:
    """ "70 % des machines-outils et 90 % de la microélectronique importées par la Russie":
    a figure coordinated with the next one shares what only the next one says."""
    for f, g in zip(figs, figs[1:]):
        if f.sentence == g.sentence and f.unit == g.unit and f.rate is None and g.rate is None \
                and _COORDINATED_RE.fullmatch(ft, f.end, g.start):
            if g.own_places and not f.own_places and (f.from_, f.to) != (g.from_, g.to):
                f.from_, f.to, f.has_places = g.from_, g.to, True
            if not f.own_metric and g.own_metric:
                f.metric = g.metric


def _usd(f: _Fig, per_usd: dict[str, float], published: str | None) -> float | None:
    usd = f.usd
    if f.kind == "amount" and f.rate is None and usd is None:
        if f.unit == "USD":
            usd = f.value
        elif f.unit in per_usd:
            usd = f.value / per_usd[f.unit]
        else:
            r = _rate_table(f.unit, _years(f, published))
            usd = f.value / r if r else None
    return None if usd is None else float(round(usd, 2))


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
    sents = _sentences(text, sentences)
    starts = [s for s, _ in sents]
    tx = sorted(timexes, key=lambda t: t.start)
    figs, per_usd = _figures(text, ft, lambda pos: _sentence_of(starts, pos), [(t.start, t.end) for t in tx])
    if not figs:
        return []
    paragraph = [0]
    for k in range(1, len(sents)):
        paragraph.append(paragraph[-1] + ("\n" in text[sents[k - 1][1]:sents[k][0]]))
    # a place the entity layer found in lower case ("le cap des 200 milliards") is no name
    refs = sorted((p for p in places if p.kind == "demonym" or any(
        w[:1].isupper() for w in _LEAD_ARTICLE_RE.sub("", text[p.start:p.end]).split())),
        key=lambda p: p.start)
    d = _Doc(text, ft, sents, paragraph, refs, [p.start for p in refs], _top_states(refs),
             sorted(tx + _year_timexes(ft, figs, tx), key=lambda t: t.start), figs, [])
    for f in figs:
        f.sentence = _sentence_of(starts, f.start)
    figs[:] = [f for f in figs if _shared_currency(d, f)]
    if not figs:
        return []
    _mark_comparisons(ft, figs)

    prev: _Fig | None = None
    for i, f in enumerate(figs):
        si = f.sentence
        sent = sents[si]
        same = prev if prev is not None and prev.sentence == si else None
        seg_start = min(same.end if same else sent[0], f.start)
        later = [g for g in figs[i + 1:] if g.start < sent[1]]
        nxt = later[0] if later else None
        s = _Slot(i, si, sent, same, seg_start, _clause_start(ft, seg_start, f.start),
                  _clause_end(ft, f.end, max(f.end, nxt.start if nxt else sent[1])), nxt, later,
                  next((g.start for g in later if not _restates(ft, f, g)), sent[1]))
        if same is not None and _equivalent(ft, same, f):
            # "42,64 milliards de yuans (5,83 milliards de dollars)": one amount, one frame
            f.relation, f.status, f.metric = same.relation, same.status, same.metric
            f.from_, f.to, f.period, f.has_places = same.from_, same.to, same.period, same.has_places
            f.compared, f.base_metric = same.compared, same.base_metric
            if f.unit == "USD":
                same.usd = f.value
            elif same.unit == "USD":
                f.usd = same.value
            prev = f
            continue
        s.ref = None if f.kind == "count" else _referent(ft, f, figs, i, s.clause_start)
        if f.source is not None and f.source.kind == "count":
            s.kin = f.source
        elif same is not None and same.rate is None and (f.compared or same.compared) and \
                (same.kind == f.kind or same.unit == f.unit):
            s.kin = same

        f.relation, f.value, f.value_max = _relation(ft, f, seg_start)
        like = s.kin
        if like is None and same is not None and _elliptic(ft, same, f):
            like = same                  # "37 % du total, la Chine 12 %", "les importations de 3 %"
        if like is not None and f.relation == "level" and like.relation != "level" and f.kind == like.kind:
            f.relation = like.relation
            if like.relation == "change" and like.value < 0 < f.value:
                f.value = -f.value
        f.status = _frame_status(d, s, f)
        _frame_metric(d, s, f)
        _frame_places(d, s, f)
        _frame_period(d, s, f)
        prev = f
    _share_coordinated(ft, figs)

    out = []
    for f in figs:
        value, usd = float(f.value), _usd(f, per_usd, published)
        if not math.isfinite(value):
            continue         # beyond a float: no figure, and no Infinity in the JSON
        out.append(Measurement(
            start=f.start, end=f.end, text=text[f.start:f.end], value=value, unit=f.unit,
            kind=f.kind, relation=f.relation, status=f.status, metric=f.metric, from_=f.from_, to=f.to,
            period=f.period, usd=usd if usd is None or math.isfinite(usd) else None, qualifier=f.qualifier,
            value_max=None if f.value_max is None or not math.isfinite(float(f.value_max)) else float(f.value_max),
            evidence=(sents[f.sentence][0], sents[f.sentence][1])))
    return out

"""The figure layer's vocabulary, from `resources/fr/figures.yaml` and `resources/rates.yaml`:
currencies, units, multipliers, cue words, and the patterns built from them once, at import."""

from __future__ import annotations

import re

from veille.extract.numbers import phrase_alternation, phrases_regex
from veille.resources import load
from veille.text import fold


VOCAB = load("fr/figures.yaml")
RATES = load("rates.yaml") or {}


def _alt(phrases) -> str:
    return phrase_alternation(phrases)


def lexicon_key(s: str) -> str:
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
        key = lexicon_key(text)
        if key in self:
            return self[key]
        return next((v for rx, v in self._wild if rx.fullmatch(key)), None)


# --- units --------------------------------------------------------------------

_SP = r"[^\S\n]{0,3}"
CUR_NAMES = {fold(n): code for code, c in VOCAB["currencies"].items() for n in c["names"]}
CUR_PREFIX = {fold(n): code for code, c in VOCAB["currencies"].items() for n in c.get("prefix", [])}
CUR_PREFIX[fold(VOCAB["yen_sign"])] = "¥"
CUR_NAMES[fold(VOCAB["yen_sign"])] = "¥"
# a name several states' currencies share ("dinars") reads as "~dinars" until its context decides
SHARED_CUR = VOCAB["shared_currency_names"]
for _name, _spec in SHARED_CUR.items():
    for _n in _spec["names"]:
        CUR_NAMES[fold(_n)] = f"~{_name}"
CUR_AFTER_RE = re.compile(rf"{_SP}(?:(?:de|d')\s*)?(?P<u>{_alt(CUR_NAMES)})")
CUR_BEFORE_RE = re.compile(rf"(?<![\w$€£¥₽])(?P<u>{_alt(CUR_PREFIX)}){_SP}$")
PERCENT_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['percent_signs'])})")
MINOR = {fold(k): float(v) for k, v in VOCAB["minor_units"].items()}
MINOR_RE = re.compile(rf"{_SP}(?P<minor>{_alt(MINOR)}){_SP}(?:de|d')\s*(?P<u>{_alt(CUR_NAMES)})")
CENTS_AFTER_RE = re.compile(   # the cents a minor-unit word names, or that a function word or a stop follows
    rf"(?<!\s)(?:\s++et)?+\s++(?P<c>\d{{1,2}})(?:{_SP}(?:{_alt(MINOR)})(?!\w)"
    rf"|(?=\s*+[.,;:!?)]|\s*+$|\s++(?:entre|pour|par|le|la|les|l'|a|au|aux|de|du|des|et|ou|contre|en|dans|sur)(?!\w)))")
PP_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['percentage_points'])})")
BP_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['basis_points'])})")

PHYS = {}
for _u in VOCAB["physical_units"]:
    for _n in _u["names"]:
        PHYS[fold(_n)] = (_u["unit"], float(_u.get("factor", 1)), _u.get("case"), _u.get("per"))
PHYS_RE = re.compile(rf"(?:{_SP}|-)(?:(?:de|d')\s*)?(?P<u>{_alt(PHYS)})")   # "2,5-km" too

COUNT = _Lexicon((n, metric) for metric, names in VOCAB["count_nouns"].items() for n in names)
COUNT_RE = re.compile(
    rf"{_SP}(?:(?:de|d')\s*)?(?:(?:{_alt(VOCAB['count_adjectives'])})\s+)?(?P<u>{_alt(COUNT)})")

MULT = {fold(k): float(v) for k, v in VOCAB["multiplier_stems"].items()}
MULT_RE = re.compile(
    rf"(?<!\w)(?P<stem>{'|'.join(map(re.escape, MULT))})"
    rf"(?P<end>{'|'.join(sorted((fold(e) for e in VOCAB['multiplier_endings']), key=len, reverse=True))})(?!\w)")
MULT_BY_RE = re.compile(rf"(?:{_alt(VOCAB['multiplied_by'])})\s*$")
DIV_BY_RE = re.compile(rf"(?:{_alt(VOCAB['divided_by'])})\s*$")
TIMES_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['times_more'])})")

_CUR_ANY = _alt(list(CUR_NAMES) + list(CUR_PREFIX))
_RATE_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
RATE_RES = [
    re.compile(rf"(?<![\w,.])(?:1|un|une)\s*(?P<base>{_CUR_ANY})\s*(?:=|vaut|valait|pour|contre|s'echange\s+contre)"
               rf"\s*(?P<rate>{_RATE_NUM})\s*(?P<quote>{_CUR_ANY})"),
    re.compile(rf"(?<![\w,.])(?P<rate>{_RATE_NUM})\s*(?P<quote>{_CUR_ANY})\s*(?:{_alt(VOCAB['rate_per'])})\s*"
               rf"(?:(?<!\w)(?:1|un|une)\s*)?(?P<base>{_CUR_ANY})"),
]

# --- cues -----------------------------------------------------------------------

_RC = VOCAB["relation_cues"]
REL_RE = re.compile(
    rf"(?P<up>{_alt(_RC['change_up'])})|(?P<down>{_alt(_RC['change_down'])})"
    rf"|(?P<level>{_alt(_RC['level'])})|(?P<share>{_alt(_RC['share'])})")
SHARE_CUE_RE = phrases_regex(_RC["share"])
DIRECT_RE = re.compile(rf"(?:(?P<up>{_alt(_RC['direct_up'])})|(?P<down>{_alt(_RC['direct_down'])}))\s*$")
AFTER_UP_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['change_after_up'])})")
AFTER_DOWN_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['change_after_down'])})")
AFTER_SHARE_RE = re.compile(
    rf"{_SP}(?:{_alt(VOCAB['share_after'])})\s*(?!(?:{_alt(VOCAB['share_after_not'])}))\w")
DE_RE = re.compile(r"(?<!\w)(?:(?:de|par)(?!\w)|d')")

_SC = VOCAB["status_cues"]
_future = "|".join(sorted((fold(e) for e in VOCAB["future_endings"]), key=len, reverse=True))
STATUS_RE = re.compile(
    rf"(?P<target>{_alt(_SC['target'])})|(?P<forecast>{_alt(_SC['forecast'] + VOCAB['future_words'])}"
    rf"|(?<!\w)\w{{2,}}(?:{_future})(?!\w))|(?P<actual>{_alt(_SC['actual'])})")
STATUS_AFTER_RE = re.compile(rf"(?P<target>{_alt(_SC['target_after'])})|(?P<forecast>{_alt(_SC['forecast_after'])})")
NOT_FORECAST_RE = phrases_regex(_SC["not_forecast"] + VOCAB["not_future"])

METRIC = _Lexicon((n, metric) for metric, names in VOCAB["metrics"].items() for n in names)
METRIC_RE = re.compile(f"(?:{_alt(METRIC)})")
DIRECTION = VOCAB["metric_direction"]
PAIRED = frozenset(VOCAB["paired_metrics"])
METRIC_AFTER_RE = re.compile(rf"{_SP}(?:de|d'|en)\s*(?P<m>{_alt(METRIC)})")
PARTICIPLE = _Lexicon((n, metric) for metric, names in VOCAB["metric_participles"].items() for n in names)
PARTICIPLE_RE = re.compile(rf"{_SP}(?P<m>{_alt(PARTICIPLE)})")
SHARE_OF_RE = re.compile(
    rf"{_SP}(?:{_alt(VOCAB['share_after'])})\s*(?:(?:{_alt(VOCAB['count_adjectives'])})\s+)?"
    rf"(?P<m>{_alt(list(METRIC) + list(COUNT))})")

_ART = _alt(VOCAB["place_articles"])
_HEADS = _alt(VOCAB["place_heads"])
PREP_RE = re.compile(
    rf"(?:(?P<agent>{_alt(VOCAB['agent_before'])})|(?P<between>{_alt(VOCAB['between_before'])})"
    rf"|(?P<dest>{_alt(VOCAB['destination_before'])})"
    rf"|(?P<origin>{_alt(VOCAB['origin_before'])})|(?P<et>(?<!\w)et|,))"
    rf"\s*(?:(?:{_ART})\s*)?(?:(?:{_HEADS})\s*(?:de|du|d')\s*(?:(?:{_ART})\s*)?)?$")
BOTH_RE = phrases_regex(VOCAB["both_parties"])
TOTAL_RE = phrases_regex(VOCAB["total_markers"])
BACKGROUND_RE = phrases_regex(VOCAB["background_markers"])
COUNT_ORIGIN_VERB_RE = phrases_regex(VOCAB["count_origin_verbs"])
PERSON_TITLE_RE = re.compile(rf"(?:{_alt(VOCAB['person_titles'])})\s*$")
BASELINE_RE = re.compile(rf"(?:{_alt(VOCAB['baseline_before'])})\s*$")
REPORTING_RE = re.compile(rf"(?:{_alt(VOCAB['reporting_before'])})\s*$")
JAPAN_RE = phrases_regex(VOCAB["japan_words"])
CHINA_RE = phrases_regex(VOCAB["china_words"])
CLAUSE_END_RE = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s")
EQUIV_RE = re.compile(r"^\s*+(?:[(\[]|,?\s*+soit|,?\s*+ou|,?\s*+c'est-a-dire)\s*+(?:environ|pres\s++de|quelque)?\s*+$")
BORROW_GAP_RE = re.compile(r"(?<!\s)[^\S\n]*+,?[^\S\n]*+(?:contre|et|a|soit|puis|ou|dont)[^\S\n]+(?:\w+[^\S\n]+){0,2}?")
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“])|\n+")

# figures found beyond units: fractions, counts known by a model name, bare numbers
# that take the unit of the figure they are listed or compared with
FRACTION = {fold(k): float(v) for k, v in VOCAB["fractions"].items()}
FRACTION_RE = re.compile(
    rf"(?<!\w)(?P<num>{_alt(VOCAB['fraction_numerators'])})\s+(?P<frac>{_alt(FRACTION)})"
    rf"(?=\s*(?:{_alt(VOCAB['fraction_after'])}))")
NUMERATOR = {fold(k): float(v) for k, v in VOCAB["fraction_numerators"].items()}
FRACTION_CHANGE = {lexicon_key(fold(k)): float(v) for k, v in VOCAB["fraction_changes"].items()}
FRACTION_CHANGE_RE = re.compile(f"(?:{_alt(FRACTION_CHANGE)})")
POINTS_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['points_after_change'])})")
INDEX_RE = phrases_regex(VOCAB["index_words"])
MODEL_RE = re.compile(
    rf"(?<!\s)[^\S\n]++(?:(?:{'|'.join(re.escape(w) for w in VOCAB['model_count_between'])})[^\S\n]+)?"
    r"(?P<code>[A-Z][A-Za-z]{0,5}-?\d{1,4}[A-Za-z0-9]*(?:-\d+)?)(?![\w-])")
_MODEL_METRICS = set(VOCAB["model_count_metrics"])
COUNT_NOUN_RE = re.compile(
    f"(?:{_alt([n for metric, names in VOCAB['count_nouns'].items() if metric in _MODEL_METRICS for n in names])})")
COUNT_WORD_RE = re.compile(f"(?:{_alt(COUNT)})")
BARE_FOLLOWER_RE = re.compile(
    rf"[^\S\n]*(?:$|[^\w\s]|(?:{_alt(VOCAB['bare_number_followers'])})|[A-Z0-9])")
OTHERS_RE = re.compile(rf"{_SP}(?:{_alt(VOCAB['count_others'])})(?!\w)")
MULTIPLY_VERB_RE = phrases_regex(VOCAB["multiply_verb"])
PAR_END_RE = re.compile(r"(?<!\w)par\s*$")
COMPARE_RE = re.compile(rf"(?:{_alt(VOCAB['comparison_before'])})\s*$")
LIST_GAP_RE = re.compile(r"^\s*(?:,|et|ou|puis)?\s*$")
DONT_RE = re.compile(r"^\s*,?\s*dont\s*$")
OWN_VALUE_RE = re.compile(r"\s*(?:de|d')\s*(?:sa|son|ses|leur|leurs)(?!\w)")
YEAR_RE = re.compile(r"(?<![\w,.\-/])(?:19[5-9]\d|20\d\d)(?![\w\-/]|[,.]\d)")

# cues of the frame added to those above
AMOUNT_LEVEL_RE = re.compile(f"(?:{_alt(_RC['amount_level'])})")
SUBJECT_CHANGE_RE = re.compile(
    rf"(?P<up>{_alt(_RC['change_subject_up'])})|(?P<down>{_alt(_RC['change_subject_down'])})")
METRIC_NOUN_AFTER = _Lexicon((n, m) for m, names in VOCAB["metric_nouns_after"].items() for n in names)
METRIC_NOUN_AFTER_RE = re.compile(rf"{_SP}(?:de|d')\s*(?P<m>{_alt(METRIC_NOUN_AFTER)})")
UNIT_METRICS = VOCAB["unit_metrics"]
SHARE_METRICS = VOCAB["share_metrics"]
COUNT_VALUE = VOCAB["count_value_metrics"]
COUNT_VALUE_LINK_RE = phrases_regex(VOCAB["count_value_link"])
PHYSICAL_METRICS = VOCAB["physical_metrics"]
TRANSIT_RE = re.compile(rf"(?:{_alt(VOCAB['transit_before'])})\s*(?:(?:{_alt(VOCAB['place_articles'])})\s*)?$")
BARE_QUE_RE = re.compile(r"(?<!\w)qu(?:e|')\s*$")
COMPARATIVE_RE = phrases_regex(VOCAB["baseline_comparatives"])
RELATIVE_AFTER_RE = re.compile(rf"(?<!\s)\s*+,?\s*+(?:{_alt(VOCAB['period_relative_after'])})")
ACT_RE = re.compile(rf"(?:{_alt(VOCAB['act_before'])})\s*$")
HORIZON_RE = re.compile(rf"(?:{_alt(VOCAB['horizon_words'])})")
PER_YEAR_RE = phrases_regex(VOCAB["per_year_words"])
YEARLY_METRICS = frozenset(load("metrics.yaml")["yearly_metrics"])
RESTATE_NEAR_RE = re.compile(rf"(?<!\w)(?:{_alt(VOCAB['restating_determiners'])})\s*$")
RESTATE_NOUN_RE = re.compile(
    rf"(?:{_alt(VOCAB['restating_determiners'])})\s+(?:{_alt(VOCAB['restating_nouns'])})")
SPEECH_PLACE_RE = re.compile(
    rf"(?:{_alt(VOCAB['speech_verbs'])})(?:\s+[\w'-]+){{0,2}}?\s+(?:a|au|aux|en|dans)\s*(?:(?:{_ART})\s*)?$")
SOURCE_RE = phrases_regex(VOCAB["source_before"])
LINK_WORDS = {fold(w) for w in VOCAB["ellipsis_link_words"]}
AGENT_PARTICIPLE_RE = re.compile(rf"(?P<m>{_alt(PARTICIPLE)})\s*$")
PHRASE_END_RE = re.compile(r"[,;:()\[\].!?…]|\s[-\u2013\u2014]\s")
ABBREVIATIONS = {fold(a) for a in VOCAB["abbreviations"]}
FULL_STOP_RE = re.compile(r"(?<![^\s.!?…])(?P<word>[^\s.!?…]+)[.!?…]+[\"”»)]*\s+(?=[«\"“]?\s*[A-ZÀ-Ý])")
SOIT_RE = re.compile(r",\s*soit\s*(?:environ|pres\s+de|quelque|plus\s+de)?\s*$")
DEMONYM_PREP_RE = re.compile(
    rf"(?:(?P<dest>{_alt(VOCAB['destination_before'])})|(?P<between>{_alt(VOCAB['between_before'])}))"
    rf"\s+(?:[\w'-]+\s+){{1,2}}$")
LEAD_ARTICLE_RE = re.compile(r"^(?:(?:le|la|les|l['’])\s*)", re.I)
# the word before the conjunction starts a word and is read whole: no retry from inside a long run
COORDINATED_RE = re.compile(r"(?<!\s)\s*+(?:(?:d[eu]s?\s+|de\s+la\s+|de\s+l')?(?<![\w'-])[\w'-]++\s*+)?(?:,|et|ou)\s*")

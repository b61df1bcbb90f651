"""The figure layer's part of a language bundle: currencies, units, multipliers, cue words and
grammar words of one language (its `figures.yaml`), and the patterns built from them, once per
bundle (`figure_language(lang)`); the stages ask it for concepts, never for words. What holds in
every language stays here: the exchange rates of `resources/rates.yaml`, the yearly metrics of
`resources/metrics.yaml`, and the punctuation that ends a clause (where a sentence ends is the
article view's: `veille.extract.view`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from veille.extract.numbers import NumberLanguage, number_language
from veille.language import Language, default as default_language, saying_forms
from veille.resources import load
from veille.text import (alternation, fold, folded_table, phrase_alternation as _alt, phrases_ending,
                         phrases_regex, words_ending)


RATES = load("rates.yaml") or {}
YEARLY_METRICS = frozenset(load("metrics.yaml")["yearly_metrics"])

CLAUSE_END_RE = re.compile(r"[,;:()\[\]]|\s[-\u2013\u2014]\s")
PHRASE_END_RE = re.compile(r"[,;:()\[\].!?…]|\s[-\u2013\u2014]\s")
YEAR_RE = re.compile(r"(?<![\w,.\-/])(?:19[5-9]\d|20\d\d)(?![\w\-/]|[,.]\d)")

_SP = r"[^\S\n]{0,3}"


def _right_after(phrases) -> re.Pattern:
    """One of the phrases right after a number, a few spaces (no line break) between: "%", "fois"."""
    return re.compile(rf"{_SP}(?:{_alt(phrases)})")


def lexicon_key(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip()).replace("' ", "'")


class Lexicon(dict):
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


@dataclass(frozen=True)
class FigureLanguage:
    """Everything language-specific the figure stages read (patterns run on folded text)."""

    code: str
    numbers: NumberLanguage
    # units
    currency_names: dict[str, str]
    currency_prefixes: dict[str, str]
    shared_currencies: dict[str, Any]
    currency_after: re.Pattern
    currency_before: re.Pattern
    percent: re.Pattern
    minor_units: dict[str, float]
    minor_unit: re.Pattern
    cents_after: re.Pattern
    percentage_points: re.Pattern
    basis_points: re.Pattern
    points: re.Pattern
    index: re.Pattern
    index_points_above: float
    physical_units: dict[str, tuple]
    physical_unit: re.Pattern
    count: Lexicon
    count_unit: re.Pattern
    count_word: re.Pattern
    model_count_noun: re.Pattern
    model: re.Pattern
    others: re.Pattern
    bare_follower: re.Pattern
    multiplier_stems: dict[str, float]
    accented_endings: dict[str, str]     # folded multiplier ending -> as written ("ee" -> "ée")
    multiplier: re.Pattern
    multiplied_by: re.Pattern
    divided_by: re.Pattern
    multiply_verb: re.Pattern
    times: re.Pattern
    by_end: re.Pattern
    rates: tuple[re.Pattern, ...]
    japan: re.Pattern
    china: re.Pattern
    fractions: dict[str, float]
    numerators: dict[str, float]
    fraction: re.Pattern
    fraction_changes: dict[str, float]
    fraction_change: re.Pattern
    # cues of the relation, the status and the metric
    relation: re.Pattern
    share_cue: re.Pattern
    direct: re.Pattern
    after_up: re.Pattern
    after_down: re.Pattern
    after_share: re.Pattern
    change_size: re.Pattern
    amount_level: re.Pattern
    subject_change: re.Pattern
    own_value: re.Pattern
    status_cue: re.Pattern
    status_cue_after: re.Pattern
    not_forecast: re.Pattern
    metric: Lexicon
    metric_word: re.Pattern
    metric_after: re.Pattern
    participles: Lexicon
    participle: re.Pattern
    agent_participle: re.Pattern
    metric_nouns_after: Lexicon
    metric_noun_after: re.Pattern
    share_of: re.Pattern
    direction: dict[str, str]
    paired: frozenset[str]
    unit_metrics: dict[str, str]
    share_metrics: dict[str, str]
    physical_metrics: dict[str, str]
    count_value_metrics: dict[str, str]
    count_value_link: re.Pattern
    # places
    preposition: re.Pattern
    demonym_prep: re.Pattern
    transit: re.Pattern
    speech_place: re.Pattern
    source: re.Pattern
    both: re.Pattern
    total: re.Pattern
    count_origin_verb: re.Pattern
    person_title: re.Pattern
    lead_article: re.Pattern         # run on the text as written: "la Chine"
    # time
    baseline: re.Pattern
    bare_than: re.Pattern
    comparative: re.Pattern
    relative_after: re.Pattern
    reporting: re.Pattern
    act: re.Pattern
    background: re.Pattern
    horizon: re.Pattern
    per_year: re.Pattern
    # how figures relate to each other
    compare: re.Pattern
    restate_near: re.Pattern
    restate_noun: re.Pattern
    equivalence: re.Pattern          # "(...)", ", soit", ", ou": the same amount in another unit
    so_end: re.Pattern               # ", soit environ" before a restated figure
    borrow_gap: re.Pattern           # between a scaled bare number and the amount it takes its unit from
    shared_unit_gap: re.Pattern      # "10 à 20 milliards", "5 ou 6 %": the unit after the second
    list_gap: re.Pattern
    list_join_end: re.Pattern        # ", et" / "ou" ending a gap
    of_which_gap: re.Pattern
    of_start: re.Pattern             # "de" between a number and its unit: "5 000 de dollars"
    to_gap: re.Pattern               # "à" between the two values of a change: "passé de 17 % à 49 %"
    ellipsis_gap: re.Pattern
    link_words: frozenset[str]
    coordinated: re.Pattern


def figure_language(lang: Language | None = None) -> FigureLanguage:
    """The figure vocabulary of a bundle (None: the default one), built once per bundle."""
    return (lang or default_language()).cached("figures", _build)


def _build(lang: Language) -> FigureLanguage:
    v = lang.data("figures")
    said = {"speaker_verbs": saying_forms(lang), **lang.data("claims")}   # verbs of saying, source markers
    g = v["grammar"]
    words = {name: alternation(g[name]) for name in g}
    return FigureLanguage(code=lang.code, numbers=number_language(lang),
                          **_units(v, words), **_cues(v, words), **_places(v, words, said), **_times(v, said),
                          **_links(v, words))


def _units(v: dict, w: dict[str, str]) -> dict[str, Any]:
    names = {fold(n): code for code, c in v["currencies"].items() for n in c["names"]}
    prefixes = {fold(n): code for code, c in v["currencies"].items() for n in c.get("prefix", [])}
    prefixes[fold(v["yen_sign"])] = "¥"
    names[fold(v["yen_sign"])] = "¥"
    # a name several states' currencies share ("dinars") reads as "~dinars" until its context decides
    for name, spec in v["shared_currency_names"].items():
        for n in spec["names"]:
            names[fold(n)] = f"~{name}"
    minor = folded_table(v["minor_units"], float)
    physical = {fold(n): (u["unit"], float(u.get("factor", 1)), u.get("case"), u.get("per"))
                for u in v["physical_units"] for n in u["names"]}
    count = Lexicon((n, metric) for metric, ns in v["count_nouns"].items() for n in ns)
    stems = folded_table(v["multiplier_stems"], float)
    model_metrics = set(v["model_count_metrics"])
    currency = _alt(list(names) + list(prefixes))
    number = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
    one = rf"(?:1|{alternation(v['indefinite_articles'])})"
    fractions = folded_table(v["fractions"], float)
    fraction_changes = {lexicon_key(fold(k)): float(x) for k, x in v["fraction_changes"].items()}
    return dict(
        currency_names=names, currency_prefixes=prefixes, shared_currencies=v["shared_currency_names"],
        currency_after=re.compile(rf"{_SP}(?:(?:{w['of']})\s*)?(?P<u>{_alt(names)})"),
        currency_before=re.compile(rf"(?<![\w$€£¥₽])(?P<u>{_alt(prefixes)}){_SP}$"),
        percent=_right_after(v["percent_signs"]),
        minor_units=minor,
        minor_unit=re.compile(rf"{_SP}(?P<minor>{_alt(minor)}){_SP}(?:{w['of']})\s*(?P<u>{_alt(names)})"),
        # the cents a minor-unit word names, or that a function word or a stop follows
        cents_after=re.compile(
            rf"(?<!\s)(?:\s++(?:{w['and']}))?+\s++(?P<c>\d{{1,2}})(?:{_SP}(?:{_alt(minor)})(?!\w)"
            rf"|(?=\s*+[.,;:!?)]|\s*+$|\s++(?:{w['function_words']})(?!\w)))"),
        percentage_points=_right_after(v["percentage_points"]),
        basis_points=_right_after(v["basis_points"]),
        points=_right_after(v["points_after_change"]),
        index=phrases_regex(v["index_words"]), index_points_above=v["index_points_above"],
        physical_units=physical,
        physical_unit=re.compile(rf"(?:{_SP}|-)(?:(?:{w['of']})\s*)?(?P<u>{_alt(physical)})"),   # "2,5-km" too
        count=count,
        count_unit=re.compile(
            rf"{_SP}(?:(?:{w['of']})\s*)?(?:(?:{_alt(v['count_adjectives'])})\s+)?(?P<u>{_alt(count)})"),
        count_word=phrases_regex(count),
        model_count_noun=re.compile(
            f"(?:{_alt([n for metric, ns in v['count_nouns'].items() if metric in model_metrics for n in ns])})"),
        model=re.compile(   # run on the text as written: a model name keeps its case
            rf"(?<!\s)[^\S\n]++(?:(?:{'|'.join(re.escape(x) for x in v['model_count_between'])})[^\S\n]+)?"
            r"(?P<code>[A-Z][A-Za-z]{0,5}-?\d{1,4}[A-Za-z0-9]*(?:-\d+)?)(?![\w-])"),
        others=re.compile(rf"{_SP}(?:{_alt(v['count_others'])})(?!\w)"),
        bare_follower=re.compile(rf"[^\S\n]*(?:$|[^\w\s]|(?:{_alt(v['bare_number_followers'])})|[A-Z0-9])"),
        multiplier_stems=stems,
        accented_endings={fold(e): e for e in v["multiplier_endings"] if fold(e) != e},
        multiplier=re.compile(
            rf"(?<!\w)(?P<stem>{'|'.join(map(re.escape, stems))})"
            rf"(?P<end>{alternation(v['multiplier_endings'])})(?!\w)"),
        multiplied_by=phrases_ending(v["multiplied_by"]),
        divided_by=phrases_ending(v["divided_by"]),
        multiply_verb=phrases_regex(v["multiply_verb"]),
        times=_right_after(v["times_more"]),
        by_end=words_ending(v["grammar"]["by"]),
        rates=(
            re.compile(rf"(?<![\w,.]){one}\s*(?P<base>{currency})\s*(?:=|{alternation(v['rate_equals'])})"
                       rf"\s*(?P<rate>{number})\s*(?P<quote>{currency})"),
            re.compile(rf"(?<![\w,.])(?P<rate>{number})\s*(?P<quote>{currency})\s*(?:{_alt(v['rate_per'])})\s*"
                       rf"(?:(?<!\w){one}\s*)?(?P<base>{currency})"),
        ),
        japan=phrases_regex(v["japan_words"]), china=phrases_regex(v["china_words"]),
        fractions=fractions, numerators=folded_table(v["fraction_numerators"], float),
        fraction=re.compile(
            rf"(?<!\w)(?P<num>{_alt(v['fraction_numerators'])})\s+(?P<frac>{_alt(fractions)})"
            rf"(?=\s*(?:{_alt(v['fraction_after'])}))"),
        fraction_changes=fraction_changes, fraction_change=phrases_regex(fraction_changes),
    )


def _cues(v: dict, w: dict[str, str]) -> dict[str, Any]:
    rc, sc = v["relation_cues"], v["status_cues"]
    metric = Lexicon((n, m) for m, ns in v["metrics"].items() for n in ns)
    participles = Lexicon((n, m) for m, ns in v["metric_participles"].items() for n in ns)
    nouns_after = Lexicon((n, m) for m, ns in v["metric_nouns_after"].items() for n in ns)
    future = "|".join(sorted((fold(e) for e in v["future_endings"]), key=len, reverse=True))
    return dict(
        relation=re.compile(
            rf"(?P<up>{_alt(rc['change_up'])})|(?P<down>{_alt(rc['change_down'])})"
            rf"|(?P<level>{_alt(rc['level'])})|(?P<share>{_alt(rc['share'])})"),
        share_cue=phrases_regex(rc["share"]),
        direct=re.compile(rf"(?:(?P<up>{_alt(rc['direct_up'])})|(?P<down>{_alt(rc['direct_down'])}))\s*$"),
        after_up=_right_after(v["change_after_up"]),
        after_down=_right_after(v["change_after_down"]),
        after_share=re.compile(
            rf"{_SP}(?:{_alt(v['share_after'])})\s*(?!(?:{_alt(v['share_after_not'])}))\w"),
        change_size=phrases_regex(v["grammar"]["change_size_marks"]),
        amount_level=phrases_regex(rc["amount_level"]),
        subject_change=re.compile(
            rf"(?P<up>{_alt(rc['change_subject_up'])})|(?P<down>{_alt(rc['change_subject_down'])})"),
        own_value=re.compile(rf"\s*(?:{w['of']})\s*(?:{w['possessives']})(?!\w)"),
        status_cue=re.compile(
            rf"(?P<target>{_alt(sc['target'])})|(?P<forecast>{_alt(sc['forecast'] + v['future_words'])}"
            rf"|(?<!\w)\w{{2,}}(?:{future})(?!\w))|(?P<actual>{_alt(sc['actual'])})"),
        status_cue_after=re.compile(
            rf"(?P<target>{_alt(sc['target_after'])})|(?P<forecast>{_alt(sc['forecast_after'])})"),
        not_forecast=phrases_regex(sc["not_forecast"] + v["not_future"]),
        metric=metric, metric_word=phrases_regex(metric),
        metric_after=re.compile(rf"{_SP}(?:{alternation(v['grammar']['of'] + v['grammar']['in'])})"
                                rf"\s*(?P<m>{_alt(metric)})"),
        participles=participles, participle=re.compile(rf"{_SP}(?P<m>{_alt(participles)})"),
        agent_participle=re.compile(rf"(?P<m>{_alt(participles)})\s*$"),
        metric_nouns_after=nouns_after,
        metric_noun_after=re.compile(rf"{_SP}(?:{w['of']})\s*(?P<m>{_alt(nouns_after)})"),
        share_of=re.compile(
            rf"{_SP}(?:{_alt(v['share_after'])})\s*(?:(?:{_alt(v['count_adjectives'])})\s+)?"
            rf"(?P<m>{_alt(list(metric) + [n for ns in v['count_nouns'].values() for n in ns])})"),
        direction=v["metric_direction"], paired=frozenset(v["paired_metrics"]),
        unit_metrics=v["unit_metrics"], share_metrics=v["share_metrics"],
        physical_metrics=v["physical_metrics"], count_value_metrics=v["count_value_metrics"],
        count_value_link=phrases_regex(v["count_value_link"]),
    )


def _places(v: dict, w: dict[str, str], said: dict) -> dict[str, Any]:
    articles = _alt(v["definite_articles"])
    as_written = "|".join(re.escape(a).replace("'", "['’]") for a in v["definite_articles"])
    article = rf"(?:(?:{articles})\s*)?"
    # the prepositions before a place that both `preposition` and `demonym_prep` name
    dest, between = rf"(?P<dest>{_alt(v['destination_before'])})", rf"(?P<between>{_alt(v['between_before'])})"
    return dict(
        preposition=re.compile(
            rf"(?:(?P<agent>{_alt(v['agent_before'])})|{between}|{dest}"
            rf"|(?P<origin>{_alt(v['origin_before'])})|(?P<joined>(?<!\w)(?:{w['and']})|,))"
            rf"\s*{article}(?:(?:{_alt(v['place_heads'])})\s*"
            rf"(?:{alternation(v['grammar']['of'] + v['grammar']['of_the'])})\s*{article})?$"),
        demonym_prep=re.compile(rf"(?:{dest}|{between})\s+(?:[\w'-]+\s+){{1,2}}$"),
        transit=re.compile(rf"(?:{_alt(v['transit_before'])})\s*{article}$"),
        speech_place=re.compile(
            rf"(?:{_alt(said['speaker_verbs'])})(?:\s+[\w'-]+){{0,2}}?\s+(?:{w['place_prepositions']})\s*"
            rf"(?:(?:{articles})\s*)?$"),
        source=phrases_regex(said["source_markers"]),
        both=phrases_regex(v["both_parties"]), total=phrases_regex(v["total_markers"]),
        count_origin_verb=phrases_regex(v["count_origin_verbs"]),
        person_title=phrases_ending(v["person_titles"]),
        lead_article=re.compile(rf"^(?:(?:{as_written})\s*)", re.I),
    )


def _times(v: dict, said: dict) -> dict[str, Any]:
    return dict(
        baseline=phrases_ending(v["baseline_before"]),
        bare_than=words_ending(v["grammar"]["than"]),
        comparative=phrases_regex(v["baseline_comparatives"]),
        relative_after=re.compile(rf"(?<!\s)\s*+,?\s*+(?:{_alt(v['period_relative_after'])})"),
        reporting=phrases_ending(said["speaker_verbs"] + v["publishing_before"]),
        act=phrases_ending(v["act_before"]),
        background=phrases_regex(v["background_markers"]),
        horizon=phrases_regex(v["horizon_words"]),
        per_year=phrases_regex(v["per_year_words"]),
    )


def _links(v: dict, w: dict[str, str]) -> dict[str, Any]:
    g = v["grammar"]
    both = alternation(g["and"] + g["or"])
    restated = alternation(g["restating_qualifiers"])
    return dict(
        compare=phrases_ending(v["comparison_before"]),
        restate_near=re.compile(rf"(?<!\w)(?:{_alt(v['restating_determiners'])})\s*$"),
        restate_noun=re.compile(
            rf"(?:{_alt(v['restating_determiners'])})\s+(?:{_alt(v['restating_nouns'])})"),
        equivalence=re.compile(
            rf"^\s*+(?:[(\[]|,?\s*+(?:{alternation(g['so'] + g['or'] + g['that_is'])}))"
            rf"\s*+(?:{restated})?\s*+$"),
        so_end=re.compile(rf",\s*(?:{w['so']})\s*(?:{restated})?\s*$"),
        borrow_gap=re.compile(
            rf"(?<!\s)[^\S\n]*+,?[^\S\n]*+"
            rf"(?:{alternation(g['versus'] + g['and'] + g['to'] + g['so'] + g['then'] + g['or'] + g['of_which'])})"
            rf"[^\S\n]+(?:\w+[^\S\n]+){{0,2}}?"),
        shared_unit_gap=re.compile(
            rf"\s*(?:{alternation(g['to'] + g['and'] + g['or'] + g['versus'])}|-|\u2013)\s*"),
        list_gap=re.compile(rf"^\s*(?:,|{alternation(g['and'] + g['or'] + g['then'])})?\s*$"),
        list_join_end=re.compile(rf"(?:,|\b(?:{both}))\s*$"),
        of_which_gap=re.compile(rf"^\s*,?\s*(?:{w['of_which']})\s*$"),
        of_start=re.compile(rf"\s*(?:{w['of']})"),
        to_gap=re.compile(rf"\s*(?:{w['to']})\s*"),
        ellipsis_gap=re.compile(rf"(?:,|\b(?:{w['and']})\b)([^,;:.()]*)$"),
        link_words=frozenset(fold(x) for x in v["ellipsis_link_words"]),
        # the word before the conjunction starts a word and is read whole: no retry from inside a long run
        coordinated=re.compile(
            rf"(?<!\s)\s*+(?:(?:(?:{w['partitives']})\s+)?(?<![\w'-])[\w'-]++\s*+)?(?:,|{both})\s*"),
    )

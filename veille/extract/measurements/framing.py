"""Framing an article's figures together: each figure's frame completed from its neighbours
(baselines, restatements, ellipses, shared periods and places), then the records."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from veille.extract.measurements.clause import (baseline, clause_end_at, clause_start_at, count_flow,
                                                elliptic, equivalent, fill_flow, horizon_year, main_metric_of,
                                                metric_in, metric_near, metrics_named, model_metric,
                                                rate_table, read_flow, read_period, read_relation, read_roles,
                                                read_status, referent, restates, sides, status_after,
                                                top_states, years_of)
from veille.extract.measurements.finding import Fig, figures, sentence_index, shared_currency, year_timexes
from veille.extract.measurements.lexicon import CLAUSE_END_RE, figure_language, FigureLanguage
from veille.language import Language
from veille.records import Measurement, PlaceRef, Timex
from veille.extract.view import ArticleView, article_view


@dataclass
class _Doc:
    """What every figure of one article is framed against."""

    lex: FigureLanguage
    text: str
    ft: str
    sents: list[tuple[int, int]]
    paragraph: list[int]
    refs: list[PlaceRef]
    ref_starts: list[int]
    top: list[str]
    tx: list[Timex]
    figs: list[Fig]
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
    prev: Fig | None            # the figure before, in the same sentence
    seg_start: int               # after the figure before in the sentence, else the sentence start
    clause_start: int
    right_end: int               # the end of the clause after the figure
    nxt: Fig | None             # the next figure of the sentence
    later: list[Fig]            # the figures after it in the sentence
    stop: int                    # the next figure that is not the same one restated
    ref: Fig | None = None      # the figure a demonstrative restates
    kin: Fig | None = None      # the figure it is compared with or took its unit from


def _mark_comparisons(lex: FigureLanguage, ft: str, figs: list[Fig]) -> None:
    """Flag baselines: "contre 11 en 2024 et sept en 2023", the first of "passée de 17 % à 49 %"."""
    for prev, f in zip(figs, figs[1:]):
        if prev.sentence != f.sentence or prev.rate is not None:
            continue
        gap = ft[prev.end:f.start]
        if lex.to_gap.fullmatch(gap) and lex.numbers.change_from_end.search(ft[max(0, prev.start - 25):prev.start]):
            prev.compared = True
        elif lex.compare.search(ft, max(prev.end, f.start - 25), f.start) or (
                prev.compared and len(gap) <= 25 and lex.list_join_end.search(gap)):
            f.compared = True


def _frame_status(d: _Doc, s: _Slot, f: Fig) -> str:
    ft, lex = d.ft, d.lex
    cue = lex.compare.search(ft, max(s.seg_start, f.start - 25), f.start) if f.compared else None
    status = read_status(lex, ft, cue.start() if cue else s.seg_start, f.start)
    own = lex.status_cue.fullmatch(ft, f.start, f.end) if f.kind == "multiplier" else None
    if own is not None and own.lastgroup == "forecast":
        status = "forecast"                      # "ce qui doublera la capacité"
    after = status_after(lex, ft, f.end, s.right_end, s.stop, [g.start for g in s.later])
    if status is None and s.ref is not None:
        status = s.ref.status
    elif status in (None, "forecast") and after == "target":
        status = "target"
    elif status is None and not f.compared:
        status = after or (s.prev.status if s.prev is not None and not s.prev.compared else None)
    return status or "actual"


def _frame_metric(d: _Doc, s: _Slot, f: Fig) -> None:
    """The metric: the figure's own words (its counted noun, unit, the words next to it or
    before it in its segment), the figure it is compared with or restates, its sentence,
    the sentence before in the paragraph, else what the article's figures measure most."""
    ft, prev, lex = d.ft, s.prev, d.lex
    if f.metric is None and f.kind == "count" and not f.own_metric:
        f.metric = model_metric(lex, ft, f, s.sent, d.sents[s.si - 1] if s.si > 0 else None)
        f.own_metric = f.metric is not None
    if f.metric is None:
        f.metric = lex.unit_metrics.get(f.unit) or metric_near(lex, ft, f, s.seg_start)
        f.own_metric = f.metric is not None
        if f.metric is None and s.kin is not None and s.kin.metric != "exchange_rate":
            f.metric = s.kin.base_metric or s.kin.metric
        if f.metric is None and s.ref is not None:
            f.metric = s.ref.base_metric or s.ref.metric
        if f.metric is None and prev is not None and prev.kind == "count" and f.kind == "amount" \
                and prev.metric in lex.count_value_metrics and lex.count_value_link.search(ft, prev.end, f.start):
            f.metric = lex.count_value_metrics[prev.metric]     # "313 accords ..., pour 5 569 milliards de roubles"
        if f.metric is None and prev is not None and prev.metric != "exchange_rate" and (
                prev.kind != "count" or f.relation == "change") and (
                prev.unit == f.unit or prev.metric != lex.unit_metrics.get(prev.unit)):
            f.metric = prev.base_metric or prev.metric  # "860 700 voitures ..., une hausse de 40,4 %"
        if f.metric is None:
            f.metric = metric_in(lex, ft, s.sent[0], s.sent[1], f.start)
        if f.metric is None and d.same_paragraph(s.si):
            f.metric = metric_in(lex, ft, *d.sents[s.si - 1])
        if f.metric is None and f.kind != "count" and f.rate is None:
            named = Counter(g.base_metric for g in d.figs[:s.i] if g.own_metric and g.kind != "count"
                            and g.rate is None and g.base_metric and g.base_metric != lex.unit_metrics.get(g.unit))
            if named:
                f.metric = max(named, key=named.get)
            else:
                if not d.main_metric:
                    d.main_metric.append(main_metric_of(lex, ft))
                f.metric = d.main_metric[0]
    f.base_metric = f.metric
    if f.kind == "physical":
        f.metric = lex.physical_metrics.get(f.metric, f.metric)
    elif f.relation == "share":
        f.metric = lex.share_metrics.get(f.metric, f.metric)


def _frame_places(d: _Doc, s: _Slot, f: Fig) -> None:
    """From and to: the figure's clause first, then its segment of the sentence, the
    figure before, the whole sentence (the one before for a flow); then the sides a
    flow leaves out (see `_fill_flow`)."""
    ft, prev, ref, kin, lex = d.ft, s.prev, s.ref, s.kin, d.lex
    direction = lex.direction.get(f.metric or "")
    if ref is not None and (direction == "between" or not d.refs_in(s.clause_start, s.right_end)):
        f.from_, f.to = ref.from_, ref.to
    elif kin is not None and kin.has_places:
        f.from_, f.to = kin.from_, kin.to        # a baseline or "d'autres": the same parties
    elif f.kind == "count":
        f.from_, f.to = count_flow(lex, ft, f, d.refs, s.clause_start, s.right_end)
    elif f.rate is None:
        place_start = s.seg_start
        if prev is not None:
            cut = list(CLAUSE_END_RE.finditer(ft, s.seg_start, f.start))
            place_start = min(cut[-1].end(), s.clause_start) if cut else s.seg_start
        flow = None
        narrow = d.refs_in(s.clause_start, f.start) + d.refs_in(f.end, s.right_end)
        if narrow:
            flow = read_flow(lex, ft, f.metric, narrow, d.top, s.sent, f.start)
            if not sides(flow):
                flow = None
            f.own_places = flow is not None
        scope = d.refs_in(place_start, f.start) + d.refs_in(f.end, s.right_end)
        if scope and (flow is None or direction == "between" and sides(flow) < 2):
            wider = read_flow(lex, ft, f.metric, scope, d.top, s.sent, f.start)
            if sides(wider) > sides(flow):
                flow = wider
        if flow is None and prev is not None and not f.own_metric and prev.has_places:
            flow = (prev.from_, prev.to)
        if flow is None:
            wide = d.refs_in(*s.sent)
            if not wide and s.si > 0 and direction in ("out", "in"):
                wide = d.refs_in(*d.sents[s.si - 1])
            if wide or direction == "between":
                flow = read_flow(lex, ft, f.metric, wide, d.top, s.sent, f.start)
        if flow is not None:
            f.from_, f.to = flow
        if f.from_ is None and f.to is not None and direction == "out" and d.same_paragraph(s.si):
            # "la Russie mise sur le premier gazoduc. Celui-ci a livré 23 milliards de m3 à la Chine"
            f.from_ = next((p.code for p, r in read_roles(lex, ft, d.refs_in(*d.sents[s.si - 1]))
                            if r in ("origin", "attr") and p.code != f.to), None)
        if ref is not None:    # "Ces 12 millions de tonnes venaient de Russie": what the clause adds
            f.from_, f.to = f.from_ or ref.from_, f.to or ref.to
        fill_flow(lex, f, d.figs, s.i, d.top)
    f.has_places = bool(f.from_ or f.to)


def _frame_period(d: _Doc, s: _Slot, f: Fig) -> None:
    """The period, in the order of the module's conventions."""
    ft, prev, si, lex = d.ft, s.prev, s.si, d.lex
    t, marked = read_period(lex, ft, f, s.seg_start, s.right_end, s.sent, d.tx, s.nxt)
    f.period = t.period if t is not None else None
    if t is not None:
        f.period = horizon_year(lex, ft, t, f, s.sent) or f.period
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
            and f.base_metric in metrics_named(lex, ft, *d.sents[si - 1]):
        # "Le commerce ... a battu un record en 2023. [...] les échanges ont totalisé 240 milliards"
        gov = [t for t in d.timex_in(si - 1) if t.type != "DURATION" and t.period is not None
               and not baseline(lex, ft, t) and not lex.reporting.search(ft, max(0, t.start - 30), t.start)]
        if gov:
            f.period = gov[0].period
    if f.period is None and not f.compared and not lex.background.search(ft, s.clause_start, s.right_end):
        # the time the article's figures have been speaking of
        g = next((g for g in reversed(d.figs[:s.i]) if g.period is not None and not g.compared
                  and g.rate is None and g.status == f.status), None)
        if g is not None:
            f.period = g.period


def _share_coordinated(lex: FigureLanguage, ft: str, figs: list[Fig]) -> None:
    """ "70 % des machines-outils et 90 % de la microélectronique importées par la Russie":
    a figure coordinated with the next one shares what only the next one says."""
    for f, g in zip(figs, figs[1:]):
        if f.sentence == g.sentence and f.unit == g.unit and f.rate is None and g.rate is None \
                and lex.coordinated.fullmatch(ft, f.end, g.start):
            if g.own_places and not f.own_places and (f.from_, f.to) != (g.from_, g.to):
                f.from_, f.to, f.has_places = g.from_, g.to, True
            if not f.own_metric and g.own_metric:
                f.metric = g.metric


def _usd(f: Fig, per_usd: dict[str, float], published: str | None) -> float | None:
    usd = f.usd
    if f.kind == "amount" and f.rate is None and usd is None:
        if f.unit == "USD":
            usd = f.value
        elif f.unit in per_usd:
            usd = f.value / per_usd[f.unit]
        else:
            r = rate_table(f.unit, years_of(f, published))
            usd = f.value / r if r else None
    return None if usd is None else float(round(usd, 2))


def extract_measurements(text: str, sentences: Sequence[tuple[int, int]], places: Sequence[PlaceRef],
                         timexes: Sequence[Timex], published: str | None,
                         lang: Language | None = None, view: ArticleView | None = None) -> list[Measurement]:
    """Every figure of `text` that measures something, in text order, with its frame.

    "En septembre, le commerce bilatéral entre la Russie et la Chine a atteint
    21,18 milliards de dollars" -> value 21180000000.0, unit USD, kind amount,
    relation level, metric trade_volume, from CHN, to RUS, period September.
    `view` is the article's view (its folded text, sentences and numbers); without it, one is
    built from `text` and the parser's `sentences`.
    """
    if not text:
        return []
    view = view or article_view(text, None, lang, sentences)
    lex = figure_language(view.lang)
    ft = view.folded
    sents = list(view.sentences)
    starts = [s for s, _ in sents]
    tx = sorted(timexes, key=lambda t: t.start)
    figs, per_usd = figures(lex, text, ft, view.numbers, lambda pos: sentence_index(starts, pos),
                            [(t.start, t.end) for t in tx])
    if not figs:
        return []
    paragraph = [0]
    for k in range(1, len(sents)):
        paragraph.append(paragraph[-1] + ("\n" in text[sents[k - 1][1]:sents[k][0]]))
    # a place the entity layer found in lower case ("le cap des 200 milliards") is no name
    refs = sorted((p for p in places if p.kind == "demonym" or any(
        w[:1].isupper() for w in lex.lead_article.sub("", text[p.start:p.end]).split())),
        key=lambda p: p.start)
    d = _Doc(lex, text, ft, sents, paragraph, refs, [p.start for p in refs], top_states(refs),
             sorted(tx + year_timexes(ft, figs, tx), key=lambda t: t.start), figs, [])
    for f in figs:
        f.sentence = sentence_index(starts, f.start)
    figs[:] = [f for f in figs if shared_currency(d, f)]
    if not figs:
        return []
    _mark_comparisons(lex, ft, figs)

    prev: Fig | None = None
    for i, f in enumerate(figs):
        si = f.sentence
        sent = sents[si]
        same = prev if prev is not None and prev.sentence == si else None
        seg_start = min(same.end if same else sent[0], f.start)
        later = [g for g in figs[i + 1:] if g.start < sent[1]]
        nxt = later[0] if later else None
        s = _Slot(i, si, sent, same, seg_start, clause_start_at(lex, ft, seg_start, f.start),
                  clause_end_at(ft, f.end, max(f.end, nxt.start if nxt else sent[1])), nxt, later,
                  next((g.start for g in later if not restates(lex, ft, f, g)), sent[1]))
        if same is not None and equivalent(lex, ft, same, f):
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
        s.ref = None if f.kind == "count" else referent(lex, ft, f, figs, i, s.clause_start)
        if f.source is not None and f.source.kind == "count":
            s.kin = f.source
        elif same is not None and same.rate is None and (f.compared or same.compared) and \
                (same.kind == f.kind or same.unit == f.unit):
            s.kin = same

        f.relation, f.value, f.value_max = read_relation(lex, ft, f, seg_start)
        like = s.kin
        if like is None and same is not None and elliptic(lex, ft, same, f):
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
    _share_coordinated(lex, ft, figs)

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

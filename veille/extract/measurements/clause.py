"""Reading one figure's clause: what it measures (metric, relation, status), between whom
(places, flow), over which period, and what it is compared with or restates."""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from veille.extract.measurements.finding import Fig
from veille.extract.measurements.lexicon import CLAUSE_END_RE, FigureLanguage, PHRASE_END_RE, RATES, YEARLY_METRICS
from veille.extract.numbers import qualifier_before
from veille.records import Period, PlaceRef, Timex


def clause_end_at(ft: str, start: int, limit: int) -> int:
    m = CLAUSE_END_RE.search(ft, start, limit)
    return m.start() if m else limit


def clause_start_at(lex: FigureLanguage, ft: str, start: int, pos: int) -> int:
    """Where the clause holding `pos` begins, not before `start`; a figure in brackets
    belongs to the clause before the bracket ("celles de l'Arabie saoudite (1,59 ...)")."""
    cuts = list(CLAUSE_END_RE.finditer(ft, start, pos))
    if cuts and ft[cuts[-1].start()] in "([" and (
            not ft[cuts[-1].end():pos].strip() or qualifier_before(lex.numbers, ft, pos) is not None):
        cuts.pop()
    return cuts[-1].end() if cuts else start


def _negate(value: float, vmax: float | None) -> tuple[str, float, float | None]:
    return "change", -abs(value), -abs(vmax) if vmax is not None else None


def read_relation(lex: FigureLanguage, ft: str, f: Fig, seg_start: int) -> tuple[str, float, float | None]:
    value, vmax = f.value, f.value_max
    if f.kind == "multiplier":
        return "change", value, vmax
    if f.rate is not None or f.kind == "count":
        return "level", value, vmax
    if f.kind == "percent" and f.relation == "share":
        return "share", value, vmax
    if f.sign:
        return "change", value, vmax
    if lex.after_down.match(ft, f.end):
        return _negate(value, vmax)
    if lex.after_up.match(ft, f.end):
        return "change", value, vmax
    direct = lex.direct.search(ft, max(seg_start, f.start - 30), f.start)
    if direct and f.kind == "percent" and lex.own_value.match(ft, f.end):
        # "le rouble a perdu 20 % de sa valeur" (not "il a gagné 52 % des voix")
        return _negate(value, vmax) if direct.lastgroup == "down" else ("change", value, vmax)
    left_start = max(seg_start, f.start - 120)
    last = None
    for m in lex.relation.finditer(ft, left_start, f.start):
        last = m
    change_by = last is not None and last.lastgroup in ("up", "down") and len(ft[last.end():f.start]) <= 45 \
        and lex.change_size.search(ft[last.end():f.start] + ft[f.start:f.core_start]) is not None
    if f.kind == "percent" and lex.after_share.match(ft, f.end) and not (
            change_by and f.start - last.end() <= 12):
        return "share", value, vmax              # not "une hausse de 6 % des ventes"
    if change_by:
        if f.kind == "amount" and lex.amount_level.fullmatch(last.group()):
            return "level", value, vmax              # "une perte nette de 629 milliards"
        if last.lastgroup == "down":
            return _negate(value, vmax)
        return "change", value, vmax
    if direct and (f.kind in ("percent", "amount") or f.unit == "pts"):
        if f.kind == "amount" and lex.amount_level.fullmatch(direct.group().strip()):
            return "level", value, vmax
        if direct.lastgroup == "down":
            return _negate(value, vmax)
        return "change", value, vmax
    if f.kind == "percent" and last is not None and last.lastgroup == "level":
        # "la progression atteint 26,3 %": a change noun whose size a level verb gives
        subject = None
        for subject in lex.subject_change.finditer(ft, max(seg_start, last.start() - 40), last.start()):
            pass
        if subject is not None and not lex.share_cue.search(ft, subject.end(), f.start):
            if subject.lastgroup == "down":
                return _negate(value, vmax)
            return "change", value, vmax
    if f.kind == "percent" and lex.share_cue.search(ft, seg_start, f.start) and (
            last is None or last.lastgroup not in ("up", "down")):
        return "share", value, vmax
    return "level", value, vmax


def read_status(lex: FigureLanguage, ft: str, start: int, end: int) -> str | None:
    """The last status cue before the figure: "devraient augmenter de 40 %" -> forecast."""
    masked = lex.not_forecast.sub(lambda m: " " * len(m.group()), ft[start:end])
    last = None
    for m in lex.status_cue.finditer(masked):
        last = m
    return last.lastgroup if last else None


def status_after(lex: FigureLanguage, ft: str, start: int, clause_end: int, stop: int,
                 later: list[int]) -> str | None:
    """A cue after the figure: a target on to the next figure that is not the same one
    restated ("55,2 milliards de dollars ..., soit 50 milliards d'euros, pour remplir
    l'objectif"), a forecast in its clause; never a cue that opens a later figure
    ("dépassent l'objectif de 200 milliards")."""
    masked = lex.not_forecast.sub(lambda m: " " * len(m.group()), ft[start:stop])
    found = None
    for m in lex.status_cue_after.finditer(masked):
        a, b = start + m.start(), start + m.end()
        if m.lastgroup == "forecast" and a >= clause_end:
            continue
        if any(0 <= s - b <= 25 and not CLAUSE_END_RE.search(ft, b, s) for s in later):
            continue
        if m.lastgroup == "target":
            return "target"
        found = found or m.lastgroup
    return found


def metric_near(lex: FigureLanguage, ft: str, f: Fig, seg_start: int) -> str | None:
    if f.kind == "percent":
        m = lex.share_of.match(ft, f.end)
        if m:
            return lex.metric.find(m.group("m")) or lex.count.find(m.group("m"))
    m = lex.metric_after.match(ft, f.end)
    if m:
        return lex.metric.find(m.group("m"))
    m = lex.participle.match(ft, f.end)
    if m:
        return lex.participles.find(m.group("m"))
    last = None
    for m in lex.metric_word.finditer(ft, seg_start, f.start):
        last = m
    if last is not None:
        return lex.metric.find(last.group())
    m = lex.metric_noun_after.match(ft, f.end)
    return lex.metric_nouns_after.find(m.group("m")) if m else None


def metric_in(lex: FigureLanguage, ft: str, start: int, end: int, pos: int | None = None) -> str | None:
    found = list(lex.metric_word.finditer(ft, start, end))
    if not found:
        return None
    if pos is None:
        return lex.metric.find(found[0].group())
    before = [m for m in found if m.end() <= pos]
    best = before[-1] if before else found[0]
    return lex.metric.find(best.group())


def metrics_named(lex: FigureLanguage, ft: str, start: int, end: int) -> set[str]:
    """Every metric a stretch of text names, by a metric word or a counted noun."""
    return {lex.metric.find(m.group()) for m in lex.metric_word.finditer(ft, start, end)} | {
        lex.count.find(m.group()) for m in lex.count_word.finditer(ft, start, end)}


def main_metric_of(lex: FigureLanguage, ft: str) -> str | None:
    """The metric the article speaks of most, for a figure that names none."""
    counts = Counter(lex.metric.find(m.group()) for m in lex.metric_word.finditer(ft))
    counts.pop("exchange_rate", None)
    counts.pop(None, None)
    best = max(counts, key=counts.get) if counts else None
    return best if best is not None and counts[best] >= 2 else None


def model_metric(lex: FigureLanguage, ft: str, f: Fig, sent: tuple[int, int],
                 before: tuple[int, int] | None) -> str | None:
    """The counted noun a model name stands for: "Des bombardiers ... Deux Tu-95MS"."""
    found = list(lex.model_count_noun.finditer(ft, sent[0], f.start))
    if not found and before is not None:
        found = list(lex.model_count_noun.finditer(ft, *before))[:1]
    if not found:
        found = list(lex.model_count_noun.finditer(ft, f.end, sent[1]))[:1]
    return lex.count.find(found[-1].group()) if found else None


def read_roles(lex: FigureLanguage, ft: str, refs: list[PlaceRef]) -> list[tuple[PlaceRef, str]]:
    """Each place with how the text introduces it: between, dest, origin, attr or transit."""
    out: list[tuple[PlaceRef, str]] = []
    for p in refs:
        source = lex.source.search(ft, max(0, p.start - 70), p.start)
        if lex.transit.search(ft, max(0, p.start - 25), p.start) or \
                lex.speech_place.search(ft, max(0, p.start - 50), p.start) or \
                source is not None and not PHRASE_END_RE.search(ft, source.end(), p.start):
            out.append((p, "aside"))     # "via la Mongolie", "avait déclaré lundi à Riyad", "selon ..."
            continue
        m = lex.preposition.search(ft, max(0, p.start - 60), p.start)
        role = "attr"
        if m:
            g = m.lastgroup
            if g == "joined":
                role = out[-1][1] if out and p.start - out[-1][0].end < 40 else "attr"
            else:
                role = g
        if p.kind == "demonym" and role in ("origin", "dest") and m and m.group("origin") is not None:
            role = "attr"
        if role == "agent":
            # "importé par l'Italie" (the buyer), "livré par le Qatar" (the seller)
            done = lex.agent_participle.search(ft, max(0, m.start() - 25), m.start())
            if done is not None:
                role = "dest" if lex.participles.find(done.group("m")) == "imports" else "origin"
        if p.kind == "demonym" and role == "attr":
            # "avec des partenaires chinois", "vers des clients européens"
            d = lex.demonym_prep.search(ft, max(0, p.start - 40), p.start)
            if d and not CLAUSE_END_RE.search(ft, d.start(), p.start):
                role = d.lastgroup
        out.append((p, role))
    return [(p, r) for p, r in out if r != "aside"]


def top_states(places: Sequence[PlaceRef]) -> list[str]:
    counts = Counter(p.code for p in places if len(p.code) == 3)
    first = {}
    for i, p in enumerate(places):
        first.setdefault(p.code, i)
    return sorted(counts, key=lambda c: (-counts[c], first[c]))[:2]


def _qualifies_metric(lex: FigureLanguage, ft: str, start: int) -> bool:
    """Whether the word at `start` follows a metric word directly ("importations | japonaises")."""
    last = None
    for last in lex.metric_word.finditer(ft, max(0, start - 40), start):
        pass
    return last is not None and not ft[last.end():start].strip()


def read_flow(lex: FigureLanguage, ft: str, metric: str | None, refs: list[PlaceRef], top: list[str],
              sentence: tuple[int, int], at: int | None = None) -> tuple[str | None, str | None] | None:
    direction = lex.direction.get(metric or "", "single")
    if direction == "none":
        return None, None
    roles = read_roles(lex, ft, refs)
    if direction == "levy" and at is not None and roles:
        # "Ottawa impose 100 % de droits sur les voitures chinoises": the goods' origin after
        # the figure, the state levying it before, unless an agent names it ("imposés par
        # Washington"); METRICS.md: from the goods, to the levier
        levier = next((p.code for p, r in roles if r == "agent"), None)
        goods = next((p.code for p, _ in roles if p.code != levier and (levier or p.start > at)), None)
        levier = levier or next((p.code for p, _ in reversed(roles) if p.start < at and p.code != goods), None)
        return goods, levier
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
                    lex.both.search(ft, *sentence) or not lex.total.search(ft, *sentence)):
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
        # "L'Australie fournit 40 % des importations japonaises": the demonym that qualifies the
        # metric word is the importer, whatever is named before it
        adjacent = [p.code for p, r in roles if r == "attr" and p.kind == "demonym" and _qualifies_metric(lex, ft, p.start)]
        to = adjacent[0] if adjacent else attrs[0] if attrs else (dests[0] if dests else None)
        # "les achats chinois à la Russie": the seller may come after any preposition
        frm = next((p.code for p, r in roles if r in ("origin", "attr") and p.code != to), None) \
            or next((p.code for p, r in roles if r == "dest" and p.code != to), None)
        return frm, to
    if direction == "out":
        frm = origins[0] if origins else None
        to = next((c for c in dests if c != frm), None)
        return frm, to
    if direction == "levy":
        return None, roles[0][0].code     # one place alone, no figure to split at: who levies
    return roles[0][0].code, None


def count_flow(lex: FigureLanguage, ft: str, f: Fig, refs: list[PlaceRef], clause_start: int,
               right_end: int) -> tuple[str | None, str | None]:
    frm = to = None
    for p, role in read_roles(lex, ft, [p for p in refs if f.end <= p.start < right_end]):
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
        if before and (lex.count_origin_verb.search(ft, before[-1].end, f.start) or not lex.person_title.search(
                ft, max(0, before[-1].start - 25), before[-1].start)):
            frm = before[-1].code
    return frm, to


def baseline(lex: FigureLanguage, ft: str, t: Timex) -> bool:
    """A comparison baseline: "par rapport à 2022", "contre 3 % en 2022", "plus qu'en 2024"."""
    lo = max(0, t.start - 40)
    if lex.baseline.search(ft, lo, t.start) is None:
        return False
    que = lex.bare_than.search(ft, lo, t.start)
    if que is None:
        return True
    window = ft[max(0, que.start() - 60):que.start()]
    cut = CLAUSE_END_RE.search(window[::-1])
    return lex.comparative.search(window[len(window) - cut.start():] if cut else window) is not None


def read_period(lex: FigureLanguage, ft: str, f: Fig, seg_start: int, right_end: int, sent: tuple[int, int],
                timexes: list[Timex], next_fig: Fig | None) -> tuple[Timex | None, bool]:
    """The time expression governing the figure, and whether it was marked as a baseline
    (a figure in "par rapport à 2022, année où il s'était établi à ..." is itself a baseline)."""
    cands, marked = [], set()
    for t in timexes:
        if not (sent[0] <= t.start < sent[1]) or t.type == "DURATION" or t.period is None:
            continue
        if f.start <= t.start < f.end:
            continue
        if baseline(lex, ft, t):
            if not (t.end <= f.start and lex.relative_after.match(ft, t.end)):
                continue
            marked.add(id(t))
        if lex.reporting.search(ft, max(0, t.start - 30), t.start):
            continue
        if f.kind != "count" and lex.act.search(ft, max(0, t.start - 20), t.start):
            continue
        if next_fig is not None and next_fig.compared and t.start >= next_fig.start:
            continue                     # "4 %, contre 3 % en 2022": 2022 is the other figure's
        cands.append(t)
    if not cands:
        return None, False
    clause_start = clause_start_at(lex, ft, seg_start, f.start)

    def dist(t: Timex) -> int:
        return f.start - t.end if t.end <= f.start else t.start - f.end
    for pool in ([t for t in cands if clause_start <= t.start < f.start or f.end <= t.start < right_end],
                 [t for t in cands if seg_start <= t.start < f.start or f.end <= t.start < right_end],
                 [t for t in cands if t.end <= f.start], cands):
        if pool:
            best = min(pool, key=dist)
            return best, id(best) in marked
    return None, False


def horizon_year(lex: FigureLanguage, ft: str, t: Timex, f: Fig, sent: tuple[int, int]) -> Period | None:
    """ "55,2 milliards de dollars ... par an d'ici 2030": the yearly figure of 2030; so is a
    target of a yearly flow ("porter les échanges à 50 milliards d'ici 2030": the trade of
    2030), not a cumulative amount ("investir 20 milliards d'ici 2030" keeps its span)."""
    if t.period is None or not t.period.end:
        return None
    if t.period.begin and t.period.begin[:4] == t.period.end[:4]:
        return None       # within one year already; a horizon from an unknown publication date still ends in its year
    if not lex.horizon.match(ft, t.start) and not re.search(
            rf"(?:{lex.horizon.pattern})\s*$", ft[max(0, t.start - 20):t.start]):
        return None
    yearly = f.status in ("target", "forecast") and f.metric in YEARLY_METRICS and f.relation == "level"
    if not yearly and not f.per_year and "/" not in f.unit \
            and not lex.per_year.search(ft, min(f.end, t.start), max(f.end, t.start)):
        return None
    y = t.period.end[:4]
    return Period(f"{y}-01-01", f"{y}-12-31")


def rate_table(code: str, years: list[int]) -> float | None:
    table = RATES.get(code) or {}
    for y in years:
        if y in table:
            return float(table[y])
    return None


def years_of(f: Fig, published: str | None) -> list[int]:
    ys = []
    for d in ((f.period.end, f.period.begin) if f.period else ()) + (published,):
        if d and re.match(r"\d{4}", d):
            ys.append(int(d[:4]))
    return ys


def referent(lex: FigureLanguage, ft: str, f: Fig, figs: list[Fig], i: int, clause_start: int) -> Fig | None:
    """The figure a demonstrative restates: "Ces quelque 218 milliards de dollars" (the
    same value given before), "ce montant représente 21 490 milliards de roubles" (the
    last level before, in any unit)."""
    if lex.restate_near.search(ft, max(0, f.start - 8), f.start):
        for g in reversed(figs[:i]):
            if g.unit == f.unit and g.rate is None and abs(g.value - f.value) <= 0.02 * max(abs(f.value), 1e-9):
                return g
        return None
    if f.kind in ("amount", "physical") and lex.restate_noun.search(ft, clause_start, f.start):
        for g in reversed(figs[:i]):
            if g.kind == f.kind and g.rate is None and g.relation == "level" and not g.compared:
                return g
    return None


def fill_flow(lex: FigureLanguage, f: Fig, figs: list[Fig], i: int, top: list[str]) -> None:
    """The side of a flow the sentence leaves out, from the flow of the sentence before
    or of its own ("les livraisons russes ont atteint 2,29 millions de barils par jour"
    after the Chinese imports of Russian crude); a flow with no place at all continues
    the same flow just before it; a flow out whose destination is one of the article's
    two main states and whose origin is unsaid comes from the other one; a figure that always has
    two sides (PAIRED: a duty, a contract) takes the other main state for the side it leaves out."""
    direction = lex.direction.get(f.metric or "")
    if f.metric in lex.paired and len(top) == 2 and (f.from_ is None) != (f.to is None) and (f.from_ or f.to) in top:
        # a duty, a contract, a delivery in a story about two states: the other is the side left out
        other = top[1] if top[0] == (f.from_ or f.to) else top[0]
        f.from_, f.to = (f.from_, other) if f.from_ else (other, f.to)
        return
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
        if lex.direction.get(g.metric or "") not in ("out", "in") or not (g.from_ or g.to):
            continue
        if f.from_ and g.to and g.from_ and g.to != f.from_:
            f.to = g.to
        elif f.to and g.from_ and g.to and g.from_ != f.to:
            f.from_ = g.from_
        break
    if f.to and f.from_ is None and direction == "out" and len(top) == 2 and f.to in top:
        f.from_ = top[1] if top[0] == f.to else top[0]


def sides(flow: tuple[str | None, str | None] | None) -> int:
    return sum(1 for c in flow or () if c)


def equivalent(lex: FigureLanguage, ft: str, a: Fig, b: Fig) -> bool:
    """ "42,64 milliards de yuans (5,83 milliards de dollars)", "55,2 milliards de dollars
    ... par an d'ici 2030, soit environ 50 milliards d'euros": one amount in two currencies."""
    if not (a.kind == b.kind == "amount" and a.rate is None and b.rate is None and a.unit != b.unit):
        return False
    gap = ft[a.end:b.start]
    return bool(lex.equivalence.match(gap) or (lex.so_end.search(gap) and len(gap) <= 90 and not re.search(r"[;.]", gap)))


def elliptic(lex: FigureLanguage, ft: str, a: Fig, b: Fig) -> bool:
    """ "Les exportations ont progressé de 5 %, les importations de 3 %": the second figure's
    clause leaves its verb out (a comma or "et", then a few words and no cue of its own)."""
    gap = ft[a.end:b.start]
    m = lex.ellipsis_gap.search(gap)
    if m is None or len(m.group(1).split()) > 5 or len(gap) > 60:
        return False
    rest = m.group(1)
    words = [w for w in re.findall(r"[\w']+", rest) if w not in lex.link_words]
    return bool(words) and not lex.relation.search(rest) and not lex.status_cue.search(rest)


def restates(lex: FigureLanguage, ft: str, a: Fig, b: Fig) -> bool:
    """ "5 millions de tonnes d'acier, soit 4 milliards de dollars": the same thing again."""
    gap = ft[a.end:b.start]
    return equivalent(lex, ft, a, b) or bool(lex.so_end.search(gap)) and len(gap) <= 90 and not re.search(r"[;.]", gap)

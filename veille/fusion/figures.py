"""Figures: measurements about the same thing grouped into one series point, conflicts flagged.

A figure's key is its metric, relation, status, places, period and dimension
(money is compared in US dollars, after the article's own conversion). A figure
stated without its period is about a recent one: it joins the best-supported
dated group of its family, among those ending near its article's publication
date, whose value it agrees with, else the group of its family's undated figures
of that month (a tariff "de 26 %" in April and "de 50 %" in August are two
points, not a disagreement).

Every statement is read as an interval: "240,1 milliards" is 240.05-240.15,
"240 milliards" 235-245 (two significant digits at least), "plus de 240" 240-300,
"environ 218" 218 +- 3 % (widths in resources/fusion.yaml). Two figures agree
when their intervals meet; a group is in conflict when no value agrees with all
of its members, and its positions say who says what.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Sequence

from veille.fusion.data import config, folded, hash_id, published_days, window
from veille.language import Language, default
from veille.records import Measurement

CURRENCIES = ("USD", "EUR", "CNY", "RUB", "JPY", "GBP", "INR", "KZT", "HKD", "CHF", "KRW", "TRY", "BRL")
_NUMBER = re.compile(r"(?<![\w,])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(\d+)|\.(\d{1,2}|\d{4,})(?!\d))?")


def _cfg() -> dict:
    return config()["figures"]


# -- one statement ----------------------------------------------------------------

# The extractor's qualifiers, as the intervals below read them ("jusqu'à 50" is at most 50).
_QUALIFIER_KINDS = {"up_to": "under", "at_least": "over", "approximately": "about"}


@dataclass(frozen=True)
class Approximations:
    """A bundle's words that make a figure approximate, folded: the qualifiers that begin its
    text, longest first ("plus de" -> over), and the number nouns approximate by themselves
    ("une dizaine")."""

    qualifiers: tuple[tuple[str, str], ...]
    nouns: tuple[str, ...]


def approximations(lang: Language | None = None) -> Approximations:
    """The approximation words of a bundle (default: French): those its figure extractor reads
    (figures.yaml: `qualifiers`, `approximate_nouns`), built once per bundle."""
    return (lang or default()).cached("fusion.approximations", _approximations)


def _approximations(lang: Language) -> Approximations:
    data = lang.data("figures")
    qualifiers = {folded(w): kind for w, kind in data["qualifiers"].items()}
    return Approximations(qualifiers=tuple(sorted(qualifiers.items(), key=lambda q: -len(q[0]))),
                          nouns=tuple(sorted({folded(w) for w in data["approximate_nouns"]})))


def qualifier_of(m: Measurement, lang: Language | None = None) -> str | None:
    """The approximation a figure carries: about, over, under, nearly, or None.

    The record's own `qualifier` when the extractor set one; for a record that does not say
    (written by hand, or from a gold file), the words of `lang` (the bundle of the article's
    language, default French) its text begins with or holds.

    >>> qualifier_of(Measurement(0, 0, "plus de 240 milliards de dollars", 240e9, "USD", "amount"))
    'over'
    """
    if m.qualifier:
        return _QUALIFIER_KINDS.get(m.qualifier, m.qualifier)
    words = approximations(lang)
    text = folded(m.text)
    kind = next((kind for prefix, kind in words.qualifiers if text.startswith(prefix)), None)
    if kind:
        return _QUALIFIER_KINDS.get(kind, kind)
    return "about" if any(noun in text for noun in words.nouns) else None


def rounding_unit(m: Measurement) -> float:
    """The unit the figure is rounded to, in the figure's own units (0 when written in words).

    "240,1 milliards" -> 1e8; "240 milliards" -> 1e10; "200 milliards" -> 1e10
    (read with two significant digits); "26,3 %" -> 0.1; "quatre réacteurs" -> 0.
    """
    match = _NUMBER.search(m.text or "")
    if not match:
        return 0.0
    integer = re.sub(r"[ \u00a0\u202f.]", "", match.group(1))
    decimals = match.group(2) or match.group(3) or ""
    mantissa = float(f"{integer}.{decimals}" if decimals else integer)
    if mantissa == 0 or not math.isfinite(m.value) or m.value == 0:
        return 0.0
    scale = abs(m.value / mantissa)
    if decimals:
        return 10.0 ** -len(decimals) * scale
    digits = integer.lstrip("0") or "0"
    zeros = len(digits) - len(digits.rstrip("0"))
    significant = len(digits) - zeros
    minimum = int(_cfg()["rounding"]["min_significant_digits"])
    if significant < minimum:
        zeros = max(len(digits) - minimum, 0)
    return 10.0 ** zeros * scale


def interval(m: Measurement) -> tuple[float, float]:
    """The values the statement is compatible with, in the figure's own units.

    >>> interval(Measurement(0, 0, "228 milliards de dollars", 228e9, "USD", "amount"))
    (227500000000.0, 228500000000.0)
    """
    widths = _cfg()["rounding"]
    v = float(m.value)
    if not math.isfinite(v):
        return (v, v)
    half = rounding_unit(m) / 2
    top = float(m.value_max) if m.value_max is not None and math.isfinite(m.value_max) else v
    lo, hi = min(v, top) - half, max(v, top) + half
    q = qualifier_of(m)
    size = abs(v)
    if q == "about":
        lo, hi = lo - size * float(widths["about"]), hi + size * float(widths["about"])
    elif q == "over":
        lo, hi = v, max(hi, v + size * float(widths["over"]))
    elif q == "under":
        lo, hi = min(lo, v - size * float(widths["under"])), v
    elif q == "nearly":
        lo = min(lo, v - size * float(widths["nearly"]))
    return (lo, hi)


def dimension(m: Measurement) -> str:
    """What the value is compared in: "USD" for money, else the unit without its "per year"."""
    if m.kind == "amount" or m.unit in CURRENCIES:
        return "USD"
    return m.unit.removesuffix(_cfg()["per_year_suffix"])


def comparable(m: Measurement) -> tuple[float, float] | None:
    """The statement's interval in its dimension (USD for money), or None when it cannot be compared."""
    lo, hi = interval(m)
    if dimension(m) != "USD" or m.unit == "USD":
        return (lo, hi)
    if m.usd is None or not m.value:
        return None
    rate = float(m.usd) / float(m.value)
    a, b = lo * rate, hi * rate
    return (min(a, b), max(a, b))


def plausible(m: Measurement) -> bool:
    """False for values no real figure can have (1e30 dollars, a share of 300 %, NaN)."""
    limits = _cfg()["plausible"]
    v = float(m.value)
    if not math.isfinite(v) or (m.usd is not None and not math.isfinite(float(m.usd))):
        return False
    if dimension(m) == "USD":
        usd = float(m.usd) if m.usd is not None else (v if m.unit == "USD" else None)
        if usd is not None and abs(usd) > float(limits["max_usd"]):
            return False
    if abs(v) > float(limits["max_abs_value"]):
        return False
    if m.unit == "%":
        if m.relation == "share" and not 0 <= v <= 100:
            return False
        if abs(v) > float(limits["max_change_percent"]):
            return False
    return True


def holds(iv: tuple[float, float], p: float) -> bool:
    """True when a statement allows the value `p`. A rounded statement is half-open ("26 %"
    is 25.5 to just under 26.5: 26.5 would be written 27); an exact one is its value."""
    return iv[0] == iv[1] == p or iv[0] <= p < iv[1]


def agree(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """True when two statements (intervals) can both be right ("26 %" and "27 %" cannot).

    >>> agree((25.5, 26.5), (26.5, 27.5)), agree((25.5, 26.5), (26.0, 26.0))
    (False, True)
    """
    if a[0] == a[1]:
        return holds(b, a[0])
    if b[0] == b[1]:
        return holds(a, b[0])
    return a[0] < b[1] and b[0] < a[1]


def conflict(values: Iterable[tuple[float, float]]) -> bool:
    """True when no single value agrees with every statement (intervals in one unit).

    >>> conflict([(240.05e9, 240.15e9), (240e9, 300e9)])      # 240,1 and "plus de 240"
    False
    >>> conflict([(227.5e9, 228.5e9), (240.05e9, 240.15e9)])  # 228 and 240,1
    True
    """
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return False
    lowest = max(v[0] for v in values)         # the least value every statement may allow
    return not all(holds(v, lowest) for v in values)


def positions(values: Sequence[tuple[float, float]], weights: Sequence[float] | None = None) -> list[list[int]]:
    """Split statements into positions: sets that agree on a common value, largest first.

    Each round takes the value agreeing with the most remaining statements (ties:
    the most weight, then the lowest value), so the result depends only on the input.
    """
    weights = list(weights) if weights is not None else [1.0] * len(values)
    left = set(range(len(values)))
    out: list[list[int]] = []
    while left:
        best: tuple | None = None
        for point in sorted({values[i][0] for i in left}):
            members = [i for i in left if holds(values[i], point)]
            score = (len(members), sum(weights[i] for i in members), -point)
            if best is None or score > best[0]:
                best = (score, members)
        members = sorted(best[1]) if best else sorted(left)
        out.append(members)
        left -= set(members)
    return out


# -- keys -------------------------------------------------------------------------

def places_of(m: Measurement) -> tuple[str, ...]:
    """The places of a figure as its key holds them: sorted for symmetric metrics ("trade between")."""
    places = tuple(p for p in (m.from_, m.to) if p)
    if m.metric in set(_cfg()["symmetric_metrics"]):
        return tuple(sorted(set(places)))
    return (m.from_ or "", m.to or "") if places else ()


def family_key(m: Measurement) -> tuple | None:
    """Metric, relation, status, places and dimension; None when the figure cannot be grouped
    (no metric, or no place: "2 600 kilomètres" alone says nothing of what is measured)."""
    places = places_of(m)
    if not m.metric or not places:
        return None
    return (m.metric, m.relation, m.status, places, dimension(m))


def figure_key(m: Measurement) -> tuple | None:
    """The full key of a figure: its family and its period (None when the figure has no period).

    >>> figure_key(Measurement(0, 0, "240,1 milliards de dollars", 240.1e9, "USD", "amount",
    ...     metric="trade_volume", from_="RUS", to="CHN", period=None))
    ('trade_volume', 'level', 'actual', ('CHN', 'RUS'), 'USD', None)
    """
    family = family_key(m)
    if family is None:
        return None
    return (*family, keyed_period(m))


def keyed_period(m: Measurement) -> tuple[str, str | None] | None:
    """The period a figure is grouped by: its own, except the day of an act for a figure
    that is not a flow ("des droits de 25 % en vigueur le 7 août", "deux accords signés
    jeudi"): a level at a moment, grouped like an undated figure stated that day."""
    if not (m.period and m.period.begin):
        return None
    period = (m.period.begin, m.period.end)
    return None if instant(m) and not flow(m) else period


def instant(m: Measurement) -> bool:
    if not (m.period and m.period.begin):
        return False
    try:
        first = date.fromisoformat(m.period.begin[:10])
        last = date.fromisoformat((m.period.end or m.period.begin)[:10])
    except ValueError:
        return False
    return (last - first).days < 7


def flow(m: Measurement) -> bool:
    """A figure counted over a stretch of time (trade, deliveries, output, a change)."""
    return m.metric in _flow_metrics() or m.relation == "change" or "/" in (m.unit or "")


@lru_cache(maxsize=1)
def _flow_metrics() -> frozenset:
    from veille.resources import load

    return frozenset(load("metrics.yaml")["yearly_metrics"])


def anchor(m: "Member") -> str | None:
    """The day an undated figure is stated for: the day of its act, else its publication date."""
    x = m.measurement
    if keyed_period(x) is None and x.period and x.period.begin:
        return x.period.begin
    return m.published


def family_id(family: tuple) -> str:
    """The family as text: "trade_volume|level|actual|CHN,RUS|USD" ("RUS>CHN" for a directed flow)."""
    metric, relation, status, places, dim = family
    joiner = "," if metric in set(_cfg()["symmetric_metrics"]) else ">"
    return "|".join([metric, relation, status, joiner.join(places), dim])


def granularity(begin: str | None, end: str | None) -> str | None:
    """day, month, quarter, year, or span, read from an inclusive period."""
    if not begin:
        return None
    end = end or begin
    if begin == end:
        return "day"
    if begin[8:] == "01" and begin[:7] == end[:7]:
        return "month"
    if begin[5:] == "01-01" and end[5:] == "12-31" and begin[:4] == end[:4]:
        return "year"
    if begin[8:] == "01" and begin[:4] == end[:4] and begin[5:7] in ("01", "04", "07", "10") \
            and int(end[5:7]) - int(begin[5:7]) == 2:
        return "quarter"
    return "span"


# -- groups -----------------------------------------------------------------------

@dataclass
class Member:
    """One figure of one article, as the grouping sees it."""

    article_id: str
    idx: int
    measurement: Measurement
    published: str | None = None
    copy_group: str | None = None
    claim_source: str | None = None
    claim_kind: str | None = None
    claim_entity: str | None = None
    outlet: str | None = None
    evidence: str | None = None

    @property
    def key(self) -> tuple | None:
        return figure_key(self.measurement)

    @property
    def group(self) -> str:
        """Its copy group (its own article when it has none)."""
        return self.copy_group or self.article_id

    @property
    def rank(self) -> tuple:
        return (self.article_id, self.idx)


@dataclass
class Group:
    """A figure group: one series point and its members."""

    family: tuple | None
    period: tuple[str, str] | None
    members: list[Member] = field(default_factory=list)
    single: str | None = None      # for figures that cannot be grouped: "article:idx"
    leftover: str | None = None    # for undated figures that join no dated group: their `chains` key

    @property
    def id(self) -> str:
        return group_id(self.family, self.period, self.single, self.leftover)


def group_id(family: tuple | None, period: tuple | None, single: str | None = None,
             leftover: str | None = None) -> str:
    if family is None:
        return hash_id("f", "single", single)
    if period is None:
        return hash_id("f", family_id(family), "", "", leftover or "")
    return hash_id("f", family_id(family), *period)


@dataclass
class Assessment:
    """What a group's members say: its value, whether they conflict, and the positions."""

    value: float | None
    low: float | None
    high: float | None
    conflict: bool
    positions: list[list[int]]          # indexes into the members; the first is the best supported
    member_position: dict[int, int]     # member index -> position number (absent: not compared)
    implausible: set[int]
    intervals: dict[int, tuple[float, float]]
    unit: str | None = None             # the unit `value` is in: USD once converted, else the statement's own


def claims_conflict(claims: Iterable[Sequence[tuple[float, float]]]) -> bool:
    """True when two articles disagree: no value one states agrees with any value the other states.

    Each article is the list of the values it states under one key: one value
    for most, several when it gives figures of several things the key does not
    tell apart ("Lada 292 800, Haval 105 600"), which are not a disagreement.
    """
    sets = sorted({tuple(sorted(c)) for c in claims if c})
    singles = [s[0] for s in sets if len(s) == 1]
    if conflict(singles):
        return True
    for m in (s for s in sets if len(s) > 1):
        for other in sets:
            if other != m and not any(agree(a, b) for a in m for b in other):
                return True
    return False


def named_source(m: Member) -> str | None:
    """The source an article names for a figure ("selon l'Indec", "a déclaré le ministère")."""
    if m.claim_kind in ("cited", "speaker"):
        return m.claim_entity or m.claim_source or None
    return None


def claimants(members: Sequence[Member]) -> list[tuple]:
    """Who each figure is the claim of: its article; and, in an article that names two or more
    sources for figures of one group, the source named, so that an article setting two
    sources' figures side by side reports their disagreement (a single named source and
    the article's own figures are one claimant: a total and its breakdown are not one)."""
    named: dict[str, set[str]] = {}
    for m in members:
        source = named_source(m)
        if source:
            named.setdefault(m.article_id, set()).add(source)
    return [(m.article_id, named_source(m) or "" if len(named.get(m.article_id, ())) > 1 else "")
            for m in members]


def assess(members: Sequence[Member]) -> Assessment:
    """Value, conflict and positions of a group's members; implausible values are left out.

    Each claimant's figures (a value and its conversion, a rounded repeat; a claimant is
    an article, or a source it names, `claimants`) are first merged into its claims;
    claimants conflict when their claims disagree (`claims_conflict`). Positions group the claims that agree on a value, the
    best supported first (copies of one story weigh as one).
    """
    implausible = {i for i, m in enumerate(members) if not plausible(m.measurement)}
    intervals: dict[int, tuple[float, float]] = {}
    for i, m in enumerate(members):
        if i in implausible:
            continue
        c = comparable(m.measurement)
        if c is not None and all(math.isfinite(x) for x in c):
            intervals[i] = c
    by_article: dict[tuple, list[int]] = {}
    who = claimants(members)
    for i in sorted(intervals):
        by_article.setdefault(who[i], []).append(i)
    claims: list[tuple[list[int], tuple[float, float]]] = []
    article_claims: list[list[tuple[float, float]]] = []
    for article in sorted(by_article):
        idxs = by_article[article]
        own = []
        for p in positions([intervals[i] for i in idxs]):
            ms = [idxs[j] for j in p]
            claim = (max(intervals[i][0] for i in ms), min(intervals[i][1] for i in ms))
            claims.append((ms, claim))
            own.append(claim)
        article_claims.append(own)
    copies: dict[str, set[str]] = {}
    for ms, _ in claims:
        m = members[ms[0]]
        copies.setdefault(m.copy_group or m.article_id, set()).add(m.article_id)
    weights = [1.0 / len(copies[members[ms[0]].copy_group or members[ms[0]].article_id]) for ms, _ in claims]
    split = positions([c for _, c in claims], weights)
    pos = [sorted(i for j in p for i in claims[j][0]) for p in split]
    member_position = {i: n for n, p in enumerate(pos) for i in p}
    value = low = high = unit = None
    if pos:
        best = split[0]
        low = max(claims[j][1][0] for j in best)
        high = min(claims[j][1][1] for j in best)
        # the value: the most precise statement of the best-supported position
        precise = min(pos[0], key=lambda i: (intervals[i][1] - intervals[i][0], members[i].rank))
        m = members[precise].measurement
        converted = dimension(m) == "USD" and m.unit != "USD" and m.usd is not None
        value, unit = (float(m.usd), "USD") if converted else (float(m.value), m.unit)
    return Assessment(value=value, low=low, high=high, conflict=claims_conflict(article_claims), positions=pos,
                      member_position=member_position, implausible=implausible, intervals=intervals, unit=unit)


def undated_reach(m: Member) -> tuple[str, str] | None:
    """The period ends an undated figure can join, from its article's publication date
    (`undated_reach` in resources/fusion.yaml, by status); None when it has a period of
    its own or its article has no publication date."""
    if keyed_period(m.measurement) is not None:
        return None
    reaches = _cfg()["undated_reach"]
    return window(anchor(m), *reaches.get(m.measurement.status or "actual", reaches["actual"]))


def period_end(period: tuple[str, str | None]) -> str:
    return period[1] or period[0]


@dataclass
class Candidate:
    """A dated group as an undated figure sees it: what its dated members agree on."""

    low: float | None
    high: float | None
    independent: int
    members: int
    groups: frozenset


def candidates(dated: dict[tuple, list[Member]]) -> dict[tuple, Candidate]:
    out = {}
    for period, ms in dated.items():
        a = assess(ms)
        out[period] = Candidate(a.low, a.high, len({m.group for m in ms}), len(ms), frozenset(m.group for m in ms))
    return out


def choose(m: Member, cands: dict[tuple, Candidate]) -> tuple | None:
    """The dated group an undated figure joins: among those its reach allows (with no
    publication date, those holding a near-copy of its article), the one with the most
    independent sources whose best-supported value it agrees with (ties: the most
    members, then the earliest period); None when there is none."""
    c = comparable(m.measurement) if plausible(m.measurement) else None
    if c is None:
        return None
    reach = undated_reach(m)
    choices = []
    for period, g in cands.items():
        if reach is not None:
            if not reach[0] <= period_end(period) <= reach[1]:
                continue
        elif m.group not in g.groups:
            continue
        if g.low is None or not agree(c, (g.low, g.high)):
            continue
        choices.append(((-g.independent, -g.members, period), period))
    return min(choices)[1] if choices else None


def chains(members: Sequence[Member]) -> dict[str, list[Member]]:
    """The undated figures of a family that join no dated group, split where they are far apart:
    by publication date, a new group where two successive statements are more than
    `undated_chain_days` apart (a share "d'environ 90 %" repeated month after month is one
    point; a tariff "de 26 %" in April and "de 50 %" in August are two); without a
    publication date, by copy group; a family that lasts (`lasting`) is never split.
    Keys: "from YYYY-MM-DD" of the first statement, "copies GROUP", or "lasting"."""
    if members and lasting(members[0]):
        return {"lasting": list(members)}
    gap = timedelta(days=int(_cfg()["undated_chain_days"]))
    out: dict[str, list[Member]] = {}
    dated = sorted((m for m in members if _published_day(m)), key=lambda m: (_published_day(m), m.rank))
    key, last = None, None
    for m in dated:
        day = _published_day(m)
        if last is None or day - last > gap:
            key = f"from {day.isoformat()}"
        out.setdefault(key, []).append(m)
        last = day
    for m in members:
        if not _published_day(m):
            out.setdefault(f"copies {m.group}", []).append(m)
    return out


def lasting(m: Member) -> bool:
    """True when what the figure measures lasts (`lasting_metrics`, `lasting_statuses`): its
    family's undated figures are one point, whenever stated."""
    x = m.measurement
    return x.metric in set(_cfg()["lasting_metrics"]) or x.status in set(_cfg()["lasting_statuses"])


def _published_day(m: Member) -> date | None:
    days = published_days(anchor(m))
    return days[0] if days else None


def group_family(members: Sequence[Member]) -> list[Group]:
    """The groups of one family's members: one per stated period, undated figures attached.

    An undated figure joins the dated group `choose` picks, else a group of its family's
    undated figures (`chains`). Each decision depends only on the dated members, so the
    result depends only on the set of members.
    """
    members = sorted(members, key=lambda m: m.rank)
    if not members or members[0].key is None:
        return []
    family = members[0].key[:5]
    dated: dict[tuple, list[Member]] = {}
    undated: list[Member] = []
    for m in members:
        (undated if m.key[5] is None else dated.setdefault(m.key[5], [])).append(m)
    return place(family, dated, undated)


def place(family: tuple, dated: dict[tuple, list[Member]], undated: Iterable[Member],
          attached: dict[tuple, list[Member]] | None = None, loose: Iterable[Member] = ()) -> list[Group]:
    """Groups from the dated members of some periods, the undated members to place, the undated
    members that keep their dated group (`attached`, by period) and those that stay in no dated
    group (`loose`, whole chains)."""
    cands = candidates(dated)
    groups = {p: Group(family, p, list(ms)) for p, ms in dated.items()}
    for p, ms in (attached or {}).items():
        groups.setdefault(p, Group(family, p)).members.extend(ms)
    left = list(loose)
    for m in undated:
        p = choose(m, cands)
        if p is not None:
            groups[p].members.append(m)
        else:
            left.append(m)
    out = [groups[p] for p in sorted(groups)]
    for key, ms in sorted(chains(left).items()):
        out.append(Group(family, None, ms, leftover=key))
    for g in out:
        g.members.sort(key=lambda x: x.rank)
    return [g for g in out if g.members]


def single_group(m: Member) -> Group:
    return Group(None, None, [m], single=f"{m.article_id}:{m.idx}")

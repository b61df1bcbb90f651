"""Events: reports of the same real-world event in different articles fused into one.

Two reports are the same event when they have the same PLOVER type and the same
parties (the same direction, except that a visit of A to B and talks between A
and B may be one meeting; a visit of B to A is another),
dates that agree within their precision (their periods meet), the same place
where both name one, the same mode and count where both state one, and
compatible statuses (a report, an announcement and a background mention of one
event fuse; a negated or hypothetical event only with its own kind). A fused
event keeps every source, its evidence sentence and its claim source; its
confidence grows with independent sources (distinct copy groups).

A report's *reach* is the time it can be about: its own dates, else the days
its article's publication allows for its status (a report of an event with no
date of its own, published on the 12th, is about the days just before; an
announcement, the months after). A report without either (no date, no
publication date, or a background mention) is *loose*: it never joins a dated
event on type and parties alone, only one that holds a near-copy of its article,
or, among loose reports, one at the same named place.

Reports are grouped block by block, a block being a type, its parties and an
*epoch*: the year (`epoch_months`) of the day a report is about, the middle of
its own dates, else its publication day. A relationship followed for years has
one long run of reports of each type whose reaches overlap day after day; cut
into epochs, a batch of the latest news recomputes the latest epochs, not the
archive. The clustering of a block depends only on the set of its reports, so
ingesting in one go or in parts gives the same fused events. Within a block,
reports whose reaches do not meet and that share no copy group never meet in one
cluster, so a block falls apart into independent regions (`update` recomputes
only the regions a batch touches).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Iterable, Sequence

from veille.fusion.data import config, folded, hash_id, published_days, window
from veille.records import Event, Period


def _cfg() -> dict:
    return config()["events"]


def parties_key(e: Event) -> tuple:
    """("mutual", parties) for reciprocal acts, ("directed", actors, recipients) otherwise."""
    if not e.recipient:
        return ("mutual", tuple(sorted(set(e.actor))))
    return ("directed", tuple(sorted(set(e.actor))), tuple(sorted(set(e.recipient))))


def block_of(e: Event) -> str | None:
    """The block a report is clustered in: its type and parties; None without any party.
    Meetings (`unordered_types`) are blocked by their set of parties: a visit of A to B and
    the talks between A and B during it may be one event."""
    key = parties_key(e)
    if not any(key[1:]):
        return None
    if key[0] == "mutual":
        return f"{e.type}|{'+'.join(key[1])}"
    if e.type in _cfg()["unordered_types"]:
        return f"{e.type}|{'+'.join(sorted(set(key[1]) | set(key[2])))}"
    return f"{e.type}|{'+'.join(key[1])}>{'+'.join(key[2])}"


def epoch_of(e: Event, published: str | None) -> str:
    """The epoch a report is blocked in: the first month ("2024-01") of the `epoch_months`
    holding the day it is about, the middle of its own dates (when they place it: no longer
    than `max_reach_days`), else its publication day; "-" when neither gives a day.

    >>> epoch_of(Event("CONSULT", ("IND",), ("USA",), date=Period("2024-12-30", "2025-01-01")), "2025-01-02")
    '2024-01'
    >>> epoch_of(Event("CONSULT", ("IND",), ("USA",)), "2025-01-02")
    '2025-01'
    >>> epoch_of(Event("CONSULT", ("IND",), ("USA",)), None)
    '-'
    """
    own = span(e.date)
    day = None
    if own is not None and days(own) <= int(_cfg()["max_reach_days"]):
        day = _middle(own)
    elif published:
        day = published_days(published)
        day = day[0] if day else None
    if day is None and own is not None:
        day = _middle(own)
    if day is None:
        return "-"
    months = max(1, int(_cfg()["epoch_months"]))
    first = (day.year * 12 + day.month - 1) // months * months
    return f"{first // 12:04d}-{first % 12 + 1:02d}"


def _middle(s: tuple[str, str]) -> date | None:
    a, b = _day(s[0]), _day(s[1])
    if a is None or b is None:
        return a or b
    return date.fromordinal((a.toordinal() + b.toordinal()) // 2)


def parties_fit(a: Event, b: Event) -> bool:
    """Same parties in the same roles; for a meeting, also a visit and talks between the same
    parties (one directed, the other mutual), not two visits in opposite directions."""
    x, y = parties_key(a), parties_key(b)
    if x == y:
        return True
    if a.type not in _cfg()["unordered_types"] or x[0] == y[0]:
        return False
    return set(a.actor) | set(a.recipient) == set(b.actor) | set(b.recipient)


def status_class(status: str | None) -> str:
    """occurred, historical and future reports may be one event; negated and hypothetical stand apart."""
    status = status or "occurred"
    return "factual" if status in _cfg()["factual_statuses"] else status


def _day(s: str) -> date | None:
    try:
        return date.fromisoformat(s[:10])
    except (TypeError, ValueError):
        return None


def span(p: Period | None) -> tuple[str, str] | None:
    """(begin, end) of a period, the end defaulting to the begin; None when undated."""
    if p is None or not p.begin:
        return None
    return (p.begin, p.end or p.begin)


def dates_agree(a: Period | None, b: Period | None) -> bool:
    """True when two dates can be the same moment given their precision (their periods meet).

    "mai 2024" (2024-05-01..31) agrees with "16 mai 2024"; "juin 2019" does not agree with "juin 2024".
    """
    x, y = span(a), span(b)
    if x is None or y is None:
        return True
    return x[0] <= y[1] and y[0] <= x[1]


def intersect(a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str] | None:
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else None


def reach(e: Event, published: str | None) -> tuple[str, str] | None:
    """The days a report can be about: its own dates, else those its article's publication date
    allows for its status (`implied_days` in resources/fusion.yaml); None when nothing anchors it.

    >>> reach(Event("CONSULT", ("IND",), ("USA",)), "2024-06-23")
    ('2024-06-09', '2024-06-24')
    >>> reach(Event("CONSULT", ("IND",), ("USA",), status="historical"), "2024-06-23") is None
    True
    """
    own = span(e.date)
    if own is None:
        implied = _cfg()["implied_days"].get(e.status or "occurred")
        own = window(published, *implied) if implied else None
        if own is None:
            return None
    return own if days(own) <= int(_cfg()["max_reach_days"]) else None


def days(s: tuple[str, str] | None) -> int:
    if s is None:
        return 10 ** 6
    a, b = _day(s[0]), _day(s[1])
    return (b - a).days + 1 if a and b else 10 ** 6


@dataclass(frozen=True)
class _Place:
    ids: frozenset
    state: str | None          # the state itself, when the location is one
    country: str | None        # the state it lies in
    region: str | None         # its ISO 3166-2 subdivision


@lru_cache(maxsize=4096)
def _place(name: str) -> _Place:
    """What the gazetteer knows of a location name or id."""
    from veille.gazetteer import gazetteer, key_of

    gaz = gazetteer()
    ids = ({name} if name in gaz.entries else set()) | set(gaz.names.get(key_of(name), set()))
    if len(name) == 3 and name.isupper() and gaz.state(name):
        ids.add(gaz.states[name])
    entries = [gaz.entries[i] for i in sorted(ids)]

    def only(values):
        values = {v for v in values if v}
        return next(iter(values)) if len(values) == 1 else None

    return _Place(frozenset(ids), only(e.iso3 for e in entries), only(e.country for e in entries),
                  only(e.subdivision for e in entries))


def places_agree(a: str | None, b: str | None) -> bool:
    """True when two locations can be the same place: either is unknown, they are the same
    place (by name or gazetteer id), one is the state the other lies in, or both lie in the
    same region ("Palais du peuple" and "Pékin"). "Harbin" and "Pékin" do not agree."""
    if not a or not b or a == b or folded(a) == folded(b):
        return True
    x, y = _place(a), _place(b)
    if x.ids & y.ids:
        return True
    if (x.state and x.state == y.country) or (y.state and y.state == x.country):
        return True
    return bool(x.region and x.region == y.region)


def place_key(name: str | None) -> str | None:
    """A named place below a state as one key ("Pékin" and "Beijing" give the gazetteer's id,
    an unknown place its folded name); None for a state alone ("Chine") or no place."""
    if not name:
        return None
    p = _place(name)
    if p.state:
        return None
    return min(p.ids) if p.ids else folded(name)


def same_place(a: str | None, b: str | None) -> bool:
    """True when two locations name one place below a state: what links two loose reports."""
    key = place_key(a)
    return key is not None and key == place_key(b)


def same_event(a: Event, b: Event) -> bool:
    """True when two reports can be the same real-world event.

    >>> visit = Event("CONSULT", ("RUS",), ("CHN",), mode="visit", date=Period("2024-05-16", "2024-05-17"))
    >>> same_event(visit, Event("CONSULT", ("RUS",), ("CHN",), status="historical", date=Period("2024-05-01", "2024-05-31")))
    True
    >>> same_event(visit, Event("CONSULT", ("RUS",), ("CHN",), date=Period("2019-05-16", "2019-05-17")))
    False
    """
    return (a.type == b.type and parties_fit(a, b) and block_of(a) is not None
            and status_class(a.status) == status_class(b.status)
            and (not a.mode or not b.mode or a.mode == b.mode)
            and (a.count is None or b.count is None or a.count == b.count)
            and dates_agree(a.date, b.date) and places_agree(a.location, b.location))


# -- clustering a block -----------------------------------------------------------

@dataclass
class Report:
    """One event of one article, as the fusion sees it."""

    article_id: str
    idx: int
    event: Event
    published: str | None = None
    copy_group: str | None = None
    claim_source: str | None = None
    claim_kind: str | None = None
    evidence: str | None = None

    @cached_property
    def reach(self) -> tuple[str, str] | None:
        return reach(self.event, self.published)

    @property
    def group(self) -> str:
        """Its copy group (its own article when it has none)."""
        return self.copy_group or self.article_id

    @property
    def rank(self) -> tuple:
        ranks = _cfg()["status_rank"]
        s = span(self.event.date)
        return (s is None, days(s), days(self.reach), ranks.get(self.event.status, 9), self.published or "9999",
                self.article_id, self.idx)


@dataclass
class Cluster:
    """A fused event being built: its reports and what they agree on."""

    block: str
    reports: list[Report] = field(default_factory=list)
    core: tuple[str, str] | None = None        # the dates every dated report allows
    reach: tuple[str, str] | None = None       # the days every anchored report allows
    spans: dict[str, set] = field(default_factory=dict)       # article -> the dates it gives
    modes: set[str] = field(default_factory=set)
    directed: set[tuple] = field(default_factory=set)
    counts: set[int] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    @property
    def founder(self) -> Report:
        return self.reports[0]

    @property
    def id(self) -> str:
        return hash_id("e", self.block, self.founder.article_id, self.founder.idx)

    def accepts(self, r: Report) -> bool:
        """True when the report is the same event as the founder and agrees with every other report:
        one mode, one count, places that agree, dates that all meet, and from an article already
        there only a second mention of dates that meet its own (a visit on the 16th and 17th and the
        talks on the 16th; but one article, two dates apart: two events)."""
        e = r.event
        near = r.reach
        if near is not None and self.reach is not None and intersect(self.reach, near) is None:
            return False
        if not same_event(self.founder.event, e):
            return False
        s = span(e.date)
        if r.article_id in self.spans and not all(
                x == s or (x is not None and s is not None and intersect(x, s)) for x in self.spans[r.article_id]):
            return False
        if e.recipient and self.directed and parties_key(e) not in self.directed:
            return False                     # a visit of B to A does not join one of A to B
        if e.mode and self.modes and e.mode not in self.modes:
            return False
        if e.count is not None and self.counts and e.count not in self.counts:
            return False
        if e.location and not all(places_agree(e.location, x) for x in self.locations):
            return False
        if s is not None and self.core is not None and intersect(self.core, s) is None:
            return False
        return near is not None and self.reach is not None or self.linked(r)

    def linked(self, r: Report) -> bool:
        """What lets a loose report in (or a report into a loose cluster): a near-copy of its
        article already there, or, between loose reports, the same named place."""
        if r.group in self.groups:
            return True
        return self.reach is None and r.reach is None and any(
            same_place(r.event.location, x) for x in self.locations)

    def add(self, r: Report) -> None:
        e = r.event
        self.reports.append(r)
        s = span(e.date)
        self.spans.setdefault(r.article_id, set()).add(s)
        if e.mode:
            self.modes.add(e.mode)
        if e.recipient:
            self.directed.add(parties_key(e))
        if e.count is not None:
            self.counts.add(e.count)
        if e.location:
            self.locations.add(e.location)
        self.groups.add(r.group)
        if s is not None:
            self.core = s if self.core is None else intersect(self.core, s)
        near = r.reach
        if near is not None:
            self.reach = near if self.reach is None else intersect(self.reach, near)

    @property
    def sources(self) -> int:
        return len(self.spans)

    @property
    def independent(self) -> int:
        return len(self.groups)


def cluster_block(block: str, reports: Iterable[Report]) -> list[Cluster]:
    """Fuse a block's reports: most precise reports first, each joining the best cluster it fits.

    A report joins the compatible cluster with the most sources (ties: the one
    founded first) whose reach meets its own, else founds a new one; loose reports
    come last and join only a cluster they are linked to (`Cluster.linked`). The
    result depends only on the set of reports.
    """
    ordered = sorted(reports, key=lambda r: (r.reach is None, r.rank))
    clusters: list[Cluster] = []
    index = _ClusterIndex()
    for r in ordered:
        fits = [(clusters[i].sources, -i, clusters[i]) for i in index.candidates(r, len(clusters))
                if clusters[i].accepts(r)]
        if fits:
            _, minus_i, c = max(fits, key=lambda fit: fit[:2])
            c.add(r)
            index.joined(-minus_i, r)
        else:
            c = Cluster(block)
            c.add(r)
            clusters.append(c)
            index.founded(len(clusters) - 1, r)
    return clusters


class _ClusterIndex:
    """Which clusters a report could join, without asking every cluster of a large block.

    `Cluster.accepts` refuses a report whose reach does not meet the cluster's, and lets a
    loose report in only through a copy group or, between loose ones, a named place: so the
    candidates of an anchored report are the clusters whose founding reach shares a month
    with its reach (a cluster's reach only narrows; anchored reports come first, so no loose
    cluster exists yet), and those of a loose report the clusters holding its copy group and
    the loose clusters at its place (`place_key`). The clusters asked are a superset of those
    that accept, so the result is the one of asking them all.
    """

    def __init__(self):
        self.by_month: dict[str, list[int]] = {}
        self.by_group: dict[str, list[int]] = {}
        self.unplaced: list[int] = []        # clusters with a reach that no month bucket holds
        self.loose: set[int] = set()         # clusters with no reach
        self.loose_at: dict[str, set[int]] = {}     # place key -> the loose clusters with a report there

    def candidates(self, r: Report, count: int) -> list[int]:
        if r.reach is None:
            found = set(self.by_group.get(r.group, ()))
            place = place_key(r.event.location)
            if place is not None:
                found |= self.loose_at.get(place, set())
        else:
            months = _months(r.reach)
            if months is None:
                return list(range(count))
            found = set(self.unplaced)
            for m in months:
                found.update(self.by_month.get(m, ()))
        return sorted(found)

    def founded(self, i: int, r: Report) -> None:
        if r.reach is None:
            self.loose.add(i)
        else:
            months = _months(r.reach)
            if months is None:
                self.unplaced.append(i)
            for m in months or ():
                self.by_month.setdefault(m, []).append(i)
        self.joined(i, r)

    def joined(self, i: int, r: Report) -> None:
        holders = self.by_group.setdefault(r.group, [])
        if i not in holders:
            holders.append(i)
        if i in self.loose:
            place = place_key(r.event.location)
            if place is not None:
                self.loose_at.setdefault(place, set()).add(i)


def _months(reach: tuple[str, str]) -> list[str] | None:
    """The months ("2024-06") a reach covers, or None when it is not two ISO dates a few years apart."""
    try:
        first = int(reach[0][:4]) * 12 + int(reach[0][5:7]) - 1
        last = int(reach[1][:4]) * 12 + int(reach[1][5:7]) - 1
    except (ValueError, TypeError, IndexError):
        return None
    if not 0 <= last - first <= 36:
        return None
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def confidence(reports: Sequence[Report]) -> float:
    """Noisy-OR of the best confidence of each independent source (copy group).

    Two independent sources at 0.5 give 0.75; ten copies of one dispatch give 0.5.
    """
    best: dict[str, float] = {}
    for r in reports:
        g = r.copy_group or r.article_id
        best[g] = max(best.get(g, 0.0), min(max(float(r.event.confidence), 0.0), 1.0))
    miss = 1.0
    for c in best.values():
        miss *= 1.0 - c
    return round(1.0 - miss, 4)


def summary(c: Cluster) -> dict:
    """The fused event's own fields, from its reports."""
    reports = c.reports
    ranks = _cfg()["status_rank"]
    first = c.founder.event

    def most_common(values):
        values = [v for v in values if v not in (None, "")]
        if not values:
            return None
        return max(sorted(set(values), key=str), key=values.count)

    sectors = sorted({s for r in reports for s in r.event.sectors})
    published = sorted(r.published for r in reports if r.published)
    # a meeting with a visit among its reports is the visit: its host is the recipient
    parties = next((r.event for r in reports if r.event.recipient), first)
    return {
        "event_id": c.id, "block": c.block, "type": first.type,
        "mode": most_common([r.event.mode for r in reports]),
        "status": min((r.event.status for r in reports), key=lambda s: ranks.get(s, 9)),
        "actor": sorted(set(parties.actor)), "recipient": sorted(set(parties.recipient)),
        "date_begin": c.core[0] if c.core else None, "date_end": c.core[1] if c.core else None,
        "location": most_common([r.event.location for r in reports]),
        "sectors": sectors, "count": most_common([r.event.count for r in reports]),
        "sources": c.sources, "independent_sources": c.independent, "confidence": confidence(reports),
        "first_reported": published[0] if published else None,
        "last_reported": published[-1] if published else None,
    }

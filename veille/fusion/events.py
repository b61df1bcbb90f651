"""Events: reports of the same real-world event in different articles fused into one.

Two reports are the same event when they have the same PLOVER type and the same
parties (the same direction: a visit of A to B is not talks between A and B),
dates that agree within their precision (their periods meet), the same place
where both name one, the same mode and count where both state one, and
compatible statuses (a report, an announcement and a background mention of one
event fuse; a negated or hypothetical event only with its own kind). A fused
event keeps every source, its evidence sentence and its claim source; its
confidence grows with independent sources (distinct copy groups).

Reports are grouped block by block, a block being a type and its parties; the
clustering of a block depends only on the set of its reports, so ingesting in
one go or in parts gives the same fused events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

from veille.fusion.data import config, folded, hash_id
from veille.records import Event, Period


def _cfg() -> dict:
    return config()["events"]


def parties_key(e: Event) -> tuple:
    """("mutual", parties) for reciprocal acts, ("directed", actors, recipients) otherwise."""
    if not e.recipient:
        return ("mutual", tuple(sorted(set(e.actor))))
    return ("directed", tuple(sorted(set(e.actor))), tuple(sorted(set(e.recipient))))


def block_of(e: Event) -> str | None:
    """The block a report is clustered in: its type and parties; None without any party."""
    key = parties_key(e)
    if not any(key[1:]):
        return None
    if key[0] == "mutual":
        return f"{e.type}|{'+'.join(key[1])}"
    return f"{e.type}|{'+'.join(key[1])}>{'+'.join(key[2])}"


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


def same_event(a: Event, b: Event) -> bool:
    """True when two reports can be the same real-world event.

    >>> visit = Event("CONSULT", ("RUS",), ("CHN",), mode="visit", date=Period("2024-05-16", "2024-05-17"))
    >>> same_event(visit, Event("CONSULT", ("RUS",), ("CHN",), status="historical", date=Period("2024-05-01", "2024-05-31")))
    True
    >>> same_event(visit, Event("CONSULT", ("RUS",), ("CHN",), date=Period("2019-05-16", "2019-05-17")))
    False
    """
    return (a.type == b.type and parties_key(a) == parties_key(b) and block_of(a) is not None
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

    @property
    def rank(self) -> tuple:
        ranks = _cfg()["status_rank"]
        s = span(self.event.date)
        return (s is None, days(s), ranks.get(self.event.status, 9), self.published or "9999",
                self.article_id, self.idx)


@dataclass
class Cluster:
    """A fused event being built: its reports and what they agree on."""

    block: str
    reports: list[Report] = field(default_factory=list)
    core: tuple[str, str] | None = None
    spans: dict[str, set] = field(default_factory=dict)       # article -> the dates it gives
    modes: set[str] = field(default_factory=set)
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
        there only a second mention of the same dates (one article, two dates: two events)."""
        e = r.event
        if not same_event(self.founder.event, e):
            return False
        s = span(e.date)
        if r.article_id in self.spans and self.spans[r.article_id] != {s}:
            return False
        if e.mode and self.modes and e.mode not in self.modes:
            return False
        if e.count is not None and self.counts and e.count not in self.counts:
            return False
        if e.location and not all(places_agree(e.location, x) for x in self.locations):
            return False
        return s is None or self.core is None or intersect(self.core, s) is not None

    def add(self, r: Report) -> None:
        e = r.event
        self.reports.append(r)
        s = span(e.date)
        self.spans.setdefault(r.article_id, set()).add(s)
        if e.mode:
            self.modes.add(e.mode)
        if e.count is not None:
            self.counts.add(e.count)
        if e.location:
            self.locations.add(e.location)
        self.groups.add(r.copy_group or r.article_id)
        if s is not None:
            self.core = s if self.core is None else intersect(self.core, s)

    @property
    def sources(self) -> int:
        return len(self.spans)

    @property
    def independent(self) -> int:
        return len(self.groups)


def cluster_block(block: str, reports: Iterable[Report]) -> list[Cluster]:
    """Fuse a block's reports: most precise reports first, each joining the best cluster it fits.

    A report joins the compatible cluster with the most sources (ties: the one
    founded first) whose dates all meet its own, else founds a new one; undated
    reports come last. The result depends only on the set of reports.
    """
    ordered = sorted(reports, key=lambda r: r.rank)
    clusters: list[Cluster] = []
    for r in ordered:
        fits = [c for c in clusters if c.accepts(r)]
        if fits:
            max(fits, key=lambda c: (c.sources, -clusters.index(c))).add(r)
        else:
            c = Cluster(block)
            c.add(r)
            clusters.append(c)
    return clusters


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
    return {
        "event_id": c.id, "block": c.block, "type": first.type,
        "mode": most_common([r.event.mode for r in reports]),
        "status": min((r.event.status for r in reports), key=lambda s: ranks.get(s, 9)),
        "actor": sorted(set(first.actor)), "recipient": sorted(set(first.recipient)),
        "date_begin": c.core[0] if c.core else None, "date_end": c.core[1] if c.core else None,
        "location": most_common([r.event.location for r in reports]),
        "sectors": sectors, "count": most_common([r.event.count for r in reports]),
        "sources": c.sources, "independent_sources": c.independent, "confidence": confidence(reports),
        "first_reported": published[0] if published else None,
        "last_reported": published[-1] if published else None,
    }

"""The part of an event block a batch recomputes: its *region*, the stored reports the batch's
reports can reach, pulled in from the fusion tables until nothing new comes (`event_regions`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from veille.fusion.events import Report
from veille.fusion.sql import rows
from veille.records import Event, Period


def report_from_row(row: dict) -> Report:
    """A stored report (a row of fused_event_sources, with its article's current copy group)."""
    date = Period(row["date_begin"], row["date_end"]) if row["date_begin"] or row["date_end"] else None
    evidence = (row["evidence_start"], row["evidence_end"]) if row["evidence_start"] is not None else None
    e = Event(type=row["type"], actor=tuple(row["actor"] or ()), recipient=tuple(row["recipient"] or ()),
              mode=row["mode"], status=row["status"] or "occurred", date=date, location=row["location"],
              sectors=tuple(row["sectors"] or ()), count=row["count"], evidence=evidence,
              confidence=row["confidence"] if row["confidence"] is not None else 0.5)
    return Report(row["article_id"], row["event_idx"], e, row["published"], row["current_group"],
                  row["claim_source"], row["claim_kind"], row["evidence"])


# A batch recomputes, in each block it touches, only the *region* its reports can reach:
# the stored reports whose reaches meet theirs, the loose ones that share a copy group with
# them or are loose at the same named place, and those in the same fused event, closed
# under the same relation. Reports outside it can join none of its clusters (events.py), so
# the rows are those of one go. A copy group links only loose reports (`Cluster.linked`: an
# anchored report joins by its reach alone), so an article's other anchored reports are not
# pulled in through it: without that, every article's events chained the region back
# through the whole timeline, a few weeks a step.

@dataclass
class Region:
    """What a batch's reports reach in one block: stored rows are pulled in until closed."""

    spans: list[tuple[str, str]] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)

    def take(self, reach, group, place, event_id=None) -> None:
        if reach is not None:
            self.spans.append(tuple(reach))
        elif place:
            self.places.add(place)
        if group:
            self.groups.add(group)
        if event_id:
            self.events.add(event_id)

    def merged(self) -> list[tuple[str, str]]:
        out: list[list[str]] = []
        for b, e in sorted(self.spans):
            if out and b <= out[-1][1]:
                out[-1][1] = max(out[-1][1], e)
            else:
                out.append([b, e])
        self.spans = [tuple(x) for x in out]
        return self.spans


REGION_SQL = """
WITH w AS (SELECT unnest(?::VARCHAR[]) AS block, unnest(?::VARCHAR[]) AS b, unnest(?::VARCHAR[]) AS e),
     g AS (SELECT unnest(?::VARCHAR[]) AS block, unnest(?::VARCHAR[]) AS grp),
     p AS (SELECT unnest(?::VARCHAR[]) AS block, unnest(?::VARCHAR[]) AS place),
     hit AS (
       SELECT s.article_id, s.event_idx FROM fused_event_sources s
         JOIN w ON s.block = w.block AND s.reach_begin <= w.e AND w.b <= s.reach_end
       UNION SELECT s.article_id, s.event_idx FROM fused_event_sources s JOIN copy_members m USING (article_id)
         JOIN g ON s.block = g.block AND m.group_id = g.grp AND s.reach_begin IS NULL
       UNION SELECT s.article_id, s.event_idx FROM fused_event_sources s
         JOIN p ON s.block = p.block AND s.place_key = p.place AND s.reach_begin IS NULL
       UNION SELECT article_id, event_idx FROM fused_event_sources WHERE event_id IN (SELECT unnest(?::VARCHAR[])))
SELECT s.*, m.group_id AS current_group FROM fused_event_sources s JOIN hit USING (article_id, event_idx)
LEFT JOIN copy_members m USING (article_id)
"""


def uncovered(span: tuple[str, str], asked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The parts of `span` that the (sorted, disjoint) spans already `asked` leave, each
    with the day it shares with them: what a reach meeting `span` but none of `asked` meets.
    A region that grows a few weeks a step asks for those weeks, not again for all it holds.

    >>> uncovered(("2024-01-01", "2024-12-31"), [("2024-03-01", "2024-04-30")])
    [('2024-01-01', '2024-03-01'), ('2024-04-30', '2024-12-31')]
    """
    out, begin, met = [], span[0], False
    for x, y in asked:
        if y < begin or x > span[1]:
            continue
        if x > begin:
            out.append((begin, x))
        begin, met = max(begin, y), True
    if begin < span[1] or not met:
        out.append((begin, span[1]))
    return out


def event_regions(con, regions: dict[str, Region]) -> dict[str, list[Report]]:
    """The stored reports of each block's region, pulled in until nothing new comes."""
    loaded: dict[tuple[str, int], dict] = {}
    asked: dict[str, Region] = {b: Region() for b in regions}
    while True:
        w, g, p, ids = ([], [], []), ([], []), ([], []), []
        for block, region in regions.items():
            done = asked[block]
            for b, e in region.merged():
                for gap in uncovered((b, e), done.spans):
                    w[0].append(block), w[1].append(gap[0]), w[2].append(gap[1])
            for grp in region.groups - done.groups:
                g[0].append(block), g[1].append(grp)
            for place in region.places - done.places:
                p[0].append(block), p[1].append(place)
            ids.extend(region.events - done.events)
            done.spans, done.groups = list(region.spans), set(region.groups)
            done.places, done.events = set(region.places), set(region.events)
        if not (w[0] or g[0] or p[0] or ids):
            break
        for row in rows(con, REGION_SQL, [*w, *g, *p, sorted(ids)]):
            key = (row["article_id"], row["event_idx"])
            if key in loaded:
                continue
            loaded[key] = row
            reach = (row["reach_begin"], row["reach_end"]) if row["reach_begin"] else None
            regions[row["block"]].take(reach, row["current_group"] or row["article_id"], row["place_key"],
                                       row["event_id"])
    out: dict[str, list[Report]] = {}
    for row in loaded.values():
        out.setdefault(row["block"], []).append(report_from_row(row))
    return out

"""Keeping the fusion tables up to date as articles arrive: `fuse(store, article_ids)`.

One call is one transaction. It takes in the articles not yet fused, finds their
near-copies, then recomputes only the event blocks (type and parties) and figure
families (metric, relation, status, places, dimension) that they touch, or whose
members changed copy group. Each block and family is recomputed from the set of
its members, so the result does not depend on the order or the batches in which
the articles came: ingesting a corpus in two halves gives the rows of one go.
A corrected article (a new version) replaces the version it supersedes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator

import numpy as np

from veille.fusion import copies
from veille.fusion.claims import Claim, claims_in, sentence_around
from veille.fusion.data import bundle_of, config, hash_id, outlet_of, window
from veille.fusion.events import Report, block_of, cluster_block, epoch_of, place_key, summary
from veille.fusion.regions import Region, event_regions
from veille.fusion.sql import in_list, insert, iter_in
from veille.fusion.figures import (Group, Member, assess, comparable, family_id, family_key, granularity, group_id,
                                   anchor, lasting, period_end, place, qualifier_of, single_group, undated_reach)
from veille.language import Language
from veille.records import Event, Measurement, Period, Record

CHUNK = 500
# Articles taken in per step of one `fuse` call: memory stays bounded on a large backfill.
STEP = 2000


@dataclass
class FusionReport:
    """What one `fuse` call did."""

    articles: int = 0                 # articles taken in
    removed: int = 0                  # superseded versions taken out
    copy_groups: int = 0              # copy groups created or changed
    event_blocks: int = 0             # event blocks recomputed
    figure_families: int = 0          # figure families recomputed
    events: int = 0                   # fused events in those blocks
    figure_groups: int = 0            # figure groups in those families
    conflicts: int = 0                # of which in conflict

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def fuse(store, article_ids: Iterable[str] | None = None) -> FusionReport:
    """Take the given stored articles (default: every article not yet fused) into the fusion.

    Articles already fused are skipped, so calling it again changes nothing.
    """
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        report = _fuse_all(con, None if article_ids is None else list(article_ids))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report


def _fuse_all(con, ids: list[str] | None) -> FusionReport:
    """Take the articles in steps of STEP; each step recomputes what it touches."""
    pending = _pending(con, ids)
    total = FusionReport()
    for start in range(0, max(len(pending), 1), STEP):
        step = _fuse(con, pending[start:start + STEP])
        for name, value in step.to_dict().items():
            setattr(total, name, getattr(total, name) + value)
    return total


def _pending(con, ids: list[str] | None) -> list[str]:
    """The latest versions among `ids` (default: all articles) not fused yet."""
    pending = ("SELECT a.id FROM articles a WHERE a.id NOT IN (SELECT article_id FROM fusion_articles)"
               " AND a.id NOT IN (SELECT supersedes FROM articles WHERE supersedes IS NOT NULL)")
    if ids is None:
        return [r[0] for r in con.execute(pending + " ORDER BY a.id").fetchall()]
    return sorted({r[0] for r in in_list(con, pending + " AND a.id IN (SELECT unnest(?))", ids)})


def rebuild(store) -> FusionReport:
    """Drop every fusion row and fuse all stored articles again (after a change of thresholds)."""
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("figure_conflicts", "figure_members", "figure_groups", "fused_event_sources",
                      "fused_events", "copy_members", "copy_bands", "copy_signatures", "fusion_articles"):
            con.execute(f"DELETE FROM {table}")
        report = _fuse_all(con, None)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report


# -- the update -------------------------------------------------------------------

@dataclass
class _Article:
    id: str
    record: Record
    outlet: str
    published: str | None

    @property
    def lang(self) -> Language:
        """The bundle of the article's language: its cues say who states what."""
        return bundle_of(self.record.doc.language)


@dataclass
class _Touched:
    blocks: dict[str, Region] = field(default_factory=dict)          # block -> the fused events to redo
    families: dict[str, "_FigureSeeds"] = field(default_factory=dict)  # family -> the groups to redo

    def events_of(self, con, articles: list[str]) -> None:
        for block, event_id in in_list(con, "SELECT DISTINCT block, event_id FROM fused_event_sources"
                                             " WHERE article_id IN (SELECT unnest(?))", articles):
            self.blocks.setdefault(block, Region()).events.add(event_id)

    def figures_of(self, con, articles: list[str]) -> list[Member]:
        """Take the articles' figures out of their groups (which will be redone); returns them."""
        taken = []
        for row in iter_in(con, _MEMBERS_SQL.replace("f.group_id IN", "f.article_id IN"), articles):
            seed = self.families.setdefault(row["family"], _FigureSeeds())
            seed.groups.add(row["group_id"])
            if row["dated"]:
                seed.ends.add(row["period_end"] or row["period_begin"])
                seed.copies.add(row["current_group"] or row["article_id"])
            taken.append((row["family"], _member_from_row(row)))
        in_list(con, "DELETE FROM figure_members WHERE article_id IN (SELECT unnest(?))", articles)
        return taken


def _fuse(con, new_ids: list[str]) -> FusionReport:
    """One step: take out superseded versions, take in `new_ids` (pending latest versions)."""
    report = FusionReport()
    gone = sorted(r[0] for r in con.execute(
        "SELECT article_id FROM fusion_articles WHERE article_id IN"
        " (SELECT supersedes FROM articles WHERE supersedes IS NOT NULL)").fetchall())
    touched = _Touched()

    if gone:
        report.removed = len(gone)
        _remove(con, gone, touched)
    articles = list(_load(con, new_ids))
    report.articles = len(articles)
    insert(con, "fusion_articles", [{"article_id": a.id, "outlet": a.outlet, "published": a.published}
                                     for a in articles])
    changed = _link_copies(con, articles, gone, report)
    regrouped: list = []
    undated: list[_Article] = []
    if changed:
        touched.events_of(con, sorted(changed))
        regrouped = touched.figures_of(con, sorted(changed))      # placed again, with their new copy group
        undated = _undated_events_of(con, sorted(changed))         # blocked again, by their new group's day
    copy_of = dict(in_list(con, "SELECT article_id, group_id FROM copy_members WHERE article_id IN (SELECT unnest(?))",
                            [a.id for a in articles + undated]))
    group_day = dict(in_list(con, "SELECT m.group_id, a.published FROM copy_members m JOIN fusion_articles a"
                                   " USING (article_id) WHERE m.founder AND m.group_id IN (SELECT unnest(?))",
                              sorted(set(copy_of.values()))))

    reports: dict[str, list[Report]] = {}
    members: dict[str, list[Member]] = {}
    for a in articles + undated:
        group = copy_of.get(a.id)
        for block, r in _reports(a, group, group_day.get(group)):
            reports.setdefault(block, []).append(r)
    for a in articles:
        for family, m in _members(a, copy_of.get(a.id)):
            members.setdefault(family, []).append(m)
    for family, m in regrouped:
        members.setdefault(family, []).append(m)

    _update_events(con, touched.blocks, reports, report)
    _update_figures(con, touched.families, members, report)
    return report


def _undated_events_of(con, articles: list[str]) -> list[_Article]:
    """The articles without a publication date among `articles` (whose copy group changed),
    their reports taken out: an undated article's reports are blocked by the day of its copy
    group (`_reports`), so they are made again."""
    ids = sorted(r[0] for r in in_list(con, "SELECT article_id FROM fusion_articles WHERE published IS NULL"
                                             " AND article_id IN (SELECT unnest(?))", articles))
    if not ids:
        return []
    in_list(con, "DELETE FROM fused_event_sources WHERE article_id IN (SELECT unnest(?))", ids)
    return list(_load(con, ids))


def _load(con, ids: list[str]) -> Iterator[_Article]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = con.execute(
            "SELECT r.article_id, r.record FROM records r WHERE r.article_id IN (SELECT unnest(?)) "
            "ORDER BY r.article_id", [chunk]).fetchall()
        for aid, raw in rows:
            record = Record.from_dict(json.loads(raw))
            doc = record.doc
            yield _Article(aid, record, outlet_of(doc.metadata, doc.source), doc.published)


def _remove(con, gone: list[str], touched: _Touched) -> None:
    """Take superseded versions out; the blocks, families and copy groups they were in are touched."""
    touched.events_of(con, gone)
    touched.figures_of(con, gone)
    for table in ("fused_event_sources", "figure_members", "copy_bands", "copy_signatures", "fusion_articles"):
        in_list(con, f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", gone)


# -- near-copies --------------------------------------------------------------------

def _link_copies(con, articles: list[_Article], gone: list[str], report: FusionReport) -> set[str]:
    """Sign the new articles, join or merge copy groups; returns the old articles whose group changed."""
    changed: set[str] = set()
    # groups that lost a superseded member are re-linked among their remaining members
    broken = sorted({r[0] for r in in_list(con, "SELECT group_id FROM copy_members WHERE article_id IN (SELECT unnest(?))", gone)})
    if gone:
        in_list(con, "DELETE FROM copy_members WHERE article_id IN (SELECT unnest(?))", gone)
    relink: dict[str, np.ndarray] = {}
    if broken:
        rows = in_list(con, "SELECT m.article_id, s.signature FROM copy_members m JOIN copy_signatures s USING (article_id)"
                             " WHERE m.group_id IN (SELECT unnest(?))", broken)
        relink = {aid: np.asarray(sig, dtype=np.uint64) for aid, sig in rows}
        in_list(con, "DELETE FROM copy_members WHERE group_id IN (SELECT unnest(?))", broken)
        changed |= set(relink)

    new: dict[str, np.ndarray] = {}
    sig_rows, band_rows = [], []
    for a in articles:
        sig = copies.signature(a.record.doc.text)
        new[a.id] = sig
        sig_rows.append({"article_id": a.id, "shingles": len(copies.shingles(a.record.doc.text)),
                         "signature": [int(x) for x in sig]})
    insert(con, "copy_signatures", sig_rows)
    every = {**relink, **new}
    buckets: dict[tuple[int, int], set[str]] = {}
    for aid, sig in every.items():
        for band, h in copies.bands(sig):
            buckets.setdefault((band, h), set()).add(aid)
            if aid in new:
                band_rows.append({"band": band, "hash": h, "article_id": aid})
    # stored articles in the same buckets
    keys = sorted(buckets)
    old_group: dict[str, str] = {}
    if keys:
        stored = []
        for start in range(0, len(keys), 20000):
            chunk = keys[start:start + 20000]
            stored.extend(con.execute(
                "SELECT b.band, b.hash, b.article_id, m.group_id FROM copy_bands b JOIN copy_members m USING (article_id)"
                " JOIN (SELECT unnest(?::SMALLINT[]) AS band, unnest(?::UBIGINT[]) AS hash) q USING (band, hash)",
                [[b for b, _ in chunk], [h for _, h in chunk]]).fetchall())
        for band, h, aid, gid in stored:
            if aid in every:
                continue
            buckets[(band, h)].add(aid)
            old_group[aid] = gid
    insert(con, "copy_bands", band_rows)

    def old_signature(ids: list[str]) -> dict:
        rows = con.execute("SELECT article_id, signature FROM copy_signatures WHERE article_id IN (SELECT unnest(?))",
                           [ids]).fetchall()
        return {aid: np.asarray(sig, dtype=np.uint64) for aid, sig in rows}

    components = copies.link(every, buckets, old_group, old_signature)
    published = {a.id: a.published for a in articles}
    rows = []
    for new_ids, old_gids in components:
        members = set(new_ids)
        if old_gids:
            olds = in_list(con, "SELECT article_id FROM copy_members WHERE group_id IN (SELECT unnest(?))", sorted(old_gids))
            members |= {r[0] for r in olds}
            in_list(con, "DELETE FROM copy_members WHERE group_id IN (SELECT unnest(?))", sorted(old_gids))
        missing = sorted(m for m in members if m not in published)
        if missing:
            published.update(dict(in_list(con, "SELECT article_id, published FROM fusion_articles"
                                                 " WHERE article_id IN (SELECT unnest(?))", missing)))
        founder = min(members, key=lambda m: (published.get(m) or "9999", m))
        gid = hash_id("c", founder)
        if old_gids != {gid}:
            changed |= members - set(new)
        rows.extend({"article_id": m, "group_id": gid, "founder": m == founder} for m in sorted(members))
        report.copy_groups += 1
    insert(con, "copy_members", rows)
    return changed


# -- events ---------------------------------------------------------------------------

def _claims(a: _Article, spans: list[tuple[tuple[int, int], tuple[int, int] | None]]) -> list[Claim | None]:
    text = a.record.doc.text
    return claims_in(text, spans, a.record.entities, a.lang)


def _reports(a: _Article, copy_group: str | None, group_day: str | None = None) -> Iterator[tuple[str, Report]]:
    """The article's events as reports, each with its block: type, parties and epoch, the
    epoch read from the report's own date, else the article's publication date, else that of
    its copy group (the first published of its near-copies: an undated reprint belongs with
    the dispatch it copies)."""
    text = a.record.doc.text
    events = a.record.events
    spans = [(e.evidence, e.evidence) if e.evidence else ((0, 0), (0, 0)) for e in events]
    claims = _claims(a, spans) if events else []
    names = {e.id: e.name for e in a.record.entities}
    for i, e in enumerate(events):
        claim = claims[i] if e.evidence else None
        if e.source:
            source, kind = e.source, "cited"
        elif claim:
            source, kind = names.get(claim.entity, claim.source), claim.kind
        else:
            source, kind = a.outlet, "outlet"
        block = block_of(e)
        block = f"{block}@{epoch_of(e, a.published or group_day)}" if block else f"solo:{a.id}:{i}"
        evidence = text[e.evidence[0]:e.evidence[1]] if e.evidence else None
        yield block, Report(a.id, i, e, a.published, copy_group, source, kind, evidence)


def _report_row(block: str, event_id: str, r: Report) -> dict:
    e = r.event
    reach = r.reach
    return {
        "event_id": event_id, "block": block, "article_id": r.article_id, "event_idx": r.idx,
        "type": e.type, "mode": e.mode, "status": e.status, "actor": list(e.actor), "recipient": list(e.recipient),
        "date_begin": e.date.begin if e.date else None, "date_end": e.date.end if e.date else None,
        "location": e.location, "sectors": list(e.sectors), "count": e.count, "confidence": e.confidence,
        "evidence_start": e.evidence[0] if e.evidence else None, "evidence_end": e.evidence[1] if e.evidence else None,
        "evidence": r.evidence, "claim_source": r.claim_source, "claim_kind": r.claim_kind,
        "copy_group": r.copy_group, "published": r.published,
        "reach_begin": reach[0] if reach else None, "reach_end": reach[1] if reach else None,
        "place_key": place_key(e.location) if reach is None else None,
    }


def _update_events(con, seeds: dict[str, Region], new: dict[str, list[Report]], report: FusionReport) -> None:
    """Recompute the regions that the new reports and the `seeds` (rows of articles taken out
    or whose copy group changed) reach, block by block."""
    regions: dict[str, Region] = {}
    for block, region in seeds.items():
        regions[block] = region
    for block, reps in new.items():
        region = regions.setdefault(block, Region())
        for r in reps:
            region.take(r.reach, r.group, place_key(r.event.location) if r.reach is None else None)
    if not regions:
        return
    existing = event_regions(con, regions)
    old_ids = sorted({e for r in regions.values() for e in r.events})
    in_list(con, "DELETE FROM fused_event_sources WHERE event_id IN (SELECT unnest(?))", old_ids)
    in_list(con, "DELETE FROM fused_events WHERE event_id IN (SELECT unnest(?))", old_ids)
    event_rows, source_rows = [], []
    for block in sorted(regions):
        reps = existing.get(block, []) + new.get(block, [])
        if not reps:
            continue
        for cluster in cluster_block(block, reps):
            event_rows.append(summary(cluster))
            source_rows.extend(_report_row(block, cluster.id, r) for r in cluster.reports)
    insert(con, "fused_events", event_rows)
    insert(con, "fused_event_sources", source_rows)
    report.event_blocks += len(regions)
    report.events += len(event_rows)


# -- figures --------------------------------------------------------------------------

def _members(a: _Article, copy_group: str | None) -> Iterator[tuple[str, Member]]:
    text = a.record.doc.text
    ms = a.record.measurements
    spans = [((m.start, m.end), m.evidence or sentence_around(text, m.start, m.end)) for m in ms]
    claims = _claims(a, spans) if ms else []
    names = {e.id: e.name for e in a.record.entities}
    for i, m in enumerate(ms):
        claim = claims[i]
        sentence = spans[i][1]
        # the qualifier read once, in the article's language: the grouping reads the record's field
        m = replace(m, evidence=m.evidence or tuple(sentence), qualifier=qualifier_of(m, a.lang))
        member = Member(a.id, i, m, a.published, copy_group, outlet=a.outlet,
                        evidence=text[sentence[0]:sentence[1]])
        if claim:
            member.claim_source = names.get(claim.entity, claim.source) if claim.entity else claim.source
            member.claim_kind, member.claim_entity = claim.kind, claim.entity
        family = family_key(m)
        yield (family_id(family) if family else f"single:{a.id}:{i}"), member


def _member_from_row(row: dict) -> Member:
    period = Period(row["period_begin"], row["period_end"]) if row["period_begin"] or row["period_end"] else None
    evidence = (row["evidence_start"], row["evidence_end"]) if row["evidence_start"] is not None else None
    m = Measurement(start=0, end=0, text=row["text"] or "", value=row["value"], unit=row["unit"], kind=row["kind"],
                    relation=row["relation"], status=row["status"], metric=row["metric"], from_=row["place_from"],
                    to=row["place_to"], period=period, usd=row["usd"], qualifier=row["qualifier"],
                    value_max=row["value_max"], evidence=evidence)
    return Member(row["article_id"], row["measurement_idx"], m, row["published"], row["current_group"],
                  row["claim_source"], row["claim_kind"], row["claim_entity"], row["outlet"], row["evidence"])


# Figures the same way: a batch recomputes, in each family it touches, the groups of the
# periods its figures state, the undated figures whose reach covers those periods, the
# groups in those figures' reaches, and the groups these were in (figures.py: an undated
# figure's place depends only on the dated members within its reach).

@dataclass
class _FigureSeeds:
    groups: set[str] = field(default_factory=set)              # group ids to rewrite
    ends: set[str] = field(default_factory=set)                # period ends whose dated members changed
    copies: set[str] = field(default_factory=set)              # copy groups of changed dated members


_MEMBERS_SQL = ("SELECT f.*, m.group_id AS current_group, a.outlet, g0.period_begin AS group_begin, g0.period_end AS group_end"
                " FROM figure_members f LEFT JOIN copy_members m USING (article_id)"
                " LEFT JOIN fusion_articles a USING (article_id) LEFT JOIN figure_groups g0 ON g0.group_id = f.group_id"
                " WHERE f.group_id IN (SELECT unnest(?))")

# stored undated figures whose reach covers a changed period end, or linked by copy group
_UNDATED_SQL = """
WITH c AS (SELECT unnest(?::VARCHAR[]) AS fam, unnest(?::VARCHAR[]) AS pend),
     g AS (SELECT unnest(?::VARCHAR[]) AS fam, unnest(?::VARCHAR[]) AS grp)
SELECT DISTINCT f.group_id FROM figure_members f JOIN c ON f.family = c.fam AND NOT f.dated
  AND f.reach_begin <= c.pend AND c.pend <= f.reach_end
UNION SELECT DISTINCT f.group_id FROM figure_members f JOIN copy_members m USING (article_id)
  JOIN g ON f.family = g.fam AND m.group_id = g.grp AND NOT f.dated AND f.reach_begin IS NULL
"""

# dated groups whose period ends within a window, or holding a figure of a copy group
_REACHED_SQL = """
WITH w AS (SELECT unnest(?::VARCHAR[]) AS fam, unnest(?::VARCHAR[]) AS b, unnest(?::VARCHAR[]) AS e),
     g AS (SELECT unnest(?::VARCHAR[]) AS fam, unnest(?::VARCHAR[]) AS grp)
SELECT g0.group_id FROM figure_groups g0 JOIN w ON g0.family = w.fam AND g0.period_begin IS NOT NULL
  AND w.b <= coalesce(g0.period_end, g0.period_begin) AND coalesce(g0.period_end, g0.period_begin) <= w.e
UNION SELECT DISTINCT f.group_id FROM figure_members f JOIN copy_members m USING (article_id)
  JOIN g ON f.family = g.fam AND m.group_id = g.grp AND f.dated
"""

# groups of undated figures in no dated group with a figure published within a window
_CHAINS_SQL = """
WITH w AS (SELECT unnest(?::VARCHAR[]) AS fam, unnest(?::VARCHAR[]) AS b, unnest(?::VARCHAR[]) AS e)
SELECT DISTINCT f.group_id FROM figure_members f JOIN figure_groups g0 USING (group_id)
  JOIN w ON f.family = w.fam AND g0.period_begin IS NULL AND f.anchor IS NOT NULL
  AND w.b <= f.anchor AND f.anchor <= w.e
"""


def _pairs(items) -> tuple[list, list]:
    items = sorted(items)
    return [a for a, _ in items], [b for _, b in items]


def _triples(items) -> tuple[list, list, list]:
    items = sorted(items)
    return [a for a, _, _ in items], [b for _, b, _ in items], [c for _, _, c in items]


class _Loaded:
    """Stored figure rows read so far, by (article, index)."""

    def __init__(self, con):
        self.con, self.rows, self.groups = con, {}, set()

    def groups_of(self, ids) -> list[dict]:
        ids = sorted(set(ids) - self.groups)
        self.groups |= set(ids)
        fresh = []
        for row in iter_in(self.con, _MEMBERS_SQL, ids):
            key = (row["article_id"], row["measurement_idx"])
            if key not in self.rows:
                self.rows[key] = row
                fresh.append(row)
        return fresh


def _update_figures(con, seeds: dict[str, _FigureSeeds], new: dict[str, list[Member]], report: FusionReport) -> None:
    """Recompute the groups that the new figures and the `seeds` (figures taken out) reach:
    the groups of the periods they state; the undated figures whose reach covers those
    periods, placed again; the dated groups in those figures' reaches (what they choose
    from); and the chains of unplaced undated figures they belong to, whole."""
    families = sorted(set(seeds) | set(new))
    if not families:
        return
    rewrite: set[str] = set()
    out: list[Group] = []
    keyed = []
    for family in families:
        if family.startswith("single:"):
            rewrite |= seeds.get(family, _FigureSeeds()).groups
            out.extend((family, single_group(m)) for m in new.get(family, []))
        else:
            keyed.append(family)
    loaded = _Loaded(con)
    ends, links = set(), set()
    undated: dict[str, list[Member]] = {}
    for family in keyed:
        seed = seeds.setdefault(family, _FigureSeeds())
        rewrite |= seed.groups
        for m in new.get(family, []):
            if m.key[5] is None:
                undated.setdefault(family, []).append(m)
            else:
                rewrite.add(group_id(m.key[:5], m.key[5]))
                seed.ends.add(period_end(m.key[5]))
                seed.copies.add(m.group)
        ends |= {(family, e) for e in seed.ends}
        links |= {(family, c) for c in seed.copies}
    ends_of: dict[str, list[str]] = {}
    for family, end in ends:
        ends_of.setdefault(family, []).append(end)

    def placed_again(r: dict) -> bool:
        if r["dated"]:
            return False
        if r["reach_begin"]:
            return any(r["reach_begin"] <= e <= r["reach_end"] for e in ends_of.get(r["family"], ()))
        return (r["family"], r["current_group"] or r["article_id"]) in links

    # 1. the undated figures to place again, with the groups they are in
    moved = [r[0] for r in con.execute(_UNDATED_SQL, [*_pairs(ends), *_pairs(links)]).fetchall()] if keyed else []
    loaded.groups_of(moved)
    redo = set()
    for key, row in loaded.rows.items():
        if placed_again(row):
            redo.add(key)
            undated.setdefault(row["family"], []).append(_member_from_row(row))
    # 2. the dated groups they may join, and those whose dated members changed
    windows, copy_links = set(), set()
    for family, ms in undated.items():
        for m in ms:
            reach = undated_reach(m)
            if reach is not None:
                windows.add((family, *reach))
            else:
                copy_links.add((family, m.group))
    if windows or copy_links:
        loaded.groups_of(r[0] for r in con.execute(_REACHED_SQL, [*_triples(windows), *_pairs(copy_links)]).fetchall())
    loaded.groups_of(rewrite)
    # 3. the chains of unplaced undated figures near any figure placed again, whole
    gap = int(config()["figures"]["undated_chain_days"])
    asked: set[tuple[str, str, str]] = set()
    pending = [(f, anchor(m)) for f, ms in undated.items() for m in ms if not lasting(m)]
    while True:
        spans = set()
        for family, published in pending:
            w = window(published, -gap - 31, gap + 31)      # a month either side for "2024-06" dates
            if w and (family, *w) not in asked:
                spans.add((family, *w))
        if not spans:
            break
        asked |= spans
        fresh = loaded.groups_of(r[0] for r in con.execute(_CHAINS_SQL, [*_triples(spans)]).fetchall())
        pending = [(r["family"], r["anchor"]) for r in fresh if r["group_begin"] is None]
    for family, ms in undated.items():
        for m in ms:
            if lasting(m):
                rewrite.add(group_id(m.key[:5], None, leftover="lasting"))
            elif not anchor(m):
                rewrite.add(group_id(m.key[:5], None, leftover=f"copies {m.group}"))
    loaded.groups_of(rewrite)
    rewrite |= loaded.groups
    # 4. place and write
    dated: dict[str, dict[tuple, list[Member]]] = {}
    attached: dict[str, dict[tuple, list[Member]]] = {}
    loose: dict[str, list[Member]] = {}
    for key, row in loaded.rows.items():
        if key in redo:
            continue
        m = _member_from_row(row)
        if m.key is None:
            continue
        if m.key[5] is not None:
            dated.setdefault(row["family"], {}).setdefault(m.key[5], []).append(m)
        elif row["group_begin"] is not None:
            attached.setdefault(row["family"], {}).setdefault((row["group_begin"], row["group_end"]), []).append(m)
        else:
            loose.setdefault(row["family"], []).append(m)
    for family in keyed:
        for m in new.get(family, []):
            if m.key[5] is not None:
                dated.setdefault(family, {}).setdefault(m.key[5], []).append(m)
    for family in keyed:
        known = [m for ms in dated.get(family, {}).values() for m in ms] + undated.get(family, []) + loose.get(family, [])
        known += [m for ms in attached.get(family, {}).values() for m in ms]
        if known:
            out.extend((family, g) for g in place(known[0].key[:5], dated.get(family, {}), undated.get(family, []),
                                                  attached.get(family, {}), loose.get(family, [])))
    group_rows, member_rows, conflict_rows = [], [], []
    for family, g in out:
        rows = _group_rows(family, g)
        group_rows.append(rows[0])
        member_rows.extend(rows[1])
        conflict_rows.extend(rows[2])
    ids = sorted(rewrite | {g["group_id"] for g in group_rows})
    in_list(con, "DELETE FROM figure_conflicts WHERE group_id IN (SELECT unnest(?))", ids)
    in_list(con, "DELETE FROM figure_members WHERE group_id IN (SELECT unnest(?))", ids)
    in_list(con, "DELETE FROM figure_groups WHERE group_id IN (SELECT unnest(?))", ids)
    insert(con, "figure_groups", group_rows)
    insert(con, "figure_members", member_rows)
    insert(con, "figure_conflicts", conflict_rows)
    report.figure_families += len(families)
    report.figure_groups += len(group_rows)
    report.conflicts += sum(1 for g in group_rows if g["conflict"])


def _group_rows(family: str, g: Group) -> tuple[dict, list[dict], list[dict]]:
    a = assess(g.members)
    gid = g.id
    first = g.members[0].measurement
    key = family_key(first) if g.family else None
    places = list(key[3]) if key else [p for p in (first.from_, first.to) if p]
    period = g.period or (None, None)
    group = {
        "group_id": gid, "family": family, "metric": first.metric, "relation": first.relation,
        "status": first.status, "places": places, "directed": (">" in family.split("|")[3]) if g.family else None,
        "period_begin": period[0], "period_end": period[1], "granularity": granularity(*period),
        # without a family the unit is the one the value is in ("629 milliards de roubles" kept in
        # dollars once converted), not the first statement's
        "unit": key[4] if key else (a.unit or first.unit), "value": a.value, "low": a.low, "high": a.high,
        "members": len(g.members), "sources": len({m.article_id for m in g.members}),
        "independent_sources": len({m.copy_group or m.article_id for m in g.members}),
        "conflict": a.conflict, "implausible": len(a.implausible),
    }
    members = []
    support = [len({g.members[i].copy_group or g.members[i].article_id for i in pos}) for pos in a.positions]
    for i, m in enumerate(g.members):
        x = m.measurement
        interval = a.intervals.get(i)
        if interval is None and i not in a.implausible:
            interval = comparable(x)
        position = a.member_position.get(i)
        reach = undated_reach(m) if g.family else None
        members.append({
            "group_id": gid, "family": family, "article_id": m.article_id, "measurement_idx": m.idx,
            "text": x.text, "value": x.value, "unit": x.unit, "usd": x.usd, "qualifier": qualifier_of(x),
            "low": interval[0] if interval else None, "high": interval[1] if interval else None,
            "metric": x.metric, "relation": x.relation, "status": x.status, "place_from": x.from_, "place_to": x.to,
            "period_begin": x.period.begin if x.period else None, "period_end": x.period.end if x.period else None,
            "kind": x.kind, "value_max": x.value_max,
            "evidence_start": x.evidence[0] if x.evidence else None, "evidence_end": x.evidence[1] if x.evidence else None,
            "evidence": m.evidence,
            "claim_source": m.claim_source or m.outlet, "claim_kind": m.claim_kind or "outlet",
            "claim_entity": m.claim_entity, "position": position,
            # against a better supported position; with equal support no side is the outlier
            "outlier": bool(a.conflict and position is not None and support[position] < support[0]),
            "implausible": i in a.implausible, "copy_group": m.copy_group, "published": m.published,
            "reach_begin": reach[0] if reach else None, "reach_end": reach[1] if reach else None,
            "dated": m.key is not None and m.key[5] is not None, "anchor": anchor(m),
        })
    conflicts = []
    if a.conflict:
        for n, pos in enumerate(a.positions):
            lo = max(a.intervals[i][0] for i in pos)
            hi = min(a.intervals[i][1] for i in pos)
            best = min(pos, key=lambda i: (a.intervals[i][1] - a.intervals[i][0], g.members[i].rank))
            bm = g.members[best].measurement
            value = float(bm.usd) if key and key[4] == "USD" and bm.unit != "USD" and bm.usd is not None else float(bm.value)
            claims = [{"article_id": g.members[i].article_id, "outlet": g.members[i].outlet,
                       "claim_source": g.members[i].claim_source or g.members[i].outlet,
                       "claim_kind": g.members[i].claim_kind or "outlet", "text": g.members[i].measurement.text,
                       "published": g.members[i].published} for i in pos]
            conflicts.append({
                "group_id": gid, "position": n, "value": value, "low": lo, "high": hi, "members": len(pos),
                "sources": len({g.members[i].article_id for i in pos}),
                "independent_sources": len({g.members[i].copy_group or g.members[i].article_id for i in pos}),
                "claims": json.dumps(claims, ensure_ascii=False),
            })
    return group, members, conflicts

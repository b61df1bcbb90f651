"""Scoring the fusion against the cross-article truth (tests/gold/demo/fusion-*.yaml).

The truth lists clusters of gold events that are one real-world event, and
groups of gold figures that are one series point (with a `conflict` flag).
Scores are pairwise: a pair of gold items is "together" in the truth when one
cluster holds both, and in the prediction when the items the fusion fused stand
for them. Precision is the share of predicted pairs that the truth has, recall
the share of true pairs that were predicted. Items marked optional (in the
gold or in the truth) count neither way, nor do pairs of two items of one
article of which neither is in a truth group (the truth annotates groups that
span articles; within one article it lists only their members).

Two inputs are scored: the records the pipeline extracts ("pipeline": the
fusion's quality as a user gets it, limited by extraction), and records built
from the gold items themselves ("gold": the fusion logic's own quality). With
the pipeline, each extracted item stands for the gold item it matches under the
`veille/1` matching rules (veille.evaluate); `recall_given_extraction` counts
only true pairs whose two items were both extracted.
"""
from __future__ import annotations

import itertools
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from veille.evaluate import event_fits, load_gold, measurement_fits, stem_of
from veille.records import Entity, Event, Measurement, Period, Record

Item = tuple[str, str, int]        # (article stem, "events" or "measurements", index in the gold)


# -- the truth --------------------------------------------------------------------

@dataclass
class Truth:
    """Cluster ids of gold items, optional items, and the conflict flag of each figure group."""

    cluster: dict[Item, str] = field(default_factory=dict)
    optional: set[Item] = field(default_factory=set)
    conflict: dict[str, bool] = field(default_factory=dict)


def _event_index(gold: dict, m: dict) -> int:
    hits = [i for i, e in enumerate(gold["events"])
            if e.get("type") == m.get("type") and e.get("actor") == m.get("actor")
            and e.get("recipient") == m.get("recipient") and (e.get("date") or None) == (m.get("date") or None)
            and e.get("status") == m.get("status")]
    if len(hits) != 1:
        raise ValueError(f"truth member {m} matches {len(hits)} gold events of {m['article']}")
    return hits[0]


def _figure_index(gold: dict, m: dict) -> int:
    hits = [i for i, x in enumerate(gold["measurements"])
            if x.get("text") == m.get("text") and x.get("value") == m.get("value") and x.get("unit") == m.get("unit")]
    if len(hits) != 1:
        raise ValueError(f"truth member {m} matches {len(hits)} gold figures of {m['article']}")
    return hits[0]


def load_truth(gold_dir: str | Path, gold: dict[str, dict] | None = None) -> Truth:
    """The cross-article truth of a gold folder: fusion-part*.yaml, then fusion-links.yaml."""
    folder = Path(gold_dir)
    gold = gold if gold is not None else load_gold(folder)
    files = sorted(folder.glob("fusion-part*.yaml")) + sorted(folder.glob("fusion-links.yaml"))
    truth = Truth()
    for layer, index in (("events", _event_index), ("figures", _figure_index)):
        kind = "events" if layer == "events" else "measurements"
        for path in files:
            for c in yaml.safe_load(path.read_text(encoding="utf-8")).get(layer) or ():
                cid = c.get("same_as") or c.get("id")
                if layer == "figures":
                    truth.conflict[cid] = truth.conflict.get(cid, False) or bool(c.get("conflict"))
                for m in c.get("members") or ():
                    g = gold[m["article"]]
                    i = index(g, m)
                    item = (m["article"], kind, i)
                    truth.cluster[item] = cid
                    if m.get("optional") or g[kind][i].get("optional"):
                        truth.optional.add(item)
    for stem, g in gold.items():
        for kind in ("events", "measurements"):
            for i, x in enumerate(g.get(kind) or ()):
                if x.get("optional"):
                    truth.optional.add((stem, kind, i))
    return truth


# -- records from the gold --------------------------------------------------------

def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)] if needle else []


def gold_record(doc, gold: dict) -> Record:
    """A record whose items are the gold's, located in the article's text where they can be.

    A gold event listing several acceptable types is read as its last one: in
    this gold the list puts PLOVER's default reading (SUPPORT for a signing)
    first and the specific one (AGREE for a statement, COOPERATE for agreements)
    last, which is what tells two signings of one day apart.
    """
    from veille.gazetteer import slug

    text = doc.text
    entities = []
    for g in gold.get("entities") or ():
        names = sorted({str(n) for n in g.get("names") or () if n}, key=len, reverse=True)
        taken: list[tuple[int, int]] = []
        for n in names:
            for s, e in _spans(text, n):
                if not any(s < b and a < e for a, b in taken):
                    taken.append((s, e))
        name = (g.get("names") or [g.get("id") or "?"])[0]
        entities.append(Entity(id=g.get("id") or slug(name), name=name, type=g.get("type") or "ORG",
                               country=g.get("country"), mentions=tuple(sorted(taken))))
    used: set[tuple[int, int]] = set()
    measurements = []
    for g in gold.get("measurements") or ():
        spans = [s for s in _spans(text, g.get("text") or "") if s not in used] or [(0, 0)]
        used.add(spans[0])
        period = Period.from_dict(g.get("period"))
        measurements.append(Measurement(
            start=spans[0][0], end=spans[0][1], text=g.get("text") or "", value=float(g["value"]),
            unit=g.get("unit") or "count", kind=g.get("kind") or "count", relation=g.get("relation") or "level",
            status=g.get("status") or "actual", metric=g.get("metric"), from_=g.get("from"), to=g.get("to"),
            period=period, usd=None if g.get("usd") is None else float(g["usd"])))
    events = []
    for g in gold.get("events") or ():
        kind = g["type"][-1] if isinstance(g.get("type"), list) else g["type"]
        location = g.get("location")
        location = location[0] if isinstance(location, list) and location else location or None
        events.append(Event(type=kind, actor=tuple(g.get("actor") or ()), recipient=tuple(g.get("recipient") or ()),
                            mode=g.get("mode"), status=g.get("status") or "occurred",
                            date=Period.from_dict(g.get("date")), location=location,
                            sectors=tuple(g.get("sectors") or ()), count=g.get("count")))
    return Record(doc=doc, entities=tuple(entities), measurements=tuple(measurements), events=tuple(events))


def demo_articles(gold_dir: str | Path, settings, corpus: str | Path | None = None) -> list:
    """The gold's articles, read and cleaned (no NLP), with the gold's publication date."""
    from veille.evaluate import gold_articles

    return gold_articles(gold_dir, settings, corpus)


def gold_records(gold_dir: str | Path, settings, corpus: str | Path | None = None) -> list[Record]:
    """Records built from the gold items of every article of the gold folder."""
    gold = load_gold(gold_dir)
    return [gold_record(doc, gold[stem_of(doc.source)]) for doc in demo_articles(gold_dir, settings, corpus)]


def pipeline_records(gold_dir: str | Path, settings, corpus: str | Path | None = None) -> list[Record]:
    """Records the pipeline extracts from the gold's articles."""
    from veille.pipeline import Pipeline

    return list(Pipeline(settings).run(demo_articles(gold_dir, settings, corpus)))


# -- alignment and scores ----------------------------------------------------------

def align(golds: list[dict], preds: list[dict], fits) -> dict[int, int]:
    """Predicted index -> gold index, the greedy one-to-one pairing of veille.evaluate."""
    order = [i for i, g in enumerate(golds) if not g.get("optional")] + \
            [i for i, g in enumerate(golds) if g.get("optional")]
    taken: dict[int, int] = {}
    for gi in order:
        hit = next((pi for pi, p in enumerate(preds) if pi not in taken and fits(golds[gi], p)), None)
        if hit is not None:
            taken[hit] = gi
    return taken


@dataclass
class PairScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fn_extracted: int = 0          # true pairs missed although both items were extracted
    errors: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def recall_given_extraction(self) -> float:
        return self.tp / (self.tp + self.fn_extracted) if self.tp + self.fn_extracted else 1.0

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "recall_given_extraction": round(self.recall_given_extraction, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class ConflictScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return {"precision": round(p, 4), "recall": round(r, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class TimelineScore:
    """What an analyst sees of the real events: for each real event reported by two or more
    articles, how many fused events its extracted reports landed in (`fragments`, ideally 1)
    and the share of its reporting articles that the best of them carries (`coverage`,
    counted over every article that reports it, so limited by extraction, and
    `coverage_extracted`, over the articles whose report was extracted); and the share of
    fused events that hold a report of some event of the gold (`matched`: the others were
    extracted from nothing)."""

    real_events: int = 0
    fragments: float = 0.0
    coverage: float = 0.0
    coverage_extracted: float = 0.0
    fused_events: int = 0
    matched: float = 0.0

    def to_dict(self) -> dict:
        return {"real_events": self.real_events, "fragments": round(self.fragments, 3),
                "coverage": round(self.coverage, 3), "coverage_extracted": round(self.coverage_extracted, 3),
                "fused_events": self.fused_events, "matched": round(self.matched, 3)}


def _timeline(truth: Truth, predicted: dict[Item, str], fused: set[str]) -> TimelineScore:
    members: dict[str, list[Item]] = {}
    for item, cid in truth.cluster.items():
        if item[1] == "events":
            members.setdefault(cid, []).append(item)
    fragments, coverage, coverage_x = [], [], []
    for cid, items in sorted(members.items()):
        articles = {i[0] for i in items}
        if len(articles) < 2:
            continue
        owners: dict[str, set[str]] = {}
        for i in items:
            if i in predicted:
                owners.setdefault(predicted[i], set()).add(i[0])
        extracted = set().union(*owners.values()) if owners else set()
        best = max((len(a) for a in owners.values()), default=0)
        if owners:
            fragments.append(len(owners))
            coverage_x.append(best / len(extracted))
        coverage.append(best / len(articles))
    real = {p for i, p in predicted.items() if i[1] == "events"}

    def mean(xs):
        return sum(xs) / len(xs) if xs else 0.0

    return TimelineScore(len(coverage), mean(fragments), mean(coverage), mean(coverage_x),
                         len(fused), len(real & fused) / len(fused) if fused else 1.0)


@dataclass
class FusionScores:
    events: PairScore
    figures: PairScore
    conflicts: ConflictScore
    articles: int
    events_all: PairScore | None = None      # optional members of the truth's clusters counted too
    timeline: TimelineScore | None = None

    def to_dict(self) -> dict:
        d = {"events": self.events.to_dict(), "figures": self.figures.to_dict(),
             "conflicts": self.conflicts.to_dict(), "articles": self.articles}
        if self.events_all is not None:
            d["events_with_optional_members"] = self.events_all.to_dict()
        if self.timeline is not None:
            d["timeline"] = self.timeline.to_dict()
        return d


def _pairs(items: Iterable[Item], truth: Truth, predicted: dict[Item, str], kind: str,
           optional_members: bool = False) -> PairScore:
    """Pairwise counts; with `optional_members`, optional items that the truth places in a
    cluster count too (background mentions, announcements)."""
    score = PairScore()
    required = sorted(i for i in items if i[1] == kind and (
        i not in truth.optional or (optional_members and i in truth.cluster)))
    for a, b in itertools.combinations(required, 2):
        if a[0] == b[0] and a not in truth.cluster and b not in truth.cluster:
            continue      # the truth annotates groups across articles: two other items of one article are unknown
        together = a in truth.cluster and truth.cluster.get(a) == truth.cluster.get(b)
        fused = a in predicted and b in predicted and predicted[a] == predicted[b]
        if together and fused:
            score.tp += 1
        elif fused:
            score.fp += 1
            score.errors.append({"kind": "fused wrongly", "a": a, "b": b})
        elif together:
            score.fn += 1
            if a in predicted and b in predicted:
                score.fn_extracted += 1
            score.errors.append({"kind": "not fused", "a": a, "b": b, "cluster": truth.cluster[a],
                                 "extracted": a in predicted and b in predicted})
    return score


def score_store(store, gold_dir: str | Path) -> FusionScores:
    """Score the fusion tables of a database against the truth of a gold folder."""
    gold = load_gold(gold_dir)
    truth = load_truth(gold_dir, gold)
    con = store.con
    stems = {aid: stem_of(src) for aid, src in con.execute(
        "SELECT a.id, a.source FROM articles a JOIN fusion_articles f ON f.article_id = a.id").fetchall()}
    event_of = {(a, i): e for a, i, e in con.execute(
        "SELECT article_id, event_idx, event_id FROM fused_event_sources").fetchall()}
    group_of = {(a, i): g for a, i, g in con.execute(
        "SELECT article_id, measurement_idx, group_id FROM figure_members").fetchall()}
    conflicted = {g for (g,) in con.execute("SELECT group_id FROM figure_groups WHERE conflict").fetchall()}
    predicted: dict[Item, str] = {}
    group_items: dict[str, list[Item]] = {}
    for aid, stem in stems.items():
        g = gold.get(stem)
        if g is None:
            continue
        record = store.record(aid)
        pred = record.to_dict()
        for kind, fits, owner in (("events", event_fits, event_of), ("measurements", measurement_fits, group_of)):
            for pi, gi in align(g.get(kind) or [], pred.get(kind) or [], fits).items():
                cluster = owner.get((aid, pi))
                if cluster is not None:
                    predicted[(stem, kind, gi)] = cluster
                    if kind == "measurements":
                        group_items.setdefault(cluster, []).append((stem, kind, gi))
    items = [(stem, kind, i) for stem, g in gold.items() for kind in ("events", "measurements")
             for i in range(len(g.get(kind) or ()))]
    events = _pairs(items, truth, predicted, "events")
    figures = _pairs(items, truth, predicted, "measurements")
    conflicts = _conflicts(truth, predicted, group_items, conflicted, set(group_of.values()))
    events_all = _pairs(items, truth, predicted, "events", optional_members=True)
    fused = {e for (a, _), e in event_of.items() if stems.get(a) in gold}
    timeline = _timeline(truth, predicted, fused)
    return FusionScores(events, figures, conflicts, len(stems), events_all, timeline)


def _conflicts(truth: Truth, predicted: dict[Item, str], group_items: dict[str, list[Item]],
               conflicted: set[str], groups: set[str]) -> ConflictScore:
    """A true conflict is found when the group holding most of its members is flagged. A flagged
    group is right only when all its members belong to one truth group, and that group is in
    conflict: a disagreement with a figure that does not belong there is invented."""
    score = ConflictScore()
    members: dict[str, list[Item]] = {}
    for item, cid in truth.cluster.items():
        if item[1] == "measurements" and item not in truth.optional:
            members.setdefault(cid, []).append(item)
    found: set[str] = set()
    for cid, items in sorted(members.items()):
        if not truth.conflict.get(cid) or len(items) < 2:
            continue
        owners = [predicted[i] for i in items if i in predicted]
        best = max(sorted(set(owners)), key=owners.count) if owners else None
        if best in conflicted and _pure(group_items.get(best, []), truth) == cid:
            score.tp += 1
            found.add(best)
        else:
            score.fn += 1
            score.errors.append({"kind": "conflict missed", "group": cid})
    for g in sorted((conflicted & groups) - found):
        cid = _pure(group_items.get(g, []), truth)
        if cid is not None and truth.conflict.get(cid):
            continue          # a second flagged part of a true conflict: neither found nor invented
        score.fp += 1
        score.errors.append({"kind": "conflict invented", "group": g,
                             "members": [i for i in group_items.get(g, []) if i not in truth.optional]})
    return score


def _pure(items: list[Item], truth: Truth) -> str | None:
    """The truth group of a predicted group's required members, when they all belong to one."""
    ids = {truth.cluster.get(i, f"single:{i}") for i in items if i not in truth.optional}
    return next(iter(ids)) if len(ids) == 1 else None


def evaluate_fusion(gold_dir: str | Path, settings, corpus: str | Path | None = None, source: str = "pipeline",
                    db: str | Path | None = None, records: list[Record] | None = None) -> FusionScores:
    """Store the records ("pipeline" or "gold") in a fresh database, fuse, and score."""
    from veille.fusion.update import fuse
    from veille.store import Store

    if records is None:
        records = (gold_records if source == "gold" else pipeline_records)(gold_dir, settings, corpus)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(db) if db else Path(tmp) / "fusion-eval.duckdb"
        with Store(path) as store:
            for r in records:
                store.put(r, f"eval-{source}")
            fuse(store)
            return score_store(store, gold_dir)


def describe(scores: FusionScores) -> dict[str, Any]:
    """The scores and their errors, for a reader."""
    d = scores.to_dict()
    d["errors"] = {"events": scores.events.errors, "figures": scores.figures.errors,
                   "conflicts": scores.conflicts.errors,
                   "events_with_optional_members": scores.events_all.errors if scores.events_all else []}
    return d

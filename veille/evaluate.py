"""Scoring extraction records against gold records (`veille/1`), layer by layer.

The matching rules are those of shared/eval/FORMAT.md: per article, a greedy
one-to-one pairing in gold order (required gold items choose first), then the
accuracy of each attribute over the matched pairs where the gold states it.
Optional gold items count neither for recall nor against precision.
"""
from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

LAYERS = ("entities", "timexes", "timex_values", "measurements", "events")

Item = dict[str, Any]
Check = Callable[[Item, Item], "bool | None"]


def normal(value: Any) -> str:
    """Case-, accent- and punctuation-free form used to compare texts and names."""
    s = unicodedata.normalize("NFKD", str(value or "")).casefold().replace("’", "'")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())


def stem_of(source: Any) -> str:
    return Path(str(source or "")).stem


def near(a: Any, b: Any, tolerance: float = 0.005) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if x == y:
        return True
    return math.isfinite(x) and math.isfinite(y) and abs(x - y) <= tolerance * max(abs(x), abs(y))


def any_of(gold: Any, value: Any) -> bool:
    """True when `value` is the gold value or one of the gold's acceptable values."""
    options = gold if isinstance(gold, list) else [gold]
    return normal(value) in {normal(o) for o in options}


# -- how items fit ----------------------------------------------------------------

def entity_fits(gold: Item, pred: Item) -> bool:
    if gold.get("id"):
        return gold["id"] == pred.get("id")
    names = {normal(n) for n in gold.get("names", [])}
    return normal(pred.get("name")) in names or normal(pred.get("id")) in names


def texts_overlap(gold: Item, pred: Item) -> bool:
    a, b = normal(gold.get("text")), normal(pred.get("text"))
    return bool(a and b) and (a in b or b in a)


def timex_resolution(t: Item) -> tuple:
    return ("DURATION", t.get("value")) if t.get("type") == "DURATION" else (t.get("begin"), t.get("end_date"))


def timex_value_fits(gold: Item, pred: Item) -> bool:
    return texts_overlap(gold, pred) and timex_resolution(gold) == timex_resolution(pred)


def measurement_fits(gold: Item, pred: Item) -> bool:
    return gold.get("unit") == pred.get("unit") and near(gold.get("value"), pred.get("value"))


def parties(event: Item) -> set:
    return set(event.get("actor") or []) | set(event.get("recipient") or [])


def dates_overlap(a: Item | None, b: Item | None) -> bool:
    if not a or not b or not a.get("begin") or not b.get("begin"):
        return True
    return a["begin"] <= (b.get("end") or b["begin"]) and b["begin"] <= (a.get("end") or a["begin"])


def event_fits(gold: Item, pred: Item) -> bool:
    return (any_of(gold.get("type"), pred.get("type")) and parties(gold) == parties(pred)
            and dates_overlap(gold.get("date"), pred.get("date")))


# -- attribute checks -------------------------------------------------------------

def stated(name: str, same: Callable[[Any, Any], bool]) -> Check:
    """Check `name` only where the gold states it."""
    def check(gold: Item, pred: Item) -> bool | None:
        return None if gold.get(name) is None else same(gold[name], pred.get(name))
    return check


def places_of(m: Item) -> set:
    return {p for p in (m.get("from"), m.get("to")) if p}


def places_check(gold: Item, pred: Item) -> bool | None:
    return places_of(gold) == places_of(pred) if places_of(gold) else None


def same_period(gold: Item, pred: Item | None) -> bool:
    return bool(pred) and gold.get("begin") == pred.get("begin") and gold.get("end") == pred.get("end")


def half_overlap(gold: Any, pred: Any) -> bool:
    a, b = set(gold or []), set(pred or [])
    return len(a & b) / len(a | b) >= 0.5 if a | b else True


def equal(a: Any, b: Any) -> bool:
    return a == b


@dataclass(frozen=True)
class LayerSpec:
    name: str
    source: str
    fits: Callable[[Item, Item], bool]
    checks: tuple[tuple[str, Check], ...] = ()


SPECS = (
    LayerSpec("entities", "entities", entity_fits,
              (("type", stated("type", equal)), ("country", stated("country", equal)))),
    LayerSpec("timexes", "timexes", texts_overlap),
    LayerSpec("timex_values", "timexes", timex_value_fits),
    LayerSpec("measurements", "measurements", measurement_fits, (
        ("relation", stated("relation", equal)), ("status", stated("status", equal)),
        ("metric", stated("metric", equal)), ("places", places_check),
        ("period", stated("period", same_period)), ("usd", stated("usd", lambda a, b: near(a, b, 0.01))))),
    LayerSpec("events", "events", event_fits, (
        ("mode", stated("mode", equal)), ("status", stated("status", equal)),
        ("sectors", stated("sectors", half_overlap)), ("count", stated("count", near)),
        ("location", stated("location", any_of)))),
)


# -- tallies ----------------------------------------------------------------------

@dataclass
class Miss:
    """One error, for `--errors`: a gold item not found, or a prediction not in gold."""

    article: str
    layer: str
    kind: str            # "missed" or "spurious"
    item: Item


def fraction(part: int, rest: int) -> float:
    """part / (part + rest): a precision (tp, fp) or a recall (tp, fn); 0.0 when there is nothing to count."""
    return part / (part + rest) if part + rest else 0.0


@dataclass
class LayerScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return fraction(self.tp, self.fp)

    @property
    def recall(self) -> float:
        return fraction(self.tp, self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                             "recall": round(self.recall, 4), "f1": round(self.f1, 4)}
        for name, (good, total) in sorted(self.attributes.items()):
            d[name] = round(good / total, 4) if total else None
        return d


def pair_layer(spec: LayerSpec, golds: list[Item], preds: list[Item], score: LayerScore,
               article: str, errors: list[Miss]) -> None:
    """Greedy one-to-one pairing; required gold items choose before optional ones."""
    ordered = [g for g in golds if not g.get("optional")] + [g for g in golds if g.get("optional")]
    taken: set[int] = set()
    for gold in ordered:
        hit = next((i for i, p in enumerate(preds) if i not in taken and spec.fits(gold, p)), None)
        if hit is None:
            if not gold.get("optional"):
                score.fn += 1
                errors.append(Miss(article, spec.name, "missed", gold))
            continue
        taken.add(hit)
        if gold.get("optional"):
            continue
        score.tp += 1
        for name, check in spec.checks:
            verdict = check(gold, preds[hit])
            if verdict is not None:
                good, total = score.attributes.get(name, [0, 0])
                score.attributes[name] = [good + bool(verdict), total + 1]
    for i, pred in enumerate(preds):
        if i not in taken:
            score.fp += 1
            errors.append(Miss(article, spec.name, "spurious", pred))


@dataclass
class Evaluation:
    layers: dict[str, LayerScore]
    articles: int
    missing: list[str]
    errors: list[Miss]

    def to_dict(self) -> dict:
        d: dict[str, Any] = {name: s.to_dict() for name, s in self.layers.items()}
        d["articles"] = self.articles
        d["missing_articles"] = self.missing
        return d


def score_records(predictions: Iterable[Item], gold: dict[str, Item]) -> Evaluation:
    """Score prediction dicts against gold dicts keyed by stem."""
    by_stem = {stem_of((p.get("doc") or {}).get("source")): p for p in predictions}
    layers = {spec.name: LayerScore() for spec in SPECS}
    errors: list[Miss] = []
    missing = []
    for key, g in gold.items():
        pred = by_stem.get(key)
        if pred is None:
            missing.append(key)
            pred = {}
        for spec in SPECS:
            if spec.source not in g:
                continue         # a gold set that annotates only some layers (the held-out has no entities)
            pair_layer(spec, list(g.get(spec.source) or []), list(pred.get(spec.source) or []),
                       layers[spec.name], key, errors)
    return Evaluation(layers=layers, articles=len(gold), missing=missing, errors=errors)


def load_gold(gold_dir: str | Path) -> dict[str, Item]:
    """Gold records of a folder, keyed by the stem of the file name."""
    folder = Path(gold_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"gold folder {folder} does not exist")
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def find_corpus_files(gold: dict[str, Item], gold_dir: Path) -> list[str]:
    """Files the gold's `doc.source` names, looked up from the gold folder upwards."""
    found = []
    for g in gold.values():
        source = (g.get("doc") or {}).get("source")
        if not source:
            continue
        for base in [gold_dir, *gold_dir.resolve().parents]:
            candidate = base / source
            if candidate.is_file():
                found.append(str(candidate))
                break
    return found


def gold_articles(gold_dir: str | Path, settings, corpus: str | Path | None = None) -> list:
    """The articles a gold folder annotates, read and cleaned, with the gold's publication date."""
    from dataclasses import replace

    from veille.errors import IngestError
    from veille.ingest import articles as read_articles

    gold_dir = Path(gold_dir)
    gold = load_gold(gold_dir)
    targets = [str(corpus)] if corpus else find_corpus_files(gold, gold_dir)
    chosen = []
    for item in read_articles(targets, settings):
        if isinstance(item, IngestError):
            continue
        g = gold.get(stem_of(item.source))
        if g is None:
            continue
        doc = g.get("doc") or {}
        if doc.get("published"):
            item = replace(item, published=doc["published"],
                           published_precision=doc.get("published_precision") or "day", published_from="input")
        chosen.append(item)
    return chosen


def run_evaluation(gold_dir: str | Path, settings, corpus: str | Path | None = None) -> Evaluation:
    """Extract the gold's articles (with the gold publication date) and score them."""
    from veille.pipeline import Pipeline

    articles = gold_articles(gold_dir, settings, corpus)
    predictions = [r.to_dict() for r in Pipeline(settings).run(articles)]
    return score_records(predictions, load_gold(gold_dir))

"""The quality gate: every gold set must score at least the floors pinned in
tests/gold/floors.json, layer by layer.

- demo: our own gold over the demo corpus (tuned on: an upper bound);
- dev: the shared dev gold (3 seed articles), when ../shared is there;
- heldout: 66 articles on 20 relations other than Russia-China, written and annotated before
  the event rebuild and never used to tune it (scored at the end of a piece of work);
- heldout2: 33 articles on 32 further relations, written and annotated by a helper that never ran
  the extractor nor read its rules, before the second round of event rules (scored at its end);
- heldout3: 30 articles on 30 further relations, written and annotated blind by a helper on
  2026-12-07, before that day's event rules, and scored once at the end of them;
- fusion: the per-article gold of the fusion corpus (development data for the event layer).

Each set's files are pinned by a digest: changing a gold changes its digest here, in the same
commit, with the reason. Floors only go up: `best` keeps each layer's highest floor, and a
floor below it needs an entry in `lowered` saying why.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import ROOT
from veille.evaluate import run_evaluation
from veille.settings import Settings

FLOORS = json.loads((ROOT / "tests" / "gold" / "floors.json").read_text(encoding="utf-8"))


def digest(folder: Path) -> str:
    """sha256 over the gold set's files (names and bytes), in a stable order."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".txt", ".jsonl"):
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def scores():
    out = {}
    for name, spec in FLOORS.items():
        gold = (ROOT / spec["gold"]).resolve()
        if gold.is_dir():
            corpus = ROOT / spec["corpus"] if spec.get("corpus") else None
            out[name] = run_evaluation(gold, Settings(), corpus).to_dict()
    return out


@pytest.mark.parametrize("gold_set", sorted(FLOORS))
def test_layers_stay_above_their_floors(scores, gold_set):
    if gold_set not in scores:
        pytest.skip(f"gold set {gold_set} is not here")
    result = scores[gold_set]
    assert not result["missing_articles"], f"gold articles not found in the corpus: {result['missing_articles']}"
    below = {layer: (result[layer]["f1"], floor) for layer, floor in FLOORS[gold_set]["floors"].items()
             if result[layer]["f1"] + 1e-9 < floor}
    assert not below, f"{gold_set}: F1 below the pinned floor (got, floor): {below}"


@pytest.mark.parametrize("gold_set", sorted(name for name, spec in FLOORS.items() if spec.get("digest")))
def test_gold_sets_are_the_ones_the_floors_were_pinned_on(gold_set):
    spec = FLOORS[gold_set]
    assert digest(ROOT / spec["gold"]) == spec["digest"], \
        f"{gold_set}: its gold changed; pin the new digest in floors.json with the reason in the commit"


def test_floors_never_go_down_without_a_reason():
    """`best` keeps the highest floor each layer has had: raise it with the floor; a floor under
    its best needs a `lowered` entry with that best and the reason."""
    for name, spec in FLOORS.items():
        for layer, floor in spec["floors"].items():
            best = spec["best"][layer]
            if floor + 1e-9 < best:
                entry = (spec.get("lowered") or {}).get(layer)
                assert entry and entry["from"] == best and len(entry["why"]) > 40, \
                    f"{name}.{layer}: floor {floor} under its best {best} without a reason"

"""The quality gate: our own gold over the demo corpus (and the shared dev gold when present)
must score at least the pinned floors of tests/gold/floors.json, layer by layer.

Raise a floor when a change improves a layer; never lower one to let a change pass.
"""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, SHARED
from veille.evaluate import run_evaluation
from veille.settings import Settings

FLOORS = json.loads((ROOT / "tests" / "gold" / "floors.json").read_text(encoding="utf-8"))
SETS = {
    "demo": (ROOT / "tests" / "gold" / "demo", ROOT / "veille" / "resources" / "demo"),
    "dev": (SHARED / "eval" / "dev", None),
}


@pytest.fixture(scope="module")
def scores():
    out = {}
    for name, (gold, corpus) in SETS.items():
        if gold.is_dir():
            out[name] = run_evaluation(gold, Settings(), corpus).to_dict()
    return out


@pytest.mark.parametrize("gold_set", sorted(FLOORS))
def test_layers_stay_above_their_floors(scores, gold_set):
    if gold_set not in scores:
        pytest.skip(f"gold set {gold_set} is not here")
    result = scores[gold_set]
    assert not result["missing_articles"], f"gold articles not found in the corpus: {result['missing_articles']}"
    below = {layer: (result[layer]["f1"], floor) for layer, floor in FLOORS[gold_set].items()
             if result[layer]["f1"] + 1e-9 < floor}
    assert not below, f"{gold_set}: F1 below the pinned floor (got, floor): {below}"

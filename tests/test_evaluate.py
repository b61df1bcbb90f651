"""`veille eval` scores like shared/eval/score.py, on records written here."""
from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import SHARED, veille
from veille.evaluate import load_gold, score_records

GOLD = {
    "a1": {"format": "veille/1", "doc": {"source": "x/a1.txt", "published": "2024-05-16"},
           "entities": [
               {"id": "Q148", "names": ["China", "Chine"], "type": "COUNTRY", "country": "CHN"},
               {"names": ["Shenyang"], "type": "PLACE", "country": "CHN"},
               {"names": ["Reuters"], "type": "ORG", "optional": True}],
           "timexes": [
               {"text": "jeudi", "type": "DATE", "begin": "2024-05-16", "end_date": "2024-05-16"},
               {"text": "quatre jours", "type": "DURATION", "value": "P4D"},
               {"text": "l'an dernier", "type": "DATE", "begin": "2023-01-01", "end_date": "2023-12-31", "optional": True}],
           "measurements": [
               {"text": "240,1 milliards de dollars", "value": 240.1e9, "unit": "USD", "relation": "level",
                "status": "actual", "metric": "trade_volume", "from": "CHN", "to": "RUS",
                "period": {"begin": "2023-01-01", "end": "2023-12-31"}, "usd": 240.1e9},
               {"text": "26,3 %", "value": 26.3, "unit": "%", "relation": "change", "metric": "trade_volume"}],
           "events": [
               {"type": ["SUPPORT", "AGREE"], "status": "occurred", "actor": ["CHN", "RUS"], "recipient": [],
                "date": {"begin": "2024-05-16", "end": "2024-05-16"}, "location": ["Q956", "Beijing"],
                "sectors": ["trade", "energy"], "count": None},
               {"type": "CONSULT", "mode": "visit", "status": "occurred", "actor": ["RUS"], "recipient": ["CHN"]},
               {"type": "ASSAULT", "actor": ["RUS"], "recipient": ["UKR"], "optional": True}]},
    "a2": {"format": "veille/1", "doc": {"source": "x/a2.txt"},
           "entities": [{"id": "Q159", "names": ["Russia"], "type": "COUNTRY", "country": "RUS"}],
           "timexes": [], "measurements": [], "events": []},
}

PRED = [
    {"format": "veille/1", "doc": {"source": "somewhere/a1.txt"},
     "entities": [
         {"id": "Q148", "name": "China", "type": "COUNTRY", "country": "CHN"},
         {"id": "Q11720", "name": "Shenyang", "type": "PLACE", "country": "RUS"},
         {"id": "reuters", "name": "Reuters", "type": "ORG"},
         {"id": "Q1", "name": "Nowhere", "type": "PLACE"}],
     "timexes": [
         {"text": "jeudi", "type": "DATE", "begin": "2024-05-16", "end_date": "2024-05-16"},
         {"text": "de quatre jours", "type": "DURATION", "value": "P3D"},
         {"text": "l'an dernier", "type": "DATE", "begin": "2023-01-01", "end_date": "2023-12-31"},
         {"text": "lundi", "type": "DATE", "begin": "2024-05-13", "end_date": "2024-05-13"}],
     "measurements": [
         {"text": "240,1 milliards", "value": 240.2e9, "unit": "USD", "relation": "level", "status": "target",
          "metric": "trade_volume", "from": "RUS", "to": "CHN", "period": {"begin": "2023-01-01", "end": "2023-12-31"},
          "usd": 240.2e9},
         {"text": "26,3 %", "value": 26.3, "unit": "%", "relation": "level", "metric": None},
         {"text": "5 %", "value": 5, "unit": "%"}],
     "events": [
         {"type": "AGREE", "status": "occurred", "actor": ["RUS", "CHN"], "recipient": [],
          "date": {"begin": "2024-05-16", "end": "2024-05-16"}, "location": "Pékin", "sectors": ["trade"], "count": None},
         {"type": "CONSULT", "mode": None, "status": "future", "actor": ["RUS"], "recipient": ["CHN"],
          "date": {"begin": "2024-05-20", "end": "2024-05-20"}},
         {"type": "ASSAULT", "actor": ["RUS"], "recipient": ["UKR"]},
         {"type": "ACCUSE", "actor": ["USA"], "recipient": ["CHN"]}]},
]


@pytest.fixture
def gold_dir(tmp_path):
    for stem, record in GOLD.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
    return tmp_path


def test_scores_by_hand(gold_dir):
    result = score_records(PRED, load_gold(gold_dir)).to_dict()
    ent = result["entities"]
    # China and Shenyang match, Reuters is optional, Nowhere is spurious, Russia (a2) is missed
    assert (ent["tp"], ent["fp"], ent["fn"]) == (2, 1, 1)
    assert ent["type"] == 1.0 and ent["country"] == 0.5
    assert (result["timexes"]["tp"], result["timexes"]["fp"], result["timexes"]["fn"]) == (2, 1, 0)
    assert (result["timex_values"]["tp"], result["timex_values"]["fn"]) == (1, 1)
    m = result["measurements"]
    assert (m["tp"], m["fp"], m["fn"]) == (2, 1, 0)
    assert m["relation"] == 0.5 and m["status"] == 0.0 and m["places"] == 1.0 and m["usd"] == 1.0 and m["metric"] == 0.5
    e = result["events"]
    assert (e["tp"], e["fp"], e["fn"]) == (2, 1, 0)
    # "Pékin" is not among the gold's acceptable locations (Q956, Beijing)
    assert e["status"] == 0.5 and e["mode"] == 0.0 and e["location"] == 0.0 and e["sectors"] == 1.0


def _shared_scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("shared/eval/score.py is not beside the checkout")
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_agrees_with_the_shared_scorer(gold_dir):
    shared = _shared_scorer().score(PRED, str(gold_dir))
    ours = score_records(PRED, load_gold(gold_dir)).to_dict()
    assert ours == shared


def test_agrees_with_the_shared_scorer_on_dev_gold_with_shifted_predictions():
    scorer = _shared_scorer()
    gold = load_gold(SHARED / "eval" / "dev")
    preds = []
    for stem, g in gold.items():
        # predictions derived from gold, every other item dropped or altered
        p = {"doc": {"source": f"x/{stem}.txt"}}
        p["entities"] = [{"id": e.get("id") or e["names"][0], "name": e["names"][-1], "type": e["type"],
                          "country": e.get("country")} for e in g["entities"][::2]]
        p["timexes"] = [dict(t, begin=None) if i % 3 == 0 else t for i, t in enumerate(g["timexes"])]
        p["measurements"] = [dict(m, value=m["value"] * 1.004, relation="change") for m in g["measurements"]]
        p["events"] = [dict(e, type=e["type"][0] if isinstance(e["type"], list) else e["type"], status="future")
                       for e in g["events"]]
        preds.append(p)
    assert score_records(preds, gold).to_dict() == scorer.score(preds, str(SHARED / "eval" / "dev"))


def test_eval_command_scores_given_predictions(gold_dir, tmp_path):
    pred_file = tmp_path / "pred.jsonl"
    pred_file.write_text("\n".join(json.dumps(p) for p in PRED), encoding="utf-8")
    result = veille("eval", str(gold_dir), "--predictions", str(pred_file), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["entities"]["tp"] == 2

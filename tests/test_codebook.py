"""The codebook (veille/resources/codebook.yaml, /api/codebook): every code the extractor can emit
is explained there, in English and in French, and nothing it never emits. What the extractor can
emit is read from the same data (each language bundle's events.yaml and figures.yaml,
metrics.yaml, the records' vocabularies) and from the event layer's own assignments of modes and
statuses, never from a list kept here."""
from __future__ import annotations

import ast
import tempfile
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import ROOT
from veille import records
from veille.codebook import LANGUAGES, codebook
from veille.language import available

RESOURCES = ROOT / "veille" / "resources"
CODEBOOK = yaml.safe_load((RESOURCES / "codebook.yaml").read_text(encoding="utf-8"))
BUNDLES = [RESOURCES / code for code in available()]   # every language bundle shipped


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _values_of(node, key: str) -> set:
    """Every scalar under `key` anywhere in a parsed YAML tree."""
    found = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                found.add(v)
            else:
                found |= _values_of(v, key)
    elif isinstance(node, list):
        for item in node:
            found |= _values_of(item, key)
    return found


def _assigned_in_code(name: str) -> set[str]:
    """The string constants the event layer gives `name`: `mode = "phone"`, `mode="visit"` in a call,
    `a, b, mode = x, y, "third-party"`."""
    found = set()
    for path in (ROOT / "veille" / "extract" / "events").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pairs = []
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) \
                            and len(target.elts) == len(node.value.elts):
                        pairs += zip(target.elts, node.value.elts)
                    else:
                        pairs.append((target, node.value))
                pairs = [(t.id, v) for t, v in pairs if isinstance(t, ast.Name)]
            elif isinstance(node, ast.keyword) and node.arg:
                pairs = [(node.arg, node.value)]
            found |= {v.value for n, v in pairs
                      if n == name and isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return found


def emitted_types() -> set[str]:
    types = set(records.EVENT_TYPES) | set(_yaml(RESOURCES / "metrics.yaml")["act_flows"])
    for bundle in BUNDLES:
        events = _yaml(bundle / "events.yaml")
        types |= _values_of(events, "type") | set(events.get("decided_types") or ())
    return types


def emitted_modes() -> set[str]:
    modes = _assigned_in_code("mode")
    for bundle in BUNDLES:
        modes |= _values_of(_yaml(bundle / "events.yaml"), "mode")
    return modes


def emitted_statuses() -> set[str]:
    return set(records.EVENT_STATUSES) | _assigned_in_code("status")


def emitted_sectors() -> set[str]:
    sectors = set(records.SECTORS)
    for bundle in BUNDLES:
        sectors |= set(_yaml(bundle / "events.yaml")["sectors"])
    return sectors


def emitted_metrics() -> set[str]:
    """As tests/test_measurements.py::test_every_metric_is_documented reads them, in every bundle."""
    shared = _yaml(RESOURCES / "metrics.yaml")
    metrics = set(shared["yearly_metrics"])
    for flow in shared["act_flows"].values():
        metrics |= set(flow.get("metrics") or ())
    for bundle in BUNDLES:
        v = _yaml(bundle / "figures.yaml")
        metrics |= (set(v["metrics"]) | set(v["metric_participles"]) | set(v["metric_nouns_after"])
                    | set(v["unit_metrics"].values()) | set(v["share_metrics"].values())
                    | set(v["count_value_metrics"].values()) | set(v["physical_metrics"].values())
                    | set(v["count_nouns"]) | set(v["model_count_metrics"]))
    return metrics


EMITTED = {
    "type": emitted_types,
    "mode": emitted_modes,
    "status": emitted_statuses,
    "sector": emitted_sectors,
    "metric": emitted_metrics,
    "figure_kind": lambda: set(records.MEASUREMENT_KINDS),
    "relation": lambda: set(records.RELATIONS),
    "figure_status": lambda: set(records.MEASUREMENT_STATUSES),
}


# -- the data ------------------------------------------------------------------------------------

def test_the_sources_of_codes_are_found():
    """The readers above find what they look for (a renamed key must not make them vacuous)."""
    assert BUNDLES
    assert {"CONSULT", "SANCTION"} <= emitted_types()
    assert {"visit", "phone", "multilateral", "third-party"} <= emitted_modes()
    assert "historical" in emitted_statuses() and "energy" in emitted_sectors()
    assert {"trade_volume", "exports", "containers", "area"} <= emitted_metrics()


@pytest.mark.parametrize("kind", sorted(EMITTED))
def test_the_codebook_explains_exactly_what_the_extractor_emits(kind):
    emitted, explained = EMITTED[kind](), set(CODEBOOK.get(kind) or ())
    assert not emitted - explained, f"{kind}: not in the codebook: {sorted(emitted - explained)}"
    assert not explained - emitted, f"{kind}: in the codebook but never emitted: {sorted(explained - emitted)}"


def test_every_entry_has_a_label_and_a_definition_in_both_languages():
    assert set(CODEBOOK) == set(EMITTED) | {"category"}
    for kind, codes in CODEBOOK.items():
        assert codes, kind
        for code, entry in codes.items():
            assert set(LANGUAGES) <= set(entry), (kind, code)
            for lang in LANGUAGES:
                assert set(entry[lang]) == {"label", "definition"}, (kind, code, lang)
                for field in ("label", "definition"):
                    value = entry[lang][field]
                    assert isinstance(value, str) and value.strip(), (kind, code, lang, field)
            assert entry["en"]["definition"] != entry["fr"]["definition"], (kind, code)
        for lang in LANGUAGES:
            labels = [entry[lang]["label"] for entry in codes.values()]
            assert len(labels) == len(set(labels)), f"{kind}: two codes share a label in {lang}"


def test_every_type_names_its_plover_category():
    categories = set(CODEBOOK["category"])
    used = {entry.get("category") for entry in CODEBOOK["type"].values()}
    assert used == categories, "every type has a category of the codebook, and every category a type"
    assert all("category" not in entry for kind, codes in CODEBOOK.items() if kind != "type"
               for entry in codes.values())


def test_the_library_answers_one_language_in_the_files_order():
    fr = codebook("fr")
    assert fr["lang"] == "fr" and list(fr["kinds"]) == list(CODEBOOK)
    consult = next(e for e in fr["kinds"]["type"] if e["code"] == "CONSULT")
    assert consult == {"code": "CONSULT", **CODEBOOK["type"]["CONSULT"]["fr"], "category": "verbal_cooperation"}
    assert codebook("fr") is fr      # loaded once
    with pytest.raises(ValueError, match="en, fr"):
        codebook("de")


# -- the API -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api():
    from veille.api import create_app, running
    from veille.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "empty.duckdb"
        Store(path).close()
        with running(create_app(path)) as base, httpx.Client(base_url=base, timeout=30) as client:
            yield client


def test_api_codebook_in_english_by_default_and_in_french(api):
    en = api.get("/api/codebook")
    assert en.status_code == 200
    body = en.json()
    assert body["lang"] == "en" and set(body["kinds"]) == set(CODEBOOK)
    consult = next(e for e in body["kinds"]["type"] if e["code"] == "CONSULT")
    assert consult["definition"] == CODEBOOK["type"]["CONSULT"]["en"]["definition"]
    assert consult["category"] == "verbal_cooperation"
    assert [e["code"] for e in body["kinds"]["metric"]] == list(CODEBOOK["metric"])
    fr = api.get("/api/codebook", params={"lang": "fr"}).json()
    assert fr["lang"] == "fr"
    assert next(e for e in fr["kinds"]["mode"] if e["code"] == "visit")["label"] == CODEBOOK["mode"]["visit"]["fr"]["label"]
    assert api.get("/api/codebook", params={"lang": "en"}).json() == body


@pytest.mark.parametrize("params, names", [
    ({"lang": "de"}, "lang"),
    ({"lang": ""}, "lang"),
    ({"language": "fr"}, "language"),
    ({"lang": "fr", "type": "CONSULT"}, "type"),
])
def test_api_codebook_refuses_other_languages_and_unknown_parameters(api, params, names):
    r = api.get("/api/codebook", params=params)
    assert r.status_code == 422
    assert [d["loc"][-1] for d in r.json()["detail"]] == [names]


def test_api_codebook_is_described(api):
    spec = api.get("/openapi.json").json()
    operation = spec["paths"]["/api/codebook"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["lang"]
    assert "Codebook" in spec["components"]["schemas"]

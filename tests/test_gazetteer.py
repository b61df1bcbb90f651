"""The gazetteer data: unique ids, valid codes, no unresolved alias collisions, coverage."""
from __future__ import annotations

from collections import defaultdict

import pycountry
import pytest

from veille.gazetteer import gazetteer, key_of
from veille.records import ENTITY_TYPES
from veille.resources import listing, load

QID = __import__("re").compile(r"^Q[1-9]\d*$")
SLUG = __import__("re").compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
OFFICES = {"head_of_state", "head_of_government", "foreign_minister", "trade_minister", "economy_minister",
           "energy_minister", "finance_minister", "defence_minister", "central_bank_governor",
           "deputy_head_of_government", "spokesperson", "presidential_aide", "party_leader", "company_head",
           "secretary_general", "president_of_commission", "president_of_council", "high_representative"}
ISO3 = {c.alpha_3 for c in pycountry.countries} | {"XKX", "SUN", "EUU"}
SUBDIVISIONS = {s.code for s in pycountry.subdivisions}


def items():
    for path in listing("gazetteer"):
        if path.endswith("states.yaml"):
            continue
        for item in load(path) or ():
            yield path, item


def test_ids_are_unique_qids_or_slugs():
    seen = {}
    for path, item in items():
        entry_id = str(item["id"])
        assert QID.match(entry_id) or SLUG.match(entry_id), f"{path}: bad id {entry_id!r}"
        assert entry_id not in seen, f"{entry_id} in {path} and {seen.get(entry_id)}"
        seen[entry_id] = path
    states = load("gazetteer/states.yaml")
    qids = [s["qid"] for s in states if s.get("qid")]
    assert len(qids) == len(set(qids))
    assert not set(qids) & set(seen), "a state QID is reused by another entry"


def test_codes_are_valid():
    for path, item in items():
        assert item.get("type") in ENTITY_TYPES, f"{path}: {item['id']} has type {item.get('type')!r}"
        if item.get("country") is not None:
            assert item["country"] in ISO3, f"{path}: {item['id']} country {item['country']!r}"
        for c in item.get("countries") or ():
            assert c in ISO3, f"{path}: {item['id']} countries has {c!r}"
        if item.get("subdivision"):
            assert item["subdivision"] in SUBDIVISIONS, f"{path}: {item['id']} subdivision {item['subdivision']!r}"
        for office in item.get("offices") or ():
            assert office["office"] in OFFICES, f"{item['id']}: office {office['office']!r}"
            assert office.get("country") in ISO3 | {None}, f"{item['id']}: office country {office.get('country')!r}"
            if office.get("to") and office.get("from"):
                assert str(office["from"]) <= str(office["to"]), f"{item['id']}: tenure ends before it starts"
    for state in load("gazetteer/states.yaml"):
        assert state["iso3"] in ISO3, state["iso3"]


def test_no_alias_points_to_two_entities():
    """Full names are unambiguous; surnames alone may be shared (resolved by tenure or a full mention)."""
    owners = defaultdict(set)
    for path, item in items():
        names = [item["name"], *[a for values in (item.get("aliases") or {}).values() for a in values or ()]]
        for name in names:
            owners[key_of(str(name))].add(str(item["id"]))
    clashes = {" ".join(k): ids for k, ids in owners.items() if len(ids) > 1}
    assert not clashes, f"aliases shared by several entities: {dict(list(clashes.items())[:10])}"


def test_coverage_of_the_lists_the_issue_names():
    gaz = gazetteer()
    types = defaultdict(int)
    for e in gaz.entries.values():
        types[e.type] += 1
    assert types["COUNTRY"] >= 195
    have = {e.subdivision for e in gaz.entries.values() if e.subdivision}
    # every province-level division of China (Taiwan, CN-TW in ISO 3166-2, is a state entry: TWN)
    china = {s.code for s in pycountry.subdivisions.get(country_code="CN")} - {"CN-TW"}
    assert china <= have, sorted(china - have)
    assert gaz.state("TWN") is not None
    russia = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert russia <= have, sorted(russia - have)
    for name in ["Poutine", "Xi Jinping", "Pékin", "Moscou", "Liaoning", "OCS", "BRICS", "ONU", "Gazprom",
                 "Rosatom", "CNPC", "Force de Sibérie 2", "Route maritime du Nord", "Union européenne",
                 "Administration générale des douanes", "Agence Chine nouvelle", "RIA Novosti", "Michoustine",
                 "Путин", "普京", "Vladivostok", "Heilongjiang", "Jilin", "Kazan", "BRICS"]:
        key = key_of(name)
        assert key in gaz.names or key in gaz.shorts or name in gaz.acronyms, f"{name} is not in the gazetteer"


@pytest.mark.parametrize("iso3", ["CHN", "RUS", "USA", "FRA", "DEU", "GBR", "IND", "JPN", "BRA", "ZAF", "SAU", "TUR",
                                  "KOR", "IDN", "MEX", "ARG", "AUS", "CAN", "ITA"])
def test_g20_heads_known_today(iso3):
    gaz = gazetteer()
    assert gaz.holder("head_of_state", iso3, "2024-06-01") or gaz.holder("head_of_government", iso3, "2024-06-01")


def test_heads_by_date():
    gaz = gazetteer()
    assert gaz.holder("head_of_state", "CHN", "2023-10-23").id == "Q15031"
    assert gaz.holder("head_of_state", "RUS", "2010-01-01").name == "Dmitry Medvedev"
    assert gaz.holder("head_of_state", "RUS", "2024-01-01").id == "Q7747"
    assert gaz.holder("head_of_government", "RUS", "2023-05-24").name == "Mikhail Mishustin"


def test_demonyms_and_capitals():
    gaz = gazetteer()
    assert gaz.demonyms[key_of("chinoises")] == "CHN" and gaz.demonyms[key_of("russe")] == "RUS"
    assert gaz.entries["Q956"].capital_of == "CHN" and gaz.entries["Q649"].capital_of == "RUS"


# -- coordinates (the map's): [lat, lon] in range, on the right side of the equator and of Greenwich

def _coords_ok(value) -> bool:
    return (isinstance(value, list) and len(value) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                              for x in value)
            and -90 <= value[0] <= 90 and -180 <= value[1] <= 180)


def test_coords_are_two_numbers_in_range_on_places_and_states_only():
    placed = 0
    for path, item in items():
        if "coords" in item:
            assert _coords_ok(item["coords"]), f"{path}: {item['id']} coords {item['coords']!r}"
            assert item.get("type") == "PLACE", f"{path}: {item['id']} is no place and has coords"
            assert not item.get("code"), f"{path}: the body {item['id']} has coords"
            placed += 1
    assert placed >= 550
    for state in load("gazetteer/states.yaml"):
        assert _coords_ok(state.get("coords")), f"states.yaml: {state['iso3']} coords {state.get('coords')!r}"


def test_a_states_point_is_its_capital():
    gaz = gazetteer()
    for state in load("gazetteer/states.yaml"):
        capital = gaz.entries.get(state.get("capital") or "")
        if capital is not None and capital.coords:
            assert list(capital.coords) == state["coords"], state["iso3"]


@pytest.mark.parametrize("entry, south, west", [
    ("Q1486", True, True),     # Buenos Aires
    ("Q2844", True, True),     # Brasília
    ("Q2887", True, True),     # Santiago
    ("Q3114", True, False),    # Canberra
    ("wellington", True, False),
    ("pretoria", True, False),
    ("Q3870", True, False),    # Nairobi, just south of the equator
    ("quito", True, True),     # Quito, just south of it
    ("Q61", False, True),      # Washington
    ("Q1930", False, True),    # Ottawa
    ("Q84", False, True),      # London, just west of Greenwich
    ("Q90", False, False),     # Paris, just east of it
    ("Q649", False, False),    # Moscow
    ("Q956", False, False),    # Beijing
    ("Q959", False, False),    # Vladivostok
    ("apia", True, True),      # Samoa, east of the date line
    ("suva", True, False),     # Fiji, west of it
])
def test_known_places_lie_in_their_hemispheres(entry, south, west):
    lat, lon = gazetteer().entries[entry].coords
    assert (lat < 0) is south and (lon < 0) is west, (entry, lat, lon)


@pytest.mark.parametrize("iso3, south, west", [("ARG", True, True), ("AUS", True, False), ("BRA", True, True),
                                               ("ZAF", True, False), ("USA", False, True), ("CHN", False, False),
                                               ("JPN", False, False), ("MEX", False, True), ("NZL", True, False)])
def test_states_lie_in_their_hemispheres(iso3, south, west):
    lat, lon = gazetteer().state(iso3).coords
    assert (lat < 0) is south and (lon < 0) is west, (iso3, lat, lon)

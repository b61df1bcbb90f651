"""Where and with whom: the map and the network (veille.read.graphs, /api/map, /api/network) over
the demo corpus ingested through the real pipeline. Their counts must be the timeline's: what a
circle or an edge counts is what /api/events answers for its filter."""
from __future__ import annotations

import duckdb
import pytest

from veille import read
from veille.gazetteer import map_points
from veille.read import Filters, Page
from veille.read.graphs import categories, category_of
from veille.records import EVENT_TYPES
from test_api import api, demo_db  # noqa: F401 (the demo database and its live API, shared)


@pytest.fixture
def con(demo_db):
    c = duckdb.connect(str(demo_db), read_only=True)
    yield c
    c.close()


def total(api, **params) -> int:
    r = api.get("/api/events", params={**params, "limit": 1})
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_every_type_is_in_one_plover_category():
    listed = [t for c in categories() for t in c["types"]]
    assert sorted(listed) == sorted(EVENT_TYPES)
    assert [c["id"] for c in categories()] == ["verbal_cooperation", "material_cooperation", "verbal_conflict",
                                               "material_conflict"]
    assert category_of()["CONSULT"] == "verbal_cooperation" and category_of()["ASSAULT"] == "material_conflict"


# -- the map -------------------------------------------------------------------------------------

def test_the_map_counts_every_event_of_the_timeline_once(api):
    m = api.get("/api/map").json()
    assert m["total"] == total(api) > 20
    counted = sum(p["events"] for p in m["places"] + m["unplaced"]) + m["unlocated"]
    assert counted == m["total"], "an event is lost or counted twice"
    for p in m["places"] + m["unplaced"]:
        assert sum(p["by_type"].values()) == sum(p["by_category"].values()) == p["events"]
        assert p["by_category"][p["category"]] == max(p["by_category"].values())
        assert 1 <= len(p["top"]) <= min(5, p["events"])
        assert all(e["type"] in p["by_type"] for e in p["top"])
    for p in m["places"]:
        lat, lon = p["coords"]
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_a_place_counts_the_events_located_there(api):
    m = api.get("/api/map").json()
    events = api.get("/api/events", params={"limit": 500}).json()["items"]
    beijing = next(p for p in m["places"] if p["id"] == "Q956")
    assert beijing["basis"] == "location" and beijing["state"] == "CHN" and beijing["known"]
    assert beijing["coords"] == [39.9, 116.41]
    assert beijing["events"] == sum(e["location"] == "Beijing" for e in events) > 0
    # events that name no place stand at their host state's capital, apart from the city's own
    china = next(p for p in m["places"] if p["id"] == "CHN")
    assert china["basis"] == "party" and china["coords"] == beijing["coords"]
    states = map_points()[2]
    hosts = [next((c for c in e["recipient"] + e["actor"] if c in states), None) for e in events]
    assert china["events"] == sum(e["location"] is None and host == "CHN" for e, host in zip(events, hosts)) > 0
    tops = {e["event_id"] for e in beijing["top"]}
    assert tops <= {e["event_id"] for e in events if e["location"] == "Beijing"}


def test_places_without_coordinates_are_listed_apart_not_dropped(api):
    m = api.get("/api/map").json()
    assert m["unplaced"], "the demo corpus names places the gazetteer does not know"
    assert all(p["coords"] is None for p in m["unplaced"])
    names = {p["name"] for p in m["unplaced"]}
    events = api.get("/api/events", params={"limit": 500}).json()["items"]
    unknown = {e["location"] for e in events if e["location"]} - {p["name"] for p in m["places"]}
    assert unknown == names
    assert not any(p["known"] for p in m["unplaced"] if p["name"] == "Palais du peuple")


def test_the_map_takes_the_timeline_filters(api):
    for params in ({"type": "CONSULT"}, {"parties": "CHN,USA"}, {"since": "2024-01", "until": "2024-06"},
                   {"type": "consult", "parties": "Chine"}):
        m = api.get("/api/map", params=params).json()
        assert m["total"] == total(api, **params) > 0, params
        assert sum(p["events"] for p in m["places"] + m["unplaced"]) + m["unlocated"] == m["total"]
    consult = api.get("/api/map", params={"type": "CONSULT"}).json()
    assert all(set(p["by_type"]) == {"CONSULT"} for p in consult["places"] + consult["unplaced"])


# -- the network ---------------------------------------------------------------------------------

def test_nodes_and_edges_count_what_the_timeline_lists(api):
    n = api.get("/api/network").json()
    assert n["total"] == total(api) and n["top"] == 30
    assert n["nodes"] and n["edges"] and n["others"]["nodes"] == 0
    for node in n["nodes"]:
        assert node["events"] == total(api, parties=node["code"]), node["code"]
        assert sum(node["by_category"].values()) == node["events"]
    codes = {node["code"] for node in n["nodes"]}
    for edge in n["edges"]:
        assert edge["parties"] == f"{edge['source']},{edge['target']}" and {edge["source"], edge["target"]} <= codes
        assert edge["weight"] == total(api, parties=edge["parties"]) > 0, edge["parties"]
        assert sum(edge["by_category"].values()) == sum(edge["by_type"].values()) == edge["weight"]
        assert edge["by_category"][edge["category"]] == max(edge["by_category"].values())
    china = next(node for node in n["nodes"] if node["code"] == "CHN")
    assert china["name"] == "China" and china["kind"] == "state"
    assert [e["weight"] for e in n["edges"]] == sorted((e["weight"] for e in n["edges"]), reverse=True)
    first = n["edges"][0]
    assert first["parties"] == "CHN,RUS"
    degree = {code: sum(code in (e["source"], e["target"]) for e in n["edges"]) for code in codes}
    assert all(node["degree"] == degree[node["code"]] for node in n["nodes"])


def test_the_top_cut_keeps_the_busiest_parties_and_counts_the_others(api):
    every = api.get("/api/network").json()
    assert len(every["nodes"]) > 3
    cut = api.get("/api/network", params={"top": 2}).json()
    assert [x["code"] for x in cut["nodes"]] == [x["code"] for x in every["nodes"][:2]] == ["CHN", "RUS"]
    assert {(e["source"], e["target"]) for e in cut["edges"]} == {("CHN", "RUS")}
    others = cut["others"]
    assert others["nodes"] == len(every["nodes"]) - 2
    assert others["edges"] == len(every["edges"]) - 1
    assert others["weight"] == sum(e["weight"] for e in every["edges"]) - cut["edges"][0]["weight"]
    left = {x["code"] for x in every["nodes"][2:]}
    events = api.get("/api/events", params={"limit": 500}).json()["items"]
    assert others["events"] == sum(bool(left & set(e["actor"] + e["recipient"])) for e in events) > 0


def test_the_network_takes_the_timeline_filters(api):
    for params in ({"type": "CONSULT"}, {"since": "2024"}, {"parties": "USA"}):
        n = api.get("/api/network", params=params).json()
        assert n["total"] == total(api, **params) > 0, params
        for edge in n["edges"]:
            # the pair, and the parties the filters already name (what the dashboard links to)
            both = ",".join(dict.fromkeys(filter(None, [params.get("parties"), edge["source"], edge["target"]])))
            assert edge["weight"] == total(api, **{**params, "parties": both}), (params, edge["parties"])
    usa = api.get("/api/network", params={"parties": "USA"}).json()
    assert usa["nodes"][0]["code"] == "USA" and usa["nodes"][0]["events"] == usa["total"]
    assert all(e["weight"] <= usa["total"] for e in usa["edges"])
    assert set(api.get("/api/network", params={"type": "CONSULT"}).json()["edges"][0]["by_type"]) == {"CONSULT"}


@pytest.mark.parametrize("path, params", [
    ("/api/map", {"places": "CHN"}), ("/api/map", {"top": "10"}), ("/api/network", {"limit": "10"}),
    ("/api/network", {"top": "1"}), ("/api/network", {"top": "201"}), ("/api/network", {"top": "many"}),
    ("/api/map", {"type": "WAVE"}), ("/api/network", {"since": "last week"}),
])
def test_bad_or_unknown_parameters_are_422(api, path, params):
    r = api.get(path, params=params)
    assert r.status_code == 422, r.text
    assert list(params)[0] in r.text


# -- the library ---------------------------------------------------------------------------------

def test_the_library_answers_what_the_api_answers(api, con):
    assert read.event_map(con, Filters(type="CONSULT")) == api.get("/api/map", params={"type": "CONSULT"}).json()
    assert read.network(con, Filters(), top=5) == api.get("/api/network", params={"top": 5}).json()


def test_without_fusion_tables_events_are_those_of_each_article(con):
    everything = read.list_article_events(con, Filters(), Page(limit=1), fused=False)["total"]
    m = read.event_map(con, Filters(), fused=False)
    assert m["total"] == everything > read.event_map(con, Filters())["total"]
    assert sum(p["events"] for p in m["places"] + m["unplaced"]) + m["unlocated"] == everything
    n = read.network(con, Filters(), fused=False)
    assert n["total"] == everything
    chn_rus = next(e for e in n["edges"] if e["parties"] == "CHN,RUS")
    assert chn_rus["weight"] == read.list_article_events(con, Filters(parties=("CHN", "RUS")), Page(limit=1),
                                                         fused=False)["total"]

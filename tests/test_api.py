"""The HTTP API through a real HTTP client, against a live uvicorn on 127.0.0.1, over the demo
corpus (and one article full of markup). Every fact must lead back to its sentence; bad input
must get a clear 4xx, never a 500."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import httpx
import pytest

from conftest import veille
from demo_server import INJECTION, copy_db, shared_demo_db, unfused_copy
from veille.api import create_app, running
from veille.records import Record


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    return shared_demo_db(tmp_path_factory)


@pytest.fixture(scope="module")
def api(demo_db):
    with running(create_app(demo_db)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def text_of(api, article_id: str) -> str:
    return api.get(f"/api/articles/{article_id}").json()["doc"]["text"]


# -- what the API answers ------------------------------------------------------------------------

def test_meta_says_what_the_database_holds(api):
    r = api.get("/api/meta")
    assert r.status_code == 200
    meta = r.json()
    assert meta["fusion"] is True and meta["writable"] is False
    assert meta["counts"]["articles"] == 26 and meta["counts"]["events"] > 0 and meta["counts"]["conflicts"] > 0
    assert {t["type"] for t in meta["types"]} >= {"CONSULT", "AGREE", "SANCTION"}
    assert any(p["code"] == "CHN" for p in meta["parties"])


def test_timeline_filters_by_type_parties_sector_and_dates(api):
    everything = api.get("/api/events", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 20
    consult = api.get("/api/events", params={"type": "CONSULT", "limit": 500}).json()
    assert 0 < consult["total"] < everything["total"]
    assert {e["type"] for e in consult["items"]} == {"CONSULT"}
    assert api.get("/api/events", params={"type": "consult"}).json()["total"] == consult["total"]
    both = api.get("/api/events", params={"parties": "CHN,RUS", "limit": 500}).json()["items"]
    assert both and all({"CHN", "RUS"} <= set(e["actor"] + e["recipient"]) for e in both)
    energy = api.get("/api/events", params={"sector": "energy", "limit": 500}).json()["items"]
    assert energy and all("energy" in e["sectors"] for e in energy)
    dated = api.get("/api/events", params={"since": "2024-01", "until": "2024-06", "limit": 500}).json()["items"]
    assert dated and all(e["date"]["begin"] <= "2024-06-30" and (e["date"]["end"] or e["date"]["begin"]) >= "2024-01"
                         for e in dated)
    days = [e["date"]["begin"] for e in everything["items"] if e["date"]]
    assert days == sorted(days, reverse=True), "the timeline is newest first"


def test_timeline_pages_do_not_overlap(api):
    first = api.get("/api/events", params={"limit": 10, "offset": 0}).json()
    second = api.get("/api/events", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"] and len(first["items"]) == len(second["items"]) == 10
    assert not {e["event_id"] for e in first["items"]} & {e["event_id"] for e in second["items"]}
    beyond = api.get("/api/events", params={"offset": 100000}).json()
    assert beyond["items"] == [] and beyond["total"] == first["total"]


def test_every_event_source_quotes_its_sentence_from_the_article(api):
    events = api.get("/api/events", params={"limit": 40, "order": "sources"}).json()["items"]
    checked = 0
    for event in events:
        assert event["sources"], event["event_id"]
        for source in event["sources"]:
            text = text_of(api, source["article_id"])
            assert source["evidence"].strip() == text[source["evidence_start"]:source["evidence_end"]].strip()
            checked += 1
    assert checked >= 40
    one = events[0]
    assert api.get(f"/api/events/{one['event_id']}").json() == one


def test_events_of_an_entity_a_source_and_an_article(api):
    putin = api.get("/api/events", params={"entity": "Q7747", "limit": 500}).json()
    assert putin["total"] > 3
    for event in putin["items"][:5]:
        assert any("Poutine" in s["evidence"] or "président russe" in s["evidence"].lower() or "Vladimir" in s["evidence"]
                   for s in event["sources"]), event
    china = api.get("/api/events", params={"entity": "Q148", "limit": 500}).json()["items"]
    assert china and all("CHN" in e["actor"] + e["recipient"] for e in china)
    outlet = api.get("/api/meta").json()["outlets"][0]["outlet"]
    by_outlet = api.get("/api/events", params={"source": outlet, "limit": 500}).json()["items"]
    assert by_outlet and all(any(s["outlet"] == outlet for s in e["sources"]) for e in by_outlet)
    article = by_outlet[0]["sources"][0]["article_id"]
    of_article = api.get("/api/events", params={"article": article}).json()["items"]
    assert of_article and all(any(s["article_id"] == article for s in e["sources"]) for e in of_article)
    assert api.get("/api/events", params={"entity": "no-such-entity"}).json()["total"] == 0


def test_events_by_month(api):
    months = api.get("/api/events/months", params={"type": "CONSULT"}).json()
    consult = api.get("/api/events", params={"type": "CONSULT", "limit": 500}).json()["items"]
    assert sum(m["events"] for m in months) == sum(1 for e in consult if e["date"])


def test_article_events_and_measurements_keep_their_sentence(api):
    events = api.get("/api/article-events", params={"limit": 30}).json()["items"]
    figures = api.get("/api/measurements", params={"limit": 30, "metric": "trade_volume"}).json()["items"]
    assert events and figures and all(f["metric"] == "trade_volume" for f in figures)
    for item in events + figures:
        text = text_of(api, item["article_id"])
        assert item["evidence_text"] == text[item["evidence"][0]:item["evidence"][1]]
    for figure in figures:
        assert figure["text"] in figure["evidence_text"]
    fused_ids = {e["event_id"] for e in events}
    assert None not in fused_ids


def test_figures_conflicts_and_series_lead_to_their_sentences(api):
    conflicts = api.get("/api/conflicts").json()["items"]
    assert conflicts and all(c["conflict"] and len(c["positions"]) >= 2 for c in conflicts)
    series = api.get("/api/series", params={"metric": "trade_volume", "parties": "CHN,RUS"}).json()["items"]
    assert series and series[0]["points"]
    points = [p for s in series for p in s["points"]]
    assert any(p["conflict"] and len(p["positions"]) >= 2 for p in points)
    for point in points[:6]:
        group = api.get(f"/api/figures/{point['group_id']}").json()
        assert group["value"] == point["value"] and group["members"]
        for member in group["members"]:
            text = text_of(api, member["article_id"])
            assert member["evidence"] == text[member["evidence_start"]:member["evidence_end"]]
            assert member["text"] in member["evidence"]
    trade = api.get("/api/figures", params={"metric": "trade_volume", "conflict": "true"}).json()["items"]
    assert trade and all(g["metric"] == "trade_volume" and g["conflict"] for g in trade)


def test_article_is_its_veille1_record_with_links(api):
    listed = api.get("/api/articles", params={"limit": 5}).json()
    assert listed["total"] == 26 and len(listed["items"]) == 5
    article_id = listed["items"][0]["id"]
    r = api.get(f"/api/articles/{article_id}").json()
    record = Record.from_dict(r)
    assert record.doc.id == article_id and r["format"] == "veille/1"
    assert len(r["links"]["events"]) == len(record.events)
    assert len(r["links"]["measurements"]) == len(record.measurements)
    assert api.get(f"/api/articles/{article_id[:10]}").json()["doc"]["id"] == article_id
    for event_id in filter(None, r["links"]["events"]):
        assert api.get(f"/api/events/{event_id}").status_code == 200


def test_entities_and_an_entity_page(api):
    top = api.get("/api/entities", params={"limit": 5}).json()["items"]
    assert {e["id"] for e in top[:2]} == {"Q148", "Q159"}
    found = api.get("/api/entities", params={"q": "Poutine"}).json()["items"]
    assert found[0]["id"] == "Q7747"
    putin = api.get("/api/entities/Q7747").json()
    assert putin["name"] == "Vladimir Putin" and putin["events"] > 0 and putin["figures"] > 0
    assert {p["code"] for p in putin["partners"]} >= {"CHN"}
    people = api.get("/api/entities", params={"type": "PERSON"}).json()["items"]
    assert people and all(e["type"] == "PERSON" for e in people)


def test_quotes(api):
    quotes = api.get("/api/quotes").json()
    assert quotes["total"] > 0
    for quote in quotes["items"]:
        assert quote["text"] in text_of(api, quote["article_id"])


def test_search_is_full_text_accent_and_case_blind(api):
    r = api.get("/api/search", params={"q": "gaz Pékin"}).json()
    assert r["total"] > 0
    assert api.get("/api/search", params={"q": "GAZ pekin"}).json()["total"] == r["total"]
    hit = r["items"][0]
    assert any(s["match"] for s in hit["snippet"]) and hit["article"]["id"]
    phrase = api.get("/api/search", params={"q": '"Force de Sibérie"'}).json()
    assert phrase["total"] > 0
    assert api.get("/api/search", params={"q": "zzzqqqxxx"}).json()["total"] == 0


@pytest.mark.parametrize("q", ["'; DROP TABLE articles; --", "\" OR 1=1 --", "NEAR(gaz pétrole) AND *", "a\"b\"c",
                               "<script>alert(1)</script>", "gaz) OR (1", "%' OR '1'='1", "title:gaz", "^gaz",
                               "\\x00 gaz", "x" * 500])
def test_injection_attempts_in_search_are_just_words(api, q):
    r = api.get("/api/search", params={"q": q})
    assert r.status_code in (200, 422), r.text
    assert api.get("/api/meta").json()["counts"]["articles"] == 26


def test_the_injected_article_is_found_and_returned_as_text(api):
    r = api.get("/api/search", params={"q": "script pwned"}).json()
    assert r["total"] == 1
    article = api.get(f"/api/articles/{r['items'][0]['article']['id']}").json()
    assert "<script>window.__pwned = 1;" in article["doc"]["text"] and article["doc"]["title"] == INJECTION["title"]


BAD = [
    ("/api/events?limit=0", 422), ("/api/events?limit=100000", 422), ("/api/events?limit=abc", 422),
    ("/api/events?offset=-1", 422), ("/api/events?since=2024-13-01", 422), ("/api/events?since=yesterday", 422),
    ("/api/events?until=2024-02-30x", 422), ("/api/events?type=BOGUS", 422), ("/api/events?sector=space_race", 422),
    ("/api/events?parties=;DROP%20TABLE", 422), ("/api/events?min_sources=0", 422), ("/api/events?order=random", 422),
    ("/api/events?status=maybe", 422), ("/api/figures?conflict=perhaps", 422), ("/api/figures?metric=Trade%20Volume", 422),
    ("/api/series?limit=501", 422), ("/api/measurements?kind=weird", 422), ("/api/entities?type=ALIEN", 422),
    ("/api/entities?country=RUSSIA", 422), ("/api/articles?language=french", 422), ("/api/search", 422),
    ("/api/search?q=", 422), ("/api/search?q=%20%20", 422), ("/api/search?q=" + "a" * 501, 422),
    ("/api/articles/zzz", 422), ("/api/articles/abcdef1234", 404), ("/api/articles/" + "f" * 64, 404),
    ("/api/events/no-such-event", 404), ("/api/events/" + "e" * 101, 422), ("/api/figures/no-such-group", 404),
    ("/api/entities/no-such-entity", 404), ("/api/entities/%00", 404), ("/api/nothing", 404),
    ("/api/events?entity=%27%20OR%201%3D1", 200), ("/api/events?source=%27%3B%20DROP%20TABLE%20events%3B--", 200),
]


@pytest.mark.parametrize("path,status", BAD)
def test_bad_input_gets_a_clear_4xx_never_a_500(api, path, status):
    r = api.get(path)
    assert r.status_code == status, r.text
    assert "detail" in r.json() or status == 200
    if status == 422 and isinstance(r.json()["detail"], list):
        assert r.json()["detail"][0]["msg"]


def test_writing_is_off_without_a_token(api):
    r = api.post("/api/articles", json={"articles": [{"source": "x", "text": "Pékin et Moscou ont signé."}]})
    assert r.status_code == 401 and "writing is off" in r.json()["detail"]
    r = api.post("/api/articles", json={"articles": [{"source": "x", "text": "Pékin."}]}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403 and "writing is off" in r.json()["detail"]
    assert api.put("/api/events").status_code == 405


def test_ingesting_with_the_token(demo_db, tmp_path):
    db = copy_db(demo_db, tmp_path)
    article = {"source": "https://api.example/nouvel-article", "published": "2025-02-10",
               "title": "Moscou et Pékin signent un accord sur le nucléaire",
               "text": "Moscou et Pékin ont signé lundi un accord de coopération nucléaire civile. "
                       "Le commerce entre la Chine et la Russie a atteint 245 milliards de dollars en 2024."}
    with running(create_app(db, token="s3cret")) as base, httpx.Client(base_url=base, timeout=120) as client:
        assert client.get("/api/meta").json()["writable"] is True
        body = {"articles": [article]}
        assert client.post("/api/articles", json=body).status_code == 401
        assert client.post("/api/articles", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        empty = client.post("/api/articles", json={"articles": [{"source": "x", "text": " "}]}, headers=auth)
        assert empty.status_code == 422
        assert client.post("/api/articles", json={"articles": []}, headers=auth).status_code == 422
        r = client.post("/api/articles", json=body, headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["new"] == 1 and not r.json()["errors"]
        assert client.post("/api/articles", json=body, headers=auth).json()["unchanged"] == 1
        assert client.get("/api/meta").json()["counts"]["articles"] == 27
        found = client.get("/api/search", params={"q": "nucléaire civile"}).json()
        assert found["total"] == 1 and found["items"][0]["article"]["source"] == article["source"]


def test_openapi_description_and_no_outside_resources(api):
    spec = api.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/figures", "/api/series", "/api/conflicts",
                 "/api/entities/{entity_id}", "/api/articles/{article_id}", "/api/quotes", "/api/search",
                 "/api/article-events", "/api/measurements"):
        assert path in spec["paths"], path
    page = api.get("/")
    assert page.status_code == 200 and "/app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert api.get("/api/meta").headers["x-content-type-options"] == "nosniff"
    web = Path(__file__).resolve().parent.parent / "veille" / "web"
    for f in web.iterdir():
        text = f.read_text(encoding="utf-8")
        for outside in ("http://", "https://", "//cdn", "@import", "innerHTML", "insertAdjacentHTML", "eval("):
            assert outside not in text.replace("http://www.w3.org/2000/svg", ""), (f.name, outside)


# -- the command line ----------------------------------------------------------------------------

def test_export_every_kind_in_every_format(demo_db, tmp_path):
    for what, expected in (("events", "event_id"), ("figures", "group_id"), ("entities", "name"), ("articles", "text")):
        r = veille("export", "--db", str(demo_db), "--what", what, "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        rows = [json.loads(line) for line in r.stdout.splitlines()]
        assert rows and expected in rows[0]
        out = tmp_path / f"{what}.parquet"
        r = veille("export", "--db", str(demo_db), "--what", what, "--format", "parquet", "--out", str(out))
        assert r.returncode == 0, r.stderr
        assert duckdb.connect().execute(f"SELECT count(*) FROM '{out}'").fetchone()[0] == len(rows)
        r = veille("export", "--db", str(demo_db), "--what", what, "--format", "csv")
        assert r.returncode == 0 and r.stdout.splitlines()[0].split(",")[0] in ("event_id", "group_id", "id")
    assert veille("export", "--db", str(demo_db), "--what", "events", "--format", "parquet").returncode == 2
    assert veille("export", "--db", str(tmp_path / "none.duckdb"), "--what", "events").returncode == 2


def test_the_command_line_the_api_and_the_export_list_the_same_rows(demo_db):
    """One read layer: `veille figures --format json`, /api/figures and `veille export --what
    figures` give the same items in the same order; so do events, conflicts and series."""
    with running(create_app(demo_db)) as base, httpx.Client(base_url=base) as client:
        for what in ("figures", "events", "conflicts", "series"):
            r = veille(what, "--db", str(demo_db), "--format", "json", "--limit", "0")
            assert r.returncode == 0, r.stderr
            cli = json.loads(r.stdout)
            r = veille("export", "--db", str(demo_db), "--what", what, "--format", "jsonl")
            exported = [json.loads(line) for line in r.stdout.splitlines()]
            api, offset = [], 0
            while True:
                page = client.get(f"/api/{what}", params={"limit": 7, "offset": offset}).json()
                api += page["items"]
                offset += 7
                if offset >= page["total"]:
                    break
            assert cli, what
            same = [json.dumps(x, sort_keys=True) for x in cli]
            assert same == [json.dumps(x, sort_keys=True) for x in api], what
            assert same == [json.dumps(x, sort_keys=True) for x in exported], what


def _start(args: list[str]) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("veille")
    proc = subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if line.startswith("veille dashboard: "):
            return proc, line.split()[2].rstrip("/")
    proc.wait(timeout=10)
    raise AssertionError(f"no dashboard line; exit {proc.returncode}: {proc.stderr.read()[-2000:]}")


def test_serve_starts_answers_and_stops_on_ctrl_c(demo_db):
    proc, url = _start(["serve", "--db", str(demo_db), "--port", "0"])
    try:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url + "/api/events", params={"type": "CONSULT"}).json()["total"] > 0
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    assert "Traceback" not in proc.stderr.read()
    assert veille("serve", "--db", "/nonexistent/x.duckdb").returncode == 2


def test_demo_ends_serving_its_dashboard(tmp_path):
    proc, url = _start(["demo", "--db", str(tmp_path / "demo.duckdb"), "--quiet", "--port", "0"])
    try:
        meta = httpx.get(url + "/api/meta").json()
        assert meta["counts"]["articles"] == 25 and meta["counts"]["events"] > 0
        assert "veille" in httpx.get(url + "/").text
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()
    r = veille("demo", "--db", str(tmp_path / "demo.duckdb"), "--quiet", "--no-serve")
    assert r.returncode == 0 and "veille dashboard" not in r.stdout


def test_without_fusion_tables_the_fused_lists_are_empty_and_the_rest_answers(demo_db, tmp_path):
    db = unfused_copy(demo_db, tmp_path)
    with running(create_app(db)) as base, httpx.Client(base_url=base) as client:
        assert client.get("/api/meta").json()["fusion"] is False
        for path in ("/api/events", "/api/figures", "/api/series", "/api/conflicts"):
            r = client.get(path)
            assert r.status_code == 200 and r.json()["items"] == [] and r.json()["total"] == 0, path
        assert client.get("/api/events/anything").status_code == 404
        events = client.get("/api/article-events", params={"type": "CONSULT"}).json()
        assert events["total"] > 0 and all(e["event_id"] is None for e in events["items"])
        assert client.get("/api/events/months").json()
        assert client.get("/api/measurements").json()["total"] > 0
        assert client.get("/api/entities/Q7747").json()["events"] > 0
        links = client.get(f"/api/articles/{events['items'][0]['article_id']}").json()["links"]["events"]
        assert links and set(links) == {None}
        assert client.get("/api/search", params={"q": "gaz"}).json()["total"] > 0
    r = veille("export", "--db", str(db), "--what", "events", "--format", "csv")
    assert r.returncode == 0 and r.stdout.startswith("article_id,")


def test_an_unknown_parameter_is_refused_with_the_ones_the_endpoint_takes(api):
    every = api.get("/api/figures").json()["total"]
    r = api.get("/api/figures", params={"places": "CHN,RUS"})          # the parameter is `parties`
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["loc"] == ["query", "places"] and "parties" in problem["msg"] and "metric" in problem["msg"]
    assert api.get("/api/figures", params={"parties": "CHN,RUS"}).json()["total"] < every
    r = api.get("/api/events", params={"typ": "CONSULT", "since": "2024", "limite": 5})
    assert r.status_code == 422 and [p["loc"][1] for p in r.json()["detail"]] == ["limite", "typ"]
    assert api.get("/api/meta", params={"x": 1}).status_code == 422


def test_states_may_be_named_where_codes_are_asked(api):
    by_code = api.get("/api/events", params={"parties": "CHN,RUS"}).json()
    for names in ("Chine,Russie", "China,Russia", "chine,RUS"):
        assert api.get("/api/events", params={"parties": names}).json() == by_code, names
    assert by_code["total"] > 0

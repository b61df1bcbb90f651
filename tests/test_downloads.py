"""Downloads of the lists (`format=csv|jsonl|parquet`) against a live server on the demo corpus:
every item of the JSON listing with the same filters, in its order, accents intact; CSV and
JSON Lines streamed a page at a time; Parquet through a temporary file that is deleted; the
event-sources table through the API and `veille export` alike."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
from pathlib import Path

import duckdb
import httpx
import pytest

from veille import export as exporting
from conftest import veille
from demo_server import unfused_copy
from veille.api import create_app, running
from test_api import api, demo_db  # noqa: F401 (the demo database and its live API, shared)

BOM = "\ufeff"


def listing(api, path: str, params: dict) -> list[dict]:
    """Every item of the JSON listing, page after page; checks the pages add up to its total."""
    items, offset = [], 0
    while True:
        page = api.get(f"/api/{path}", params={**params, "limit": 500, "offset": offset}).json()
        items += page["items"]
        offset += 500
        if offset >= page["total"]:
            assert len(items) == page["total"], path
            return items


def downloaded(api, path: str, params: dict, fmt: str) -> bytes:
    r = api.get(f"/api/{path}", params={**params, "format": fmt})
    assert r.status_code == 200, r.text[:500]
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment") and f'filename="{path}.{fmt}"' in disposition, disposition
    return r.content


def csv_rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith(BOM), "a spreadsheet needs the mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text[len(BOM):], newline="")))


def parquet_rows(content: bytes, folder: Path) -> list[dict]:
    path = folder / "download.parquet"
    path.write_bytes(content)
    con = duckdb.connect()
    cur = con.execute(f"SELECT * FROM '{path}'")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


KEYS = {"events": ("event_id",), "figures": ("group_id",), "event-sources": ("event_id", "article_id"),
        "conflicts": ("group_id",), "entities": ("id",)}


@pytest.mark.parametrize("path, params", [
    ("events", {"parties": "CHN,RUS"}),
    ("figures", {"metric": "trade_volume"}),
    ("event-sources", {"type": "AGREE"}),
    ("event-sources", {}),
    ("conflicts", {}),
    ("entities", {"type": "PERSON"}),
], ids=["events-parties", "figures-metric", "event-sources-type", "event-sources-all", "conflicts", "entities-type"])
def test_every_format_holds_every_row_of_the_listing_in_its_order(api, tmp_path, path, params):
    items = listing(api, path, params)
    everything = api.get(f"/api/{path}", params={"limit": 1}).json()["total"]
    assert items and (not params or len(items) < everything), "the filter must keep some rows and leave others"
    key = KEYS[path]

    def ids(rows):
        return [tuple(str(r[k]) for k in key) for r in rows]

    lines = downloaded(api, path, params, "jsonl").decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == items          # the same rows, item for item
    table = csv_rows(downloaded(api, path, params, "csv"))
    assert ids(table) == ids(items)
    parquet = parquet_rows(downloaded(api, path, params, "parquet"), tmp_path)
    assert ids(parquet) == ids(items)


def test_accents_survive_every_format(api, tmp_path):
    """French sentences and titles come back character for character: é, è, ç."""
    items = listing(api, "event-sources", {})
    text = " ".join(f"{r['title']} {r['evidence']}" for r in items)
    assert all(letter in text for letter in "éèç"), "the demo corpus must hold the letters checked"
    want = [(r["title"], r["evidence"]) for r in items]
    raw = downloaded(api, "event-sources", {}, "csv")         # csv_rows decodes it as UTF-8, strictly
    assert [(r["title"], r["evidence"]) for r in csv_rows(raw)] == [(t or "", e or "") for t, e in want]
    assert [(r["title"], r["evidence"]) for r in parquet_rows(downloaded(api, "event-sources", {}, "parquet"),
                                                               tmp_path)] == want
    figures = listing(api, "figures", {})
    statements = [json.loads(row["members"]) for row in csv_rows(downloaded(api, "figures", {}, "csv"))]
    assert [[m["evidence"] for m in ms] for ms in statements] == \
        [[m["evidence"] for m in f["members"]] for f in figures]


def test_event_sources_are_one_row_per_event_and_article(api):
    events = listing(api, "events", {"type": "AGREE"})
    rows = listing(api, "event-sources", {"type": "AGREE"})
    assert len(rows) == sum(len({s["article_id"] for s in e["sources"]}) for e in events)
    assert len(rows) == sum(e["source_count"] for e in events)
    first = events[0]
    mine = [r for r in rows if r["event_id"] == first["event_id"]]
    assert {r["article_id"] for r in mine} == {s["article_id"] for s in first["sources"]}
    for row in mine:
        source = next(s for s in first["sources"] if s["article_id"] == row["article_id"])
        assert (row["type"], row["status"], row["actor"], row["recipient"]) == \
            (first["type"], first["status"], first["actor"], first["recipient"])
        assert (row["date_begin"], row["outlet"], row["url"], row["title"]) == \
            ((first["date"] or {}).get("begin"), source["outlet"], source["url"], source["title"])
        assert source["evidence"] in row["evidence"].split("\n")
        # who, not only which state: the event's named parties, side by side
        for side, column in (("actor", "actor_names"), ("recipient", "recipient_names"), ("named", "other_names")):
            assert row[column] == [n["name"] for n in first["named_parties"] if n["side"] == side]
    assert any(r["actor_names"] or r["recipient_names"] for r in rows), "no event names anyone"
    pages = [api.get("/api/event-sources", params={"type": "AGREE", "limit": 4, "offset": o}).json()["items"]
             for o in range(0, len(rows), 4)]
    assert [r for page in pages for r in page] == rows


def test_veille_export_writes_the_event_sources_the_api_lists(api, demo_db):
    r = veille("export", "--db", str(demo_db), "--what", "event-sources", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert [json.loads(line) for line in r.stdout.splitlines()] == listing(api, "event-sources", {})


def test_limit_and_offset_do_not_cut_a_download(api):
    total = api.get("/api/events", params={"limit": 1}).json()["total"]
    rows = csv_rows(downloaded(api, "events", {"limit": 2, "offset": 3}, "csv"))
    assert len(rows) == total > 5


def test_an_unknown_parameter_or_format_is_refused(api):
    r = api.get("/api/events", params={"format": "csv", "typ": "AGREE"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "typ"]
    assert "format" in r.json()["detail"][0]["msg"]           # the endpoint says it takes `format`
    for bad in ("xlsx", "CSV;", ""):
        r = api.get("/api/figures", params={"format": bad})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "format"], bad
    for path in ("/api/meta", "/api/quotes", "/api/events/months"):      # no file there
        r = api.get(path, params={"format": "csv"})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "format"], path
    assert api.get("/api/events", params={"format": "json"}).json() == api.get("/api/events").json()
    assert api.get("/api/events", params={"format": "CSV"}).headers["content-type"].startswith("text/csv")


async def _get(app, path: str, query: str, sent: list[dict]) -> None:
    """One GET through the app itself, each ASGI message it sends appended to `sent` as it goes."""
    asked = False

    async def receive():
        nonlocal asked
        if asked:                        # the client stays connected until the answer ends
            await asyncio.Event().wait()
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    await app(scope, receive, send)


def every(db: Path, what: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return list(exporting.rows(con, what))


def test_a_large_download_streams_a_page_at_a_time(demo_db, monkeypatch):
    """With pages of 4 events, page k is read only once the byte order mark and the chunks of the
    k pages before it have been sent: the download never holds more than a page."""
    events, rows = len(every(demo_db, "events")), len(every(demo_db, "event-sources"))
    monkeypatch.setattr(exporting, "PAGE", 4)
    sent: list[dict] = []
    reads: list[int] = []        # how many body chunks had gone out when each page was read
    list_events = exporting.list_events

    def counted(*args, **kwargs):
        reads.append(sum(1 for m in sent if m["type"] == "http.response.body"))
        return list_events(*args, **kwargs)

    monkeypatch.setattr(exporting, "list_events", counted)
    app = create_app(demo_db)
    try:
        asyncio.run(_get(app, "/api/event-sources", "format=csv", sent))
    finally:
        app.state.db.close()
    assert next(m for m in sent if m["type"] == "http.response.start")["status"] == 200
    pages = -(-events // 4)
    assert pages >= 5 and reads == list(range(1, pages + 1)), reads
    bodies = [m["body"] for m in sent if m["type"] == "http.response.body" and m["body"]]
    assert len(bodies) == pages + 1 and bodies[0] == BOM.encode("utf-8")
    assert len(csv_rows(b"".join(bodies))) == rows


def test_a_parquet_download_leaves_no_file_behind(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = create_app(demo_db)
    sent: list[dict] = []
    try:
        asyncio.run(_get(app, "/api/figures", "format=parquet&metric=trade_volume", sent))
    finally:
        app.state.db.close()
    assert next(m for m in sent if m["type"] == "http.response.start")["status"] == 200
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert body[:4] == b"PAR1" and body[-4:] == b"PAR1"
    assert list(tmp_path.iterdir()) == []


def test_without_fusion_tables_event_sources_are_the_events_of_each_article(demo_db, tmp_path):
    db = unfused_copy(demo_db, tmp_path)
    with running(create_app(db)) as base, httpx.Client(base_url=base, timeout=60) as client:
        assert client.get("/api/events", params={"format": "csv"}).content == BOM.encode("utf-8")
        per_article = listing(client, "article-events", {"type": "CONSULT"})
        rows = csv_rows(downloaded(client, "event-sources", {"type": "CONSULT"}, "csv"))
        assert [r["article_id"] for r in rows] == [e["article_id"] for e in per_article]
        assert all(r["event_id"] == "" for r in rows)
        assert len(csv_rows(downloaded(client, "article-events", {"type": "CONSULT"}, "csv"))) == len(per_article)

"""Watching (veille.watch) and alerts (veille.watch.alerts), against feeds, pages and folders
served on 127.0.0.1 by the test itself (never the network): a feed that changes between
rounds, one that answers 304, one that fails, one that is slow, feeds with odd entries.

The articles are written for these tests, on India and Japan (and Turkey and Greece)."""
from __future__ import annotations

import json
import os
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest

from conftest import veille
from veille.read import Filters
from veille.settings import Settings
from veille.store import Store
from veille.watch import add_sources, list_sources, parse_every, watch_round
from veille.watch import alerts as A

pytestmark = pytest.mark.model

VISIT = ("Le Premier ministre indien est arrivé mardi 14 mai 2024 à Tokyo pour une visite officielle de trois jours. "
         "Il doit s'entretenir avec le chef du gouvernement japonais de la coopération navale et des semi-conducteurs.")
VISIT_AGAIN = ("Arrivé mardi à Tokyo, le chef du gouvernement indien a été accueilli par le Premier ministre japonais. "
               "Les deux dirigeants ont parlé de défense maritime et de puces électroniques lors de cette visite.")
DRILL = ("Les marines indienne et japonaise ont lancé jeudi 16 mai 2024 un exercice naval conjoint au large de "
         "Chennai, avec quatre frégates et deux avions de patrouille.")
AEGEAN = ("Le ministre grec des Affaires étrangères a reçu lundi 13 mai 2024 à Athènes son homologue turc pour des "
          "entretiens sur la délimitation maritime en mer Égée.")


class Routes:
    """What the local server answers, path by path, changed by the test between rounds."""

    def __init__(self):
        self.pages: dict[str, dict] = {}
        self.hits: dict[str, int] = {}
        self.posts: list[dict] = []
        self.lock = threading.Lock()

    def set(self, path: str, body: str | bytes = b"", status: int = 200, ctype: str = "application/rss+xml",
            etag: str | None = None, delay: float = 0.0) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = {"body": data, "status": status, "ctype": ctype, "etag": etag, "delay": delay}


@pytest.fixture
def server():
    routes = Routes()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            with routes.lock:
                routes.hits[self.path] = routes.hits.get(self.path, 0) + 1
            page = routes.pages.get(self.path)
            if page is None:
                self.send_response(404)
                self.end_headers()
                return
            if page["delay"]:
                time.sleep(page["delay"])
            if page["etag"] and self.headers.get("If-None-Match") == page["etag"]:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(page["status"])
            self.send_header("Content-Type", page["ctype"])
            self.send_header("Content-Length", str(len(page["body"])))
            if page["etag"]:
                self.send_header("ETag", page["etag"])
            self.end_headers()
            try:
                self.wfile.write(page["body"])
            except OSError:
                pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            page = routes.pages.get(self.path) or {"status": 200}
            with routes.lock:
                routes.posts.append({"path": self.path, "body": json.loads(body or b"null")})
            self.send_response(page["status"])
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    routes.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield routes
    finally:
        httpd.shutdown()
        httpd.server_close()


def rss(entries: list[dict], title: str = "Le Fil Asie") -> str:
    """An RSS 2.0 feed of entries {title, link, guid, date, text}; a key left out is left out."""
    items = []
    for e in entries:
        parts = ["<item>"]
        if "title" in e:
            parts.append(f"<title>{escape(e['title'])}</title>")
        if "link" in e:
            parts.append(f"<link>{escape(e['link'])}</link>")
        if "guid" in e:
            parts.append(f'<guid isPermaLink="false">{escape(e["guid"])}</guid>')
        if "date" in e:
            parts.append(f"<pubDate>{format_datetime(e['date'])}</pubDate>")
        parts.append(f"<description>{escape('<p>' + e['text'] + '</p>')}</description></item>")
        items.append("".join(parts))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://fil-asie.example/</link>{''.join(items)}</channel></rss>")


def entry(n: int, text: str, **kw) -> dict:
    e = {"title": f"Dépêche {n}", "link": f"https://fil-asie.example/2024/05/{n}", "guid": f"fa-{n}",
         "date": datetime(2024, 5, 14, 8, n % 60), "text": text}
    e.update(kw)
    return {k: v for k, v in e.items() if v is not None}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "watch.duckdb") as s:
        yield s


def settings(**kw) -> Settings:
    return Settings(**{"http_timeout": 2.0, **kw})


T0 = datetime(2024, 5, 14, 12, 0, 0)


def by_source(report) -> dict:
    return {s.source.rsplit("/", 1)[-1]: s for s in report.sources}


# -- rounds ----------------------------------------------------------------------------------

def test_a_feed_is_polled_round_after_round_with_conditional_requests(server, store):
    server.set("/fil.xml", rss([entry(1, VISIT), entry(2, DRILL)]), etag='"v1"')
    url = server.base + "/fil.xml"
    first = watch_round(store, [url], settings(), every=900, now=T0)
    [s] = first.sources
    assert (s.outcome, s.entries, s.new) == ("new", 2, 2)
    assert first.ingest.new == 2
    assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    # not due yet: nothing is fetched
    hits = server.hits["/fil.xml"]
    waiting = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=5))
    assert waiting.sources[0].outcome == "waiting" and server.hits["/fil.xml"] == hits
    # due, unchanged: the server answers 304 to the validator it gave
    again = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=16))
    assert again.sources[0].outcome == "not_modified" and again.ingest is None
    # a server that ignores validators and sends the same bytes: not read again
    server.set("/fil.xml", rss([entry(1, VISIT), entry(2, DRILL)]))
    same = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=32))
    assert same.sources[0].outcome == "unchanged" and same.sources[0].entries == 0 and same.ingest is None
    # a new entry and a corrected one: both read, the corrected one as a new version
    server.set("/fil.xml", rss([entry(3, AEGEAN), entry(1, VISIT + " Il rentrera jeudi."), entry(2, DRILL)]),
               etag='"v2"')
    third = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=48))
    assert (third.sources[0].outcome, third.sources[0].new) == ("new", 2)
    assert (third.ingest.new, third.ingest.versions) == (1, 1)
    [health] = list_sources(store.con)
    assert health["articles"] == 4 and health["failures"] == 0 and health["etag"] == '"v2"'
    assert health["last_success"] == (T0 + timedelta(minutes=48)).isoformat()


def test_a_failing_source_is_backed_off_and_never_stops_the_others(server, store):
    server.set("/bon.xml", rss([entry(1, VISIT)]))
    server.set("/panne.xml", "erreur interne", status=500, ctype="text/plain")
    server.set("/lent.xml", rss([entry(2, DRILL)]), delay=3.5)
    server.set("/casse.xml", "<rss><channel><item><title>coupé", ctype="application/rss+xml")
    names = ["bon.xml", "panne.xml", "lent.xml", "casse.xml"]
    report = watch_round(store, [f"{server.base}/{n}" for n in names], settings(), every=600, now=T0)
    got = by_source(report)
    assert got["bon.xml"].outcome == "new" and report.ingest.new == 1
    for name in ("panne.xml", "lent.xml", "casse.xml"):
        assert got[name].outcome == "failed", name
    assert "HTTP 500" in got["panne.xml"].error
    assert "timed out" in got["lent.xml"].error.lower() or "more than" in got["lent.xml"].error
    assert "feed" in got["casse.xml"].error
    # backed off: due again after twice the period, then four times
    assert got["panne.xml"].next_due == T0 + timedelta(seconds=1200)
    later = by_source(watch_round(store, settings=settings(), now=T0 + timedelta(seconds=700)))
    assert later["bon.xml"].outcome == "unchanged" and later["panne.xml"].outcome == "waiting"
    third = by_source(watch_round(store, settings=settings(), now=T0 + timedelta(seconds=1300)))
    assert third["panne.xml"].outcome == "failed"
    assert third["panne.xml"].next_due == T0 + timedelta(seconds=1300 + 2400)
    # it recovers: failures reset, the last error is kept with its time
    server.set("/panne.xml", rss([entry(4, AEGEAN)]))
    fourth = by_source(watch_round(store, settings=settings(), now=T0 + timedelta(seconds=4000)))
    assert fourth["panne.xml"].outcome == "new"
    health = {r["source"].rsplit("/", 1)[-1]: r for r in list_sources(store.con)}
    assert health["panne.xml"]["failures"] == 0 and "HTTP 500" in health["panne.xml"]["last_error"]
    assert health["lent.xml"]["failures"] >= 1


def test_odd_feeds_give_sensible_entries(server, store):
    entries = [
        entry(1, VISIT, link=None),                                   # no link: known by its id
        entry(2, DRILL, date=None),                                   # no date
        entry(3, AEGEAN, title="<b>Athènes</b> &amp; Ankara"),        # HTML in the title
        entry(4, AEGEAN + " Les discussions reprendront en juin.", link="https://fil-asie.example/2024/05/3"),
    ]
    server.set("/bizarre.xml", rss(entries))
    report = watch_round(store, [server.base + "/bizarre.xml"], settings(), every=60, now=T0)
    [s] = report.sources
    assert s.entries == 4 and s.new == 3            # the same link twice: the first one only
    titles = {r[0] for r in store.con.execute("SELECT title FROM articles").fetchall()}
    assert not any("<b>" in (t or "") for t in titles)
    # ids that change every time, same texts: nothing is read again
    server.set("/bizarre.xml", rss([dict(e, guid=e.get("guid", "") + "-x") for e in entries]))
    again = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=2))
    assert again.sources[0].new == 0 and again.ingest is None


def test_a_feed_of_ten_thousand_entries_is_read_over_several_rounds(server, store):
    many = [entry(n, f"Dépêche brève numéro {n} sur le commerce entre l'Inde et le Japon, sans plus de détail.",
                  title=f"Brève {n}") for n in range(10_000)]
    server.set("/enorme.xml", rss(many))
    report = watch_round(store, [server.base + "/enorme.xml"], settings(watch_max_entries=40), every=60, now=T0)
    [s] = report.sources
    assert (s.entries, s.new, s.left) == (10_000, 40, 9_960)
    nxt = watch_round(store, settings=settings(watch_max_entries=40), now=T0 + timedelta(minutes=2))
    assert nxt.sources[0].new == 40 and store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 80


def test_a_folder_gives_its_new_and_changed_files_once_settled(tmp_path, store):
    folder = tmp_path / "depot"
    folder.mkdir()
    (folder / "a.txt").write_text("Visite à Tokyo\n\n" + VISIT, encoding="utf-8")
    old = time.time() - 60
    os.utime(folder / "a.txt", (old, old))
    (folder / "en-cours.txt").write_text("Exercice\n\n" + DRILL, encoding="utf-8")     # still being written
    first = watch_round(store, [str(folder)], settings(), every=60, now=T0)
    assert first.sources[0].new == 1 and first.ingest.new == 1
    os.utime(folder / "en-cours.txt", (old, old))
    (folder / "a.txt").write_text("Visite à Tokyo\n\n" + VISIT + " Il rentrera jeudi.", encoding="utf-8")
    os.utime(folder / "a.txt", (old + 1, old + 1))
    second = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=2))
    assert second.sources[0].new == 2 and (second.ingest.new, second.ingest.versions) == (1, 1)
    third = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=4))
    assert third.sources[0].outcome == "unchanged"


def test_sources_and_periods_are_checked():
    assert parse_every("15m") == 900 and parse_every("2h") == 7200
    for bad in ("soon", "-5m", "0"):
        with pytest.raises(ValueError):
            parse_every(bad)
    with pytest.raises(ValueError, match="not a URL"):
        from veille.watch import source_name

        source_name("/no/such/folder/anywhere")


# -- alerts ----------------------------------------------------------------------------------

def test_an_alert_records_a_new_event_once_and_updates_it_when_it_gains_sources(server, store):
    server.set("/fil.xml", rss([entry(3, AEGEAN)]))
    url = server.base + "/fil.xml"
    watch_round(store, [url], settings(), every=60, now=T0)
    assert A.add_alert(store.con, "inde-japon", "events", Filters(parties=("IND", "JPN")), now=T0) == 0
    assert A.add_alert(store.con, "rien", "events", Filters(parties=("BRA", "NZL")), now=T0) == 0
    A.add_alert(store.con, "grece", "events", Filters(parties=("GRC",)), now=T0)
    server.set("/fil.xml", rss([entry(1, VISIT), entry(3, AEGEAN)]))
    report = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=2))
    assert report.alerts["inde-japon"] >= 1 and report.alerts["rien"] == 0 and report.alerts["grece"] == 0
    new = A.read_alerts(store.con, "inde-japon", now=T0 + timedelta(minutes=3))
    visit = [m for m in new if m["item"]["type"] == "CONSULT"]
    assert visit and all(m["change"] == "new" for m in new)
    assert A.read_alerts(store.con, "inde-japon", now=T0 + timedelta(minutes=3)) == []     # read: nothing new
    # another outlet reports the same visit: the match is updated, not repeated
    server.set("/autre.xml", rss([entry(9, VISIT_AGAIN, link="https://autre.example/tokyo",
                                        date=datetime(2024, 5, 14, 18, 0))], title="Autre"))
    watch_round(store, [server.base + "/autre.xml"], settings(), every=60, now=T0 + timedelta(minutes=4))
    again = A.read_alerts(store.con, "inde-japon", now=T0 + timedelta(minutes=5))
    updated = [m for m in again if m["item"]["type"] == "CONSULT"]
    # one match, updated: it follows the fused event even if a new report changed its id
    assert len(updated) == 1 and updated[0]["change"] == "updated" and updated[0]["sources"] == 2
    total = store.con.execute("SELECT count(*) FROM alert_matches WHERE alert = 'inde-japon'").fetchone()[0]
    assert total == len(new) and all(m["change"] == "updated" for m in again)
    listed = {a["name"]: a for a in A.list_alerts(store.con)}
    assert listed["rien"]["matches"] == 0 and listed["inde-japon"]["unread"] == 0
    # the Atom feed: one entry per match, linking to the event's page, with its sentences
    feed = ET.fromstring(A.atom_feed(store.con, "inde-japon", "http://127.0.0.1:8000/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == total
    links = [e.find("a:link", ns).get("href") for e in entries]
    assert f"http://127.0.0.1:8000/#/event/{updated[0]['item_id']}" in links
    assert any("Tokyo" in (e.find("a:content", ns).text or "") for e in entries)
    assert A.remove_alert(store.con, "rien") and not A.remove_alert(store.con, "rien")


def test_alerts_on_figures_beyond_a_threshold_and_bad_alerts(store):
    with pytest.raises(ValueError, match="name"):
        A.add_alert(store.con, "un nom/avec barre", "events", Filters())
    with pytest.raises(ValueError, match="figures only"):
        A.add_alert(store.con, "seuil", "events", Filters(), above=5)
    with pytest.raises(ValueError, match="webhook"):
        A.add_alert(store.con, "hook", "events", Filters(), webhook="ftp://x")
    A.add_alert(store.con, "gros", "figures", Filters(metric="trade_volume"), above=1e10)
    with pytest.raises(ValueError, match="exists"):
        A.add_alert(store.con, "gros", "figures", Filters())
    with pytest.raises(KeyError):
        A.atom_feed(store.con, "inconnue", "http://x/")


def test_a_webhook_gets_the_new_matches_and_its_failures_are_kept(server, store, monkeypatch):
    monkeypatch.setattr(A, "RETRY_DELAYS", (0.05, 0.05))
    server.set("/hook", status=200)
    server.set("/hook-casse", status=503)
    A.add_alert(store.con, "visites", "events", Filters(parties=("IND", "JPN")), webhook=server.base + "/hook", now=T0)
    A.add_alert(store.con, "casse", "events", Filters(parties=("IND",)), webhook=server.base + "/hook-casse", now=T0)
    server.set("/fil.xml", rss([entry(1, VISIT)]))
    watch_round(store, [server.base + "/fil.xml"], settings(), every=60, now=T0)
    [post] = [p for p in server.posts if p["path"] == "/hook"]
    assert post["body"]["alert"] == "visites" and post["body"]["matches"]
    assert all(m["change"] == "new" and m["item"]["event_id"] == m["item_id"] for m in post["body"]["matches"])
    assert len([p for p in server.posts if p["path"] == "/hook-casse"]) == 3      # tried three times
    listed = {a["name"]: a for a in A.list_alerts(store.con)}
    assert "503" in listed["casse"]["last_error"] and listed["visites"]["last_error"] is None


# -- the command line and the server ---------------------------------------------------------

def test_the_commands_watch_save_alerts_and_show_what_is_new(server, tmp_path):
    db = str(tmp_path / "cli.duckdb")
    server.set("/fil.xml", rss([entry(3, AEGEAN)]))
    r = veille("watch", server.base + "/fil.xml", "--once", "--every", "30m", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.splitlines()[-1])["sources"][0]["new"] == 1
    r = veille("alert", "add", "inde-japon", "-p", "IND,JPN", "--type", "consult", "--db", db)
    assert r.returncode == 0 and "baseline" in r.stderr
    assert veille("alert", "add", "inde-japon", "--db", db).returncode != 0
    server.set("/fil.xml", rss([entry(1, VISIT), entry(3, AEGEAN)]))
    r = veille("watch", "--once", "--all", "--db", db)
    assert r.returncode == 0, r.stderr
    r = veille("alerts", "--json", "--db", db)
    rows = json.loads(r.stdout)
    assert rows and {x["alert"] for x in rows} == {"inde-japon"} and rows[0]["item"]["type"] == "CONSULT"
    assert veille("alerts", "--db", db).stdout.strip() == "nothing new"
    listed = json.loads(veille("alert", "list", "--json", "--db", db).stdout)
    assert listed[0]["filters"] == "parties=IND,JPN type=CONSULT"
    health = json.loads(veille("watch", "--list", "--json", "--db", db).stdout)
    assert health[0]["articles"] == 2
    assert veille("watch", "ftp://nope", "--once", "--db", db).returncode != 0
    assert veille("alert", "remove", "inde-japon", "--db", db).returncode == 0


def test_the_server_watches_while_it_serves_and_serves_each_alert_as_a_feed(server, tmp_path):
    import httpx

    from veille.api import running
    from veille.api.app import create_app

    db = tmp_path / "served.duckdb"
    with Store(db) as s:
        A.add_alert(s.con, "inde-japon", "events", Filters(parties=("IND", "JPN")))
    server.set("/fil.xml", rss([entry(1, VISIT)]), etag='"v1"')
    app = create_app(db, watch=(server.base + "/fil.xml",), watch_every=1.0)
    with running(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.get("/api/events").json()["items"]:
            time.sleep(0.3)
        [event] = client.get("/api/events").json()["items"]
        assert event["type"] == "CONSULT"
        [source] = client.get("/api/sources").json()
        assert source["articles"] == 1 and source["last_error"] is None
        # a new entry is seen on a later round, without a restart
        server.set("/fil.xml", rss([entry(3, AEGEAN), entry(1, VISIT)]), etag='"v2"')
        while time.monotonic() < deadline and len(client.get("/api/events").json()["items"]) < 2:
            time.sleep(0.3)
        assert {e["type"] for e in client.get("/api/events").json()["items"]} == {"CONSULT"}
        assert len(client.get("/api/events").json()["items"]) == 2
        [alert] = client.get("/api/alerts").json()
        assert alert["name"] == "inde-japon" and alert["matches"] == 1
        assert client.get("/api/alerts/inde-japon").json()["items"][0]["item"]["event_id"] == event["event_id"]
        feed = client.get("/alerts/inde-japon.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        assert f"#/event/{event['event_id']}" in feed.text
        assert client.get("/alerts/inconnue.atom").status_code == 404
        assert client.get("/api/alerts/inconnue").status_code == 404
        # writing through the API stays off without a token
        assert client.post("/api/articles", json=[{"text": VISIT}]).status_code in (401, 403)


def test_a_feed_followed_from_today_skips_its_backlog(server, store):
    server.set("/fil.xml", rss([entry(1, VISIT), entry(2, DRILL)]))
    first = watch_round(store, [server.base + "/fil.xml"], settings(), every=60, now=T0, backlog=False)
    assert first.sources[0].entries == 2 and first.ingest is None
    server.set("/fil.xml", rss([entry(3, AEGEAN), entry(1, VISIT), entry(2, DRILL)]))
    second = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=2), backlog=False)
    assert second.sources[0].new == 1 and second.ingest.new == 1


def test_between_rounds_the_database_is_free_for_the_other_commands(server, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    db = str(tmp_path / "between.duckdb")
    server.set("/fil.xml", rss([entry(1, VISIT)]))
    exe = Path(sys.executable).with_name("veille")
    env = {k: v for k, v in os.environ.items() if k != "VEILLE_DB"}
    watcher = subprocess.Popen([str(exe), "watch", server.base + "/fil.xml", "--every", "20s", "--rounds", "2",
                                "--db", db, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = json.loads(watcher.stdout.readline())          # the first round is over: it sleeps now
        assert first["stored"]["new"] == 1
        listed = veille("events", "--db", db, "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert [e["type"] for e in json.loads(listed.stdout)] == ["CONSULT"]
    finally:
        watcher.kill()
        watcher.wait()


def test_a_round_matches_the_alerts_against_what_came_since_the_last_one_by_any_way(server, store, tmp_path):
    from veille.workflow import ingest

    server.set("/fil.xml", rss([entry(3, AEGEAN)]), etag='"v1"')
    watch_round(store, [server.base + "/fil.xml"], settings(), every=60, now=T0)
    A.add_alert(store.con, "inde-japon", "events", Filters(parties=("IND", "JPN")), now=T0)
    dropped = tmp_path / "depeche.txt"
    dropped.write_text("Visite à Tokyo\n\n" + VISIT, encoding="utf-8")
    ingest([str(dropped)], settings(), store)                     # not through the watcher
    quiet = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=2))
    assert quiet.sources[0].outcome == "not_modified" and quiet.alerts["inde-japon"] == 1
    again = watch_round(store, settings=settings(), now=T0 + timedelta(minutes=4))
    assert again.alerts["inde-japon"] == 0

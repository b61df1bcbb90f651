#!/usr/bin/env python3
"""What a watch round costs: F feeds (default 200) of E entries each (default 50) on a local
server (127.0.0.1, never the network), polled by `veille.watch.watch_round`.

1. First round: every feed is new; its entries are taken as seen without ingesting them
   (`backlog=False`, `veille watch --skip-backlog`), so the database starts from today.
2. Rounds with nothing new: the server answers 304 to the ETag it gave; then again with a
   server that ignores validators and sends every feed whole (the same bytes as before).
3. N new entries (default 1,000) spread over the feeds, with an alert on events: the round
   fetches, stores, extracts and fuses them and updates the alert. Reported: the round's wall
   time, the time from the new entries' publication on the server to the alert's new matches
   being recorded (the round's time when polled at once: a period of --every adds its wait),
   and the peak resident memory of the process during the round.

The entries' texts are the demo corpus cycled, each with its numbers and date changed
(`veille.bench.varied`), so that every entry is a distinct article.

    .venv/bin/python scripts/bench_watch.py [--feeds 200] [--entries 50] [--new 1000] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from veille.bench import PeakMemory, demo_raw_articles, varied
from veille.read import Filters
from veille.settings import Settings
from veille.store import Store
from veille.watch import watch_round
from veille.watch.alerts import add_alert


class Feeds:
    """The feeds the local server holds: per feed, its entries (newest first) and version."""

    def __init__(self, feeds: int):
        self.entries: list[list[str]] = [[] for _ in range(feeds)]
        self.version = [0] * feeds
        self.bodies: dict[int, bytes] = {}
        self.validators = True

    def add(self, feed: int, item: str) -> None:
        self.entries[feed].insert(0, item)
        self.version[feed] += 1
        self.bodies.pop(feed, None)

    def body(self, feed: int) -> bytes:
        if feed not in self.bodies:
            self.bodies[feed] = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                                 f"<title>Fil {feed}</title><link>https://fil{feed}.example/</link>"
                                 f"{''.join(self.entries[feed][:50])}</channel></rss>").encode("utf-8")
        return self.bodies[feed]


def item(feed: int, n: int, raw, when: datetime) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in raw.body.split("\n\n") if p.strip())
    link = f"https://fil{feed}.example/{when:%Y/%m/%d}/{n}"
    return (f"<item><title>{escape(raw.meta.get('title') or f'Dépêche {n}')}</title><link>{link}</link>"
            f"<guid>{link}</guid><pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{escape(paragraphs)}</description></item>")


def serve_forever(n_feeds: int, n_entries: int, n_new: int, port) -> None:
    """The feeds' server, in a process of its own (as a real server is: the watcher's threads do
    not share its interpreter). GET /N.xml is feed N; POST /publish adds the new entries, spread
    over the feeds; POST /validators/0 (or /1) stops (or starts) answering validators."""
    texts = varied(demo_raw_articles(Settings()), n_feeds * n_entries + n_new)
    feeds = Feeds(n_feeds)
    start = datetime(2026, 6, 1, 6, 0)
    count = 0
    for f in range(n_feeds):
        for _ in range(n_entries):
            feeds.add(f, item(f, count, next(texts), start + timedelta(minutes=count)))
            count += 1

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"          # connections kept alive, as feed servers do
        disable_nagle_algorithm = True         # headers and body leave at once

        def log_message(self, *args):
            pass

        def do_POST(self):
            nonlocal count
            if self.path == "/publish":
                for k in range(n_new):
                    f = k % n_feeds
                    feeds.add(f, item(f, count, next(texts), start + timedelta(days=1, minutes=k)))
                    count += 1
            elif self.path.startswith("/validators/"):
                feeds.validators = self.path.endswith("/1")
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            try:
                feed = int(self.path.strip("/").split(".")[0])
                body = feeds.body(feed)
            except (ValueError, IndexError):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = f'"{feed}-{feeds.version[feed]}"'
            if feeds.validators and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            if feeds.validators:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    port.value = httpd.server_address[1]
    httpd.serve_forever()


def run(n_feeds: int, n_entries: int, n_new: int) -> dict:
    import multiprocessing as mp

    import httpx

    settings = Settings()
    port = mp.Value("i", 0)
    server = mp.Process(target=serve_forever, args=(n_feeds, n_entries, n_new, port), daemon=True)
    server.start()
    while not port.value:
        time.sleep(0.1)
    base = f"http://127.0.0.1:{port.value}"
    urls = [f"{base}/{f}.xml" for f in range(n_feeds)]
    out: dict = {"feeds": n_feeds, "entries_per_feed": n_entries, "new_entries": n_new,
                 "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    try:
        with tempfile.TemporaryDirectory(prefix="veille-bench-watch-") as tmp, Store(Path(tmp) / "w.duckdb") as store:
            now = datetime(2026, 6, 2, 12, 0)
            t = time.perf_counter()
            first = watch_round(store, urls, settings, every=900, now=now, backlog=False)
            out["first_round_seconds"] = round(time.perf_counter() - t, 2)
            out["first_round_entries"] = sum(s.entries for s in first.sources)
            add_alert(store.con, "bench", "events", Filters(type="CONSULT"), now=now)
            now += timedelta(minutes=20)
            quiet = watch_round(store, settings=settings, now=now)
            out["round_nothing_new_304_seconds"] = round(quiet.seconds, 2)
            out["round_nothing_new_304_outcomes"] = sorted({s.outcome for s in quiet.sources})
            httpx.post(base + "/validators/0")
            now += timedelta(minutes=20)
            whole = watch_round(store, settings=settings, now=now)
            out["round_nothing_new_same_bytes_seconds"] = round(whole.seconds, 2)
            httpx.post(base + "/validators/1")
            httpx.post(base + "/publish", timeout=600)
            published = time.perf_counter()
            now += timedelta(minutes=20)
            with PeakMemory() as peak:
                report = watch_round(store, settings=settings, now=now)
            recorded = time.perf_counter()
            out["round_new_seconds"] = round(report.seconds, 2)
            out["round_new_articles_stored"] = report.ingest.new if report.ingest else 0
            out["round_new_failed"] = len(report.ingest.errors) if report.ingest else 0
            out["alert_matches_new_or_updated"] = report.alerts.get("bench", 0)
            out["entry_to_alert_seconds"] = round(recorded - published, 2)
            out["round_new_peak_rss_mb"] = round(peak.peak / 2 ** 20)
    finally:
        server.terminate()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.feeds, args.entries, args.new)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        for k, v in result.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

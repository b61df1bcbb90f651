#!/usr/bin/env python3
"""How fast the API answers a filtered timeline over many stored events.

Fills a new database with N synthetic fused events (default 100,000), their reports
(1 to 3 articles each) and 20,000 articles, by bulk SQL in DuckDB (not the NLP
pipeline), starts the app on 127.0.0.1 and times filtered timeline requests with
a local HTTP client: p50, p95 and max over R requests per query (after warm-up).

    .venv/bin/python scripts/bench_api.py [--events 100000] [--requests 50] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from veille.api import create_app, running
from veille.records import EVENT_TYPES, SECTORS
from veille.store import Store

STATES = ["CHN", "RUS", "USA", "FRA", "DEU", "IND", "KAZ", "MNG", "IRN", "TUR", "JPN", "KOR", "PRK", "UKR", "BLR",
          "BRA", "ZAF", "SAU", "ARE", "EGY", "VNM", "PAK", "UZB", "TJK", "KGZ", "GBR", "ITA", "ESP", "POL", "CAN"]
QUERIES = [
    ("type", {"type": "CONSULT"}),
    ("parties + dates", {"parties": "CHN,RUS", "since": "2023-01-01", "until": "2024-12-31"}),
    ("type + parties + sector + since", {"type": "AGREE", "parties": "CHN,RUS", "sector": "energy", "since": "2020"}),
    ("outlet", {"source": "outlet-7.example"}),
    ("type, page 100 (offset 4950)", {"type": "CONSULT", "offset": 4950}),
    ("entity (mentions in evidence)", {"entity": "Q7747"}),
    ("no filter", {}),
]


def fill(path: Path, events: int, articles: int = 20_000) -> dict:
    """Synthetic articles, per-article events, fused events and their sources, entities; row counts."""
    types = ", ".join(f"'{t}'" for t in EVENT_TYPES)
    sectors = ", ".join(f"'{s}'" for s in SECTORS)
    states = ", ".join(f"'{s}'" for s in STATES)
    with Store(path) as store:
        con = store.con
        con.execute("SELECT setseed(0.42)")
        con.execute(f"""
            INSERT INTO articles (id, source, url, title, language, published, published_precision, published_from,
                                  published_day, text, metadata, removed, flags, version)
            SELECT sha256('article' || i), 'https://outlet-' || (i % 40) || '.example/a/' || i,
                   'https://outlet-' || (i % 40) || '.example/a/' || i, 'Article synthétique ' || i, 'fr',
                   strftime(DATE '2015-01-01' + CAST(i * 3653 // {articles} AS INTEGER), '%Y-%m-%d'), 'day', 'input',
                   DATE '2015-01-01' + CAST(i * 3653 // {articles} AS INTEGER),
                   'Vladimir Poutine et Xi Jinping se sont entretenus à Pékin le ' || i || '. ' ||
                   repeat('Les deux pays ont signé des accords sur le commerce et l''énergie. ', 4),
                   '{{}}', '[]', '[]', 1
            FROM range({articles}) t(i)""")
        con.execute(f"""
            INSERT INTO fusion_articles SELECT id, regexp_extract(source, 'https://([^/]+)/', 1), published
            FROM articles""")
        con.execute(f"""
            INSERT INTO entities SELECT id, 0, 'Q7747', 'Vladimir Putin', 'PERSON', 'RUS', NULL, 'actor', '[[0, 16]]'
            FROM articles""")
        con.execute(f"""
            CREATE TEMP TABLE ev AS
            SELECT i, substr(sha256('event' || i), 1, 17) AS event_id,
                   [{types}][1 + CAST(floor(pow(random(), 2) * 16) AS INTEGER)] AS type,
                   CASE WHEN random() < 0.6 THEN ['CHN', 'RUS']
                        ELSE [[{states}][1 + CAST(floor(random() * 30) AS INTEGER)],
                              [{states}][1 + CAST(floor(random() * 30) AS INTEGER)]] END AS parties,
                   DATE '2015-01-01' + CAST(floor(random() * 3650) AS INTEGER) AS day,
                   CASE WHEN random() < 0.5 THEN [[{sectors}][1 + CAST(floor(random() * 16) AS INTEGER)]]
                        ELSE [] END AS sectors,
                   1 + CAST(floor(pow(random(), 3) * 3) AS INTEGER) AS n
            FROM range({events}) t(i)""")
        con.execute("""
            INSERT INTO fused_events
            SELECT event_id, type || '|' || array_to_string(parties, '+'), type, NULL,
                   CASE WHEN random() < 0.8 THEN 'occurred' ELSE 'future' END,
                   list_distinct(parties), [], strftime(day, '%Y-%m-%d'), strftime(day, '%Y-%m-%d'), NULL, sectors,
                   NULL, n, n, least(0.95, 0.5 + 0.1 * n), strftime(day + 1, '%Y-%m-%d'),
                   strftime(day + n, '%Y-%m-%d')
            FROM ev""")
        con.execute(f"""
            CREATE TEMP TABLE src AS
            SELECT ev.*, k, sha256('article' || CAST(floor(random() * {articles}) AS BIGINT)) AS article_id
            FROM ev, range(3) r(k) WHERE k < ev.n""")
        con.execute("""
            INSERT INTO fused_event_sources
            SELECT s.event_id, s.type || '|' || array_to_string(s.parties, '+'), s.article_id,
                   CAST(row_number() OVER (PARTITION BY s.article_id ORDER BY s.i, s.k) AS INTEGER) - 1, s.type, NULL,
                   'occurred', list_distinct(s.parties), [], strftime(s.day, '%Y-%m-%d'), strftime(s.day, '%Y-%m-%d'),
                   NULL, s.sectors, NULL, 0.6, 0, 60, 'Vladimir Poutine et Xi Jinping se sont entretenus à Pékin.',
                   f.outlet, 'outlet', s.article_id, f.published
            FROM src s JOIN fusion_articles f ON f.article_id = s.article_id""")
        con.execute("""
            INSERT INTO events
            SELECT article_id, event_idx, type, mode, status, actor, recipient, date_begin, date_end, location, sectors,
                   count, evidence_start, evidence_end, confidence, 'entretenus', NULL
            FROM fused_event_sources""")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "fused_events", "fused_event_sources", "events", "entities")}
        con.execute("CHECKPOINT")
    return counts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(events: int, requests: int, keep: Path | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="veille-bench-api-") as tmp:
        path = keep or Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        started = time.perf_counter()
        counts = fill(path, events)
        fill_seconds = time.perf_counter() - started
        results = []
        with running(create_app(path)) as base, httpx.Client(base_url=base, timeout=60) as client:
            for label, params in QUERIES:
                query = {"limit": 50, **params}
                first = client.get("/api/events", params=query)
                first.raise_for_status()
                for _ in range(3):
                    client.get("/api/events", params=query)
                times = []
                for _ in range(requests):
                    t = time.perf_counter()
                    r = client.get("/api/events", params=query)
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200
                body = r.json()
                results.append({"query": label, "params": query, "matches": body["total"], "returned": len(body["items"]),
                                "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
                                "max_ms": round(max(times), 1)})
        return {"date": date.today().isoformat(), "events": events, "requests_per_query": requests, "rows": counts,
                "fill_seconds": round(fill_seconds, 1),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", type=Path, default=None, help="Write the database here and keep it.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.events, args.requests, args.keep)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['date']}, {report['machine']}: {report['rows']['fused_events']} fused events, "
          f"{report['rows']['fused_event_sources']} reports, {report['rows']['articles']} articles "
          f"(filled in {report['fill_seconds']} s); {report['requests_per_query']} requests per query, 50 events a page")
    print(f"{'GET /api/events?...':34s} {'matches':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}")
    for r in report["results"]:
        print(f"{r['query']:34s} {r['matches']:8d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

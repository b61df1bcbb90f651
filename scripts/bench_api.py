#!/usr/bin/env python3
"""How fast the API answers over many stored events and figures, alone and under load.

Fills a new database with N synthetic fused events (default 100,000), their reports
(1 to 3 articles each), 20,000 articles, and figure groups (one for every three events,
a tenth of them in conflict, three statements each), by bulk SQL in DuckDB (not the NLP
pipeline). Then, with the server on 127.0.0.1 (`veille serve`'s own set-up, several
worker processes when read-only):
- one client: p50, p95 and max over R requests (after warm-up) for filtered timelines and
  every list endpoint;
- load: C clients at once for S seconds over a mix of those requests: answers per
  second, p50 and p95.

    .venv/bin/python scripts/bench_api.py [--events 100000] [--requests 50] [--clients 20]
        [--seconds 30] [--workers N] [--json]
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
    ("entity (took part)", {"entity": "Q7747"}),
    ("no filter", {}),
]
# Every other list endpoint, as the dashboard calls them.
LISTS = [
    ("/api/events/months", {}),
    ("/api/article-events", {"parties": "CHN,RUS"}),
    ("/api/figures", {}),
    ("/api/figures", {"metric": "trade_volume", "parties": "CHN,RUS"}),
    ("/api/conflicts", {}),
    ("/api/series", {"metric": "trade_volume"}),
    ("/api/measurements", {"metric": "exports"}),
    ("/api/entities", {}),
    ("/api/articles", {}),
    ("/api/quotes", {}),
    ("/api/search", {"q": "accords énergie"}),
    ("/api/meta", {}),
]
METRICS = ["trade_volume", "exports", "imports", "investment", "aid", "deliveries", "gdp", "military_spending"]


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
        fill_figures(con, events // 3, articles)
        con.execute("""
            INSERT INTO quotes SELECT id, 0, 'Q7747', 'Nos relations n''ont jamais été aussi bonnes.', 0, 40
            FROM articles""")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "fused_events", "fused_event_sources", "events", "entities", "figure_groups",
                            "figure_members", "figure_conflicts", "measurements")}
        con.execute("CHECKPOINT")
    return counts


def fill_figures(con, groups: int, articles: int) -> None:
    """Figure groups of a few metrics between pairs of states, a year each; three statements a group,
    one in ten groups in conflict (two positions)."""
    metrics = ", ".join(f"'{m}'" for m in METRICS)
    states = ", ".join(f"'{s}'" for s in STATES)
    con.execute(f"""
        CREATE TEMP TABLE fg AS
        SELECT i, substr(sha256('group' || i), 1, 17) AS group_id,
               [{metrics}][1 + CAST(floor(random() * {len(METRICS)}) AS INTEGER)] AS metric,
               CASE WHEN random() < 0.5 THEN ['CHN', 'RUS']
                    ELSE list_sort([[{states}][1 + CAST(floor(random() * 30) AS INTEGER)],
                                    [{states}][1 + CAST(floor(random() * 30) AS INTEGER)]]) END AS places,
               2000 + CAST(floor(random() * 25) AS INTEGER) AS year,
               1e9 * (1 + floor(random() * 300)) AS value,
               random() < 0.1 AS conflict
        FROM range({groups}) t(i)""")
    con.execute("""
        INSERT INTO figure_groups
        SELECT group_id, metric || '|level|actual|' || array_to_string(places, '+'), metric, 'level', 'actual', places,
               false, year || '-01-01', year || '-12-31', 'year', 'USD', value, value * 0.99, value * 1.01, 3, 3,
               CASE WHEN conflict THEN 2 ELSE 3 END, conflict, 0
        FROM fg""")
    con.execute(f"""
        CREATE TEMP TABLE fm AS
        SELECT fg.*, k, sha256('article' || CAST(floor(random() * {articles}) AS BIGINT)) AS article_id,
               CASE WHEN conflict AND k = 2 THEN value * 1.2 ELSE value END AS stated
        FROM fg, range(3) r(k)""")
    con.execute("""
        INSERT INTO figure_members
        SELECT m.group_id, m.metric || '|level|actual|' || array_to_string(m.places, '+'), m.article_id,
               CAST(1000 + row_number() OVER (PARTITION BY m.article_id ORDER BY m.i, m.k) AS INTEGER),
               (m.stated / 1e9) || ' milliards de dollars', m.stated, 'USD', m.stated, NULL,
               m.stated * 0.995, m.stated * 1.005, m.metric, 'level', 'actual', m.places[1], m.places[2],
               m.year || '-01-01', m.year || '-12-31', 'amount', NULL, 0, 60,
               'Les échanges ont atteint ' || (m.stated / 1e9) || ' milliards de dollars.', f.outlet, 'outlet', NULL,
               CASE WHEN m.conflict THEN (m.k = 2)::INTEGER ELSE NULL END, false, false, m.article_id, f.published
        FROM fm m JOIN fusion_articles f ON f.article_id = m.article_id""")
    con.execute("""
        INSERT INTO measurements
        SELECT article_id, measurement_idx, 0, 20, text, value, unit, kind, relation, status, metric, place_from,
               place_to, period_begin, period_end, usd, evidence_start, evidence_end
        FROM figure_members""")
    con.execute("""
        INSERT INTO figure_conflicts
        SELECT group_id, p, CASE WHEN p = 0 THEN value ELSE value * 1.2 END, value, value, 2 - p, 2 - p, 2 - p,
               '[]'
        FROM fg, range(2) r(p) WHERE conflict""")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _time(client, path: str, params: dict, requests: int) -> dict:
    first = client.get(path, params=params)
    first.raise_for_status()
    for _ in range(3):
        client.get(path, params=params)
    times = []
    for _ in range(requests):
        t = time.perf_counter()
        r = client.get(path, params=params)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, params, r.status_code)
    body = r.json()
    total = len(body) if isinstance(body, list) else body.get("total", 1) if isinstance(body, dict) else 1
    return {"path": path, "params": params, "matches": total,
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1)}


def load(base: str, clients: int, seconds: float) -> dict:
    """`clients` threads, each sending the next request of the mix as soon as the last is answered."""
    import threading

    mix = [("/api/events", {"limit": 50, **params}) for _, params in QUERIES] + \
          [(path, {"limit": 50, **params} if path not in ("/api/meta", "/api/events/months") else params)
           for path, params in LISTS]
    times: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            i = k
            while time.perf_counter() < stop:
                path, params = mix[i % len(mix)]
                i += 1
                t = time.perf_counter()
                r = c.get(path, params=params)
                spent = (time.perf_counter() - t) * 1000
                with lock:
                    times.append(spent)
                    failures[0] += r.status_code != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"clients": clients, "seconds": round(elapsed, 1), "answers": len(times), "failures": failures[0],
            "per_second": round(len(times) / elapsed, 1), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(percentile(times, 0.95), 1)}


def run(events: int, requests: int, keep: Path | None, clients: int = 20, seconds: float = 30,
        workers: int | None = None) -> dict:
    from veille.api.server import serving

    with tempfile.TemporaryDirectory(prefix="veille-bench-api-") as tmp:
        path = keep or Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        started = time.perf_counter()
        counts = fill(path, events)
        fill_seconds = time.perf_counter() - started
        results, lists = [], []
        with serving(path, workers=workers) as (base, used_workers), httpx.Client(base_url=base, timeout=60) as client:
            for label, params in QUERIES:
                results.append({"query": label, **_time(client, "/api/events", {"limit": 50, **params}, requests)})
            for path_, params in LISTS:
                query = params if path_ in ("/api/meta", "/api/events/months") else {"limit": 50, **params}
                lists.append(_time(client, path_, query, requests))
            under_load = load(base, clients, seconds) if clients else None
        return {"date": date.today().isoformat(), "events": events, "requests_per_query": requests, "rows": counts,
                "fill_seconds": round(fill_seconds, 1), "workers": used_workers,
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                "results": results, "lists": lists, "load": under_load}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20, help="Clients of the load phase (0: none).")
    parser.add_argument("--seconds", type=float, default=30, help="Length of the load phase.")
    parser.add_argument("--workers", type=int, default=None, help="Server processes (default: as veille serve).")
    parser.add_argument("--keep", type=Path, default=None, help="Write the database here and keep it.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.events, args.requests, args.keep, args.clients, args.seconds, args.workers)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    rows = report["rows"]
    print(f"{report['date']}, {report['machine']}: {rows['fused_events']} fused events, "
          f"{rows['fused_event_sources']} reports, {rows['articles']} articles, {rows['figure_groups']} figure "
          f"groups ({rows['figure_conflicts'] // 2} in conflict), {rows['figure_members']} statements "
          f"(filled in {report['fill_seconds']} s); {report['workers']} server process(es); "
          f"{report['requests_per_query']} requests per query, 50 items a page")
    print(f"{'GET /api/events?...':40s} {'matches':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}")
    for r in report["results"]:
        print(f"{r['query']:40s} {r['matches']:8d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f}")
    print(f"{'other lists':40s}")
    for r in report["lists"]:
        label = r["path"] + ("?" + "&".join(f"{k}={v}" for k, v in r["params"].items() if k != "limit")
                             if len(r["params"]) > 1 or "limit" not in r["params"] else "")
        print(f"{label.rstrip('?'):40s} {r['matches']:8d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f}")
    if report["load"]:
        l = report["load"]
        print(f"load: {l['clients']} clients for {l['seconds']} s: {l['answers']} answers ({l['failures']} not 200), "
              f"{l['per_second']} a second, p50 {l['p50_ms']} ms, p95 {l['p95_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

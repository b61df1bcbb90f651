#!/usr/bin/env python3
"""What ingesting a batch costs as the database grows: storing and fusing 200 articles into
databases that already hold 200, 5,000 and 50,000 fused articles.

Articles are made without the NLP stage, from the records veille extracts once from its own
corpora (the demo corpus and the fusion test corpus): each copy moves every date of its record,
has half its longer words scrambled (same lengths, so the record's offsets hold) and gets a
tail of random words, so that copies are neither identical texts nor near-copies of each other
(their events and figures still are the same reports). With `--history growing` (the default)
a base is an archive of 5 articles a day up to 2026-06-30, so that a larger base reaches
further back, as a watched archive does, and the batch is the news of the days after it; with
`--history fixed` every base is spread over the same 27 years (2000-2026, whole years moved),
so that a larger base holds more reports of each event instead. The stored base is filled in steps
of 1,000 through the fusion (the same code path as `veille ingest`), then the 200-article batch
is stored and fused, timed, with the peak resident memory of the process meanwhile (psutil;
it includes the Python process, the extracted records and DuckDB's caches).

    .venv/bin/python scripts/bench_fusion.py [--sizes 200,5000,50000] [--batch 200] [--history growing|fixed] [--json]
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from veille.bench import PeakMemory
from veille.fusion import fuse
from veille.records import Record
from veille.settings import Settings
from veille.store import Store

ROOT = Path(__file__).resolve().parent.parent
YEAR = re.compile(r'"(\d{4})(-\d{2}(?:-\d{2})?)?"')
DAY = re.compile(r'(?<=")\d{4}-\d{2}-\d{2}(?=")')
WORDS = ("relation coopération marché énergie frontière délégation sommet accord échange ministre présidence "
         "industrie port route réseau dialogue programme projet capital banque crédit usine satellite "
         "agriculture pêche navire tourisme université culture santé technologie transport logistique").split()


def base_records() -> list[dict]:
    """The veille/1 records of the demo corpus and the fusion test corpus, extracted once."""
    from veille.pipeline import Pipeline
    from veille.workflow import extract_inputs

    settings = Settings()
    targets = [str(ROOT / "veille" / "resources" / "demo"), str(ROOT / "tests" / "gold" / "fusion")]
    return [r.to_dict() for r in extract_inputs(targets, settings) if isinstance(r, Record)]


WORD = re.compile(r"[^\W\d_]{4,}")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def scramble(text: str, rng: random.Random) -> str:
    """Half the words of four letters or more replaced by random letters of the same length:
    offsets stay valid, and two copies of one text share few word triples (Jaccard about
    0.05), like two articles about the same event, instead of colliding as near-copies."""
    return WORD.sub(lambda m: "".join(rng.choice(LETTERS) for _ in m.group()) if rng.random() < 0.5
                    else m.group(), text)


def shifted(raw: dict, days: int) -> dict:
    """A record with every date moved by `days` (months and years by the nearest whole number of
    them), so that its events keep their distances to each other and to its publication."""
    def move(m: re.Match) -> str:
        text = m.group(0)[1:-1]
        try:
            if len(text) == 10:
                return f'"{(date.fromisoformat(text) + timedelta(days=days)).isoformat()}"'
            if len(text) == 7:
                n = int(text[:4]) * 12 + int(text[5:7]) - 1 + round(days / 30.44)
                return f'"{n // 12:04d}-{n % 12 + 1:02d}"'
            return f'"{int(text) + round(days / 365.25):04d}"'
        except ValueError:
            return m.group(0)
    return json.loads(YEAR.sub(move, json.dumps(raw, ensure_ascii=False)))


def variant(raw: dict, k: int, rng: random.Random, day: date | None = None) -> Record:
    """Copy k of a record: its dates moved to another year (or, given `day`, moved so that it is
    published that day), half its longer words scrambled, a tail of random words appended."""
    # an undated article is moved by the first day its record states
    published = (raw["doc"].get("published") or next(iter(DAY.findall(json.dumps(raw))), ""))[:10]
    if day is not None and len(published) in (4, 7, 10):
        first = date.fromisoformat(published + "-01-01"[len(published) - 4:])     # "2024-06" -> 2024-06-01
        moved = shifted(raw, (day - first).days)
    else:
        year = str(rng.randint(2000, 2026))
        moved = json.loads(YEAR.sub(lambda m: f'"{year}{m.group(2) or ""}"', json.dumps(raw, ensure_ascii=False)))
    tail = " ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(400))
    record = Record.from_dict(moved)
    doc = record.doc
    source = f"bench/{k:06d}/{Path(doc.source).name}"
    new_doc = replace(doc, text=scramble(doc.text, rng) + "\n\n" + tail, source=source,
                      metadata={**doc.metadata, "url": f"https://outlet-{k % 40}.example/{k}", "identity": source})
    return replace(record, doc=new_doc)


# With `--history growing`, a base is an archive of PER_DAY articles a day ending on END, so a
# larger base reaches further back (50,000 articles: 27 years) and a batch is the next days'
# news; with `--history fixed`, every base spreads over the same 27 years, so a larger base is
# denser (more reports of each event), not longer.
PER_DAY = 5
END = date(2026, 6, 30)


def day_of(k: int, size: int) -> date:
    """The publication day of copy k of a base of `size` (k >= size: the batch after it)."""
    return END - timedelta(days=(size - 1 - k) // PER_DAY)


def store_and_fuse(store: Store, raws: list[dict], size: int, rng: random.Random, growing: bool = False) -> None:
    """Fill the base in steps of 1,000 copies, made as they are stored (the base never sits in memory)."""
    for start in range(0, size, 1000):
        store.put_many([variant(raws[k % len(raws)], k, rng, day_of(k, size) if growing else None)
                        for k in range(start, min(size, start + 1000))])
        fuse(store)
        print(f"base {size}: {min(size, start + 1000)} stored and fused", file=sys.stderr, flush=True)


def run(sizes: list[int], batch: int, seed: int = 7, growing: bool = False) -> dict:
    raws = base_records()
    rng = random.Random(seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="veille-bench-fusion-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"base-{size}.duckdb"
            with Store(path) as store:
                t0 = time.perf_counter()
                store_and_fuse(store, raws, size, rng, growing)
                fill = time.perf_counter() - t0
                new = [variant(raws[k % len(raws)], 10_000_000 + k, rng, day_of(size + k, size) if growing else None)
                       for k in range(batch)]
                gc.collect()
                print(f"base {size}: timing the batch of {batch}", file=sys.stderr, flush=True)
                with PeakMemory() as peak:
                    t0 = time.perf_counter()
                    store.put_many(new)
                    report = fuse(store)
                    seconds = time.perf_counter() - t0
                counts = {t: store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("articles", "fused_events", "figure_groups")}
            results.append({"base_articles": size, "batch": batch, "seconds": round(seconds, 2),
                            "peak_rss_mb": round(peak.peak / 2**20), "fill_seconds": round(fill, 1),
                            "event_blocks": report.event_blocks, "figure_families": report.figure_families,
                            **counts})
            path.unlink()
    return {"date": date.today().isoformat(), "history": "growing" if growing else "fixed",
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "base_records": len(raws), "results": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,5000,50000")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--history", choices=("growing", "fixed"), default="growing",
                        help="growing: 5 articles a day, a larger base reaches further back and the batch is the "
                             "next days' news; fixed: every base spread over the same 27 years")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run([int(s) for s in args.sizes.split(",")], args.batch, growing=args.history == "growing")
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['date']}, {report['machine']}; copies of {report['base_records']} extracted records")
    print(f"{'base':>8s} {'batch':>6s} {'seconds':>8s} {'peak MB':>8s} {'blocks':>7s} {'families':>9s} {'fused events':>13s}")
    for r in report["results"]:
        print(f"{r['base_articles']:8d} {r['batch']:6d} {r['seconds']:8.2f} {r['peak_rss_mb']:8d} {r['event_blocks']:7d} "
              f"{r['figure_families']:9d} {r['fused_events']:13d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scaling benchmark of `veille batch` in Spark local mode: 1 core, then 2 cores.

The same input both times: ARTICLES articles cycled from the demo corpus's JSON
Lines into FILES files (one Spark task each), run in one Spark job. Each run
starts its own session, so the figures include each Python worker's model
load, as a real run does; they leave out the session start. Also measures the
resident memory the French model adds to a Python process. The machine's load
average is printed with each run: figures taken on a busy machine are not
figures of the code.

    .venv/bin/python scripts/bench_spark.py [--articles 500] [--files 10] [--cores 1,2] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from veille.batch import run_batch, spark_session
from veille.resources import demo_corpus
from veille.settings import Settings

MODEL_PROBE = """
import json, psutil
from veille.pipeline import Pipeline
from veille.settings import Settings
from veille.ingest import articles
from veille.nlp import load_model
rss = lambda: psutil.Process().memory_info().rss / 2**20
before = rss()
load_model("fr_core_news_md")
loaded = rss()
list(Pipeline(Settings()).run(a for a in articles([{corpus!r}], Settings()) if not hasattr(a, "reason")))
print(json.dumps({{"before_mb": before, "model_mb": loaded - before, "after_pipeline_mb": rss()}}))
"""


def make_input(folder: Path, n_articles: int, n_files: int) -> None:
    lines = [json.loads(line) for name in ("part1.jsonl", "part2.jsonl")
             for line in (demo_corpus() / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    per_file = [[] for _ in range(n_files)]
    for i in range(n_articles):
        article = dict(lines[i % len(lines)], source=f"bench/{i:05d}")
        per_file[i % n_files].append(json.dumps(article, ensure_ascii=False))
    for k, rows in enumerate(per_file):
        (folder / f"part-{k:03d}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def driver_jvm_rss_mb() -> int:
    """Resident memory of the JVM this process started (local mode: the driver and its executor)."""
    import psutil

    sizes = [0.0]
    for child in psutil.Process().children(recursive=True):
        try:
            if "java" in child.cmdline()[0]:
                sizes.append(child.memory_info().rss / 2**20)
        except (psutil.Error, IndexError):
            continue
    return round(max(sizes))


def run_once(cores: int, inputs: Path, n_files: int, work: Path) -> dict:
    load_before = os.getloadavg()[0]
    spark = spark_session(f"local[{cores}]", driver_memory="1g",
                          conf={"spark.default.parallelism": str(cores)})
    try:
        started = time.perf_counter()
        report = run_batch([str(inputs)], str(work / f"out-{cores}"), Settings(), spark, files_per_job=n_files)
        wall = time.perf_counter() - started
        jvm_mb = driver_jvm_rss_mb()
    finally:
        spark.stop()
    result = report.to_dict()
    return {"cores": cores, "articles": report.records, "failed": report.failed, "seconds": round(wall, 1),
            "articles_per_second": round(report.records / wall, 2),
            "worker_processes": result["worker_processes"], "model_loads": result["model_loads"],
            "worker_peak_rss_mb": result["worker_peak_rss_mb"], "driver_jvm_rss_mb": jvm_mb,
            "worker_cpu_seconds": result["worker_cpu_seconds"],
            "articles_per_worker_cpu_second": round(report.records / report.cpu_seconds, 2) if report.cpu_seconds else 0,
            "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--cores", default="1,2")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        make_input(work / "in", args.articles, args.files)
        probe = subprocess.run([sys.executable, "-c", MODEL_PROBE.format(corpus=str(demo_corpus() / "part1.jsonl"))],
                               capture_output=True, text=True, check=True)
        model = json.loads(probe.stdout.strip().splitlines()[-1])
        runs = [run_once(int(c), work / "in", args.files, work) for c in args.cores.split(",")]
    result = {"date": date.today().isoformat(),
              "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "input": f"{args.articles} demo articles in {args.files} JSON Lines files",
              "model_rss_mb": round(model["model_mb"]), "pipeline_process_rss_mb": round(model["after_pipeline_mb"]),
              "runs": runs}
    if len(runs) >= 2 and runs[0]["articles_per_second"]:
        result["speedup"] = round(runs[-1]["articles_per_second"] / runs[0]["articles_per_second"], 2)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['date']}, {result['machine']}; {result['input']}")
    for run in runs:
        print(f"local[{run['cores']}]: {run['articles']} articles in {run['seconds']} s = "
              f"{run['articles_per_second']} articles/s; {run['worker_processes']} Python workers, "
              f"model loaded {run['model_loads']} times; worker RSS {run['worker_peak_rss_mb']:.0f} MB, "
              f"driver JVM RSS {run['driver_jvm_rss_mb']} MB; {run['articles_per_worker_cpu_second']} articles "
              f"per worker CPU-second; load average {run['load_average_before']} before, "
              f"{run['load_average_after']} after")
    if "speedup" in result:
        print(f"speed-up {runs[0]['cores']} -> {runs[-1]['cores']} cores: {result['speedup']}x")
    print(f"the French model adds {result['model_rss_mb']} MB to a Python process; "
          f"a process that ran the whole pipeline holds {result['pipeline_process_rss_mb']} MB")


if __name__ == "__main__":
    main()

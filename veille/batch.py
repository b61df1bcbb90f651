"""Scale out: the per-article pipeline as an Apache Spark job, and loading its output.

    spark = spark_session("spark://host:7077")
    report = run_batch(["/data/crawl/", "hdfs://nn/crawl/2024/"], "hdfs://nn/veille/2024", settings, spark)
    ...
    with Store(settings.db) as store:
        load_output("/data/veille-2024", store)   # a local copy of the output

One Spark task per input file. In the task, a Python worker turns the file into
articles with the project's own readers and runs `workflow.extract`, the very
function `veille extract` runs, so a record written here is the record
`veille extract` prints. Nothing is shuffled: every task writes its own rows.

The output folder (a local path, or any URI Spark writes: file://, hdfs://, s3a://):

    records/published_month=YYYY-MM/*.parquet   one row per article, with its whole veille/1 record
    errors/*.parquet                             one row per article or input that failed, with the reason
    _done/*.json                                 one line per input file finished, which a re-run skips

Inputs are committed in jobs of `files_per_job` files: records, then errors,
then the done lines of the job. A job stopped before its done lines is redone
on the next run; its records may then stand twice in the Parquet, which
`load_output` stores once (content-hash ids).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Iterator

from veille.errors import IngestError, VeilleError
from veille.ingest import articles as read_articles
from veille.ingest import prepared
from veille.ingest.sources import _suffix, read_bytes
from veille.pipeline import PIPELINE_VERSION
from veille.records import Record
from veille.settings import Settings
from veille.store import Store
from veille.workflow import IngestReport, extract

RECORD_FIELDS = (("article_id", "string"), ("source", "string"), ("input", "string"), ("position", "int"),
                 ("published", "string"), ("language", "string"), ("pipeline", "string"),
                 ("record_json", "string"), ("published_month", "string"))
ERROR_FIELDS = (("input", "string"), ("source", "string"), ("reason", "string"))
DONE_FIELDS = (("key", "string"), ("input", "string"), ("size", "long"), ("mtime", "long"),
               ("records", "int"), ("errors", "int"), ("pipeline", "string"), ("host", "string"),
               ("pid", "int"), ("model_loads", "int"), ("worker_rss_mb", "double"),
               ("seconds", "double"), ("cpu_seconds", "double"), ("finished_at", "string"))
# Partition value of records whose publication month is not known.
UNKNOWN_MONTH = "unknown"


@dataclass(frozen=True)
class InputFile:
    """One input file: a local path read by the Python worker, or a URI read by Spark."""

    path: str
    size: int
    mtime: int  # milliseconds since the epoch
    remote: bool = False

    @property
    def key(self) -> str:
        """Its name in the done-list: a hash of its path, size and modification time."""
        return hashlib.sha256(f"{self.path}\n{self.size}\n{self.mtime}".encode()).hexdigest()[:32]


# -- the Spark session -----------------------------------------------------------

def spark_session(master: str = "local[*]", *, app_name: str = "veille batch",
                  driver_memory: str | None = None, conf: dict[str, str] | None = None):
    """A Spark session for the batch job; nothing is downloaded (no --packages).

    Python workers are reused between tasks (`spark.python.worker.reuse`), so
    each worker process loads the spaCy model once (veille.nlp caches it).
    In local mode the workers run this interpreter; on a cluster, point
    PYSPARK_PYTHON (or spark.pyspark.python in `conf`) at a Python where veille
    is installed on every worker node; this sets $PYSPARK_PYTHON accordingly.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise VeilleError("veille batch needs PySpark: pip install 'veille[spark]' (and Java 17+)") from exc
    values = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.python.worker.reuse": "true",
        "spark.sql.session.timeZone": "UTC",
    }
    if master.startswith("local"):  # everything stays on the loopback interface
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        values["spark.driver.host"] = "127.0.0.1"
        values["spark.driver.bindAddress"] = "127.0.0.1"
    if driver_memory:
        values["spark.driver.memory"] = driver_memory
    values.update(conf or {})
    # PySpark starts its workers with $PYSPARK_PYTHON (else `python3` on the PATH): in local
    # mode that must be this interpreter, where veille is installed.
    python = values.pop("spark.pyspark.python", None) or os.environ.get("PYSPARK_PYTHON")
    if python or master.startswith("local"):
        os.environ["PYSPARK_PYTHON"] = python or sys.executable
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in values.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # no Java, a bad master URL: a set-up error, said plainly
        raise VeilleError(f"cannot start Spark with master {master!r} (is Java 17+ installed, and the "
                          f"master URL right?): {type(exc).__name__}: {exc}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# -- inputs -------------------------------------------------------------------------

def has_scheme(target: str) -> bool:
    """True for a URI such as hdfs://nn/crawl or file:///data (read by Spark), False for a local path."""
    head, sep, _ = target.partition("://")
    return bool(sep) and head.isalnum() and len(head) > 1


def list_inputs(targets: Iterable[str], spark=None) -> tuple[list[InputFile], list[IngestError]]:
    """Every input file the targets name, in a stable order, and the targets that name none.

    Local folders are walked as `veille extract` walks them (sorted, hidden
    files left out); local paths are made absolute so that every worker reads
    the same file. URIs are listed through Spark's Hadoop file systems.
    """
    files: dict[str, InputFile] = {}
    errors: list[IngestError] = []
    for target in targets:
        if target.startswith(("http://", "https://")):
            errors.append(IngestError(target, "URLs are not batch inputs: fetch them with `veille ingest`"))
            continue
        found = _list_uri(target, spark) if has_scheme(target) else _list_local(target)
        if isinstance(found, IngestError):
            errors.append(found)
            continue
        for f in found:
            files.setdefault(f.path, f)
    return list(files.values()), errors


def _list_local(target: str) -> list[InputFile] | IngestError:
    path = Path(target).expanduser().absolute()
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        if not found:
            return IngestError(target, "folder holds no files")
    elif path.is_file():
        found = [path]
    else:
        return IngestError(target, "no such file or folder")
    out = []
    for p in found:
        st = p.stat()
        out.append(InputFile(str(p), st.st_size, int(st.st_mtime * 1000)))
    return out


def _list_uri(target: str, spark) -> list[InputFile] | IngestError:
    if spark is None:
        return IngestError(target, "a URI input needs a Spark session to be listed")
    fs, path = _hadoop_fs(spark, target)
    if not fs.exists(path):
        return IngestError(target, "no such file or folder")
    out = []
    listing = fs.listFiles(path, True)
    while listing.hasNext():
        status = listing.next()
        name = status.getPath().getName()
        if name.startswith((".", "_")):
            continue
        out.append(InputFile(status.getPath().toString(), int(status.getLen()),
                             int(status.getModificationTime()), remote=True))
    if not out:
        return IngestError(target, "folder holds no files")
    return sorted(out, key=lambda f: f.path)


def _hadoop_fs(spark, uri: str):
    sc = spark.sparkContext
    path = sc._jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(sc._jsc.hadoopConfiguration()), path


# -- what a task does with one input file ---------------------------------------------

def published_month(record: Record) -> str:
    """The partition of a record: YYYY-MM of its publication date, when the month is known."""
    doc = record.doc
    if doc.published and doc.published_precision in ("day", "month"):
        return doc.published[:7]
    return UNKNOWN_MONTH


def _remote_articles(item: InputFile, data: bytes, settings: Settings):
    """The articles of a file Spark has read, as `veille.ingest.articles` gives those of a local file."""
    if not data:
        yield IngestError(item.path, "empty file")
        return
    if len(data) > settings.max_input_bytes:
        yield IngestError(item.path, f"file of {len(data)} bytes is larger than max_input_bytes "
                                     f"({settings.max_input_bytes})")
        return
    yield from prepared(read_bytes(data, item.path, _suffix(PurePosixPath(item.path)), settings), settings)


def process_input(item: InputFile, data: bytes | None, settings: Settings) -> Iterator[tuple[str, tuple]]:
    """The rows of one input file: ("record", row), ("error", row)..., then one ("input", row).

    Runs inside a Spark task. Never raises: an article that fails, for any
    reason, becomes an error row naming it, and the task goes on.
    """
    from veille.nlp import load_model

    started, cpu = time.perf_counter(), time.process_time()
    records = errors = position = 0
    items = read_articles([item.path], settings) if data is None else _remote_articles(item, data, settings)
    try:
        for result in extract(items, settings):
            position += 1
            if isinstance(result, IngestError):
                errors += 1
                yield "error", (item.path, result.source, result.reason)
                continue
            try:
                doc = result.doc
                row = (doc.id, doc.source, item.path, position, doc.published, doc.language, PIPELINE_VERSION,
                       json.dumps(result.to_dict(), ensure_ascii=False), published_month(result))
            except Exception as exc:
                errors += 1
                yield "error", (item.path, result.doc.source, f"record not serialisable: {type(exc).__name__}: {exc}")
                continue
            records += 1
            yield "record", row
    except Exception as exc:  # the reader itself broke: what it gave is kept, the rest is named lost
        errors += 1
        yield "error", (item.path, item.path, f"input abandoned after {position} articles: "
                                              f"{type(exc).__name__}: {exc}")
    yield "input", (item.key, item.path, item.size, item.mtime, records, errors, PIPELINE_VERSION,
                    socket.gethostname(), os.getpid(), load_model.cache_info().misses,
                    _rss_mb(), round(time.perf_counter() - started, 3), round(time.process_time() - cpu, 3),
                    datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _rss_mb() -> float:
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


# -- the job ---------------------------------------------------------------------------

@dataclass
class BatchReport:
    """What one `run_batch` did."""

    output: str
    inputs: int = 0
    skipped: int = 0
    processed: int = 0
    records: int = 0
    failed: int = 0
    jobs: int = 0
    seconds: float = 0.0
    # CPU time the Python workers spent on the inputs (model loads included)
    cpu_seconds: float = 0.0
    listing_errors: list[IngestError] = field(default_factory=list)
    error_samples: list[IngestError] = field(default_factory=list)
    # (host, pid) of every Python worker that ran a task -> model loads, tasks, peak RSS (MB)
    workers: dict[tuple[str, int], dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.listing_errors

    @property
    def model_loads(self) -> int:
        return sum(w["model_loads"] for w in self.workers.values())

    @property
    def articles_per_second(self) -> float:
        """Articles turned into records per second of the jobs (the session's start left out)."""
        return self.records / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict:
        return {
            "output": self.output, "inputs": self.inputs, "skipped": self.skipped, "processed": self.processed,
            "records": self.records, "failed": self.failed, "jobs": self.jobs, "seconds": round(self.seconds, 2),
            "worker_cpu_seconds": round(self.cpu_seconds, 2),
            "articles_per_second": round(self.articles_per_second, 2),
            "worker_processes": len(self.workers), "model_loads": self.model_loads,
            "tasks": sum(w["tasks"] for w in self.workers.values()),
            "worker_peak_rss_mb": max((w["rss_mb"] for w in self.workers.values()), default=0.0),
            "listing_errors": [[e.source, e.reason] for e in self.listing_errors],
        }


def output_uri(output: str) -> str:
    """The output as Spark names it: URIs as given, local paths as absolute file:// URIs."""
    if has_scheme(output):
        return output.rstrip("/")
    return Path(output).expanduser().absolute().as_uri()


def done_keys(spark, output: str) -> set[str]:
    """Keys of the input files a previous run over `output` finished."""
    fs, path = _hadoop_fs(spark, f"{output}/_done")
    if not fs.exists(path):
        return set()
    rows = spark.read.schema(_schema(DONE_FIELDS)).json(f"{output}/_done").select("key").collect()
    return {row.key for row in rows}


def run_batch(targets: Iterable[str], output: str, settings: Settings, spark,
              files_per_job: int | None = None, max_error_samples: int = 20,
              progress: Callable[[BatchReport], None] | None = None) -> BatchReport:
    """Run the pipeline over every input file not done yet, writing Parquet under `output`."""
    output = output_uri(output)
    files, listing_errors = list_inputs(targets, spark)
    done = done_keys(spark, output)
    pending = [f for f in files if f.key not in done]
    report = BatchReport(output=output, inputs=len(files), skipped=len(files) - len(pending),
                         listing_errors=listing_errors)
    size = files_per_job or max(8, 4 * spark.sparkContext.defaultParallelism)
    started = time.perf_counter()
    for i in range(0, len(pending), size):
        _run_job(spark, pending[i:i + size], output, settings, report, max_error_samples)
        report.seconds = time.perf_counter() - started
        if progress:
            progress(report)
    report.seconds = time.perf_counter() - started
    return report


def _run_job(spark, files: list[InputFile], output: str, settings: Settings,
             report: BatchReport, max_error_samples: int) -> None:
    from pyspark import StorageLevel

    sc = spark.sparkContext
    local = [f for f in files if not f.remote]
    remote = {f.path: f for f in files if f.remote}
    parts = []
    if local:
        parts.append(sc.parallelize([(f, None) for f in local], len(local)))
    if remote:
        # Spark's Hadoop readers fetch the bytes (hdfs://, s3a://, file://); Python does the rest
        parts.append(sc.binaryFiles(",".join(remote), minPartitions=len(remote))
                     .map(lambda pair: (remote.get(pair[0]) or InputFile(pair[0], len(pair[1]), 0, True), pair[1])))
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    rows = rdd.flatMap(lambda pair: process_input(pair[0], pair[1], settings)).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        def table(kind: str, fields: tuple):
            return spark.createDataFrame(rows.filter(lambda r: r[0] == kind).map(lambda r: r[1]), _schema(fields))

        table("record", RECORD_FIELDS).write.mode("append").partitionBy("published_month") \
            .parquet(f"{output}/records")
        errors = table("error", ERROR_FIELDS)
        errors.write.mode("append").parquet(f"{output}/errors")
        done = table("input", DONE_FIELDS)
        finished = done.collect()
        done.coalesce(1).write.mode("append").json(f"{output}/_done")
        room = max_error_samples - len(report.error_samples)
        if room > 0 and any(row.errors for row in finished):
            report.error_samples.extend(IngestError(r.source, r.reason) for r in errors.take(room))
    finally:
        rows.unpersist()
    report.jobs += 1
    for row in finished:
        report.processed += 1
        report.records += row.records
        report.failed += row.errors
        report.cpu_seconds += row.cpu_seconds
        worker = report.workers.setdefault((row.host, row.pid), {"model_loads": 0, "tasks": 0, "rss_mb": 0.0})
        worker["model_loads"] = max(worker["model_loads"], row.model_loads)
        worker["tasks"] += 1
        worker["rss_mb"] = max(worker["rss_mb"], row.worker_rss_mb)


def _schema(fields: tuple):
    from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

    types = {"string": StringType(), "int": IntegerType(), "long": LongType(), "double": DoubleType()}
    return StructType([StructField(name, types[kind], True) for name, kind in fields])


# -- loading the output into the database ------------------------------------------------

@dataclass
class LoadReport(IngestReport):
    """What one `load_output` did: IngestReport's counts, plus the error rows recorded."""

    errors_recorded: int = 0
    errors_known: int = 0


def _local_output(directory: str | Path) -> Path:
    text = str(directory)
    if text.startswith("file://"):
        text = text[len("file://"):]
    elif has_scheme(text):
        raise VeilleError(f"{text}: `veille load` reads a local folder; copy the output here first "
                          f"(e.g. hdfs dfs -get)")
    path = Path(text).expanduser()
    if not (path / "records").is_dir() and not (path / "errors").is_dir():
        raise VeilleError(f"{path}: not the output of `veille batch` (no records/ or errors/ folder)")
    return path


def load_output(directory: str | Path, store: Store,
                progress: Callable[[Record | IngestError], None] | None = None) -> LoadReport:
    """Store every record of a `veille batch` output, one transaction per article.

    Records are stored in input order; an article already stored is left as it
    is, so loading the same output twice changes nothing. The error rows go to
    the database's ingest errors, each (source, reason) once. Then the fusion
    takes in the new articles, as after `veille ingest`.
    """
    import duckdb

    root = _local_output(directory)
    report = LoadReport()
    parquet = duckdb.connect()
    try:
        record_files = sorted(glob.glob(str(root / "records" / "**" / "*.parquet"), recursive=True))
        if record_files:
            cur = parquet.execute(
                "SELECT record_json, pipeline FROM read_parquet(?, hive_partitioning = true)"
                " ORDER BY input, position, article_id", [record_files])
            while rows := cur.fetchmany(256):
                for raw, pipeline in rows:
                    _load_record(raw, pipeline, store, report, progress)
        error_files = sorted(glob.glob(str(root / "errors" / "*.parquet")))
        if error_files:
            cur = parquet.execute("SELECT DISTINCT source, reason FROM read_parquet(?) ORDER BY source, reason",
                                  [error_files])
            while rows := cur.fetchmany(256):
                for source, reason in rows:
                    if store.record_error_once(source, reason):
                        report.errors_recorded += 1
                    else:
                        report.errors_known += 1
    finally:
        parquet.close()
    fuse_after_load(store, report)
    return report


def _load_record(raw: str, pipeline: str, store: Store, report: LoadReport,
                 progress: Callable[[Record | IngestError], None] | None) -> None:
    item: Record | IngestError
    try:
        item = Record.from_dict(json.loads(raw))
        result = store.put(item, pipeline or PIPELINE_VERSION)
    except Exception as exc:
        source = _source_of(raw)
        item = IngestError(source, f"could not be loaded: {type(exc).__name__}: {exc}")
        report.errors.append(item)
    else:
        report.count(result)
    if progress:
        progress(item)


def _source_of(raw: str) -> str:
    try:
        return str(json.loads(raw)["doc"]["source"])
    except Exception:
        return "?"


def fuse_after_load(store: Store, report: LoadReport) -> None:
    """Fusion across articles after a load, as `workflow.ingest` runs it after an ingest.

    One call takes in every stored article not fused yet; a second load of the
    same output finds none, so it changes nothing.
    """
    from veille.fusion import fuse

    try:
        report.fusion = fuse(store)
    except Exception as exc:
        report.errors.append(IngestError("fusion", f"fusion across articles failed: {type(exc).__name__}: {exc}"))

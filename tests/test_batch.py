"""`veille batch` on a real local Spark, and `veille load`: the records are those of `veille extract`."""
from __future__ import annotations

import html
import io
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import veille
from veille.batch import InputFile, list_inputs, load_output, process_input, run_batch, spark_session
from veille.resources import demo_corpus
from veille.errors import IngestError, VeilleError
from veille.ingest import is_full_page
from veille.ingest.sources import read_inputs
from veille.records import Article, Record
from veille.settings import Settings
from veille.store import Store
from veille.workflow import extract_inputs

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{published}"></head>
<body><article><h1>{title}</h1>
{body}
</article></body></html>"""


def demo_pages() -> list[tuple[str, str, str]]:
    """(uri, HTML page, crawl date) of every demo article, as a crawler would have kept it."""
    pages = []
    for raw in read_inputs([str(demo_corpus())], Settings()):
        assert not isinstance(raw, IngestError), raw
        meta = raw.meta
        uri = meta.get("url") or f"https://demo.example/{Path(raw.source).name}"
        date = (meta.get("published") or meta.get("crawl_date") or "2024-01-01")[:10]
        if raw.is_html and is_full_page(raw.body):
            page = raw.body
        else:
            body = raw.body if raw.is_html else "\n".join(
                f"<p>{html.escape(p.strip())}</p>" for p in raw.body.split("\n\n") if p.strip())
            page = PAGE.format(title=html.escape(meta.get("title") or ""), published=date, body=body)
        pages.append((uri, page, date + "T12:00:00Z"))
    return pages


def write_warc(path: Path, pages, truncate: bool = False) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    last = 0
    for uri, page, date in pages:
        last = buf.tell()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page.encode()),
                                                      http_headers=headers, warc_headers_dict={"WARC-Date": date}))
    data = buf.getvalue()
    # truncated: cut in the middle of the last record's payload, as an interrupted download would
    path.write_bytes(data[: (last + len(data)) // 2] if truncate else data)
    return path


def demo_lines() -> list[dict]:
    folder = demo_corpus()
    return [json.loads(line) for name in ("part1.jsonl", "part2.jsonl")
            for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def parquet_rows(out: Path, table: str, columns: str) -> list[tuple]:
    files = [str(p) for p in sorted(out.glob(f"{table}/**/*.parquet"))]
    if not files:
        return []
    return duckdb.sql(f"SELECT {columns} FROM read_parquet({files!r}, hive_partitioning = true)").fetchall()


def table_counts(store: Store) -> dict[str, int]:
    tables = [t for (t,) in store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
    return {t: store.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def as_sorted(records: list[dict]) -> list[dict]:
    return sorted(records, key=lambda r: (r["doc"]["source"], r["doc"]["id"]))


# -- fixtures: one Spark session and one first run for the module -------------------------

@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):
            pytest.fail("Java is missing: scripts/system-packages installs it (scripts/debian-packages.txt)")
        pytest.skip("Java is not installed (scripts/system-packages installs it)")
    session = spark_session("local[2]", driver_memory="1g",
                            conf={"spark.default.parallelism": "2", "spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """JSON Lines with a broken line, a WARC (read by Spark, as a file:// URI), a truncated WARC, a text folder."""
    root = tmp_path_factory.mktemp("inputs")
    lines = demo_lines()
    (root / "jsonl").mkdir()
    a = [json.dumps(x, ensure_ascii=False) for x in lines[:3]]
    (root / "jsonl" / "a.jsonl").write_text("\n".join(a[:2] + ["{cassé"] + a[2:]) + "\n", encoding="utf-8")
    (root / "jsonl" / "b.jsonl").write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines[3:5]) + "\n", encoding="utf-8")
    (root / "warc").mkdir()
    pages = demo_pages()
    good = write_warc(root / "warc" / "good.warc.gz", pages[5:8])
    cut = write_warc(root / "warc" / "cut.warc.gz", pages[8:13], truncate=True)
    texts = root / "texts"
    texts.mkdir()
    shutil.copy(demo_corpus() / "025_petrole-brut-chine.txt", texts / "025.txt")
    (texts / "sommet.txt").write_text(f"{lines[6]['title']}\n\n{lines[6]['text']}\n", encoding="utf-8")
    (texts / ".cache").write_text("hidden files are not inputs", encoding="utf-8")
    return {"root": root,
            "batch": [str(root / "jsonl"), good.as_uri(), str(cut), str(texts)],
            "extract": [str(root / "jsonl"), str(good), str(cut), str(texts)]}


@pytest.fixture(scope="module")
def first_run(spark, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    report = run_batch(inputs["batch"], str(out), Settings(), spark, files_per_job=4)
    return report, out


@pytest.fixture(scope="module")
def expected(inputs) -> tuple[list[dict], set[tuple[str, str]]]:
    """What `veille extract` gives for the same inputs (the function the command calls)."""
    items = list(extract_inputs(inputs["extract"], Settings()))
    records = [r.to_dict() for r in items if isinstance(r, Record)]
    errors = {(e.source, e.reason) for e in items if isinstance(e, IngestError)}
    return records, errors


# -- the Spark job -------------------------------------------------------------------------

@pytest.mark.spark
def test_parquet_records_equal_extract_records(first_run, expected):
    report, out = first_run
    rows = parquet_rows(out, "records", "article_id, source, published_month, record_json")
    got = [json.loads(r[3]) for r in rows]
    assert as_sorted(got) == as_sorted(expected[0])
    assert report.records == len(got) == len(expected[0]) >= 10
    for article_id, source, month, raw in rows:
        doc = json.loads(raw)["doc"]
        assert (article_id, source) == (doc["id"], doc["source"])
        assert month == (doc["published"][:7] if doc["published_precision"] in ("day", "month") else "unknown")
    assert (out / "records" / "published_month=2024-05").is_dir()


@pytest.mark.spark
def test_error_table_holds_the_bad_line_and_the_truncated_warc(first_run, expected, inputs):
    report, out = first_run
    errors = parquet_rows(out, "errors", "input, source, reason")
    assert {(source, reason) for _, source, reason in errors} == expected[1]
    assert report.failed == len(errors) == 2
    root = inputs["root"]
    by_input = {Path(i).name: (source, reason) for i, source, reason in errors}
    assert by_input["a.jsonl"] == (f"{root / 'jsonl' / 'a.jsonl'}:3", by_input["a.jsonl"][1])
    assert "invalid JSON" in by_input["a.jsonl"][1]
    assert "truncated" in by_input["cut.warc.gz"][1]
    assert report.processed == 6 and report.jobs == 2 and not report.listing_errors


@pytest.mark.spark
def test_each_python_worker_loads_the_model_once(first_run):
    report, _ = first_run
    tasks = sum(w["tasks"] for w in report.workers.values())
    assert tasks == 6 and len(report.workers) < tasks       # workers were reused between tasks
    assert all(w["model_loads"] <= 1 for w in report.workers.values())
    assert report.model_loads >= 1


@pytest.mark.spark
def test_a_rerun_skips_the_inputs_already_done(first_run, spark, inputs):
    report, out = first_run
    records = len(parquet_rows(out, "records", "article_id"))
    again = run_batch(inputs["batch"], str(out), Settings(), spark, files_per_job=4)
    assert (again.processed, again.skipped, again.records) == (0, 6, 0)
    assert len(parquet_rows(out, "records", "article_id")) == records
    extra = inputs["root"] / "more"
    extra.mkdir()
    (extra / "c.jsonl").write_text(json.dumps(demo_lines()[7], ensure_ascii=False) + "\n", encoding="utf-8")
    more = run_batch(inputs["batch"] + [str(extra)], str(out), Settings(), spark)
    assert (more.processed, more.skipped, more.records) == (1, 6, 1)
    assert len(parquet_rows(out, "records", "article_id")) == records + 1


@pytest.mark.spark
def test_load_twice_changes_nothing(first_run, tmp_path):
    _, out = first_run
    db = tmp_path / "v.duckdb"
    first = veille("load", str(out), "--db", str(db))
    assert first.returncode == 0, first.stderr
    with Store(db) as store:
        counts = table_counts(store)
        stored = [r.to_dict() for r in store.records()]
    second = veille("load", str(out), "--db", str(db))
    assert second.returncode == 0 and second.stderr.startswith("0 new, 0 new versions,"), second.stderr
    with Store(db) as store:
        assert table_counts(store) == counts               # every table, the fusion's too
    assert counts["ingest_errors"] == 2 and counts["articles"] > 0
    got = {raw for (raw,) in parquet_rows(out, "records", "record_json")}
    assert as_sorted(stored) == as_sorted([json.loads(raw) for raw in got])
    assert counts["articles"] == len(stored) == len({json.loads(raw)["doc"]["id"] for raw in got})


@pytest.mark.spark
def test_the_demo_corpus_as_a_warc_gives_the_records_of_extract(tmp_path):
    warc = write_warc(tmp_path / "demo.warc.gz", demo_pages())
    batch = veille("batch", str(warc), "--output", str(tmp_path / "out"), "--master", "local[2]", "--quiet")
    assert batch.returncode == 0, batch.stderr
    extracted = veille("extract", str(warc), "--format", "json")
    assert extracted.returncode == 0, extracted.stderr
    expected = [json.loads(line) for line in extracted.stdout.splitlines()]
    rows = duckdb.sql(f"SELECT record_json FROM read_parquet('{tmp_path}/out/records/**/*.parquet',"
                      f" hive_partitioning = true) ORDER BY input, position").fetchall()
    assert [json.loads(raw) for (raw,) in rows] == expected
    assert len(expected) == 25


# -- without Spark ----------------------------------------------------------------------------

def test_a_failing_article_becomes_an_error_row_never_a_failed_task(tmp_path, monkeypatch):
    path = tmp_path / "in.txt"
    path.write_text("Sommet\n\nVladimir Poutine et Xi Jinping se sont rencontrés jeudi à Pékin.", encoding="utf-8")
    good = Record(doc=Article(text="Vladimir Poutine et Xi Jinping se sont rencontrés à Pékin.", source="wire/1"))

    def broken(items, settings):
        list(items)
        yield good
        yield IngestError("wire/2", "extraction failed: ValueError: boom")
        raise RuntimeError("the parser fell over")

    monkeypatch.setattr("veille.batch.extract", broken)
    item = InputFile(str(path), path.stat().st_size, 0)
    rows = list(process_input(item, None, Settings()))
    assert [kind for kind, _ in rows] == ["record", "error", "error", "input"]
    assert rows[1][1] == (str(path), "wire/2", "extraction failed: ValueError: boom")
    assert "RuntimeError: the parser fell over" in rows[2][1][2]
    done = rows[3][1]
    assert (done[0], done[4], done[5]) == (item.key, 1, 2)


def test_list_inputs_walks_folders_as_extract_does(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ("d/b.txt", "d/a.jsonl", "d/sub/c.warc.gz", "d/.hidden"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = list_inputs([str(tmp_path / "d"), str(tmp_path / "d" / "b.txt"), str(tmp_path / "absent"),
                                 "https://example.org/a.html"])
    assert [Path(f.path).relative_to(tmp_path).as_posix() for f in files] == ["d/a.jsonl", "d/b.txt", "d/sub/c.warc.gz"]
    assert [e.reason for e in errors][0] == "no such file or folder"
    assert "veille ingest" in errors[1].reason
    key = files[0].key
    os.utime(files[0].path, (1, 1))
    assert list_inputs([files[0].path])[0][0].key != key         # a changed file is not done


def test_load_refuses_a_folder_that_is_not_a_batch_output(tmp_path):
    with Store(tmp_path / "v.duckdb") as store, pytest.raises(VeilleError, match="not the output"):
        load_output(tmp_path, store)

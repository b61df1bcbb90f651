"""The `veille` command group and its core commands (ingest, extract, articles, show, demo,
eval, bench); the fusion listings, the Spark job and the server are in their own modules
of this package, registered here (they import `veille.cli.common`, never this module)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from rich.table import Table

from veille.cli.common import _report_error, _settings, config_option, db_option, err, out
from veille.errors import IngestError, VeilleError
from veille.language import available as available_languages
from veille.resources import demo_corpus

@click.group()
@click.version_option(package_name="veille")
def main() -> None:
    """veille: a source-linked record of who did what with whom, when, and how much."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@config_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(inputs: tuple[str, ...], db: Path | None, config: Path | None, quiet: bool) -> None:
    """Ingest files, folders, URLs (text, HTML, JSON Lines, RSS/Atom, WARC) into the database."""
    settings = _settings(config, db=db)
    report = _ingest(list(inputs), settings, quiet)
    sys.exit(0 if report.ok else 1)


def _ingest(inputs: list[str], settings, quiet: bool):
    """Ingest `inputs`, printing each failure as it comes; on a terminal (stderr), a progress bar
    of the articles with the time left, or a spinner with a count when the total is unknown."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    from veille.read import overview
    from veille.store import Store
    from veille.workflow import ingest as run_ingest

    shown = not quiet and err.is_terminal
    with Store(settings.db) as store, Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("articles"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=err, disable=not shown, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(step) -> None:
            if isinstance(step.item, IngestError):
                bar.console.print(f"[red]error[/red] {step.item.source}: {step.item.reason}", highlight=False)
            bar.update(task, completed=step.done, total=step.total)

        report = run_ingest(inputs, settings, store, progress)
        counts = overview(store.con)["counts"]
    reprints = f"{report.reprints} reprints of stored texts (kept with their outlet), " if report.reprints else ""
    if report.not_extracted:
        languages = ", ".join(f"{n} in {code}" for code, n in sorted(report.not_extracted.items()))
        err.print(f"stored, not extracted: {languages} (veille reads "
                  f"{', '.join(available_languages())}; these keep their text and metadata only)", highlight=False)
    err.print(f"{report.new} new, {report.versions} new versions, {reprints}{report.unchanged} unchanged, "
              f"{len(report.errors)} failed; database {settings.db} holds {_held(counts)}", highlight=False)
    return report


def _held(counts: dict) -> str:
    """What the database holds, each number saying what it counts: the events and figures as the
    articles report them, and what fusion made of them (one per real-world event or figure)."""
    def n(count: int, word: str, words: str = "") -> str:
        return f"{count} {word if count == 1 else words or word + 's'}"

    held = (f"{n(counts['articles'], 'article')}, {n(counts['entities'], 'entity', 'entities')}, "
            f"{n(counts['article_events'], 'event report')} and {n(counts['measurements'], 'figure statement')}"
            f" (as the articles give them)")
    if counts["events"] or counts["figures"]:
        held += (f"; fused across articles into {n(counts['events'], 'event')} and {n(counts['figures'], 'figure group')}"
                 f" ({counts['conflicts']} whose sources disagree)")
    return held


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "pretty"]), default="json",
              help="json/jsonl: one veille/1 record per line; pretty: indented.")
@config_option
def extract(inputs: tuple[str, ...], fmt: str, config: Path | None) -> None:
    """Print the veille/1 record of every article in INPUTS, without a database."""
    from veille.workflow import extract_inputs

    settings = _settings(config)
    failed = 0
    for item in extract_inputs(list(inputs), settings):
        if isinstance(item, IngestError):
            _report_error(item)
            failed += 1
            continue
        indent = 2 if fmt == "pretty" else None
        try:     # strict JSON: never Infinity or NaN
            line = json.dumps(item.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)
        except ValueError as exc:
            _report_error(IngestError(item.doc.source, f"record not written: {exc}"))
            failed += 1
            continue
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    sys.exit(1 if failed else 0)


@main.command()
@db_option
@config_option
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--all-versions", is_flag=True, help="Also list superseded versions.")
@click.option("--json", "as_json", is_flag=True)
def articles(db, config, limit, offset, all_versions, as_json) -> None:
    """List stored articles."""
    from veille.store import Store

    settings = _settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        rows = store.articles(limit=limit, offset=offset, latest_only=not all_versions)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
        return
    table = Table("id", "published", "lang", "v", "title / source")
    for row in rows:
        table.add_row(row["id"][:12], str(row["published"] or "?"), row["language"] or "?",
                      str(row["version"]), row["title"] or row["source"])
    out.print(table)


@main.command()
@click.argument("article_id")
@db_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="The whole veille/1 record.")
def show(article_id: str, db, config, as_json: bool) -> None:
    """Show one stored article (an id prefix is enough) with its metadata."""
    from veille.store import Store

    settings = _settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        record = store.record(article_id)
        reprints = store.reprints(record.doc.id) if record else []
    if record is None:
        raise click.ClickException(f"no single article with id {article_id!r}")
    if as_json:
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    doc = record.doc
    out.print(f"[bold]{doc.title or doc.source}[/bold]")
    out.print(f"id {doc.id}\nsource {doc.source}\npublished {doc.published or 'unknown'} "
              f"({doc.published_precision or '-'}, from {doc.published_from or '-'})\nlanguage {doc.language}")
    for key, value in doc.metadata.items():
        out.print(f"{key} {value}")
    for r in reprints:
        out.print(f"also published by {r['outlet']} ({r['url'] or r['source']}, {r['published'] or 'date unknown'})")
    if doc.removed:
        out.print(f"removed debris: {list(doc.removed)}")
    for flag in doc.flags:
        out.print(f"[yellow]flag[/yellow] {flag['kind']}: {flag['text']!r} at {flag['start']}")
    out.print()
    out.print(doc.text)
    out.print()
    from veille.workflow import extracted

    if not extracted(record):
        out.print(f"stored, not extracted: language {doc.language or 'unknown'} (veille reads "
                  f"{', '.join(available_languages())})")
        return
    out.print(f"{len(record.entities)} entities, {len(record.timexes)} time expressions, "
              f"{len(record.measurements)} figures, {len(record.events)} events, {len(record.quotes)} quotes")


@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database for the demo (default: demo.duckdb beside the default database).")
@config_option
@click.option("--quiet", is_flag=True)
@click.option("--serve/--no-serve", "serve_after", default=True, show_default=True,
              help="End by serving the dashboard on the demo database until Ctrl-C.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port of the dashboard (another free one if taken).")
def demo(db: Path | None, config: Path | None, quiet: bool, serve_after: bool, port: int) -> None:
    """Run the whole pipeline on the bundled demo corpus, show what it found, then serve the dashboard."""
    from veille.store import Store

    settings = _settings(config)
    settings = settings.with_overrides(db=db or settings.db.with_name("demo.duckdb"))
    corpus = demo_corpus()
    err.print(f"demo corpus: {corpus}", highlight=False)
    report = _ingest([str(corpus)], settings, quiet)
    with Store(settings.db, read_only=True) as store:
        _print_overview(store)
    if serve_after:
        from veille.cli.serve import run_server

        run_server(settings.db, "127.0.0.1", port, None, fallback_port=True, config=config)
    sys.exit(0 if report.ok else 1)


_OVERVIEW = (
    ("Most mentioned entities", ("entity", "type", "country", "articles"),
     "SELECT name, type, country, count(DISTINCT article_id) n FROM entities WHERE role = 'actor'"
     " GROUP BY ALL ORDER BY n DESC, name LIMIT 12"),
    ("Event reports (the first 15, as each article gives them, before fusion)",
     ("type", "mode", "status", "actor", "recipient", "date", "location"),
     "SELECT type, mode, status, array_to_string(actor, ','), array_to_string(recipient, ','),"
     " date_begin, location FROM events ORDER BY date_begin NULLS LAST LIMIT 15"),
    ("Figure statements (the first 15, as each article gives them, before fusion)",
     ("figure", "value", "unit", "metric", "from", "to", "period"),
     "SELECT text, value, unit, metric, place_from, place_to, period_begin || '..' || period_end"
     " FROM measurements ORDER BY metric NULLS LAST LIMIT 15"),
)


def _print_overview(store) -> None:
    """What a demo found: the most mentioned entities, the first events and figures."""
    for title, columns, sql in _OVERVIEW:
        table = Table(*columns, title=title)
        for row in store.con.execute(sql).fetchall():
            table.add_row(*[str(x) if x is not None else "" for x in row])
        out.print(table)


@main.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), default=None,
              help="Articles to extract (file or folder); default: the files the gold's doc.source names.")
@click.option("--predictions", type=click.Path(exists=True, path_type=Path), default=None,
              help="Score these veille/1 records (JSON Lines) instead of extracting.")
@click.option("--json", "as_json", is_flag=True, help="The figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss and false positive.")
@config_option
def eval_command(gold_dir: Path, corpus: Path | None, predictions: Path | None, as_json: bool,
                 show_errors: bool, config: Path | None) -> None:
    """Score extraction against gold records, layer by layer."""
    from veille.evaluate import load_gold, run_evaluation, score_records

    settings = _settings(config)
    if predictions:
        preds = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines() if line.strip()]
        result = score_records(preds, load_gold(gold_dir))
    else:
        result = run_evaluation(gold_dir, settings, corpus)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        table = Table("layer", "P", "R", "F1", "tp", "fp", "fn", "attribute accuracy",
                      title=f"{result.articles} gold articles, {len(result.missing)} not found")
        for name, s in result.layers.items():
            attrs = " ".join(f"{k}={v:.2f}" if v is not None else f"{k}=-"
                             for k, v in s.to_dict().items() if k not in ("tp", "fp", "fn", "precision", "recall", "f1"))
            table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                          str(s.tp), str(s.fp), str(s.fn), attrs)
        out.print(table)
        if result.missing:
            out.print(f"articles not found: {', '.join(result.missing)}")
    if show_errors:
        for miss in result.errors:
            if miss.layer == "timex_values" and miss.kind == "spurious":
                continue
            item = miss.item
            label = item.get("text") or item.get("name") or item.get("names") or item.get("type")
            detail = {k: v for k, v in item.items() if k in ("id", "type", "value", "unit", "begin", "end_date",
                                                             "actor", "recipient", "date", "status", "trigger",
                                                             "evidence", "mode")}
            click.echo(f"{miss.article} {miss.layer:12s} {miss.kind:8s} {label!s:40.40s} "
                       f"{json.dumps(detail, ensure_ascii=False)}", err=True)


@main.command()
@click.option("--articles", "n", default=2000, show_default=True, help="How many articles to process.")
@click.option("--processes", default=1, show_default=True, help="Worker processes for NLP and extraction.")
@click.option("--json", "as_json", is_flag=True)
@config_option
def bench(n: int, processes: int, as_json: bool, config: Path | None) -> None:
    """Speed and memory of the full pipeline, against spaCy alone on the same texts."""
    import platform

    from veille.bench import run_bench

    settings = _settings(config)
    result = run_bench(n, processes, settings).to_dict()
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    out.print(f"{result['articles']} articles ({result['words_per_article']} words each on average), "
              f"{result['processes']} process(es), {result['machine']}")
    out.print(f"full pipeline: {result['full_seconds']:.1f} s = {result['articles_per_second']:.1f} articles/s, "
              f"{result['tokens_per_second']:.0f} tokens/s")
    out.print(f"spaCy alone:   {result['spacy_seconds']:.1f} s; full / spaCy = {result['ratio_full_to_spacy']:.2f}")
    out.print(f"DuckDB storage: {result['storage_seconds']:.2f} s of the full run")
    out.print(f"peak resident memory: {result['peak_rss_mb_main']:.0f} MB (main), "
              f"{result['peak_rss_mb_workers']:.0f} MB (largest worker)")


def run() -> None:
    try:
        main()
    except VeilleError as exc:
        err.print(f"error: {exc}")
        sys.exit(2)


# Commands defined in their own modules: fusion listings, the Spark job, the server and exports.
from veille.cli import batch as _batch, fusion as _fusion, serve as _serve, watch as _watch  # noqa: E402

_fusion.register(main)
_batch.register(main)
_serve.register(main)
_watch.register(main)

if __name__ == "__main__":
    run()

"""`veille batch` and `veille load`: the Spark job and loading its output (see veille.batch)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from veille.cli.common import _report_error, _settings, config_option, db_option, err
from veille.errors import VeilleError


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", required=True,
              help="Output folder, or a URI Spark writes (file://, hdfs://, s3a://).")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master: local[N], local[*], spark://host:7077, yarn, k8s://...")
@click.option("--files-per-job", type=click.IntRange(min=1), default=None,
              help="Input files per Spark job; a re-run skips the jobs finished (default: 4 per core, at least 8).")
@click.option("--driver-memory", default=None, help="Memory of the driver JVM, e.g. 2g.")
@click.option("--conf", "confs", multiple=True, metavar="KEY=VALUE",
              help="A Spark setting, e.g. spark.executor.memory=4g (repeatable).")
@config_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch(inputs: tuple[str, ...], output: str, master: str, files_per_job: int | None,
          driver_memory: str | None, confs: tuple[str, ...], config: Path | None, quiet: bool) -> None:
    """Extract every article of INPUTS on Spark into partitioned Parquet under OUTPUT.

    INPUTS are WARC files, JSON Lines, text or HTML files, and folders of them:
    local paths, or URIs Spark reads (file://, hdfs://, s3a://). Input files
    already done in OUTPUT are skipped.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from veille.batch import run_batch, spark_session

    settings = _settings(config)
    conf = {}
    for item in confs:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--conf")
        conf[key.strip()] = value.strip()
    spark = spark_session(master, driver_memory=driver_memory, conf=conf)
    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("input files"), TimeElapsedColumn(), console=err,
                      disable=quiet or not err.is_terminal, transient=True) as bar:
            task = bar.add_task("extracting", total=None)

            def progress(report) -> None:
                bar.update(task, completed=report.processed, total=report.inputs - report.skipped)

            report = run_batch(list(inputs), output, settings, spark, files_per_job=files_per_job,
                               progress=progress)
    except VeilleError:
        raise
    except Exception as exc:  # Spark gave up on a job (a lost executor, an unwritable output)
        cause = [line.strip() for line in str(exc).splitlines() if line.strip() and not line.strip().startswith("at ")]
        raise click.ClickException(f"the Spark job failed: {type(exc).__name__}: {' / '.join(cause[:3])[:600]}\n"
                                   f"The input files finished before it are kept in {output}: "
                                   f"run the same command again to go on.") from exc
    finally:
        spark.stop()
    for error in report.listing_errors + report.error_samples:
        _report_error(error)
    if report.failed > len(report.error_samples):
        err.print(f"... and {report.failed - len(report.error_samples)} more failed articles: "
                  f"see {report.output}/errors", highlight=False)
    summary = report.to_dict()
    err.print(f"{report.inputs} input files: {report.processed} processed, {report.skipped} already done; "
              f"{report.records} records, {report.failed} failed; "
              f"{summary['worker_processes']} Python workers loaded the model {report.model_loads} times "
              f"for {summary['tasks']} tasks; {report.seconds:.1f} s, {report.articles_per_second:.2f} articles/s; "
              f"output {report.output}", highlight=False)
    sys.exit(0 if report.ok else 1)


@click.command()
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@config_option
def load(directory: Path, db: Path | None, config: Path | None) -> None:
    """Merge the output of `veille batch` (a local folder) into the database.

    Loading the same output twice changes nothing.
    """
    from veille.batch import load_output
    from veille.store import Store

    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        report = load_output(directory, store)
        counts = store.counts()
    for error in report.errors:
        _report_error(error)
    fused = f"; fusion took in {report.fusion.articles} articles" if report.fusion else ""
    err.print(f"{report.new} new, {report.versions} new versions, {report.unchanged} unchanged, "
              f"{len(report.errors)} failed; {report.errors_recorded} error rows recorded, "
              f"{report.errors_known} already known{fused}; database {settings.db} holds {counts['articles']} "
              f"articles, {counts['entities']} entities, {counts['events']} events, {counts['measurements']} figures",
              highlight=False)
    sys.exit(0 if report.ok else 1)


def register(main: click.Group) -> None:
    """Add `batch` and `load` to the `veille` command group."""
    main.add_command(batch)
    main.add_command(load)

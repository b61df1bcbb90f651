"""`veille serve` (the API and dashboard) and `veille export` (files for notebooks and spreadsheets).
Each parses its options and calls one library function; `register(main)` adds them to `veille`."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from veille.cli.common import _settings, config_option, db_option, err
from veille.export import FORMATS, WHATS


def _existing_db(db: Path | None, config: Path | None) -> Path:
    settings = _settings(config, db=db)
    if not Path(settings.db).is_file():
        err.print(f"error: no database at {settings.db}: run `veille ingest` or `veille demo` first", highlight=False)
        sys.exit(2)
    return Path(settings.db)


def run_server(db: Path, host: str, port: int, token: str | None, fallback_port: bool = False, config=None,
               allow_hosts: tuple[str, ...] = (), workers: int | None = None, watch: tuple[str, ...] | None = None,
               watch_every: float | None = None) -> None:
    """Serve `db` until Ctrl-C, printing where; exit 2 when the port or database cannot be had."""
    from veille.api import serve as serve_app

    def ready(url: str, processes: int) -> None:
        click.echo(f"veille dashboard: {url}  (API {url}api/, description {url}openapi.json;"
                   f" database {db}; {processes} worker process{'es' if processes > 1 else ''}; Ctrl-C to stop)")
        if token is None:
            click.echo("writing through the API is off (start with --token to allow ingesting)")
        if watch is not None:
            click.echo("watching the sources of the database" + (f" and {len(watch)} named here" if watch else "")
                       + " in this process (GET /api/sources shows their health)")
        sys.stdout.flush()

    try:
        serve_app(db, host=host, port=port, token=token, ready=ready, fallback_port=fallback_port,
                  settings=_settings(config, db=db), allow_hosts=allow_hosts, workers=workers, watch=watch,
                  watch_every=watch_every)
    except KeyboardInterrupt:
        pass
    except (OSError, ValueError) as exc:
        err.print(f"error: cannot serve {db} on {host}:{port}: {exc}", highlight=False)
        sys.exit(2)


@click.command()
@db_option
@config_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--token", default=None, metavar="TOKEN", envvar="VEILLE_TOKEN", show_envvar=True,
              help="Allow ingesting through the API (POST /api/articles) with `Authorization: Bearer TOKEN`; "
                   "without it the database is opened read-only. Prefer $VEILLE_TOKEN or --token-file: "
                   "other users of the machine can read a command line.")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the token from this file (its first line).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (a domain name of this server; '*' for any). "
                   "By default only the loopback names and the address listened on are answered.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes answering requests when read-only (default: one per core, up to 4); "
                   "with --token, always one.")
@click.option("--watch", "watch", multiple=True, metavar="SOURCE",
              help="Also watch this feed, page or folder in the server process (repeatable), with the sources "
                   "the database already watches; the dashboard shows what comes in without a restart.")
@click.option("--watching", is_flag=True, help="Watch the sources the database (and settings) already list.")
@click.option("--every", default=None, metavar="PERIOD", help="How often watched sources are polled (15m, 1h...).")
def serve(db: Path | None, config: Path | None, host: str, port: int, token: str | None, token_file: Path | None,
          allow_hosts: tuple[str, ...], workers: int | None, watch: tuple[str, ...], watching: bool,
          every: str | None) -> None:
    """Serve the HTTP API (/api/, described at /openapi.json) and the dashboard (/) until Ctrl-C."""
    if token_file is not None:
        lines = token_file.read_text(encoding="utf-8").splitlines()
        token = lines[0].strip() if lines else ""
        if not token:
            err.print(f"error: the token file {token_file} is empty", highlight=False)
            sys.exit(2)
    from veille.watch import parse_every, source_name

    try:
        period = parse_every(every) if every else None
        for source in watch:
            source_name(source)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    run_server(_existing_db(db, config), host, port, token, config=config, allow_hosts=allow_hosts, workers=workers,
               watch=watch if watch or watching else None, watch_every=period)


@click.command()
@db_option
@config_option
@click.option("--what", type=click.Choice(WHATS), required=True,
              help="events, figures, conflicts, series, entities: the rows of the matching listing (the same items "
                   "as `veille figures --format json` and /api/figures); event-sources: one row per event and "
                   "article that reports it (/api/event-sources); statements: one row per sentence that states a "
                   "figure, with its group; articles: text and metadata.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output; Parquet needs a file).")
def export(db: Path | None, config: Path | None, what: str, fmt: str, out: Path | None) -> None:
    """Export a listing, the figure statements or the articles as JSON Lines, CSV or Parquet."""
    import duckdb

    from veille.export import export as run_export

    path = _existing_db(db, config)
    if out is None and fmt == "parquet":
        err.print("error: --format parquet needs --out FILE", highlight=False)
        sys.exit(2)
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        err.print(f"error: cannot open database {path}: {exc}", highlight=False)
        sys.exit(2)
    try:
        if out is not None:
            rows = run_export(con, what, fmt, out)
            err.print(f"{rows} {what} written to {out}", highlight=False)
            return
        with tempfile.TemporaryDirectory(prefix="veille-export-") as tmp:
            target = Path(tmp) / f"export.{fmt}"
            run_export(con, what, fmt, target)
            with target.open("rb") as fh:
                shutil.copyfileobj(fh, sys.stdout.buffer)
            sys.stdout.flush()
    finally:
        con.close()


def register(main: click.Group) -> None:
    """Add `serve` and `export` to the `veille` command group."""
    main.add_command(serve)
    main.add_command(export)

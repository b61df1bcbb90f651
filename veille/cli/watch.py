"""`veille watch` (follow feeds, pages and folders), `veille alert add|list|remove` (saved
searches) and `veille alerts` (what is new in them). Each parses its options and calls
`veille.watch`; `register(main)` adds them to `veille`."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click
from rich.table import Table

from veille.cli.common import _settings, config_option, db_option, err, out


def _every(value: str | None) -> float | None:
    from veille.watch import parse_every

    if value is None:
        return None
    try:
        return parse_every(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _round_line(report) -> str:
    counts = {}
    for s in report.sources:
        counts[s.outcome] = counts.get(s.outcome, 0) + 1
    parts = [f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items())]
    ingest = report.ingest
    stored = f"; {ingest.new} new articles, {ingest.versions} new versions stored" if ingest else ""
    alerts = "".join(f"; alert {name}: {n} new or updated" for name, n in report.alerts.items() if n)
    return (f"{report.at.isoformat(timespec='seconds')} round of {len(report.sources)} sources"
            f" ({', '.join(parts) or 'none'}){stored}{alerts} in {report.seconds:.1f} s")


@click.command()
@click.argument("sources", nargs=-1)
@db_option
@config_option
@click.option("--every", default=None, metavar="PERIOD",
              help="How often each source is polled: 30s, 15m, 1h, 1d (default: the settings' watch_every, 15m).")
@click.option("--once", is_flag=True, help="One round of the sources that are due, then exit (for cron).")
@click.option("--all", "force", is_flag=True, help="Poll every source now, even those not due or backed off.")
@click.option("--rounds", type=click.IntRange(1), default=None, help="Stop after this many rounds.")
@click.option("--list", "show", is_flag=True, help="List the watched sources with their health, and exit.")
@click.option("--remove", "remove", multiple=True, metavar="SOURCE", help="Stop watching SOURCE, and exit.")
@click.option("--skip-backlog", is_flag=True,
              help="On a source's first round, take what it holds as seen: only what comes after is ingested.")
@click.option("--json", "as_json", is_flag=True, help="Each round's report (or the list) as JSON.")
def watch(sources: tuple[str, ...], db: Path | None, config: Path | None, every: str | None, once: bool, force: bool,
          rounds: int | None, show: bool, remove: tuple[str, ...], skip_backlog: bool, as_json: bool) -> None:
    """Follow RSS/Atom feeds, web pages and folders, ingesting what is new round after round until
    Ctrl-C. Sources named here are added to those the database already watches (and the settings'
    watch_sources); each keeps its state there (conditional requests, what it gave, its errors)."""
    from veille.errors import DatabaseUnavailable
    from veille.store import Store
    from veille.watch import add_sources, list_sources, next_due_in, remove_source, watch_round

    settings = _settings(config, db=db)
    period = _every(every) or settings.watch_every
    with Store(settings.db) as store:
        if remove:
            for source in remove:
                found = remove_source(store, source)
                err.print(f"{source}: {'no longer watched' if found else 'was not watched'}", highlight=False)
            return
        if show:
            rows = list_sources(store.con)
            if as_json:
                sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            else:
                _show_sources(rows)
            return
        try:
            add_sources(store, [*settings.watch_sources, *sources], period)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="SOURCES") from None
        if not store.con.execute("SELECT count(*) FROM watch_sources").fetchone()[0]:
            raise click.UsageError("nothing to watch: name feeds, pages or folders (or set watch_sources)")
    done = 0
    try:
        while True:
            # the database is open during a round only: between rounds the other commands can use it
            try:
                with Store(settings.db) as store:
                    report = watch_round(store, settings=settings, force=force and done == 0,
                                         backlog=not skip_backlog)
                    wait = next_due_in(store, period)
            except DatabaseUnavailable as exc:
                if once:
                    raise
                err.print(f"round skipped: {exc}; next try in {period:g} s", highlight=False)
                time.sleep(period)
                continue
            done += 1
            if as_json:
                sys.stdout.write(json.dumps(_report_dict(report), ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                err.print(_round_line(report), highlight=False)
                for s in report.failed:
                    err.print(f"[red]failed[/red] {s.source}: {s.error} (next try {s.next_due:%Y-%m-%d %H:%M})",
                              markup=True, highlight=False)
            if once or rounds is not None and done >= rounds:
                break
            time.sleep(wait)
    except KeyboardInterrupt:
        pass


def _report_dict(report) -> dict:
    ingest = report.ingest
    return {"at": report.at.isoformat(timespec="seconds"), "seconds": round(report.seconds, 3),
            "sources": [{"source": s.source, "outcome": s.outcome, "entries": s.entries, "new": s.new, "left": s.left,
                         "error": s.error, "next_due": s.next_due.isoformat(timespec="seconds") if s.next_due else None}
                        for s in report.sources],
            "stored": {"new": ingest.new, "versions": ingest.versions, "unchanged": ingest.unchanged,
                       "failed": [{"source": e.source, "reason": e.reason} for e in ingest.errors]} if ingest else None,
            "alerts": report.alerts}


def _show_sources(rows: list[dict]) -> None:
    if not rows:
        out.print("no source is watched: veille watch FEED_URL|PAGE_URL|FOLDER")
        return
    table = Table("source", "last success", "failures", "last error", "next due", "articles", "per day")
    for r in rows:
        error = f"{r['last_error']} ({r['last_error_at']})" if r["last_error"] else ""
        table.add_row(r["source"], r["last_success"] or "never", str(r["failures"]), error, r["next_due"] or "now",
                      str(r["articles"]), f"{r['articles_per_day']:g}")
    out.print(table)


@click.group()
def alert() -> None:
    """Saved searches: what newly matches them is recorded after each watch round."""


_STATUSES = ["occurred", "future", "historical", "hypothetical", "negated", "actual", "target", "forecast"]


@alert.command(name="add")
@click.argument("name")
@db_option
@config_option
@click.option("--what", type=click.Choice(["events", "figures", "conflicts"]), default="events", show_default=True,
              help="Fused events, figure groups, or figure groups whose sources disagree (a new conflict).")
@click.option("--parties", "-p", multiple=True, help="States or bodies that must all take part: -p IND,JPN.")
@click.option("--type", "type_", help="PLOVER type, e.g. SANCTION (events).")
@click.option("--sector", help="Sector, e.g. energy (events).")
@click.option("--metric", "-m", help="Metric, e.g. trade_volume (figures, conflicts).")
@click.option("--status", type=click.Choice(_STATUSES), help="Event or figure status.")
@click.option("--relation", type=click.Choice(["level", "change", "share"]), help="Figure relation.")
@click.option("--entity", help="An entity id: a country code, or a person's or body's id.")
@click.option("--outlet", "source", help="Only what this outlet (or source, or URL) reports.")
@click.option("--since", help="Only items whose dates reach this day, month or year or later.")
@click.option("--until", help="Only items whose dates start on this day, month or year or earlier.")
@click.option("--min-sources", default=1, show_default=True, help="Only items reported by this many articles.")
@click.option("--above", type=float, default=None, help="Figures: only groups whose value is at least this.")
@click.option("--webhook", default=None, metavar="URL", help="Also POST new matches as JSON to this URL.")
def alert_add(name: str, db: Path | None, config: Path | None, what: str, parties, type_, sector, metric, status,
              relation, entity, source, since, until, min_sources, above, webhook) -> None:
    """Save an alert NAME over events, figures or conflicts, with the filters of those listings.
    What it matches today is its baseline: only what comes after is announced."""
    from veille.read import Filters
    from veille.read.checks import checked
    from veille.store import Store
    from veille.watch.alerts import add_alert

    codes = tuple(p.strip() for chunk in parties for p in chunk.split(",") if p.strip())
    filters = Filters(parties=codes, type=type_, sector=sector, metric=metric, status=status, relation=relation,
                      entity=entity, source=source, since=since, until=until, min_sources=min_sources)
    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        try:
            filters = checked(store.con, filters, existing=False)     # what is not there yet may come
            baseline = add_alert(store.con, name, what, filters, above=above, webhook=webhook)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    err.print(f"alert {name} saved: it matches {baseline} {what} today (its baseline); what comes next is shown by "
              f"`veille alerts {name}` and served at /alerts/{name}.atom", highlight=False)


@alert.command(name="list")
@db_option
@config_option
@click.option("--json", "as_json", is_flag=True)
def alert_list(db: Path | None, config: Path | None, as_json: bool) -> None:
    """The saved alerts, with how many items each matches and how many are unread."""
    from veille.store import Store
    from veille.watch.alerts import list_alerts

    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        rows = list_alerts(store.con)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        out.print("no alert: veille alert add NAME [filters]")
        return
    table = Table("name", "what", "filters", "matches", "unread", "latest", "webhook")
    for r in rows:
        shown = r["filters"] + (f" above={r['above']:g}" if r["above"] is not None else "")
        hook = (r["webhook"] or "") + (f" ({r['last_error']})" if r["last_error"] else "")
        table.add_row(r["name"], r["what"], shown, str(r["matches"]), str(r["unread"]), r["latest_title"] or "", hook)
    out.print(table)


@alert.command(name="remove")
@click.argument("name")
@db_option
@config_option
def alert_remove(name: str, db: Path | None, config: Path | None) -> None:
    """Remove the alert NAME and what it matched (the record itself is untouched)."""
    from veille.store import Store
    from veille.watch.alerts import remove_alert

    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        if not remove_alert(store.con, name):
            raise click.UsageError(f"no alert named {name!r} (veille alert list shows them)")
    err.print(f"alert {name} removed", highlight=False)


@click.command()
@click.argument("name", required=False)
@db_option
@config_option
@click.option("--keep-unread", is_flag=True, help="Show without marking as read.")
@click.option("--json", "as_json", is_flag=True)
def alerts(name: str | None, db: Path | None, config: Path | None, keep_unread: bool, as_json: bool) -> None:
    """What is new in the alerts (or in alert NAME) since they were last read: the record is
    matched again first, so articles ingested by any means count."""
    from veille.store import Store
    from veille.watch.alerts import read_alerts, update_alerts

    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        update_alerts(store, settings=settings)
        try:
            rows = read_alerts(store.con, name, mark=not keep_unread)
        except KeyError as exc:
            raise click.UsageError(exc.args[0]) from None
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if not rows:
        out.print("nothing new" + (f" in {name}" if name else ""))
        return
    for r in rows:
        out.print(f"[bold]{r['alert']}[/bold] {r['change']:7} {r['matched']}  {r['title']}", highlight=False)


def register(main: click.Group) -> None:
    for command in (watch, alert, alerts):
        main.add_command(command)

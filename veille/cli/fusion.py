"""The fusion's commands: `veille events`, `veille figures`, `veille conflicts`, `veille series`,
`veille copies`, `veille fuse`, `veille eval-fusion`. Each listing parses its options and calls one
list of `veille.read`, the read layer the API and the exports use too; `register(main)` adds them
to the command group of veille.cli."""
from __future__ import annotations

import inspect
import json
import math
import sys
from pathlib import Path
from typing import Callable

import click
from rich.markup import escape
from rich.table import Table

from veille.cli.common import _settings, config_option, db_option, out


ALL = 1_000_000_000        # "--limit 0": every matching item


def _filters(parties, type_=None, sector=None, since=None, until=None, metric=None, status=None, relation=None,
             min_sources=1, order="date_desc"):
    from veille.read import Filters

    codes = tuple(p.strip() for chunk in parties for p in chunk.split(",") if p.strip())
    return Filters(parties=codes, type=type_, sector=sector, since=since, until=until, metric=metric,
                   status=status, relation=relation, min_sources=min_sources, order=order)


# the options of every listing, before its own
_LISTING_OPTIONS = [
    db_option, config_option,
    click.option("--parties", "-p", multiple=True, help="States or bodies that must all take part "
                 "(ISO alpha-3, comma-separated or repeated): -p CHN,RUS."),
    click.option("--since", help="Only items whose dates reach this day, month or year or later (YYYY-MM-DD)."),
    click.option("--until", help="Only items whose dates start on this day, month or year or earlier."),
    click.option("--min-sources", default=1, show_default=True, help="Only items reported by this many articles."),
    click.option("--order", type=click.Choice(["date_desc", "date_asc", "sources", "confidence"]),
                 default="date_desc", show_default=True, help="The API's orders: newest first, oldest "
                 "first, most reported first, best supported first."),
    click.option("--limit", default=100, show_default=True, help="At most this many (0: all)."),
    click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                 help="json: the same items as the API's list (`veille.read`)."),
]

_FIGURE_OPTIONS = [
    click.option("--metric", "-m", help="Metric, e.g. trade_volume."),
    click.option("--status", type=click.Choice(["actual", "target", "forecast"]), help="Figure status."),
    click.option("--relation", type=click.Choice(["level", "change", "share"]), help="Figure relation."),
]


def _listing(query: str, *options):
    """Make the decorated function, which shows a list of rows, the command of the list `query` of
    `veille.read`: it takes the options of every listing, then `options`, and prints the rows as
    JSON with --format json."""

    def decorate(show: Callable[[list[dict]], None]) -> click.Command:
        def command(db: Path | None, config: Path | None, limit: int, fmt: str, **filters) -> None:
            from veille import read

            rows = _list(db, config, getattr(read, query), _filters(**filters), limit=limit)
            if fmt == "json":
                return _json(rows)
            show(rows)

        for option in reversed([*_LISTING_OPTIONS, *options]):
            command = option(command)
        return click.command(name=show.__name__, help=inspect.getdoc(show))(command)

    return decorate


def _list(db: Path | None, config: Path | None, query, *args, limit: int = 0) -> list[dict]:
    """The items of one list of the read layer, over the database opened read-only; filters
    that can match nothing are a usage error that says why (`veille.read.checks`)."""
    from veille.read import Filters, Page
    from veille.read.checks import checked
    from veille.store import Store

    settings = _settings(config, db=db)
    with Store(settings.db, read_only=True) as store:
        try:
            args = tuple(checked(store.con, a) if isinstance(a, Filters) else a for a in args)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return query(store.con, *args, page=Page(limit=limit or ALL, offset=0))["items"]


def _json(rows) -> None:
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")


def amount(value: float | None, unit: str | None) -> str:
    """A value for a reader: 240100000000 USD -> "240.1 bn USD", 26.3 % -> "26.3 %"."""
    if value is None:
        return "?"
    if not math.isfinite(value):
        return f"{value} {unit or ''}".strip()
    for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= size and unit not in ("%", "x"):
            return f"{value / size:.4g} {word} {unit or ''}".strip()
    return f"{value:.4g} {unit or ''}".strip()


def _period(p) -> str:
    if not p:
        return "undated"
    return p["begin"] if p["begin"] == p["end"] else f"{p['begin']}..{p['end']}"


@_listing("list_events",
          click.option("--type", "type_", help="PLOVER type, e.g. CONSULT."),
          click.option("--sector", help="Sector, e.g. energy."),
          click.option("--status", type=click.Choice(["occurred", "future", "historical", "hypothetical", "negated"])))
def events(rows: list[dict]) -> None:
    """Fused events: one real-world event per row, with the articles that report it; under its
    parties, the people and bodies its sentences name for them (actors > recipients)."""
    table = Table("event", "type", "status", "parties", "date", "place", "sources", "conf.", "outlets",
                  title=f"{len(rows)} fused events")
    for r in rows:
        parties_ = "+".join(r["actor"]) + (" > " + "+".join(r["recipient"]) if r["recipient"] else "")
        who = _who(r["named_parties"])
        parties_ += f"\n[dim]{escape(who)}[/dim]" if who else ""
        outlets = sorted({s["outlet"] for s in r["sources"] if s["outlet"]})
        table.add_row(r["event_id"][:9], r["type"] + (f" ({r['mode']})" if r["mode"] else ""), r["status"],
                      parties_, _period(r["date"]), r["location"] or "",
                      f"{r['source_count']} ({r['independent_sources']} indep.)", f"{r['confidence']:.2f}",
                      ", ".join(outlets))
    out.print(table)


def _who(named: list[dict], most: int = 3) -> str:
    """Named parties in a few words: "Narendra Modi > Fumio Kishida"; those named without a
    side in brackets; past `most` on a side, how many more."""
    def names(side: str) -> str:
        found = [p["name"] or p["id"] for p in named if p["side"] == side]
        return ", ".join(found[:most]) + (f" +{len(found) - most}" if len(found) > most else "")

    actors, recipients, unsided = names("actor"), names("recipient"), names("named")
    who = actors + (f" > {recipients}" if recipients else "")
    return (f"{who} ({unsided})" if who else f"({unsided})") if unsided else who


def _places(r: dict) -> str:
    """A figure's places: "CHN>RUS" when it goes from one to the other, else "CHN+RUS"."""
    return (">" if r["directed"] else "+").join(p for p in r["places"] if p)


def _figure_heading(r: dict) -> str:
    """The line that names a figure group or a series: metric, relation, status and places."""
    return f"\n[bold]{r['metric']}[/bold] ({r['relation']}, {r['status']}) {_places(r)}"


@_listing("list_figures", *_FIGURE_OPTIONS)
def figures(rows: list[dict]) -> None:
    """Figure groups: one series point per row (metric, places, period), with who says what."""
    table = Table("group", "metric", "places", "period", "value", "members", "sources", "conflict",
                  title=f"{len(rows)} figure groups")
    for r in rows:
        table.add_row(r["group_id"][:9], f"{r['metric']} ({r['relation']}, {r['status']})",
                      _places(r), _period(r["period"]), amount(r["value"], r["unit"]),
                      str(r["member_count"]), f"{r['sources']} ({r['independent_sources']} indep.)",
                      "CONFLICT" if r["conflict"] else "")
    out.print(table)


@_listing("list_conflicts", *_FIGURE_OPTIONS)
def conflicts(rows: list[dict]) -> None:
    """Figures whose sources disagree beyond rounding: each position and who holds it."""
    out.print(f"{len(rows)} conflicts")
    for r in rows:
        out.print(f"{_figure_heading(r)}, {_period(r['period'])}")
        for p in r["positions"]:
            who = sorted({f"{c['claim_source']}" + (f" ({c['outlet']})" if c["claim_source"] != c["outlet"] else "")
                          for c in p["claims"]})
            out.print(f"  {'*' if p['position'] == 0 else ' '} {amount(p['value'], r['unit'])}: "
                      f"{p['sources']} article(s), {p['independent_sources']} independent; says: {'; '.join(who)}")


@_listing("list_series", *_FIGURE_OPTIONS)
def series(rows: list[dict]) -> None:
    """Series over time assembled from the figure groups (one point per period), longest first."""
    for s in rows:
        out.print(f"{_figure_heading(s)}, by {s['granularity']}")
        for p in s["points"]:
            out.print(f"  {_period(p['period'])}: {amount(p['value'], s['unit'])}"
                      f" ({p['sources']} article(s)){'  CONFLICT' if p['conflict'] else ''}")


@click.command()
@db_option
@config_option
@click.option("--min-articles", default=2, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def copies(db, config, min_articles, fmt) -> None:
    """Near-copies: stories run by several outlets (syndicated or lightly rewritten)."""
    from veille.read import list_copies

    rows = _list(db, config, list_copies, min_articles)
    if fmt == "json":
        return _json(rows)
    table = Table("group", "articles", "outlets", "first published", "title", title=f"{len(rows)} copy groups")
    for r in rows:
        founder = next((m for m in r["members"] if m["founder"]), r["members"][0])
        table.add_row(r["group_id"][:9], str(r["articles"]), ", ".join(r["outlet_names"]),
                      str(r["first_published"] or "?"), founder["title"] or founder["article_id"][:12])
    out.print(table)


@click.command(name="fuse")
@db_option
@config_option
@click.option("--rebuild", is_flag=True, help="Drop every fusion row and fuse all stored articles again "
              "(after a change of thresholds in resources/fusion.yaml).")
@click.option("--json", "as_json", is_flag=True)
def fuse_command(db: Path | None, config: Path | None, rebuild: bool, as_json: bool) -> None:
    """Fuse the stored articles not fused yet (an ingest does it too), or all of them again."""
    from veille.fusion import fuse, rebuild as rebuild_all
    from veille.store import Store

    settings = _settings(config, db=db)
    with Store(settings.db) as store:
        report = (rebuild_all if rebuild else fuse)(store)
    if as_json:
        return _json(report.to_dict())
    out.print(f"{report.articles} articles fused, {report.removed} superseded versions taken out; "
              f"{report.events} fused events and {report.figure_groups} figure groups written "
              f"({report.conflicts} in conflict)")


@click.command(name="eval-fusion")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, path_type=Path), default=None,
              help="Articles of the gold (file or folder); default: the files the gold's doc.source names.")
@click.option("--source", type=click.Choice(["pipeline", "gold"]), default="pipeline", show_default=True,
              help="Fuse what the pipeline extracts, or the gold's own items (the fusion logic alone).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every wrong or missing pair.")
@config_option
def eval_fusion(gold_dir: Path, corpus: Path | None, source: str, as_json: bool, show_errors: bool,
                config: Path | None) -> None:
    """Score the fusion (pairwise precision and recall of clusters) against GOLD_DIR/fusion-*.yaml."""
    from veille.fusion.evaluate import describe, evaluate_fusion

    scores = evaluate_fusion(gold_dir, _settings(config), corpus, source)
    result = describe(scores) if show_errors else scores.to_dict()
    if as_json:
        return _json(result)
    table = Table("clusters", "P", "R", "R (extracted)", "tp", "fp", "fn",
                  title=f"fusion of {source} records over {scores.articles} articles")
    for name, s in scores.to_dict().items():
        if isinstance(s, dict) and "precision" in s:
            table.add_row(name, f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                          f"{s['recall_given_extraction']:.3f}" if "recall_given_extraction" in s else "",
                          str(s["tp"]), str(s["fp"]), str(s["fn"]))
    out.print(table)
    if scores.timeline is not None:
        t = scores.timeline
        out.print(f"timeline: {t.real_events} real events reported twice or more; each becomes "
                  f"{t.fragments:.2f} fused events; the best carries {t.coverage:.0%} of its articles "
                  f"({t.coverage_extracted:.0%} of those whose report was extracted); "
                  f"{t.matched:.0%} of {t.fused_events} fused events report a real event")
    if show_errors:
        for layer, errors in result["errors"].items():
            for e in errors:
                out.print(f"{layer}: {json.dumps(e, ensure_ascii=False, default=str)}", markup=False)


def register(main: click.Group) -> None:
    """Add the fusion's commands to the `veille` command group."""
    for command in (events, figures, conflicts, series, copies, fuse_command, eval_fusion):
        main.add_command(command)

"""Watching: follow feeds, pages and folders round after round, ingest what is new, and
record what newly matches the saved searches (`veille.watch.alerts`).

`watch_round(store, sources, settings)` polls every source that is due, once:

- a URL is fetched with a conditional request (the ETag and Last-Modified it answered last
  time): a 304 costs nothing more, nor do the same bytes as last time from a server that
  ignores validators. A feed's entries, a page, or the articles of any input
  veille reads (JSON Lines, WARC) are then read as `veille ingest` reads them;
- a folder is scanned for files that are new or changed since the last round (by size and
  modification time), files still being written (changed in the last `SETTLE` seconds)
  waiting for the next round: a crawler may drop WARC files there;
- what a source has already given is kept in `watch_seen`: a feed entry by its link (else its
  id), a file by its path, each with a digest of its content. An entry seen with the same
  content is not read again, nor is one whose content the source already gave under another
  key (a feed that changes its ids every time); a changed one comes again, as a new version;
- at most `watch_max_entries` new entries of a source are taken in a round, in its order
  (newest first in most feeds): a feed of 10,000 entries is read over several rounds;
- a source that fails (timeout, HTTP error, unreadable feed, redirect loop, a page past the
  size or time limits) is reported with its error and backed off: it is due again after its
  period times 2 per failure in a row, at most a day; it never stops the others.

Every new article of the round is stored and fused in one `ingest_articles` call (one
fusion), then the alerts are brought up to date. Fetches run on `watch_workers` threads;
everything that writes runs on the caller's thread, so the caller can hold the database's
write lock around a round (`veille serve --watch` does, between API requests).
"""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from veille.errors import IngestError
from veille.ingest import prepared
from veille.ingest.sources import Fetched, RawArticle, fetch_url, folder_files, read_fetched, read_inputs
from veille.settings import Settings
from veille.store import Store

# a file changed more recently than this (seconds) may still be being written: next round
SETTLE = 2.0
MAX_BACKOFF = timedelta(days=1)


@dataclass
class SourceResult:
    """What one source gave in one round."""

    source: str
    outcome: str                      # new | unchanged | not_modified | failed | waiting
    entries: int = 0                  # entries or files it held
    new: int = 0                      # of which new or changed, taken in this round
    left: int = 0                     # new ones left for the next round (past watch_max_entries)
    error: str | None = None
    next_due: datetime | None = None


@dataclass
class RoundReport:
    """What one round did: per source, the ingest of what was new, and the alerts' new matches."""

    at: datetime
    sources: list[SourceResult] = field(default_factory=list)
    ingest: object | None = None      # a workflow.IngestReport, when anything was new
    alerts: dict[str, int] = field(default_factory=dict)     # alert -> matches new or updated
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.outcome == "failed"]


def parse_every(text: str | float | int) -> float:
    """A period as seconds: "15m", "1h", "30s", "2d", or a number of seconds.

    >>> parse_every("15m"), parse_every("1h"), parse_every(90)
    (900.0, 3600.0, 90.0)
    """
    if isinstance(text, (int, float)):
        seconds = float(text)
    else:
        raw = str(text).strip().lower()
        units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        try:
            seconds = float(raw[:-1]) * units[raw[-1]] if raw and raw[-1] in units else float(raw)
        except ValueError:
            raise ValueError(f"not a period: {text!r} (write 30s, 15m, 1h or 1d)") from None
    if not seconds > 0:
        raise ValueError(f"not a period: {text!r} (it must be more than 0)")
    return seconds


def source_name(source: str) -> tuple[str, str]:
    """(name kept in the database, kind): a URL as given, a folder as its absolute path.
    Raises ValueError for anything else."""
    if source.startswith(("http://", "https://")):
        return source, "url"
    path = Path(source).expanduser()
    if path.is_dir():
        return str(path.resolve()), "folder"
    raise ValueError(f"{source}: not a URL (http:// or https://) nor an existing folder")


def add_sources(store: Store, sources: Iterable[str], every: float, now: datetime | None = None) -> list[str]:
    """Register sources (a source already there takes the new period); returns their names."""
    now = now or now_utc()
    names = []
    for source in sources:
        name, kind = source_name(source)
        store.con.execute(
            "INSERT INTO watch_sources (source, kind, every_seconds, added) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (source) DO UPDATE SET every_seconds = excluded.every_seconds", [name, kind, every, now])
        names.append(name)
    return names


def remove_source(store: Store, source: str) -> bool:
    """Stop watching a source (what it gave stays stored); False when it was not watched."""
    name = source if source.startswith(("http://", "https://")) else str(Path(source).expanduser().resolve())
    found = store.con.execute("SELECT count(*) FROM watch_sources WHERE source = ?", [name]).fetchone()[0]
    for table in ("watch_sources", "watch_seen"):
        store.con.execute(f"DELETE FROM {table} WHERE source = ?", [name])
    return bool(found)


def list_sources(con) -> list[dict]:
    """Every watched source with its health: last success, last error, failures in a row, when it
    is due, articles stored from it in all and over the last 7 days (per day)."""
    rows = con.execute(
        "SELECT s.*, (SELECT coalesce(sum(r.new), 0) FROM watch_rounds r WHERE r.source = s.source"
        " AND r.polled >= s.now_ - INTERVAL 7 DAY) AS week"
        " FROM (SELECT *, current_timestamp::TIMESTAMP AS now_ FROM watch_sources) s ORDER BY s.source").fetchall()
    names = [d[0] for d in con.description]
    out = []
    for row in rows:
        r = dict(zip(names, row))
        r.pop("now_", None)
        r["articles_per_day"] = round(r.pop("week") / 7, 2)
        r.pop("round_started", None)
        for k, v in r.items():
            if isinstance(v, datetime):
                r[k] = v.isoformat(timespec="seconds")
        out.append(r)
    return out


def watch_round(store: Store, sources: Iterable[str] = (), settings: Settings | None = None, every: float | None = None,
                now: datetime | None = None, force: bool = False, alerts: bool = True,
                backlog: bool = True) -> RoundReport:
    """Poll the due sources once (`force`: all of them), ingest what is new, update the alerts.
    `sources` are registered first (with `every`, default settings.watch_every). Without
    `backlog`, what a source holds on its first successful round is taken as seen, not
    ingested: only what comes after is (a feed followed from today)."""
    from veille.workflow import ingest_articles

    settings = settings or Settings()
    now = now or now_utc()
    started = time.perf_counter()
    every = every or settings.watch_every
    if sources:
        add_sources(store, sources, every, now)
    report = RoundReport(at=now)
    # when the last round started, by the clock that stamps ingests (the database's)
    previous = store.con.execute("SELECT max(round_started) FROM watch_sources").fetchone()[0]
    store.con.execute("UPDATE watch_sources SET round_started = current_timestamp::TIMESTAMP")
    cols = ["source", "kind", "every_seconds", "etag", "last_modified", "failures", "next_due", "last_success",
            "body_digest"]
    due = [dict(zip(cols, r)) for r in store.con.execute(
        f"SELECT {', '.join(cols)} FROM watch_sources ORDER BY source").fetchall()]
    waiting = [s for s in due if not force and s["next_due"] is not None and s["next_due"] > now]
    due = [s for s in due if s not in waiting]
    for s in waiting:
        report.sources.append(SourceResult(s["source"], "waiting", next_due=s["next_due"]))
    urls = [s for s in due if s["kind"] == "url"]
    fetched: dict[str, Fetched | IngestError] = {}
    if urls:
        import httpx

        with httpx.Client(timeout=httpx.Timeout(settings.http_timeout), follow_redirects=True,
                          max_redirects=10) as client, \
                ThreadPoolExecutor(max_workers=max(1, settings.watch_workers)) as pool:
            def get(s: dict) -> Fetched | IngestError:
                try:
                    return fetch_url(s["source"], settings, s["etag"], s["last_modified"], client=client)
                except IngestError as exc:
                    return exc
                except Exception as exc:  # a bug or a library failure: this source only
                    return IngestError(s["source"], f"fetch failed: {type(exc).__name__}: {exc}")

            for s, answer in zip(urls, pool.map(get, urls)):
                fetched[s["source"]] = answer
    taken: list[tuple[str, str, str, RawArticle]] = []       # (source, key, digest, raw)
    results: dict[str, SourceResult] = {}
    validators: dict[str, tuple[str | None, str | None]] = {}
    for s in due:
        name = s["source"]
        try:
            if s["kind"] == "url":
                answer = fetched[name]
                if isinstance(answer, IngestError):
                    raise answer
                if answer.status == 304:
                    validators[name] = (answer.etag, answer.last_modified, s["body_digest"])
                    results[name] = SourceResult(name, "not_modified")
                    continue
                if not answer.data:
                    raise IngestError(name, "empty answer")
                body = hashlib.sha1(answer.data).hexdigest()
                validators[name] = (answer.etag, answer.last_modified, body)
                if body == s["body_digest"]:
                    results[name] = SourceResult(name, "unchanged")      # validators ignored, same bytes
                    continue
                raws = list(read_fetched(answer, settings))
            else:
                raws = _folder_entries(store, name, settings)
            if not backlog and s["last_success"] is None:
                result, fresh = _new_entries(store, name, raws, replace(settings, watch_max_entries=10 ** 9))
                _mark_seen(store, name, fresh, now)
                results[name] = SourceResult(name, "unchanged", entries=result.entries)
                continue
            result, fresh = _new_entries(store, name, raws, settings)
            results[name] = result
            taken.extend((name, *x) for x in fresh)
        except IngestError as exc:
            results[name] = SourceResult(name, "failed", error=exc.reason)
    if taken:
        report.ingest = ingest_articles(prepared((raw for *_, raw in taken), settings), settings, store)
        failed = {e.source for e in report.ingest.errors}
        stored_from: dict[str, int] = {}
        for name, key, digest, raw in taken:
            if raw.source not in failed:
                stored_from[name] = stored_from.get(name, 0) + 1
        for name in {t[0] for t in taken}:       # a failed entry too: it is not read again unchanged
            _mark_seen(store, name, [t[1:] for t in taken if t[0] == name], now)
        for name, n in stored_from.items():
            store.con.execute("UPDATE watch_sources SET articles = articles + ? WHERE source = ?", [n, name])
    _record_round(store, due, results, validators, now)
    report.sources.extend(results[s["source"]] for s in due)
    report.sources.sort(key=lambda r: r.source)
    if alerts:
        from veille.watch.alerts import update_alerts

        # what came since the last round, by this round or by any other way (an ingest, the API)
        since = previous or datetime.min
        stored = [r[0] for r in store.con.execute("SELECT id FROM articles WHERE ingested_at >= ?", [since]).fetchall()]
        stored = sorted(set(stored) | set(report.ingest.stored_ids if report.ingest else ()))
        report.alerts = update_alerts(store, now, settings, articles=stored if previous else None)
    report.seconds = time.perf_counter() - started
    return report


def _record_round(store: Store, due: list[dict], results: dict[str, SourceResult], validators: dict,
                  now: datetime) -> None:
    """Each polled source's state after the round (in three statements, whatever their number):
    a failure backs it off (its period times 2 per failure in a row, at most a day), a success
    resets its failures and keeps the validators for the next conditional request."""
    ok, failed = [], []
    for s in due:
        name, r = s["source"], results[s["source"]]
        if r.outcome == "failed":
            failures = (s["failures"] or 0) + 1
            delay = min(timedelta(seconds=s["every_seconds"] * 2 ** min(failures, 16)), MAX_BACKOFF)
            r.next_due = now + max(delay, timedelta(seconds=s["every_seconds"]))
            failed.append((name, r.error, failures, r.next_due))
        else:
            r.next_due = now + timedelta(seconds=s["every_seconds"])
            etag, modified, body = validators.get(name, (s["etag"], s["last_modified"], s["body_digest"]))
            if r.left:
                etag = modified = body = None     # entries left for the next round: fetch and read it whole again
            ok.append((name, r.next_due, etag, modified, body))
    if ok:
        store.con.execute(
            "UPDATE watch_sources AS w SET last_attempt = ?, last_success = ?, failures = 0, next_due = u.next_due,"
            " etag = u.etag, last_modified = u.modified, body_digest = u.body FROM (SELECT unnest(?::VARCHAR[]) AS source,"
            " unnest(?::TIMESTAMP[]) AS next_due, unnest(?::VARCHAR[]) AS etag, unnest(?::VARCHAR[]) AS modified,"
            " unnest(?::VARCHAR[]) AS body) u WHERE w.source = u.source", [now, now, *map(list, zip(*ok))])
    if failed:
        store.con.execute(
            "UPDATE watch_sources AS w SET last_attempt = ?, last_error_at = ?, last_error = u.error,"
            " failures = u.failures, next_due = u.next_due FROM (SELECT unnest(?::VARCHAR[]) AS source,"
            " unnest(?::VARCHAR[]) AS error, unnest(?::INTEGER[]) AS failures, unnest(?::TIMESTAMP[]) AS next_due) u"
            " WHERE w.source = u.source", [now, now, *map(list, zip(*failed))])
    polled = [results[s["source"]] for s in due]
    if polled:
        store.con.execute(
            "INSERT INTO watch_rounds (source, polled, outcome, entries, new, error) SELECT unnest(?::VARCHAR[]), ?,"
            " unnest(?::VARCHAR[]), unnest(?::INTEGER[]), unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
            [[r.source for r in polled], now, [r.outcome for r in polled], [r.entries for r in polled],
             [r.new for r in polled], [r.error for r in polled]])


def _mark_seen(store: Store, source: str, entries: list, now: datetime) -> None:
    """Record `entries` [(key, digest, ...)] as given by `source`."""
    rows = {key: digest for key, digest, *_ in entries}
    if rows:
        store.con.execute("INSERT INTO watch_seen (source, key, digest, first_seen)"
                          " SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?"
                          " ON CONFLICT (source, key) DO UPDATE SET digest = excluded.digest",
                          [source, list(rows), list(rows.values()), now])


def next_due_in(store: Store, period: float, now: datetime | None = None) -> float:
    """Seconds until the next source is due: at least 1, at most `period`."""
    row = store.con.execute("SELECT min(next_due) FROM watch_sources").fetchone()
    if not row or row[0] is None:
        return period
    return max(1.0, min(period, (row[0] - (now or now_utc())).total_seconds()))


def now_utc() -> datetime:
    """The time a round or an alert is stamped with: UTC, naive (as the database keeps it)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _digest(raw: RawArticle) -> str:
    return hashlib.sha1(raw.body.encode("utf-8", "surrogatepass")).hexdigest()


def _folder_entries(store: Store, folder: str, settings: Settings) -> list:
    """(key, digest, path) of the files of `folder` that are new or changed, and settled (the
    folder walked as `veille ingest` walks one: links out of it reported, not read)."""
    root = Path(folder)
    if not root.is_dir():
        raise IngestError(folder, "the folder is gone")
    seen = dict(store.con.execute("SELECT key, digest FROM watch_seen WHERE source = ?", [folder]).fetchall())
    out: list = []
    for path in folder_files(root, settings):
        if isinstance(path, IngestError):
            out.append(path)
            continue
        st = path.stat()
        key = str(path.relative_to(root)) if root in path.parents else str(path)
        digest = f"file:{st.st_size}:{st.st_mtime_ns}"
        if seen.get(key) == digest or time.time() - st.st_mtime < SETTLE:
            continue
        out.append((key, digest, path))
    return out


def _new_entries(store: Store, source: str, items: list, settings: Settings) -> tuple[SourceResult, list]:
    """What of one source's entries was not seen yet, at most watch_max_entries of it:
    [(key, digest, raw article)]. `items` are a URL's articles (or their errors), or a folder's
    new files as (key, digest, path), every article of a file under the file's key."""
    limit = settings.watch_max_entries
    seen = dict(store.con.execute("SELECT key, digest FROM watch_seen WHERE source = ?", [source]).fetchall())
    digests = set(seen.values())
    fresh, errors, total, left = [], [], 0, 0
    keys: set[str] = set()                # taken this round
    met: set[str] = set()                 # met this round (an entry given twice: the first one)
    for item in items:
        if isinstance(item, IngestError):
            errors.append(item)
            continue
        total += 1
        if isinstance(item, tuple):
            key, digest, path = item
            if len(keys) >= limit:
                left += 1
                continue
            keys.add(key)
            for raw in read_inputs([str(path)], settings):
                if isinstance(raw, IngestError):
                    errors.append(raw)
                else:
                    fresh.append((key, digest, raw))
            continue
        digest = _digest(item)
        key = item.key or f"sha:{digest}"
        if key in met:
            continue                      # given twice in the feed: the first one
        met.add(key)
        if digest in digests or seen.get(key) == digest:
            continue                      # seen, or given before under another key
        if len(keys) >= limit:
            left += 1
            continue
        keys.add(key)
        digests.add(digest)
        fresh.append((key, digest, item))
    if not fresh and errors and not total:
        raise IngestError(source, errors[0].reason)
    note = f"{len(errors)} unreadable entries (first: {errors[0].source}: {errors[0].reason})" if errors else None
    return SourceResult(source, "new" if keys else "unchanged", entries=total, new=len(keys), left=left,
                        error=note), fresh

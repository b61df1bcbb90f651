"""The storage layer: it owns the DuckDB database.

Ordered migrations (store/migrations/NNN_name.sql) are applied once each and
recorded in `schema_migrations`. Every article is written with its whole record
in one transaction: readers never see half an article, and a failure rolls the
article back without touching what was stored before.
"""
from __future__ import annotations

import errno
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Iterator

import duckdb

from veille.errors import DatabaseUnavailable
from veille.records import Article, Record

_MIGRATION_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True)
class PutResult:
    """What storing one record did: "new", "unchanged", "version" (a corrected text) or "reprint"
    (the text of a stored article, published again elsewhere)."""

    article_id: str
    outcome: str
    version: int


def identity_of(doc: Article) -> str | None:
    """What makes a later text of this article a new version of it: the identity ingestion found
    (URL, input id, file path), else the URL of a record built elsewhere; None when nothing
    identifies it."""
    return doc.metadata.get("identity") or doc.metadata.get("url") or None


def why_unavailable(path: Path, exc: BaseException, read_only: bool) -> str:
    """One sentence on why the database at `path` could not be opened, and what to do."""
    text = str(exc)
    low = text.lower()
    if "lock" in low:
        holder = re.search(r"PID (\d+)", text)
        who = f" (process {holder.group(1)})" if holder else ""
        if read_only:
            return (f"the database {path} is being written by another process{who}: wait for it to finish, "
                    f"or serve it without --token so that readers can share it")
        return (f"the database {path} is in use by another process{who}, perhaps `veille serve`: stop it, "
                f"or ingest through the server (start it with --token and POST to /api/articles)")
    if "read-only file system" in low or isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return f"cannot write the database {path}: its file system is read-only (choose another --db)"
    if "permission denied" in low or isinstance(exc, PermissionError):
        return f"cannot open the database {path}: permission denied"
    if "no space left" in low or isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"cannot write the database {path}: the disk is full"
    return f"cannot open the database {path}: {text}"


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every packaged migration, in order."""
    found = []
    for entry in files("veille.store").joinpath("migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    """A veille database. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path, read_only: bool = False):
        """Open (or, unless `read_only`, create) the database at `path`.

        Raises DatabaseUnavailable, with what to do, when there is no database to read, when
        another process holds it (DuckDB allows one writer, or many readers), or when its
        folder cannot be written.
        """
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.is_file():
            raise DatabaseUnavailable(f"no database at {self.path}: run `veille ingest` or `veille demo` first")
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:
            raise DatabaseUnavailable(why_unavailable(self.path, exc, read_only)) from exc
        if not read_only:
            try:
                self.migrate()
            except duckdb.Error as exc:
                self.con.close()
                raise DatabaseUnavailable(why_unavailable(self.path, exc, read_only)) from exc
        elif self._outdated():
            # written by an older veille: migrate it once (a short write), then read
            self.con.close()
            Store(self.path).close()
            self.con = duckdb.connect(str(self.path), read_only=True)

    def _outdated(self) -> bool:
        try:
            return self.schema_version() < migrations()[-1][0]
        except duckdb.Error:
            return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- schema ---------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied; returns their names."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")
        done = {row[0] for row in self.con.execute("SELECT version FROM schema_migrations").fetchall()}
        applied = []
        for number, name, sql in migrations():
            if number in done:
                continue
            with self.transaction():
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
            applied.append(f"{number:03d}_{name}")
        return applied

    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writing --------------------------------------------------------------
    def put(self, record: Record, pipeline: str = "") -> PutResult:
        """Store one article with its record, atomically.

        The same text again changes nothing, unless it comes from elsewhere (another URL or
        source): then it is kept as a reprint of the stored article ("reprint"). Another text
        with the identity of a stored article (the same URL, input id or file) is stored as a
        new version that supersedes the latest one ("version").
        """
        return self.put_many([record], pipeline, alone=True)[0]

    def put_many(self, records: list[Record], pipeline: str = "", alone: bool = False) -> list[PutResult]:
        """Store several articles in one transaction (faster); if any fails, each goes alone.

        Either way no article is ever half-written: a failing article rolls back
        and raises only when stored alone.
        """
        plan: list = []
        stored: dict[str, tuple[int, str | None, str]] = {}       # id -> (version, identity, source)
        latest: dict[str, tuple[str, int]] = {}                    # identity -> (id, version)
        reprinted: set[tuple[str, str, str | None]] = set()
        for record in records:
            doc = record.doc
            aid = doc.id
            identity = identity_of(doc)
            known = stored.get(aid) or self._stored(aid)
            if known:
                stored[aid] = known
                result = self._sighting(doc, known, reprinted)
                plan.append(result if result.outcome == "unchanged" else ("reprint", doc, result))
                continue
            previous = (latest.get(identity) or self._latest(identity)) if identity else None
            version, supersedes = (previous[1] + 1, previous[0]) if previous else (1, None)
            if identity:
                latest[identity] = (aid, version)
            stored[aid] = (version, identity, doc.source)
            plan.append(("insert", record, PutResult(aid, "version" if supersedes else "new", version),
                         version, supersedes))
        try:
            with self.transaction():
                for step in plan:
                    if isinstance(step, PutResult):
                        continue
                    if step[0] == "insert":
                        self._insert(step[1], step[3], step[4], pipeline)
                    else:
                        self._insert_reprint(step[1])
        except BaseException:
            if alone or len(records) == 1:
                raise
            return [self.put(record, pipeline) for record in records]
        return [step if isinstance(step, PutResult) else step[2] for step in plan]

    @contextmanager
    def transaction(self):
        """A transaction: committed at the end of the block, rolled back if it raises. The error
        that stopped it is the one raised, even when DuckDB already aborted the transaction
        (a full disk)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass
            raise

    def sight(self, doc: Article) -> PutResult | None:
        """For a text already stored: keep this publication of it as a reprint when it comes from
        elsewhere ("reprint"), else nothing ("unchanged"). None when the text is not stored."""
        known = self._stored(doc.id)
        if known is None:
            return None
        result = self._sighting(doc, known, set())
        if result.outcome == "reprint":
            with self.transaction():
                self._insert_reprint(doc)
        return result

    def _sighting(self, doc: Article, known: tuple[int, str | None, str], reprinted: set) -> PutResult:
        version, old_identity, old_source = known
        identity = identity_of(doc)
        sighting = (doc.id, doc.source, doc.metadata.get("url"))
        same_place = identity == old_identity if identity or old_identity else doc.source == old_source
        if same_place or sighting in reprinted or self._has_reprint(*sighting):
            return PutResult(doc.id, "unchanged", version)
        reprinted.add(sighting)
        return PutResult(doc.id, "reprint", version)

    def _stored(self, aid: str) -> tuple[int, str | None, str] | None:
        row = self.con.execute("SELECT version, identity, source FROM articles WHERE id = ?", [aid]).fetchone()
        return (int(row[0]), row[1], row[2]) if row else None

    def _latest(self, identity: str) -> tuple[str, int] | None:
        return self.con.execute("SELECT id, version FROM articles WHERE identity = ? ORDER BY version DESC LIMIT 1",
                                [identity]).fetchone()

    def _has_reprint(self, aid: str, source: str, url: str | None) -> bool:
        return self.con.execute(
            "SELECT 1 FROM article_reprints WHERE article_id = ? AND source = ? AND url IS NOT DISTINCT FROM ?",
            [aid, source, url]).fetchone() is not None

    def _insert_reprint(self, doc: Article) -> None:
        from veille.fusion.data import outlet_of

        self.con.execute(
            "INSERT INTO article_reprints (article_id, source, url, outlet, title, published) VALUES (?, ?, ?, ?, ?, ?)",
            [doc.id, doc.source, doc.metadata.get("url"), outlet_of(doc.metadata, doc.source), doc.title,
             doc.published])

    def reprints(self, article_id: str) -> list[dict]:
        """The other publications of an article's text: source, url, outlet, title, published."""
        cur = self.con.execute(
            "SELECT source, url, outlet, title, published FROM article_reprints WHERE article_id = ?"
            " ORDER BY published NULLS LAST, seen_at", [article_id])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _version(self, aid: str) -> int:
        row = self.con.execute("SELECT version FROM articles WHERE id = ?", [aid]).fetchone()
        return int(row[0]) if row else 0

    def _insert(self, record: Record, version: int, supersedes: str | None, pipeline: str) -> None:
        doc = record.doc
        aid = doc.id
        con = self.con
        day = doc.published if doc.published and doc.published_precision == "day" else None
        con.execute(
            "INSERT INTO articles (id, source, url, title, language, published, published_precision,"
            " published_from, published_day, text, metadata, removed, flags, version, supersedes, identity)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, doc.source, doc.metadata.get("url"), doc.title, doc.language, doc.published,
             doc.published_precision, doc.published_from, day, doc.text,
             json.dumps(doc.metadata, ensure_ascii=False), json.dumps(list(doc.removed), ensure_ascii=False),
             json.dumps(list(doc.flags), ensure_ascii=False), version, supersedes, identity_of(doc)])
        con.execute("INSERT INTO records (article_id, record, pipeline) VALUES (?, ?, ?)",
                    [aid, json.dumps(record.to_dict(), ensure_ascii=False), pipeline])
        self._insert_rows("entities", [
            [aid, i, e.id, e.name, e.type, e.country, e.subdivision, e.role,
             json.dumps([list(m) for m in e.mentions])] for i, e in enumerate(record.entities)])
        self._insert_rows("timexes", [
            [aid, i, t.start, t.end, t.text, t.type, t.begin, t.end_date, t.granularity, t.value]
            for i, t in enumerate(record.timexes)])
        self._insert_rows("measurements", [
            [aid, i, m.start, m.end, m.text, m.value, m.unit, m.kind, m.relation, m.status, m.metric,
             m.from_, m.to, m.period.begin if m.period else None, m.period.end if m.period else None,
             m.usd, m.evidence[0] if m.evidence else None, m.evidence[1] if m.evidence else None]
            for i, m in enumerate(record.measurements)])
        self._insert_rows("events", [
            [aid, i, e.type, e.mode, e.status, list(e.actor), list(e.recipient),
             e.date.begin if e.date else None, e.date.end if e.date else None, e.location,
             list(e.sectors), e.count, e.evidence[0] if e.evidence else None,
             e.evidence[1] if e.evidence else None, e.confidence, e.trigger, e.source]
            for i, e in enumerate(record.events)])
        self._insert_rows("quotes", [[aid, i, q.speaker, q.text, q.start, q.end]
                                     for i, q in enumerate(record.quotes)])

    def _insert_rows(self, table: str, rows: list[list]) -> None:
        """All rows in one multi-row INSERT (DuckDB's executemany runs one statement per row)."""
        if not rows:
            return
        width = len(rows[0])
        one = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), 200):
            chunk = rows[start:start + 200]
            self.con.execute(f"INSERT INTO {table} VALUES " + ", ".join([one] * len(chunk)),
                             [value for row in chunk for value in row])

    def record_error(self, source: str, reason: str) -> None:
        self.con.execute("INSERT INTO ingest_errors (source, reason) VALUES (?, ?)", [source, reason])

    def record_error_once(self, source: str, reason: str) -> bool:
        """Record an ingest error unless the same (source, reason) is already recorded; True if recorded."""
        if self.con.execute("SELECT 1 FROM ingest_errors WHERE source = ? AND reason = ? LIMIT 1",
                            [source, reason]).fetchone():
            return False
        self.record_error(source, reason)
        return True

    # -- reading --------------------------------------------------------------
    def has(self, article_id: str) -> bool:
        return self.con.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is not None

    def record(self, article_id: str) -> Record | None:
        """The stored record of an article; a unique id prefix is accepted."""
        rows = self.con.execute(
            "SELECT record FROM records WHERE article_id LIKE ? || '%' LIMIT 2", [article_id]).fetchall()
        if len(rows) != 1:
            return None
        return Record.from_dict(json.loads(rows[0][0]))

    def records(self) -> Iterator[Record]:
        cur = self.con.execute("SELECT record FROM records ORDER BY article_id")
        while True:
            rows = cur.fetchmany(256)
            if not rows:
                return
            for (raw,) in rows:
                yield Record.from_dict(json.loads(raw))

    def articles(self, limit: int = 100, offset: int = 0, latest_only: bool = True) -> list[dict]:
        """Stored articles, newest publication first, as plain dicts."""
        where = ("WHERE id NOT IN (SELECT supersedes FROM articles WHERE supersedes IS NOT NULL)"
                 if latest_only else "")
        cur = self.con.execute(
            f"SELECT id, source, title, language, published, published_precision, version,"
            f" length(text) AS chars, ingested_at FROM articles {where}"
            f" ORDER BY published DESC NULLS LAST, source LIMIT ? OFFSET ?", [limit, offset])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def counts(self) -> dict[str, int]:
        """Row count of every table the pipeline writes."""
        tables = ("articles", "records", "entities", "timexes", "measurements", "events", "quotes")
        return {t: int(self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

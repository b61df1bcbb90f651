"""The storage layer: it owns the DuckDB database.

Ordered migrations (store/migrations/NNN_name.sql) are applied once each and
recorded in `schema_migrations`. Every article is written with its whole record
in one transaction: readers never see half an article, and a failure rolls the
article back without touching what was stored before.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Iterator

import duckdb

from veille.records import Record

_MIGRATION_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True)
class PutResult:
    """What storing one record did: "new", "unchanged" or "version" (a corrected text)."""

    article_id: str
    outcome: str
    version: int


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
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise OSError(f"cannot open database {self.path}: {exc}") from exc
        if not read_only:
            self.migrate()

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
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(sql)
                self.con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(f"{number:03d}_{name}")
        return applied

    def schema_version(self) -> int:
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # -- writing --------------------------------------------------------------
    def put(self, record: Record, pipeline: str = "") -> PutResult:
        """Store one article with its record, atomically.

        The same text again changes nothing; another text from the same source
        is stored as a new version that supersedes the latest one.
        """
        doc = record.doc
        aid = doc.id
        con = self.con
        if con.execute("SELECT 1 FROM articles WHERE id = ?", [aid]).fetchone():
            return PutResult(aid, "unchanged", self._version(aid))
        latest = con.execute(
            "SELECT id, version FROM articles WHERE source = ? ORDER BY version DESC LIMIT 1",
            [doc.source]).fetchone()
        version, supersedes = (latest[1] + 1, latest[0]) if latest else (1, None)
        con.execute("BEGIN TRANSACTION")
        try:
            self._insert(record, version, supersedes, pipeline)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return PutResult(aid, "version" if supersedes else "new", version)

    def put_many(self, records: list[Record], pipeline: str = "") -> list[PutResult]:
        """Store several articles in one transaction (faster); if any fails, each goes alone.

        Either way no article is ever half-written: a failing article rolls back
        and raises only when stored alone.
        """
        plan = []
        seen: dict[str, PutResult] = {}
        sources: dict[str, tuple[str, int]] = {}
        con = self.con
        for record in records:
            doc = record.doc
            aid = doc.id
            if aid in seen:
                plan.append(PutResult(aid, "unchanged", seen[aid].version))
                continue
            if con.execute("SELECT 1 FROM articles WHERE id = ?", [aid]).fetchone():
                seen[aid] = PutResult(aid, "unchanged", self._version(aid))
                plan.append(seen[aid])
                continue
            latest = sources.get(doc.source) or con.execute(
                "SELECT id, version FROM articles WHERE source = ? ORDER BY version DESC LIMIT 1",
                [doc.source]).fetchone()
            version, supersedes = (latest[1] + 1, latest[0]) if latest else (1, None)
            sources[doc.source] = (aid, version)
            seen[aid] = PutResult(aid, "version" if supersedes else "new", version)
            plan.append((record, version, supersedes))
        con.execute("BEGIN TRANSACTION")
        try:
            for step in plan:
                if not isinstance(step, PutResult):
                    self._insert(step[0], step[1], step[2], pipeline)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            return [self.put(record, pipeline) for record in records]
        return [step if isinstance(step, PutResult) else seen[step[0].doc.id] for step in plan]

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
            " published_from, published_day, text, metadata, removed, flags, version, supersedes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, doc.source, doc.metadata.get("url"), doc.title, doc.language, doc.published,
             doc.published_precision, doc.published_from, day, doc.text,
             json.dumps(doc.metadata, ensure_ascii=False), json.dumps(list(doc.removed), ensure_ascii=False),
             json.dumps(list(doc.flags), ensure_ascii=False), version, supersedes])
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

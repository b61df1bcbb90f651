"""Full-text search over the articles.

DuckDB's own full-text index (the `fts` extension) is not built into the duckdb
wheel and `INSTALL fts` downloads it, which a machine without internet cannot do;
no package on PyPI ships it for duckdb 2.0. So the index is SQLite's FTS5 (in
Python's standard library): a side file beside the database (`NAME.duckdb.search.sqlite`,
in memory when that folder is read-only), brought up to date from the articles
table whenever the articles change. The database stays the reference: deleting
the side file only costs a rebuild.

A query is a list of words (accents and case aside, each also matching as a prefix:
"sanction" finds "sanctions") and "quoted phrases"; every one must occur. Nothing
else of FTS5's query language is passed through, so no input can be an injection:

    >>> fts_query('gaz "Force de Sibérie" sanction')
    '"gaz"* "force de siberie" "sanction"*'
"""
from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from veille.read.common import LATEST

MAX_TERMS = 16
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"


def _fold(text: str) -> str:
    # not veille.text.fold: a query word is matched against FTS5's unicode61 tokens (lower case,
    # diacritics removed), not at offsets in a text, so it need not keep its length ("ﬁ" -> "fi")
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def terms(query: str) -> list[str]:
    """The words and phrases of a query, folded (lower case, no accents); a phrase is words joined by spaces."""
    found: list[str] = []
    for i, part in enumerate(_PHRASE.split(query)):
        words = [_fold(w) for w in _WORD.findall(part)]
        if i % 2 and len(words) > 1:
            found.append(" ".join(words))
        else:
            found.extend(words)
    return [t for t in found if t.replace("_", "")][:MAX_TERMS]


def fts_query(query: str) -> str:
    """The FTS5 expression for a user's query; ValueError when it holds no word."""
    found = terms(query)
    if not found:
        raise ValueError("the query holds no word to search for")
    return " ".join(f'"{t}"' if " " in t else f'"{t}"*' for t in found)


def snippet_segments(snippet: str) -> list[dict]:
    """An FTS5 snippet as [{"text", "match"}] segments, so that no markup ever reaches a page."""
    segments, match = [], False
    for piece in re.split(f"([{_MARK_OPEN}{_MARK_CLOSE}])", snippet):
        if piece == _MARK_OPEN:
            match = True
        elif piece == _MARK_CLOSE:
            match = False
        elif piece:
            segments.append({"text": piece, "match": match})
    return segments


@dataclass(frozen=True)
class Hit:
    article_id: str
    score: float
    snippet: list[dict]


class SearchIndex:
    """An FTS5 index of the latest version of every article (title and text), kept in step with
    the DuckDB database by `sync`. Safe to share between threads."""

    def __init__(self, path: Path | None):
        self._lock = threading.Lock()
        self._state: tuple | None = None
        self.path = path
        self.available = "ENABLE_FTS5" in {r[0] for r in sqlite3.connect(":memory:").execute(
            "PRAGMA compile_options").fetchall()} or self._probe_fts5()
        self.db = self._open(path) if self.available else None

    @staticmethod
    def _probe_fts5() -> bool:
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
            return True
        except sqlite3.Error:
            return False

    def _open(self, path: Path | None) -> sqlite3.Connection:
        for target in ([str(path)] if path else []) + [":memory:"]:
            try:
                # autocommit: `sync` opens its own write transaction (BEGIN IMMEDIATE); several server
                # processes share the file and wait for each other's sync
                db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=60)
                db.execute("PRAGMA journal_mode=WAL") if target != ":memory:" else None
                db.executescript("""
                    CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(
                        article_id UNINDEXED, published UNINDEXED, title, text,
                        tokenize = 'unicode61 remove_diacritics 2');
                    CREATE TABLE IF NOT EXISTS doc_ids (article_id TEXT PRIMARY KEY, doc INTEGER NOT NULL);
                """)
                if target != ":memory:":
                    self.path = Path(target)
                else:
                    self.path = None
                return db
            except sqlite3.Error:
                continue
        raise RuntimeError("cannot open an in-memory SQLite database")

    def sync(self, con) -> int:
        """Bring the index in step with the database's latest articles; how many were added or removed."""
        if not self.available:
            return 0
        state = con.execute("SELECT count(*), max(ingested_at) FROM articles").fetchone()
        if state == self._state:
            return 0
        with self._lock:
            current = {r[0] for r in con.execute(f"SELECT a.id FROM articles a WHERE {LATEST}").fetchall()}
            self.db.execute("BEGIN IMMEDIATE")       # what is indexed is read under the write lock
            try:
                indexed = dict(self.db.execute("SELECT article_id, doc FROM doc_ids").fetchall())
                gone = [indexed[i] for i in indexed.keys() - current]
                new = sorted(current - indexed.keys())
                self.db.executemany("DELETE FROM docs WHERE rowid = ?", [(d,) for d in gone])
                self.db.executemany("DELETE FROM doc_ids WHERE doc = ?", [(d,) for d in gone])
                for start in range(0, len(new), 500):
                    chunk = new[start:start + 500]
                    for aid, published, title, text in con.execute(
                            "SELECT id, published, title, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                            [chunk]).fetchall():
                        cur = self.db.execute("INSERT INTO docs (article_id, published, title, text) VALUES (?, ?, ?, ?)",
                                              (aid, published, title or "", text))
                        self.db.execute("INSERT INTO doc_ids VALUES (?, ?)", (aid, cur.lastrowid))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self._state = state
            return len(gone) + len(new)

    def search(self, con, query: str, since: str | None = None, until: str | None = None,
               limit: int = 20, offset: int = 0) -> tuple[int, list[Hit]]:
        """(how many articles match, the page of them best first); ValueError when the query holds no word."""
        if not self.available:
            return _search_without_index(con, query, since, until, limit, offset)
        expression = fts_query(query)
        self.sync(con)
        clause, params = _where(["docs MATCH ?"], [expression], "published", since, until)
        with self._lock:
            total = self.db.execute(f"SELECT count(*) FROM docs WHERE {clause}", params).fetchone()[0]
            rows = self.db.execute(
                f"SELECT article_id, bm25(docs, 0.0, 0.0, 4.0, 1.0) AS score,"
                f" snippet(docs, 3, char(2), char(3), '…', 24) FROM docs WHERE {clause}"
                f" ORDER BY score, article_id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return total, [Hit(aid, round(-score, 4), snippet_segments(snip or "")) for aid, score, snip in rows]

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _where(conditions: list[str], params: list, published: str, since: str | None,
           until: str | None) -> tuple[str, list]:
    """The WHERE clause of `conditions` and of the dates of column `published` within `since`..`until`,
    with its parameters."""
    for condition, day in ((f"{published} >= ?", since), (f"{published} <= ?", until)):
        if day:
            conditions, params = [*conditions, condition], [*params, day]
    return " AND ".join(conditions), params


def _search_without_index(con, query, since, until, limit, offset) -> tuple[int, list[Hit]]:
    """Where SQLite lacks FTS5: every term must occur in the title or text (accents and case aside)."""
    found = terms(query)
    if not found:
        raise ValueError("the query holds no word to search for")
    holds_term = "contains(lower(strip_accents(coalesce(a.title, '') || ' ' || a.text)), ?)"
    clause, params = _where([LATEST] + [holds_term] * len(found), list(found), "a.published", since, until)
    total = con.execute(f"SELECT count(*) FROM articles a WHERE {clause}", params).fetchone()[0]
    rows = con.execute(f"SELECT a.id, substr(a.text, 1, 200) FROM articles a WHERE {clause}"
                       f" ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    return total, [Hit(aid, 0.0, [{"text": text + "…", "match": False}]) for aid, text in rows]

"""Quotes: direct or reported statements, who made them, and where."""
from __future__ import annotations

from veille.read.common import LATEST, Filters, Page, Where, fetch, page_of, scalar


def list_quotes(con, f: Filters = Filters(), page: Page = Page()) -> dict:
    """Quotes matching `f` (`entity`: the speaker; `q`: words in the quote), newest article first."""
    w = Where(LATEST)
    if f.entity:
        w.add("q.speaker = ?", f.entity)
    if f.article:
        w.add("q.article_id = ?", f.article)
    if f.q:
        w.add("contains(lower(q.text), lower(?))", f.q)
    w.article_source(f)
    w.span(f, "a.published")
    clause, params = " WHERE " + w.sql, w.params
    join = "FROM quotes q JOIN articles a ON a.id = q.article_id"
    total = scalar(con, f"SELECT count(*) {join}{clause}", params)
    rows = fetch(con, f"""
        SELECT q.article_id, q.idx, q.speaker, q.text, q.start_char, q.end_char, a.title, a.published,
               a.source, a.url,
               (SELECT any_value(name) FROM entities e WHERE e.entity_id = q.speaker) AS speaker_name
        {join}{clause} ORDER BY a.published DESC NULLS LAST, q.article_id, q.idx{page.sql}""", params)
    items = [{"speaker": r["speaker"], "speaker_name": r["speaker_name"], "text": r["text"],
              "start": r["start_char"], "end": r["end_char"], "article_id": r["article_id"], "idx": r["idx"],
              "article": {"id": r["article_id"], "title": r["title"], "published": r["published"],
                          "source": r["source"], "url": r["url"], "outlet": None}} for r in rows]
    return page_of(items, total, page)

"""Near-copies: one story and the outlets that ran it (syndicated or lightly rewritten)."""
from __future__ import annotations

from veille.read.common import Page, fetch, page_of, scalar
from veille.read.meta import fusion_ready


def list_copies(con, min_articles: int = 2, page: Page = Page(), fused: bool | None = None) -> dict:
    """Copy groups of at least `min_articles` articles, largest first, each with its members (the
    founder first published). Empty without the fusion tables."""
    if not (fusion_ready(con) if fused is None else fused):
        return page_of([], 0, page)
    total = scalar(con, "SELECT count(*) FROM copy_groups WHERE articles >= ?", [min_articles])
    rows = fetch(con, f"SELECT * FROM copy_groups WHERE articles >= ? ORDER BY articles DESC, group_id{page.sql}",
                 [min_articles])
    if not rows:
        return page_of([], total, page)
    members = fetch(con, """
        SELECT m.group_id, m.article_id, m.founder, f.outlet, f.published, a.title, a.url
        FROM copy_members m JOIN fusion_articles f USING (article_id) JOIN articles a ON a.id = m.article_id
        WHERE m.group_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY f.published NULLS LAST, m.article_id""",
                    [[r["group_id"] for r in rows]])
    by_group: dict[str, list[dict]] = {}
    for m in members:
        by_group.setdefault(m.pop("group_id"), []).append(m)
    for r in rows:
        r["members"] = by_group.get(r["group_id"], [])
    return page_of(rows, total, page)

"""What the serving tests share: the demo database (the bundled corpus and one booby-trapped
article, ingested once per test session through veille.workflow.ingest) and Debian's Chromium."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-default-apps", "--disable-extensions", "--mute-audio"]

# Article text is untrusted: this one tries a script, an image with onerror and an event attribute.
INJECTION = {
    "source": "https://injection.example/article-piege",
    "title": "Article piégé <script>window.__pwned_title = 1</script>",
    "published": "2024-06-03",
    "text": "Pékin et Moscou ont signé lundi un nouvel accord sur le gaz "
            "<script>window.__pwned = 1; document.title = 'pwned';</script> selon le Kremlin. "
            "<img src=x onerror=\"window.__pwned = 2\"> Le commerce bilatéral entre la Chine et la Russie a "
            "atteint 240 milliards de dollars en 2023, selon les douanes chinoises. "
            "<b onmouseover=\"window.__pwned = 3\">Texte en gras</b> &lt;i&gt; et \"guillemets\" & esperluette.",
}

_built: dict[str, Path] = {}


def build_demo_db(path: Path) -> Path:
    """The demo corpus and the injection article, ingested (and fused) into a new database at `path`."""
    from veille.resources import demo_corpus
    from veille.settings import Settings
    from veille.store import Store
    from veille.workflow import ingest

    extra = path.parent / "injection.jsonl"
    extra.write_text(json.dumps(INJECTION, ensure_ascii=False) + "\n", encoding="utf-8")
    settings = Settings(db=path)
    with Store(path) as store:
        report = ingest([str(demo_corpus()), str(extra)], settings, store)
    assert report.ok, report.errors
    return path


def shared_demo_db(tmp_path_factory) -> Path:
    """The session's demo database (built on first use); open it read-only, or copy it to write."""
    if "db" not in _built:
        _built["db"] = build_demo_db(tmp_path_factory.mktemp("demo-db") / "demo.duckdb")
    return _built["db"]


def copy_db(source: Path, folder: Path) -> Path:
    target = folder / source.name
    shutil.copy(source, target)
    return target


FUSION_TABLES = ("fused_event_sources", "fused_events", "figure_members", "figure_conflicts", "figure_groups",
                 "fusion_articles")


def unfused_copy(source: Path, folder: Path) -> Path:
    """A copy of a database without its fusion tables: what a database ingested before fusion
    existed looks like."""
    import duckdb

    target = copy_db(source, folder)
    with duckdb.connect(str(target)) as con:
        con.execute("DROP VIEW copy_groups")
        for table in FUSION_TABLES:
            con.execute(f"DROP TABLE {table}")
    return target

"""Issue 19, library and command line: the timeline's histogram counts an event known only to its
year apart (never in January), and `veille ingest` reports its progress through a callback (the
library never prints), drawn as a bar on a terminal only."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import veille
from veille.ingest.count import count_articles
from veille.read import Filters, event_histogram
from veille.settings import Settings
from veille.store import Store

# (id, type, begin, end): a day, a month, a year, a quarter, a week across two months, undated
EVENTS = [
    ("day", "CONSULT", "2023-01-15", "2023-01-15"),
    ("may", "CONSULT", "2023-05-01", "2023-05-31"),
    ("year", "AGREE", "2023-01-01", "2023-12-31"),
    ("quarter", "CONSULT", "2024-04-01", "2024-06-30"),
    ("week", "CONSULT", "2024-01-29", "2024-02-04"),
    ("undated", "CONSULT", None, None),
]


@pytest.fixture
def timeline_db(tmp_path) -> Path:
    db = tmp_path / "timeline.duckdb"
    with Store(db) as store:
        for event_id, type_, begin, end in EVENTS:
            store.con.execute(
                "INSERT INTO fused_events (event_id, block, type, status, actor, recipient, date_begin, date_end,"
                " sources, independent_sources, confidence) VALUES (?, ?, ?, 'occurred', ['CHN'], ['RUS'], ?, ?,"
                " 1, 1, 0.5)", [event_id, f"{type_}|CHN|RUS", type_, begin, end])
    return db


def test_an_event_known_only_to_its_year_is_counted_apart_not_in_january(timeline_db):
    with Store(timeline_db, read_only=True) as store:
        rows = event_histogram(store.con, fused=True)
        assert rows == [
            {"month": "2023", "year": "2023", "precision": "year", "events": 1},      # "en 2023"
            {"month": "2023-01", "year": "2023", "precision": "month", "events": 1},  # the 15th only
            {"month": "2023-05", "year": "2023", "precision": "month", "events": 1},
            {"month": "2024", "year": "2024", "precision": "year", "events": 1},      # a quarter
            {"month": "2024-01", "year": "2024", "precision": "month", "events": 1},  # a week from 29 January
        ]
        agree = event_histogram(store.con, Filters(type="AGREE"), fused=True)
        assert agree == [{"month": "2023", "year": "2023", "precision": "year", "events": 1}]


def test_the_api_answers_the_year_rows_beside_the_months(timeline_db):
    from veille.api import create_app, running

    with running(create_app(timeline_db)) as base:
        rows = httpx.get(base + "/api/events/months").json()
    assert {"month": "2023-01", "year": "2023", "precision": "month", "events": 1} in rows
    assert {"month": "2023", "year": "2023", "precision": "year", "events": 1} in rows
    assert sum(r["events"] for r in rows) == 5                  # every dated event once


def _inputs(tmp_path: Path) -> tuple[Path, list[str]]:
    """A folder of two texts, a JSON Lines file of three lines (one broken, one blank line between)
    and a feed of two entries: seven steps."""
    folder = tmp_path / "depot"
    folder.mkdir()
    (folder / "a.txt").write_text("Vladimir Poutine a rencontré Xi Jinping jeudi 16 mai 2024 à Pékin.", encoding="utf-8")
    (folder / "b.txt").write_text("Le commerce entre la Chine et la Russie a atteint 240 milliards de dollars en 2023.",
                                  encoding="utf-8")
    lines = [{"source": "fil/1", "published": "2024-05-16", "text": "Sergueï Lavrov s'est rendu à Pékin mardi."},
             {"source": "fil/2", "published": "2024-05-17", "text": "Moscou et Pékin ont signé un accord gazier."}]
    (tmp_path / "fil.jsonl").write_text(json.dumps(lines[0], ensure_ascii=False) + "\n\n{cassé\n"
                                        + json.dumps(lines[1], ensure_ascii=False) + "\n", encoding="utf-8")
    entry = ("<item><title>{0}</title><link>https://fil.example/{0}</link><pubDate>Thu, 16 May 2024 08:00:00 GMT</pubDate>"
             "<description>Xi Jinping a reçu Vladimir Poutine à Pékin, annonce l'agence {0}.</description></item>")
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Fil</title>'
                                       + entry.format("un") + entry.format("deux") + "</channel></rss>", encoding="utf-8")
    return folder, [str(folder), str(tmp_path / "fil.jsonl"), str(tmp_path / "feed.xml")]


def test_inputs_are_counted_before_reading_and_unknown_when_they_cannot_say(tmp_path):
    folder, targets = _inputs(tmp_path)
    settings = Settings()
    assert count_articles([str(folder)], settings) == 2
    assert count_articles([targets[1]], settings) == 3          # blank lines are no article
    assert count_articles([targets[2]], settings) == 2
    assert count_articles(targets, settings) == 7
    assert count_articles([str(tmp_path / "missing.txt")], settings) == 1   # one error
    assert count_articles(targets + ["https://fil.example/rss.xml"], settings) is None
    (tmp_path / "x.warc").write_bytes(b"WARC/1.0\r\n")
    assert count_articles([str(tmp_path / "x.warc")], settings) is None


@pytest.mark.model
def test_ingest_gives_its_callback_the_total_then_every_step(tmp_path):
    from veille.errors import IngestError
    from veille.records import Record
    from veille.workflow import IngestStep, ingest

    _, targets = _inputs(tmp_path)
    steps: list[IngestStep] = []
    with Store(tmp_path / "v.duckdb") as store:
        report = ingest(targets, Settings(db=tmp_path / "v.duckdb"), store, steps.append)
    assert steps[0] == IngestStep(0, 7)
    assert [s.done for s in steps] == list(range(8)) and {s.total for s in steps} == {7}
    assert sum(isinstance(s.item, Record) for s in steps) == 6
    errors = [s.item for s in steps if isinstance(s.item, IngestError)]
    assert [e.source for e in errors] == [e.source for e in report.errors] == [targets[1] + ":3"]
    again: list[IngestStep] = []
    with Store(tmp_path / "v.duckdb") as store:
        ingest(targets, Settings(db=tmp_path / "v.duckdb"), store, again.append)
    # stored before: unchanged articles are steps too, so the bar still reaches its total
    assert again[-1].done == again[-1].total == 7 and sum(s.item is None for s in again[1:]) == 6


@pytest.mark.model
def test_ingest_piped_prints_no_progress_and_says_what_its_numbers_count(tmp_path):
    _, targets = _inputs(tmp_path)
    r = veille("ingest", *targets, "--db", str(tmp_path / "v.duckdb"))
    assert r.returncode == 1                                   # the broken line
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error ") and "fil.jsonl:3" in lines[0]
    assert len(lines) == 2, r.stderr                           # the failure and the summary, nothing else
    assert "\r" not in r.stderr and "\x1b" not in r.stderr and "ingesting" not in r.stderr
    summary = lines[1]
    assert "6 new" in summary and re.search(r"\d+ event reports? and \d+ figure statements? \(as the articles give them\)", summary)
    assert re.search(r"fused across articles into \d+ events? and \d+ figure groups?", summary), summary


@pytest.mark.model
def test_ingest_on_a_terminal_draws_a_bar_with_the_total(tmp_path):
    _, targets = _inputs(tmp_path)
    exe = Path(sys.executable).with_name("veille")
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    env.pop("VEILLE_DB", None)
    proc = subprocess.Popen([str(exe), "ingest", *targets, "--db", str(tmp_path / "v.duckdb")],
                            stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(leader)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))
    assert "ingesting" in text and "0/7 articles" in text and "7/7 articles" in text, text[-2000:]
    assert re.search(r"left \d+:\d\d:\d\d", text)                # the time left, once it can be guessed
    assert "fil.jsonl:3" in text and "6 new" in text

"""The command line through its real entry point."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED, veille

ARTICLE = {"source": "wire/sommet", "published": "2024-05-16", "title": "Sommet",
           "text": "Vladimir Poutine et Xi Jinping se sont rencontrés jeudi à Pékin. "
                   "Les deux dirigeants ont signé une déclaration conjointe sur leur partenariat."}


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "in.jsonl"
    other = dict(ARTICLE, source="wire/autre", text=ARTICLE["text"] + " Le commerce progresse.")
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (ARTICLE, other)) + "\n{cassé\n", encoding="utf-8")
    return path


def test_ingest_twice_keeps_the_same_rows_and_exit_code_says_failures(tmp_path, jsonl):
    db = tmp_path / "v.duckdb"
    first = veille("ingest", str(jsonl), "--db", str(db))
    assert first.returncode == 1, first.stderr            # the broken line failed
    assert "in.jsonl:3" in first.stderr and "invalid JSON" in first.stderr
    listing = veille("articles", "--db", str(db), "--json")
    ids = [json.loads(line)["id"] for line in listing.stdout.splitlines() if line.startswith("{")]
    second = veille("ingest", str(jsonl), "--db", str(db))
    assert "2 unchanged" in second.stderr and "0 new" in second.stderr
    again = veille("articles", "--db", str(db), "--json")
    assert again.stdout == listing.stdout and len(ids) == 2
    shown = veille("show", ids[0][:8], "--db", str(db), "--json")
    assert json.loads(shown.stdout)["format"] == "veille/1"


def test_veille_db_environment_variable(tmp_path, jsonl):
    db = tmp_path / "env.duckdb"
    veille("ingest", str(jsonl), env={"VEILLE_DB": str(db)})
    assert db.exists()
    listing = veille("articles", "--json", env={"VEILLE_DB": str(db)})
    assert listing.stdout.count('"id"') == 2


def test_extract_prints_veille1_records_from_the_shared_input(tmp_path):
    if not (SHARED / "eval" / "make_input.py").exists():
        pytest.skip("shared/ is not beside the checkout")
    made = subprocess.run([sys.executable, str(SHARED / "eval/make_input.py"), str(SHARED / "corpus/seeds"),
                           str(SHARED / "eval/dev")], capture_output=True, text=True, check=True)
    (tmp_path / "in.jsonl").write_text(made.stdout, encoding="utf-8")
    inputs = [json.loads(line) for line in made.stdout.splitlines()]
    result = veille("extract", str(tmp_path / "in.jsonl"), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(inputs) == 5
    for given, rec in zip(inputs, records):
        assert rec["format"] == "veille/1"
        assert rec["doc"]["source"] == given["source"]
        if given.get("published"):
            assert rec["doc"]["published"] == given["published"]
        elif rec["doc"]["published"] is not None:       # estimated from the text, and said so
            assert any(f["kind"] == "published_estimated" for f in rec["doc"]["flags"])
        for layer in ("entities", "timexes", "measurements", "events"):
            assert isinstance(rec[layer], list)


def test_extract_names_a_missing_input_and_fails(tmp_path):
    result = veille("extract", str(tmp_path / "absent.txt"))
    assert result.returncode == 1 and "absent.txt" in result.stderr and "no such file" in result.stderr


# -- filters that say when they are wrong ------------------------------------------------------

def test_listing_filters_that_can_match_nothing_are_errors_that_say_why(tmp_path_factory):
    from demo_server import shared_demo_db

    db = str(shared_demo_db(tmp_path_factory))
    by_code = json.loads(veille("events", "--db", db, "-p", "CHN,RUS", "--format", "json").stdout)
    by_name = veille("events", "--db", db, "-p", "Chine,Russie", "--format", "json")
    assert by_name.returncode == 0 and json.loads(by_name.stdout) == by_code and by_code
    assert json.loads(veille("events", "--db", db, "-p", "China", "--type", "consult", "--format", "json").stdout)
    cases = [
        (("events", "--type", "VISIT"), "PLOVER types: AGREE"),
        (("events", "--sector", "energie"), "sectors: energy"),
        (("events", "--since", "2024/05"), "is not a date"),
        (("events", "-p", "CHM"), "did you mean CHN"),
        (("figures", "-m", "trade_volum"), "did you mean trade_volume"),
    ]
    for args, said in cases:
        r = veille(*args, "--db", db)
        assert r.returncode == 2 and said in r.stderr, (args, r.stderr)


# -- veille as a library, from a notebook --------------------------------------------------------

def test_a_notebook_opens_the_database_and_lists_as_the_command_does(tmp_path_factory):
    import pandas as pd

    import veille as library
    from demo_server import shared_demo_db

    path = shared_demo_db(tmp_path_factory)
    command = json.loads(veille_cli("events", "--db", str(path), "-p", "CHN,RUS", "--limit", "0", "--format", "json"))
    with library.open(path) as db:
        rows = db.events(parties="Chine,Russie")
        assert rows == command and rows
        frame = db.events(parties=("CHN", "RUS"), frame=True)
        assert len(frame) == len(rows) and pd.api.types.is_datetime64_any_dtype(frame["date_begin"])
        assert list(frame["event_id"]) == [r["event_id"] for r in rows]
        figures = db.figures(metric="trade_volume")
        assert figures and all(g["metric"] == "trade_volume" for g in figures)
        assert all(g["conflict"] for g in db.conflicts())
        assert db.entities(q="Poutine", limit=3)
        with pytest.raises(ValueError, match="did you mean trade_volume"):
            db.figures(metric="trade_volum")
        with pytest.raises(TypeError, match="unknown filter"):
            db.events(places="CHN")
    with pytest.raises(Exception, match="no database"):
        library.open(tmp_path_factory.mktemp("none") / "absent.duckdb")


def veille_cli(*args: str) -> str:
    r = veille(*args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_an_article_in_a_language_veille_does_not_read_is_stored_and_said_not_extracted(tmp_path):
    text = tmp_path / "en.txt"
    text.write_text("The Prime Minister of India arrived in Tokyo on Tuesday for a three-day official visit; "
                    "talks will cover maritime security and semiconductors.\n", encoding="utf-8")
    db = str(tmp_path / "en.duckdb")
    r = veille("ingest", str(text), "--db", db, "--quiet")
    assert r.returncode == 0 and "stored, not extracted: 1 in en" in r.stderr and "1 new" in r.stderr
    [article] = json.loads("[" + ",".join(veille("articles", "--db", db, "--json").stdout.split("\n")[:-1]) + "]")
    shown = veille("show", article["id"][:12], "--db", db)
    assert "stored, not extracted: language en" in shown.stdout

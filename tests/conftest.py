"""Shared fixtures: the French model loaded once, the CLI's real entry point, the tables' known
failures, the fusion's lists."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from veille import read
from veille.read import Filters, Page

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The French spaCy pipeline, loaded once for the whole session."""
    from veille.nlp import load_model

    return load_model("fr_core_news_md")


def veille(*args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the installed `veille` command, as a user would."""
    exe = Path(sys.executable).with_name("veille")
    full_env = {**os.environ, **(env or {})}
    full_env.pop("VEILLE_DB", None) if env is None or "VEILLE_DB" not in env else None
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd or ROOT, timeout=timeout)


# tables of French cases: each case has a stable id; those not right yet are listed by id, each with the
# reason it fails, and run as strict xfails, so that a case that starts passing fails the suite
def known_failures(path: Path) -> dict[str, str]:
    """The reason each case of a table fails, by case id, as the file at `path` lists them."""
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases") or {}


def table_params(cases: list[dict], known: dict[str, str]) -> list:
    """A table's cases as pytest params named by their ids, each known failure a strict xfail."""
    return [pytest.param(case, id=case["id"], marks=[pytest.mark.xfail(reason=known[case["id"]], strict=True)]
                         if case["id"] in known else []) for case in cases]


def check_known_failures(cases: list[dict], known: dict[str, str]) -> None:
    """A table's ids are unique, and each known failure names one of its cases and says why."""
    ids = [case["id"] for case in cases]
    assert len(ids) == len(set(ids))
    assert set(known) <= set(ids), sorted(set(known) - set(ids))
    assert all(isinstance(why, str) and len(why) > 10 for why in known.values())


@pytest.fixture(scope="session")
def nlp_pipeline(nlp):
    """The whole extraction pipeline with default settings, its model loaded once."""
    from veille.pipeline import Pipeline
    from veille.settings import Settings

    return Pipeline(Settings())


# the fusion as the read layer lists it (`veille.read`, which the command line, the API and the exports share)
EVERY = Page(limit=1_000_000)


def list_events(store, f: Filters = Filters()) -> list[dict]:
    return read.list_events(store.con, f, EVERY)["items"]


def list_figures(store, f: Filters = Filters()) -> list[dict]:
    return read.list_figures(store.con, f, EVERY)["items"]


def list_conflicts(store, f: Filters = Filters()) -> list[dict]:
    return read.list_conflicts(store.con, f, EVERY)["items"]


def list_series(store, f: Filters = Filters()) -> list[dict]:
    return read.list_series(store.con, f, EVERY)["items"]


def list_copy_groups(store) -> list[dict]:
    return read.list_copies(store.con, page=EVERY)["items"]

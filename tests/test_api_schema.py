"""Property-based tests of the API from its own OpenAPI description (schemathesis): for every
operation, generated requests, valid and invalid, get answers that the description allows,
and never a 500. Examples are bounded so that the whole module stays within a minute or two.

The description is read once at collection (from an app over an empty database, since
schemathesis' lazy fixture loader does not work with this pytest) and checked to be the
one the live server publishes at /openapi.json."""
from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from demo_server import shared_demo_db
from veille.api import create_app, running
from veille.store import Store


def _description() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "empty.duckdb"
        Store(path).close()
        app = create_app(path)
        try:
            return app.openapi()
        finally:
            app.state.db.close()


DESCRIPTION = _description()
schema = schemathesis.openapi.from_dict(DESCRIPTION)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with running(create_app(shared_demo_db(tmp_path_factory))) as base:
        yield base


def test_the_live_server_publishes_this_description(live):
    assert httpx.get(live + "/openapi.json").json() == DESCRIPTION


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_described(case, live):
    case.call_and_validate(base_url=live)

"""Shared fixtures: the French model loaded once, the CLI's real entry point."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def nlp_pipeline(nlp):
    """The whole extraction pipeline with default settings, its model loaded once."""
    from veille.pipeline import Pipeline
    from veille.settings import Settings

    return Pipeline(Settings())

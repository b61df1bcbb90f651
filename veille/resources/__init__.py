"""Language knowledge kept as data: YAML files under this folder, loaded once."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

# libyaml's loader when the build has it: the gazetteer loads ten times faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load(relpath: str) -> Any:
    """The parsed YAML file `relpath` under veille/resources (e.g. "fr/time.yaml")."""
    text = files("veille.resources").joinpath(relpath).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)


def listing(folder: str) -> list[str]:
    """Relative paths of the YAML files in a resource folder, sorted."""
    root = files("veille.resources").joinpath(folder)
    return sorted(f"{folder}/{p.name}" for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))


def demo_corpus() -> Path:
    """The bundled demo corpus folder (25 articles, `veille demo`)."""
    return Path(str(files("veille.resources").joinpath("demo")))

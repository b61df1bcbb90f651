"""The spaCy models, loaded once per process and only when an article needs one."""
from __future__ import annotations

from functools import lru_cache

from veille.errors import VeilleError


@lru_cache(maxsize=4)
def load_model(name: str):
    """The installed spaCy pipeline `name` (a package on PyPI, never a hub download)."""
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise VeilleError(f"spaCy model {name!r} is not installed: install it with "
                          f"`pip install {name.replace('_', '-')}` (the README's set-up does)") from exc

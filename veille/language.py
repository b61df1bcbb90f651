"""A language bundle: everything language-specific the extractors read, from one folder.

    fr = language("fr")            # veille/resources/fr/
    fr.model                       -> "fr_core_news_md" (its pin: fr.model_version)
    fr.data("time")                -> the parsed resources/fr/time.yaml
    fr.cached("time", build)       -> build(fr), once per bundle

A bundle folder holds the same files (`FILES`) with the same concept-named keys for every
language; `tests/test_language.py` checks each bundle under resources/ against French's and runs
every layer on a small second bundle of its own. Each layer builds what it needs from its bundle
once (`cached`) and asks it for concepts, never for words; the pipeline picks the bundle from
the article's language and passes it down. Adding a language is data: a folder of these files,
its tables, and the spaCy model it names (see the README).
"""
from __future__ import annotations

import importlib
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

from veille.resources import _LOADER

# The files of a bundle, by layer: language.yaml (code, name, model pin), entities and
# titles (entity layer), time, figures (numbers and measurements), events, claims (who says a
# figure, read by fusion).
FILES = ("language", "entities", "titles", "time", "figures", "events", "claims")

# The functions that compile a bundle for a layer, as (module, function): each takes a Language
# and returns that layer's vocabulary, built once. `compile_all` builds them all (the schema
# test checks that every shipped bundle compiles; the pattern audit walks what they build).
COMPILERS = (
    ("veille.extract.entities", "entity_language"),
    ("veille.extract.time.vocab", "vocab"),
    ("veille.extract.time.grammar", "grammar"),
    ("veille.extract.time.tense", "tense_cues"),
    ("veille.extract.timexes", "resolver"),
    ("veille.extract.numbers", "number_language"),
    ("veille.extract.measurements.lexicon", "figure_language"),
    ("veille.extract.events.lang", "event_language"),
    ("veille.fusion.claims", "claim_language"),
)

T = TypeVar("T")
_CODE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True, eq=False)
class Language:
    """One language's data, read lazily from `root` and kept for the process."""

    code: str
    root: Path
    _data: dict[str, Any] = field(default_factory=dict, repr=False)
    _built: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)   # a build may ask for another

    def data(self, name: str) -> Any:
        """The parsed `<name>.yaml` of this bundle."""
        if name not in self._data:
            path = self.root / f"{name}.yaml"
            if not path.is_file():
                raise FileNotFoundError(f"language bundle {self.code!r} has no {name}.yaml ({self.root})")
            self._data[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        return self._data[name]

    def cached(self, key: str, build: Callable[[Language], T]) -> T:
        """`build(self)`, computed once per bundle and key (a layer's compiled vocabulary)."""
        try:
            return self._built[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._built:
                self._built[key] = build(self)
            return self._built[key]

    @property
    def name(self) -> str:
        return str(self.data("language").get("name") or self.code)

    @property
    def model(self) -> str | None:
        """The spaCy pipeline this bundle's rules were written against."""
        return self.data("language").get("model")

    @property
    def model_version(self) -> str | None:
        return self.data("language").get("model_version")


def saying_forms(lang: Language) -> list[str]:
    """The written forms of the bundle's verbs of saying ("a déclaré", "s'est félicité"), the
    one list of them being `claims.yaml` `saying_verbs` (lemma -> forms)."""
    return [form for forms in lang.data("claims")["saying_verbs"].values() for form in forms or ()]


def _resources() -> Path:
    return Path(str(files("veille.resources")))


def available() -> tuple[str, ...]:
    """Codes of the bundles shipped under veille/resources, sorted."""
    return tuple(sorted(p.name for p in _resources().iterdir() if (p / "language.yaml").is_file()))


@lru_cache(maxsize=None)
def language(code: str = "fr") -> Language:
    """The shipped bundle of `code` (veille/resources/<code>/); KeyError when there is none. The
    code comes from input metadata: only a language code names a folder ("../x" never does)."""
    if not _CODE.fullmatch(code or ""):
        raise KeyError(f"no language bundle {code!r}: not a language code")
    root = _resources() / code
    if not (root / "language.yaml").is_file():
        raise KeyError(f"no language bundle {code!r}; shipped: {', '.join(available())}")
    return Language(code, root)


def bundle_for(code: str | None) -> Language | None:
    """The shipped bundle of an article's language; None when veille has none (the article is
    stored, not extracted)."""
    try:
        return language(code or "")
    except KeyError:
        return None


def from_folder(root: str | Path) -> Language:
    """A bundle kept outside the package (a test's, or one being written)."""
    root = Path(root)
    code = (yaml.load((root / "language.yaml").read_text(encoding="utf-8"), Loader=_LOADER) or {}).get("code")
    return Language(str(code or root.name), root)


def compile_all(lang: Language) -> dict[str, Any]:
    """Every layer's compiled vocabulary of `lang`, by "module.function"."""
    built = {}
    for module, name in COMPILERS:
        built[f"{module}.{name}"] = getattr(importlib.import_module(module), name)(lang)
    return built


def default() -> Language:
    """The bundle used when a caller names none: French, the language veille was written for."""
    return language("fr")

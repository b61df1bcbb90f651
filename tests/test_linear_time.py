"""No input may hang a process: every regular expression of the extractors and the whole
extraction stay (near) linear on long adversarial runs of one character class.

The budgets are generous on purpose (a linear pass takes milliseconds): they catch the
quadratic and worse cases, which take seconds to hours at these lengths.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import veille
from veille.language import available, compile_all, language


def _slots(obj) -> list[tuple[str, object]]:
    """The fields of a dataclass with slots, which has no __dict__."""
    return [(name, getattr(obj, name)) for name in getattr(obj, "__slots__", ())]

# Runs that made some pattern of the project backtrack: letters, digits, spaces, separators,
# punctuation, quotes, abbreviations, number groups.
UNITS = ["a", "1", " ", "1 ", "a ", "a-", "1,", "1.", "a.", "é", "A", "- ", ",", "'", "de ", "a1", "\n",
         "« ", "M. ", "A.", "1 000 ", "et ", "( ", "% ", "a,", "-1", "%2", "\t", ".", "…", "€"]


def _patterns() -> dict[str, re.Pattern]:
    found: dict[int, tuple[str, re.Pattern]] = {}

    def collect(obj, where: str, depth: int = 0) -> None:
        if isinstance(obj, re.Pattern):
            found.setdefault(id(obj), (where, obj))
        elif depth < 3 and isinstance(obj, dict):
            for k, v in obj.items():
                collect(v, f"{where}[{k!r}]", depth + 1)
        elif depth < 3 and isinstance(obj, (list, tuple)):
            for i, v in enumerate(obj):
                collect(v, f"{where}[{i}]", depth + 1)

    # the patterns each layer compiles from a language bundle, walked through their fields
    for code in available():
        for where, built in compile_all(language(code)).items():
            for name, value in vars(built).items() if hasattr(built, "__dict__") else _slots(built):
                collect(value, f"{where}({code}).{name}", 1)
    for info in pkgutil.walk_packages(veille.__path__, "veille."):
        if info.name.startswith(("veille.api", "veille.web", "veille.cli", "veille.batch")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            collect(value, f"{info.name}.{name}")
    return {where: pattern for where, pattern in found.values()}


PATTERNS = _patterns()


def test_the_audit_sees_the_extractors_patterns():
    assert len(PATTERNS) > 80
    assert any(name.startswith("veille.extract.measurements.") for name in PATTERNS)
    assert any(name.startswith("veille.extract.time.") for name in PATTERNS)
    assert any(name.startswith("veille.ingest.") for name in PATTERNS)
    assert any(name.startswith("veille.extract.events.lang.event_language(fr)") for name in PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_on_long_runs(name):
    pattern = PATTERNS[name]
    for unit in UNITS:
        for length in (500, 1000, 2000, 4000):   # a runaway pattern shows its cost before it hangs the suite
            text = unit * (length // len(unit))
            t0 = time.perf_counter()
            for _ in pattern.finditer(text):
                pass
            spent = time.perf_counter() - t0
            assert spent < 0.25 * length / 4000, \
                f"{name} takes {spent:.2f} s on {len(text)} characters of {unit!r}"


@pytest.mark.model
@pytest.mark.parametrize("unit", ["a", ",", "'", "a-", "1 ", "- ", "« ", "% ", "a,", "1-", "M. ", "1 000 "])
def test_extraction_is_linear_on_long_runs(nlp_pipeline, unit):
    from veille.records import Article

    def seconds(n: int) -> float:
        text = "La Chine et l'Inde ont signé un accord lundi. " + unit * (n // len(unit)) + \
            " Les échanges ont atteint 10 milliards de dollars."
        article = Article(text=text, source=f"run-{n}", title=None, language="fr", published="2024-05-01",
                          published_precision="day")
        t0 = time.perf_counter()
        record = nlp_pipeline.run_one(article)
        assert record.doc.text == text
        return time.perf_counter() - t0

    small, large = seconds(3000), seconds(24000)
    # linear: about 8 times as long; quadratic: 64 times
    assert large < 20 * small + 2.0, f"{unit!r}: 3,000 characters {small:.2f} s, 24,000 characters {large:.2f} s"

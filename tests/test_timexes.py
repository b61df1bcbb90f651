"""Tests of the French time-expression layer: a table of sentences, bad input, properties."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.extract.timexes import extract_timexes, reference_days
from veille.records import GRANULARITIES, TIMEX_TYPES, Timex
from veille.resources import load
from veille.text import fold

TABLES = Path(__file__).parent / "tables"
TABLE = yaml.safe_load((TABLES / "timexes_fr.yaml").read_text(encoding="utf-8"))
DEFAULT_PUBLISHED = TABLE["default_published"]
# Written apart, before the fixes of issue 16, by class: numeric dates, ranges, vague words,
# durations, impossible dates. Cases not right yet are strict xfails with their reason.
WRITTEN = yaml.safe_load((TABLES / "timexes_written_fr.yaml").read_text(encoding="utf-8"))
WRITTEN_KNOWN = (yaml.safe_load((TABLES / "timexes_written_known_failures.yaml").read_text(encoding="utf-8"))
                 or {}).get("cases") or {}


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _case_id(case: dict) -> str:
    return f"{case['text'][:48]}@{case.get('published', DEFAULT_PUBLISHED)}"


def _norm(s: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in fold(s)).split())


def _find(timexes: list[Timex], text: str) -> Timex:
    wanted = _norm(text)
    hits = [t for t in timexes if wanted in _norm(t.text)]
    assert hits, f"no timex contains {text!r}: {[t.text for t in timexes]}"
    return hits[0]


def _check(t: Timex, expect: dict) -> None:
    fields = {"type": t.type, "begin": t.begin, "end": t.end_date,
              "granularity": t.granularity, "value": t.value}
    for key, value in expect.items():
        if key == "text":
            continue
        if key == "note":
            if value is None:
                assert t.note is None, f"{t.text!r}: unexpected note {t.note!r}"
            else:
                assert t.note and value in t.note, f"{t.text!r}: note {t.note!r} lacks {value!r}"
            continue
        assert fields[key] == _iso(value), f"{t.text!r}: {key} is {fields[key]!r}, expected {_iso(value)!r}"


def _run_case(case: dict, default_published) -> None:
    published = _iso(case.get("published", default_published))
    precision = case.get("precision", "day")
    found = extract_timexes(case["text"], published, precision)
    if case.get("none"):
        assert found == [], [t.text for t in found]
    for text in case.get("absent", ()):
        assert not any(_norm(text) in _norm(t.text) for t in found), [t.text for t in found]
    expects = case.get("expect") or []
    for expect in expects if isinstance(expects, list) else [expects]:
        _check(_find(found, str(_iso(expect["text"]))), expect)


@pytest.mark.parametrize("case", TABLE["cases"], ids=_case_id)
def test_table(case):
    _run_case(case, DEFAULT_PUBLISHED)


def _written_id(case: dict) -> str:
    return f"{case['class']}:{case['text'][:48]}@{case.get('published', WRITTEN['default_published'])}"


@pytest.mark.parametrize("case", [
    pytest.param(c, id=_written_id(c), marks=[pytest.mark.xfail(reason=WRITTEN_KNOWN[_written_id(c)], strict=True)]
                 if _written_id(c) in WRITTEN_KNOWN else []) for c in WRITTEN["cases"]])
def test_written_table(case):
    _run_case(case, WRITTEN["default_published"])


def test_written_known_failures_are_cases_with_reasons():
    ids = {_written_id(c) for c in WRITTEN["cases"]}
    assert set(WRITTEN_KNOWN) <= ids, sorted(set(WRITTEN_KNOWN) - ids)
    assert all(isinstance(why, str) and len(why) > 10 for why in WRITTEN_KNOWN.values())


def test_table_is_large_enough():
    assert len(TABLE["cases"]) >= 150


# -- the article-level behaviour --------------------------------------------------------------

ARTICLE = (
    "Les deux gouvernements ont signé lundi un accord commercial, a rapporté l'agence officielle. "
    "De janvier à septembre, les échanges ont progressé de 12 % par rapport à l'année précédente. "
    "En mai, les autorités ont indiqué que le nouveau pont ouvrirait à partir de juin. "
    "Le ministre a déclaré en septembre que les deux pays visent 300 milliards d'ici 2030."
)


def test_article_in_order_and_without_overlap():
    found = extract_timexes(ARTICLE, "2023-10-23")
    assert [t.text for t in found] == [
        "lundi", "De janvier à septembre", "l'année précédente", "En mai",
        "à partir de juin", "en septembre", "d'ici 2030"]
    for before, after in zip(found, found[1:]):
        assert before.end <= after.start
    assert [(t.begin, t.end_date) for t in found] == [
        ("2023-10-23", "2023-10-23"), ("2023-01-01", "2023-09-30"), ("2022-01-01", "2022-12-31"),
        ("2023-05-01", "2023-05-31"), ("2023-06-01", "2023-06-30"), ("2023-09-01", "2023-09-30"),
        ("2023-10-23", "2030-12-31")]


def test_offsets_point_into_the_text():
    for t in extract_timexes(ARTICLE, "2023-10-23"):
        assert ARTICLE[t.start:t.end] == t.text


def test_records_round_trip():
    for t in extract_timexes(ARTICLE, "2023-10-23"):
        assert Timex.from_dict(t.to_dict()) == t


def test_pure_function_of_its_inputs():
    """The same text and date give the same result, whatever day the tests run on."""
    assert extract_timexes(ARTICLE, "2023-10-23") == extract_timexes(ARTICLE, "2023-10-23")
    assert extract_timexes("Il est parti hier.", "2001-03-05")[0].begin == "2001-03-04"


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", " ", "\n\n", "depuis le", "d'ici", "Le 31", "entre 2017 et",
                                  "du 3 au", "il y a", "1:20", "2023-13-45", "99/99/9999"])
def test_fragments_do_not_crash(text):
    for t in extract_timexes(text, "2023-10-23"):
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize("published", [None, "", "2023", "2023-10", "2023-10-23", "2023-02-30",
                                       "1-1-1", "demain", "0001-01-01", "9999-12-31",
                                       "2023-10-23T08:00:00+02:00"])
def test_any_publication_date(published):
    text = ("Hier, lundi dernier et l'an prochain, puis d'ici 2030, il y a deux ans "
            "et dans trois mois, depuis le 3 juillet et jusqu'à demain.")
    for t in extract_timexes(text, published):
        assert text[t.start:t.end] == t.text


def test_text_must_be_a_string():
    with pytest.raises(TypeError):
        extract_timexes(None, "2023-10-23")  # type: ignore[arg-type]


def test_reference_days():
    assert reference_days("2023-10-23") == ((date(2023, 10, 23),), None)
    assert reference_days("2023-10-23", "month")[0] == (date(2023, 10, 1), date(2023, 10, 31))
    assert reference_days("2023", None)[0] == (date(2023, 1, 1), date(2023, 12, 31))
    assert reference_days(None)[1] == "publication date unknown"
    assert reference_days("2023-02-30")[1] == "publication date unknown"


def test_huge_text_stays_fast():
    text = (ARTICLE + " ") * 400
    started = time.perf_counter()
    found = extract_timexes(text, "2023-10-23")
    elapsed = time.perf_counter() - started
    assert len(found) == 7 * 400
    assert elapsed < 5.0


def test_article_is_fast():
    words = ARTICLE.split()
    text = " ".join(words[i % len(words)] for i in range(500))
    extract_timexes(text, "2023-10-23")
    started = time.perf_counter()
    for _ in range(20):
        extract_timexes(text, "2023-10-23")
    assert (time.perf_counter() - started) / 20 < 0.02


# -- the vocabulary -----------------------------------------------------------------------------

def test_vocabulary_is_complete():
    data = load("fr/time.yaml")
    assert sorted(data["months"].values()) == list(range(1, 13))
    assert sorted(data["weekdays"].values()) == list(range(7))
    assert set(data["deictics"]) >= {"hier", "aujourd'hui", "demain", "avant-hier", "après-demain"}
    for entry in data["named_anchors"]:
        assert isinstance(entry["date"], date) and entry["names"]
    for role in ("since", "by", "from", "until", "within", "range_open", "range_close"):
        assert data["markers"][role]


# -- properties ----------------------------------------------------------------------------------

FRENCH_BITS = st.sampled_from([
    "le 3 juillet 2017", "9 Mai", "février 2022", "en 2030", "le 16/05/2024", "1er janvier",
    "mi-mars", "fin 2024", "début 2025", "lundi", "ce jeudi", "mercredi dernier", "hier",
    "la semaine dernière", "l'an dernier", "il y a deux ans", "De janvier à septembre",
    "entre 2017 et 2020", "du 3 au 5 juillet", "depuis", "depuis le début de", "d'ici",
    "à partir de", "jusqu'en", "quatre jours", "48 heures", "31 février", "1 500", " ", ", ",
    ". ", "\n", "ont signé", "se rendra", "l'invasion de l'Ukraine", "au cours des neuf premiers mois",
])
PUBLISHED = st.one_of(
    st.none(), st.just("2023-10"), st.just("2023"), st.just("2999-01-01"),
    st.dates().map(date.isoformat), st.text(max_size=12),
)


def _check_offsets(text: str, found: list[Timex]) -> None:
    previous_end = 0
    for t in found:
        assert text[t.start:t.end] == t.text
        assert t.start >= previous_end
        previous_end = t.end
        assert t.type in TIMEX_TYPES
        assert t.granularity is None or t.granularity in GRANULARITIES


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), published=PUBLISHED,
       precision=st.sampled_from(["day", "month", "year", None]))
def test_never_raises_on_arbitrary_text(text, published, precision):
    _check_offsets(text, extract_timexes(text, published, precision))


@settings(max_examples=300, deadline=None)
@given(bits=st.lists(FRENCH_BITS, max_size=12), published=PUBLISHED)
def test_never_raises_on_french_fragments(bits, published):
    text = " ".join(bits)
    _check_offsets(text, extract_timexes(text, published))


def test_the_clock_is_never_read(monkeypatch):
    """Results depend on the publication date only: a clock read would fail here."""
    from veille.extract import timexes as module
    from veille.extract.time import calendar, resolve

    class NoClock(date):
        @classmethod
        def today(cls):
            raise AssertionError("the clock was read")

    for mod in (module, calendar, resolve):
        monkeypatch.setattr(mod, "date", NoClock)
    found = extract_timexes(ARTICLE, "2023-10-23") + extract_timexes(ARTICLE, None)
    assert len(found) == 14


def test_vague_durations_joined_by_et_do_not_crash():
    """"quelques mois" has no count: joined to another duration by "et" it stays apart (this
    crashed the article's preparation with KeyError before)."""
    for text in ("Les travaux ont duré deux ans et quelques mois.",
                 "La trêve a tenu quelques semaines et trois jours.",
                 "Il a fallu quelques jours et quelques heures pour conclure."):
        found = extract_timexes(text, "2024-03-15")
        assert found, text
        assert all(t.type in ("DURATION", "DATE", "SET", "TIME") for t in found)
    two = extract_timexes("Les travaux ont duré deux ans et quelques mois.", "2024-03-15")
    assert [t.value for t in two if t.type == "DURATION"][0] == "P2Y"


def test_words_come_from_the_bundle_given(tmp_path):
    """The layer reads its words from the bundle it is given: in a copy of the French bundle
    where "hier" is "hierzz", "hierzz" is the day before and "hier" is no longer a date."""
    import shutil

    from veille.language import default, from_folder

    shutil.copytree(default().root, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "time.yaml"
    source = path.read_text(encoding="utf-8")
    assert "  hier: -1\n" in source
    path.write_text(source.replace("  hier: -1\n", "  hierzz: -1\n"), encoding="utf-8")
    lang = from_folder(tmp_path)

    invented = extract_timexes("Il est arrivé hierzz à Pékin.", "2023-10-23", lang=lang)
    assert [(t.text, t.begin) for t in invented] == [("hierzz", "2023-10-22")]
    assert extract_timexes("Il est arrivé hier à Pékin.", "2023-10-23", lang=lang) == []
    assert [t.text for t in extract_timexes("Il est arrivé hier à Pékin.", "2023-10-23")] == ["hier"]


def test_typographic_apostrophes_tell_the_tense_as_straight_ones_do():
    """The press writes "s’est" and "qu’il": the tense cues read them on text as written as they
    read "s'est" and "qu'il" (extract_timexes hands them folded text, other callers need not)."""
    from veille.extract.time.tense import tense_cues

    cues = tense_cues()
    assert cues.cues("Le ministre s’est rendu jeudi") == cues.cues("Le ministre s'est rendu jeudi") != []
    assert cues.clause_breaks("Il a dit qu’il viendra") == cues.clause_breaks("Il a dit qu'il viendra") != ([], [])
    for text in ("Le ministre s’est rendu jeudi à Athènes.", "Le ministre s'est rendu jeudi à Athènes."):
        assert [(t.text, t.begin) for t in extract_timexes(text, "2024-06-12")] == [("jeudi", "2024-06-06")]

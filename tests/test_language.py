"""The language seam: every bundle has French's files and keys and compiles for every layer,
and every layer reads its words from the bundle it is given, proved on a small English bundle
of our own making (tests/lang/en/: a few words per layer; every key it does not write is
filled with an empty value of French's shape, "no word for this concept")."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from veille.language import FILES, Language, available, compile_all, from_folder, language

ENGLISH = ROOT / "tests" / "lang" / "en"
PUBLISHED = "2024-05-04"
# words French and English write alike (French "billion" is 10^12: the bundles say so)
COGNATES = {"agreement", "billion", "billions", "deal", "dollar", "dollars", "usd", "us dollars", "million",
            "millions", "may", "mr", "mr.", "mrs", "ms", "trade", "treaty"}


# maps from words to lists of words (a lemma to its written forms): their keys are words, not concepts
WORD_MAPS = {"saying_verbs"}


def _is_record(value, key=None) -> bool:
    return isinstance(value, dict) and key not in WORD_MAPS and any(isinstance(v, (dict, list)) for v in value.values())


def _shape(value, key=None):
    """The keys of a bundle value, recursively, where they are concepts (a record of lists or
    records); a map from words to values ("janvier": 1) and a list are leaves."""
    if _is_record(value, key):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, dict):
        return "map"
    return type(value).__name__ if not isinstance(value, (int, float)) or isinstance(value, bool) else "number"


def _empty(value, key=None):
    """A value of the same shape holding no word."""
    if _is_record(value, key):
        return {k: _empty(v, k) for k, v in value.items()}
    if isinstance(value, dict):
        return {}
    if isinstance(value, list):
        return []
    return "" if isinstance(value, str) else value


def _merge(base, given):
    if isinstance(base, dict) and isinstance(given, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in given.items()}}
    return given


# fields of a record in a list whose values name concepts, not words
CONCEPT_FIELDS = {"type", "roles", "mode", "joint", "iso", "granularity", "pos", "per", "unit"}


def _words(value, key=None) -> set[str]:
    """The words of a bundle value: the items of its lists and the keys of its word maps (not
    the concept names that key its records, nor the concept values of its maps)."""
    if isinstance(value, dict):
        if not _is_record(value, key):
            return {str(k) for k in value} | (_words(list(value.values())) if key in WORD_MAPS else set())
        return {w for k, v in value.items() for w in _words(v, k)}
    if isinstance(value, list):      # a list of words, or of records whose values are words (triggers)
        return {w for v in value for w in (_words([x for k, x in v.items() if k not in CONCEPT_FIELDS])
                                           if isinstance(v, dict)
                                           else _words(v) if isinstance(v, list) else {str(v)})}
    return set()


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Language:
    root = tmp_path_factory.mktemp("en")
    french = language("fr")
    for name in FILES:
        path = ENGLISH / f"{name}.yaml"
        given = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        data = _merge(_empty(french.data(name)), given or {})
        (root / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return from_folder(root)


@pytest.mark.parametrize("code", available())
def test_every_shipped_bundle_has_the_files_and_keys_of_french_and_compiles(code):
    bundle, french = language(code), language("fr")
    for name in FILES:
        assert (bundle.root / f"{name}.yaml").is_file(), f"{code} lacks {name}.yaml"
        assert _shape(bundle.data(name)) == _shape(french.data(name)), f"{code}/{name}.yaml: keys differ from fr"
    assert bundle.data("language")["code"] == code
    built = compile_all(bundle)
    assert len(built) >= 9 and all(v is not None for v in built.values())


def test_the_french_model_pin_is_the_one_installed():
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    french = language("fr")
    assert f"{french.model.replace('_', '-')}=={french.model_version}" in pins


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(KeyError, match="no language bundle 'xx'"):
        language("xx")
    for code in ("../fr", "fr/../fr", "", "FR", "gazetteer"):     # input metadata never names a folder
        with pytest.raises(KeyError):
            language(code)


def test_the_english_bundle_has_french_keys_and_no_french_word(english):
    for name in FILES:
        assert _shape(english.data(name)) == _shape(language("fr").data(name)), name
    french_words = {w.lower() for name in FILES for w in _words(language("fr").data(name))}
    english_words = {w.lower() for name in FILES if name != "language" for w in _words(english.data(name))}
    # what both may hold: symbols, ISO codes, PLOVER types and roles, and one word both write alike
    shared = {w for w in english_words & french_words if re.search(r"[a-z]{2}", w)}
    assert shared <= COGNATES, sorted(shared - COGNATES)


def test_time_expressions_read_with_the_english_words(english):
    from veille.extract.timexes import extract_timexes

    found = {t.text: (t.begin, t.end_date) for t in extract_timexes(
        "On 3 May 2024 the talks opened; yesterday they closed.", PUBLISHED, lang=english)}
    assert found.get("3 May 2024") == ("2024-05-03", "2024-05-03")
    assert found.get("yesterday") == ("2024-05-03", "2024-05-03")
    assert extract_timexes("Le 3 mai 2024, hier.", PUBLISHED, lang=english) == []


def test_figures_read_with_the_english_words(english):
    from veille.extract.measurements import extract_measurements

    text = "Bilateral trade reached 20 billion dollars."
    figures = extract_measurements(text, [(0, len(text))], [], [], PUBLISHED, lang=english)
    assert [(m.value, m.unit, m.metric) for m in figures] == [(20e9, "USD", "trade_volume")]
    french = "Le commerce bilatéral a atteint 20 milliards de dollars."
    assert not any(m.value == 20e9 for m in extract_measurements(french, [(0, len(french))], [], [], PUBLISHED,
                                                                   lang=english))


def _parsed(words, pos, heads, deps, lemmas):
    """A parse written by hand (no English model is installed): what the event layer reads."""
    import spacy
    from spacy.tokens import Doc

    return Doc(spacy.blank("en").vocab, words=words, spaces=[w != words[-2] for w in words[:-1]] + [False],
               pos=pos, heads=heads, deps=deps, lemmas=lemmas)


def test_entities_and_events_read_with_the_english_words(english):
    from veille.extract.entities import extract_entities
    from veille.extract.events import extract_events

    doc = _parsed(["Japan", "and", "India", "signed", "an", "agreement", "."],
                  ["PROPN", "CCONJ", "PROPN", "VERB", "DET", "NOUN", "PUNCT"],
                  [3, 2, 0, 3, 5, 3, 3], ["nsubj", "cc", "conj", "ROOT", "det", "obj", "punct"],
                  ["Japan", "and", "India", "sign", "a", "agreement", "."])
    entities, places = extract_entities(doc, PUBLISHED, lang=english)
    assert {e.country for e in entities} == {"JPN", "IND"}
    events, _ = extract_events(doc, entities, places, [], PUBLISHED, english)
    assert [(e.type, sorted(e.actor)) for e in events] == [("AGREE", ["IND", "JPN"])]
    # the French bundle knows no English verb
    assert extract_events(doc, entities, places, [], PUBLISHED, language("fr"))[0] == []


def test_who_says_a_figure_reads_with_the_english_words(english):
    from veille.fusion.claims import claim_of

    text = "Trade reached 20 billion dollars, according to the customs office."
    span = (text.index("20"), text.index(","))
    claim = claim_of(text, (0, len(text)), span, lang=english)
    assert claim is not None and claim.kind == "cited" and "customs office" in claim.source
    assert claim_of(text, (0, len(text)), span, lang=language("fr")) is None


def test_a_dateline_reads_with_the_english_words(english):
    from veille.ingest.dates import dateline_day_month

    assert dateline_day_month("TOKYO, 16 May (AFP) - The talks opened.", english) == (16, 5)
    assert dateline_day_month("TOKYO, 16 mai (AFP) - Les pourparlers.", english) is None


def test_an_article_in_a_language_without_bundle_is_not_dated_from_its_words():
    from veille.ingest import _date_reading
    from veille.settings import Settings

    order, words = _date_reading(Settings(), "en")
    assert words is None and "dateline" not in order and "text" not in order and "url" in order
    order, words = _date_reading(Settings(), "fr")
    assert words is language("fr") and order[-2:] == ("dateline", "text")

"""Figures layer: the table of French figures in tables/measurements_fr.yaml, bad inputs,
and properties that hold on any text."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import check_known_failures, known_failures, table_params
from veille.extract.measurements import extract_measurements
from veille.records import Measurement, PlaceRef, Timex
from veille.resources import load

TABLES = Path(__file__).parent / "tables"
TABLE = yaml.safe_load((TABLES / "measurements_fr.yaml").read_text(encoding="utf-8"))
# Written apart, before the fixes of issue 16, by class: money, number words, currencies, units,
# what is not a percentage, bad input. Cases not right yet are strict xfails with their reason.
WRITTEN = yaml.safe_load((TABLES / "figures_written_fr.yaml").read_text(encoding="utf-8"))
WRITTEN_KNOWN = known_failures(TABLES / "figures_written_known_failures.yaml")
ARTICLES = ("la ", "le ", "les ", "l'", "l’")


def split_sentences(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in re.finditer(r"(?<=[.!?»])\s+(?=[A-ZÀ-ÝÉ«(\"])|\n+", text):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def make_places(text: str, spec: dict[str, str] | None) -> list[PlaceRef]:
    """{"la Russie": "RUS", "chinoises": "CHN"} -> a PlaceRef for every occurrence;
    a lower-case span that is not an article + name is a demonym."""
    out, taken = [], []
    for name in sorted(spec or {}, key=len, reverse=True):
        demonym = name[0].islower() and not name.startswith(ARTICLES)
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(PlaceRef(m.start(), m.end(), spec[name], "demonym" if demonym else "name"))
    return sorted(out, key=lambda p: p.start)


def make_timexes(text: str, spec: list[list[str]] | None) -> list[Timex]:
    """[["en mars", "2024-03-01", "2024-03-31"], ["sur un an", "DURATION"]] -> Timex records."""
    out, pos = [], 0
    for item in spec or []:
        s = str(item[0])
        i = text.find(s, pos)
        assert i >= 0, f"timex {s!r} not in {text!r}"
        pos = i + 1
        if item[1] == "DURATION":
            out.append(Timex(i, i + len(s), s, "DURATION", value="P1Y"))
        else:
            out.append(Timex(i, i + len(s), s, "DATE", str(item[1]), str(item[2]), "month"))
    return out


def run(case: dict) -> list[Measurement]:
    text = case["text"]
    return extract_measurements(text, split_sentences(text), make_places(text, case.get("places")),
                                make_timexes(text, case.get("timexes")), str(case.get("published", "2024-06-15")))


def close(a: float | None, b: float | None, rel: float = 1e-6) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)


def check(m: Measurement, want: dict) -> list[str]:
    d = m.to_dict()
    errors = []
    for key, expected in want.items():
        got = d.get(key)
        if key == "value":
            ok = close(got, float(expected))
        elif key in ("usd", "value_max"):
            ok = close(got, None if expected is None else float(expected), 0.01)
        elif key == "period":
            ok = (got is None) if expected is None else (
                got is not None and [got["begin"], got["end"]] == [str(x) for x in expected])
        else:
            ok = got == expected
        if not ok:
            errors.append(f"{key}: want {expected!r}, got {got!r}")
    return errors


@pytest.mark.parametrize("case", TABLE, ids=[c["id"] for c in TABLE])
def test_table(case):
    _check_case(case)


@pytest.mark.parametrize("case", table_params(WRITTEN, WRITTEN_KNOWN))
def test_written_table(case):
    _check_case(case)


def _check_case(case: dict) -> None:
    got = run(case)
    want = case["expect"] or []
    summary = [(m.text, m.value, m.unit) for m in got]
    assert len(got) == len(want), f"{case['text']!r}: want {len(want)} figures, got {summary}"
    for m, w in zip(got, want):
        errors = check(m, w)
        assert not errors, f"{case['text']!r} -> {m.text!r}: " + "; ".join(errors)


def test_written_known_failures_are_cases_with_reasons():
    check_known_failures(WRITTEN, WRITTEN_KNOWN)


def test_table_is_large_enough():
    assert len(TABLE) >= 150
    assert sum(len(c["expect"]) for c in TABLE) >= 150
    assert len({c["id"] for c in TABLE}) == len(TABLE)


# --- bad inputs ------------------------------------------------------------------

def extract(text: str, **kw) -> list[Measurement]:
    return extract_measurements(text, split_sentences(text), kw.get("places", []), kw.get("timexes", []),
                                kw.get("published"))


def test_empty_text():
    assert extract("") == []
    assert extract_measurements("", [], [], [], None) == []


def test_many_digits():
    ms = extract("La somme de 123456789012345678901234567890 dollars est absurde.")
    assert len(ms) == 1 and ms[0].unit == "USD" and ms[0].value > 1e29


def test_ambiguous_dot_is_thousands():
    (m,) = extract("Le lot coûte 1.234 euros.")
    assert m.value == 1234.0


def test_list_of_numbers_does_not_crash():
    assert extract("Les alinéas 3,5,6 et 7,8,9 %.") == []


def test_currency_word_without_number():
    assert extract("Le commerce se fait désormais en yuans et en roubles.") == []


def test_percentage_over_100():
    (m,) = extract("Les ventes ont augmenté de 1 250 %.")
    assert m.value == 1250.0 and m.relation == "change"


def test_fall_is_negative_change():
    (m,) = extract("Les exportations ont enregistré un recul de 5 %.")
    assert (m.value, m.relation, m.unit) == (-5.0, "change", "%")


def test_no_sentences_given():
    ms = extract_measurements("Les ventes ont atteint 5 milliards de dollars. Puis 3 accords.", [], [], [], None)
    assert [m.unit for m in ms] == ["USD", "count"]
    assert all(m.evidence is not None for m in ms)


def test_evidence_is_the_sentence():
    text = "Premier point. Les échanges ont atteint 10 milliards de dollars. Fin."
    (m,) = extract(text)
    assert text[m.evidence[0]:m.evidence[1]] == "Les échanges ont atteint 10 milliards de dollars."


def test_parser_cut_inside_a_compound_is_mended():
    text = "Les expéditions de machines-outils ont décuplé depuis 2022."
    cut = text.index("-outils")
    (m,) = extract_measurements(text, [(0, cut), (cut, len(text))], [], [], None)
    assert (m.value, m.metric, m.evidence) == (10.0, "exports", (0, len(text)))


def test_parser_cut_after_a_number_is_mended():
    text = "Le commerce a totalisé 240 Mds $ en 2023."
    cut = text.index("Mds")
    timexes = make_timexes(text, [["en 2023", "2023-01-01", "2023-12-31"]])
    (m,) = extract_measurements(text, [(0, cut), (cut, len(text))], [], timexes, None)
    assert (m.value, m.unit, m.evidence) == (240e9, "USD", (0, len(text)))
    assert (m.period.begin, m.period.end) == ("2023-01-01", "2023-12-31")


def test_full_stop_the_parser_missed_ends_a_sentence():
    text = "L'armée a reçu 12 Su-35S. L'état-major vise 30 avions de plus. M. Li a signé 4 accords."
    ms = extract_measurements(text, [(0, len(text))], [], [], None)
    assert [(m.value, m.status) for m in ms] == [(12.0, "actual"), (30.0, "target"), (4.0, "actual")]
    assert text[ms[0].evidence[0]:ms[0].evidence[1]] == "L'armée a reçu 12 Su-35S."
    assert text[ms[2].evidence[0]:ms[2].evidence[1]] == "M. Li a signé 4 accords."


def test_paragraph_break_ends_a_sentence():
    text = "En mars, les ventes ont repris.\n\nLe forum a réuni 300 participants."
    timexes = make_timexes(text, [["En mars", "2024-03-01", "2024-03-31"]])
    (m,) = extract_measurements(text, [(0, len(text))], [], timexes, None)
    assert m.period is None and text[m.evidence[0]:m.evidence[1]] == "Le forum a réuni 300 participants."


def test_exchange_rate_single_measurement():
    text = "Les ventes ont atteint 42 milliards de yuans. (1 $ = 7,0 yuans chinois)"
    ms = extract(text)
    assert [(m.metric, m.unit) for m in ms] == [("exports", "CNY"), ("exchange_rate", "CNY")]
    assert ms[0].usd == pytest.approx(6e9)
    assert ms[1].usd is None and ms[1].value == 7.0


def test_places_outside_text_are_ignored():
    text = "Les exportations ont atteint 5 milliards de dollars."
    bogus = [PlaceRef(500, 510, "RUS"), PlaceRef(0, 3, "CHN", "demonym")]
    (m,) = extract_measurements(text, split_sentences(text), bogus, [], None)
    assert m.unit == "USD"


def test_records_round_trip():
    text = "Les exportations chinoises vers la Russie ont augmenté de 12 % en mars."
    case = {"text": text, "places": {"chinoises": "CHN", "la Russie": "RUS"},
            "timexes": [["en mars", "2024-03-01", "2024-03-31"]]}
    (m,) = run(case)
    assert Measurement.from_dict(m.to_dict()) == m


# --- properties ------------------------------------------------------------------

FRENCH_BITS = st.sampled_from([
    "42,64 milliards de yuans", "82,3 %", "(1 $ = 7,3172 yuans)", "près de 800 entreprises", "décuplé",
    "entre 10 et 12", "de 5 à 7 %", "3,5,6", "1.234", "−5 %", "+", "-", "€", "$", "¥", " ", ",", ".", "\n",
    "pour cent", "multiplié par", "une trentaine de", "des dizaines de milliers", "soit", "(", ")",
    "les exportations", "vers", "la Russie", "en 2023", "objectif de", "devraient", "1\u00a0500", "1\u202f500",
    "quarante", "vingt-deux", "un milliard et demi", "k€", "Mds", "points de pourcentage", "fois plus",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRENCH_BITS, st.text(max_size=12)), max_size=30))
def test_never_raises_and_offsets_hold(parts):
    text = "".join(parts)
    places = [PlaceRef(i, i + 2, "RUS") for i in range(0, max(0, len(text) - 2), 7)]
    timexes = [Timex(i, i + 3, text[i:i + 3], "DATE", "2023-01-01", "2023-12-31", "year")
               for i in range(0, max(0, len(text) - 3), 11)]
    ms = extract_measurements(text, split_sentences(text), places, timexes, "2023-05-01")
    starts = [m.start for m in ms]
    assert starts == sorted(starts)
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert m.kind in ("amount", "percent", "multiplier", "count", "physical")
        assert m.relation in ("level", "change", "share")
        assert m.status in ("actual", "target", "forecast")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    for m in extract_measurements(text, [], [], [], None):
        assert text[m.start:m.end] == m.text


# --- data files -------------------------------------------------------------------

def test_figures_vocabulary_is_well_formed():
    v = load("fr/figures.yaml")
    for code, c in v["currencies"].items():
        assert re.fullmatch(r"[A-Z]{3}", code) and c["names"]
    for metric in list(v["metrics"]) + list(v["count_nouns"]):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", metric)
    assert set(v["metric_direction"]) <= set(v["metrics"])
    for q in v["qualifiers"].values():
        assert q in ("nearly", "about", "over", "under", "up_to")
    named = set(v["metrics"]) | set(v["count_nouns"])
    for table in ("unit_metrics", "share_metrics", "count_value_metrics", "physical_metrics"):
        for metric in v[table].values():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", metric), (table, metric)
    assert set(v["model_count_metrics"]) <= set(v["count_nouns"])
    assert set(v["count_value_metrics"]) <= set(v["count_nouns"])
    assert set(v["share_metrics"]) | set(v["physical_metrics"]) <= named
    assert set(v["metric_nouns_after"]) <= named
    units = {u["unit"] for u in v["physical_units"]}
    assert set(v["unit_metrics"]) <= units
    assert not any(u.endswith("/an") for u in units)     # a yearly flow keeps its plain unit


def test_rates_cover_the_main_currencies():
    rates = load("rates.yaml")
    for code in ("CNY", "RUB", "EUR", "JPY", "INR", "GBP", "KZT", "TRY", "BRL", "KRW"):
        years = rates[code]
        assert all(2010 <= y <= 2025 for y in years)
        assert set(range(2010, 2025)) <= set(years)
        assert all(float(r) > 0 for r in years.values())


def test_speed():
    base = ("Les exportations chinoises vers la Russie ont augmenté de 82,3 % au cours des neuf premiers mois, "
            "pour atteindre 42,64 milliards de yuans (5,83 milliards de dollars). Près de 800 entreprises "
            "ont participé au forum, qui a réuni des délégations de 40 pays. ")
    text = base * 12            # about 500 words
    sents = split_sentences(text)
    extract_measurements(text, sents, [], [], "2023-10-23")
    t0 = time.perf_counter()
    for _ in range(5):
        extract_measurements(text, sents, [], [], "2023-10-23")
    assert (time.perf_counter() - t0) / 5 < 0.05


def test_every_metric_is_documented():
    """docs/METRICS.md names every metric the extractor can emit, and nothing else."""
    import re as _re

    import yaml

    from conftest import ROOT

    v = yaml.safe_load((ROOT / "veille" / "resources" / "fr" / "figures.yaml").read_text(encoding="utf-8"))
    emitted = (set(v["metrics"]) | set(v["metric_participles"]) | set(v["metric_nouns_after"])
               | set(v["unit_metrics"].values()) | set(v["share_metrics"].values())
               | set(v["count_value_metrics"].values()) | set(v["physical_metrics"].values())
               | set(v["count_nouns"]) | set(v["model_count_metrics"]))
    metrics = yaml.safe_load((ROOT / "veille" / "resources" / "metrics.yaml").read_text(encoding="utf-8"))
    emitted |= set(metrics["yearly_metrics"])
    doc = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
    documented = set(_re.findall(r"`([a-z_]+)`", doc))
    assert emitted - documented == set(), f"undocumented metrics: {sorted(emitted - documented)}"
    vocabulary = {w for w in documented if w not in {"from", "to", "period", "relation", "share", "change", "count",
                                                      "unit", "status", "target", "metric"}}
    stray = {w for w in vocabulary if "_" in w or w.endswith("s")} - emitted
    assert not stray, f"documented but never emitted: {sorted(stray)}"


def test_the_layer_reads_the_words_of_the_bundle_it_is_given(tmp_path):
    """A copy of the French bundle whose word for 10^9 is invented: the figure layer (and the
    numbers under it) reads the invented word with that bundle, and the French one no longer."""
    import shutil

    from veille.extract.numbers import find_numbers
    from veille.language import default, from_folder

    shutil.copytree(default().root, tmp_path, dirs_exist_ok=True)
    figures = tmp_path / "figures.yaml"
    text = figures.read_text(encoding="utf-8")
    scales = "  milliard: 1.0e+9\n  milliards: 1.0e+9\n"
    assert scales in text
    figures.write_text(text.replace(scales, "  milliardzz: 1.0e+9\n"), encoding="utf-8")
    lang = from_folder(tmp_path)

    invented = "Les échanges ont atteint 42 milliardzz de dollars en 2023."
    french = "Les échanges ont atteint 42 milliards de dollars en 2023."
    assert [n.value for n in find_numbers(invented, lang=lang)] == [42e9, 2023.0]
    (m,) = extract_measurements(invented, split_sentences(invented), [], [], "2024-01-10", lang=lang)
    assert (m.text, m.value, m.unit) == ("42 milliardzz de dollars", 42e9, "USD")
    assert all(m.value != 42e9 for m in extract_measurements(french, split_sentences(french), [], [],
                                                             "2024-01-10", lang=lang))
    (m,) = extract(french)                     # the shipped bundle is untouched
    assert (m.value, m.unit) == (42e9, "USD")


def test_a_yearly_target_is_its_horizon_year_without_a_publication_date():
    """ "porter ses échanges à ... d'ici 2030" is the trade of 2030, whether or not the article
    is dated (undated, the horizon's start is unknown, not its year)."""
    from veille.extract.timexes import extract_timexes

    text = "L'Inde et le Japon veulent porter leurs échanges à 50 milliards de dollars d'ici 2030."
    for published in ("2024-06-15", None):
        timexes = extract_timexes(text, published)
        got = extract_measurements(text, [(0, len(text))], [], timexes, published)
        assert [(m.status, m.period.begin, m.period.end) for m in got] == [("target", "2030-01-01", "2030-12-31")]


# -- places from the act of the sentence (veille/extract/measurements/acts.py) ----------------

def _fig(text: str, sentence: str, kind: str = "amount", metric=None, from_=None, to=None, unit="EUR"):
    i = sentence.index(text)
    return Measurement(start=i, end=i + len(text), text=text, value=1.0, unit=unit, kind=kind, metric=metric,
                       from_=from_, to=to)


def _act(type_: str, actor: str, recipient: str, sentence: str, **kw):
    from veille.records import Event

    return Event(type_, (actor,), (recipient,), evidence=(0, len(sentence)), **kw)


ACT_CASES = [
    # a sum demanded of the other comes from it; a place already right is completed
    ("Athènes réclame à Berlin 280 milliards d'euros de réparations.", "280 milliards d'euros",
     {}, ("REQUEST", "GRC", "DEU"), ("DEU", "GRC")),
    ("Athènes réclame à Berlin 280 milliards d'euros de réparations.", "280 milliards d'euros",
     {"from_": "GRC"}, ("REQUEST", "GRC", "DEU"), ("DEU", "GRC")),
    # a duty levied on the target's goods: from the target to the state levying it
    ("Ottawa impose des droits de 100 % sur les véhicules électriques de Chine.", "100 %",
     {"kind": "percent", "metric": "tariffs", "to": "CAN", "unit": "%"}, ("SANCTION", "CAN", "CHN"), ("CHN", "CAN")),
    # aid from the giver
    ("Le Japon accorde au Kenya un prêt de 300 millions de dollars.", "300 millions de dollars",
     {"metric": "loans", "unit": "USD"}, ("AID", "JPN", "KEN"), ("JPN", "KEN")),
    # a place that is not a party wins: the figure is about something else
    ("Ankara demande à Athènes de respecter les 6 milles nautiques fixés avec l'Égypte.", "6 milles",
     {"kind": "physical", "from_": "EGY", "unit": "nmi"}, ("REQUEST", "TUR", "GRC"), ("EGY", None)),
    # a percentage in a request is no sum: nothing
    ("Alger demande à Paris de réduire de 20 % les visas refusés.", "20 %",
     {"kind": "percent", "unit": "%"}, ("REQUEST", "DZA", "FRA"), (None, None)),
    # a tariff-free figure in a sanction sentence: nothing
    ("Washington sanctionne 12 entreprises indiennes.", "12 entreprises",
     {"kind": "count", "metric": "companies", "unit": "count"}, ("SANCTION", "USA", "IND"), (None, None)),
]


@pytest.mark.parametrize("sentence, text, fig, act, want", ACT_CASES)
def test_a_figure_takes_the_sides_the_act_of_its_sentence_gives_it(sentence, text, fig, act, want):
    from veille.extract.measurements.acts import direct_by_acts

    [m] = direct_by_acts([_fig(text, sentence, **fig)], [_act(*act, sentence)])
    assert (m.from_, m.to) == want


def test_acts_of_other_sentences_or_that_disagree_leave_a_figure_alone():
    from veille.extract.measurements.acts import direct_by_acts
    from veille.records import Event

    sentence = "Athènes réclame à Berlin 280 milliards d'euros."
    m = _fig("280 milliards d'euros", sentence)
    elsewhere = Event("REQUEST", ("GRC",), ("DEU",), evidence=(len(sentence) + 1, len(sentence) + 40))
    assert (direct_by_acts([m], [elsewhere])[0].from_) is None
    both_ways = [_act("REQUEST", "GRC", "DEU", sentence), _act("REQUEST", "DEU", "GRC", sentence)]
    assert direct_by_acts([m], both_ways)[0].from_ is None
    several = Event("REQUEST", ("GRC", "CYP"), ("DEU",), evidence=(0, len(sentence)))
    assert direct_by_acts([m], [several])[0].from_ is None


@pytest.mark.model
def test_the_pipeline_gives_a_demanded_sum_the_sides_of_its_request(nlp_pipeline):
    from veille.records import Article

    text = ("La Namibie a réclamé jeudi à l'Allemagne 1,1 milliard d'euros de réparations pour les massacres "
            "de l'époque coloniale.")
    record = nlp_pipeline.run_one(Article(text=text, source="act-request", language="fr", published="2024-06-13"))
    [m] = [m for m in record.measurements if m.unit == "EUR"]
    assert (m.from_, m.to) == ("DEU", "NAM")

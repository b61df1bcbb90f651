"""Fusion across articles: near-copies, fused events, figure groups and conflicts.

Pure functions are tested with tables of French inputs written for these tests;
the database side with articles written for these tests (records built by hand,
no model), with the demo corpus and its cross-article truth (fusion-*.yaml), and
with bad input: thousands of copies, dates years apart, an absurd value.
"""
from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, list_conflicts, list_copy_groups, list_events, list_figures, list_series, veille
from veille.fusion import fuse, rebuild
from veille.fusion.claims import claim_of, claims_in
from veille.fusion.copies import near_copies
from veille.fusion.data import config, folded
from veille.fusion.events import dates_agree, places_agree, same_event
from veille.fusion.figures import (agree, approximations, claims_conflict, comparable, conflict, figure_key, interval,
                                   qualifier_of, rounding_unit)
from veille.language import default, from_folder
from veille.read import Filters
from veille.records import Article, Entity, Event, Measurement, Period, Record
from veille.store import Store

GOLD = ROOT / "tests" / "gold" / "demo"
CORPUS = ROOT / "veille" / "resources" / "demo"
# Floors, (precision, recall): on the gold's own items, what the fusion reaches; on the pipeline's
# output, a little below what it reached (2026-11-21, after the event work of the third session:
# events 0.93/0.93, figures 0.99/0.91, conflicts 1.0/1.0). Raise them when the fusion or the
# extraction improves; never lower one to let a change pass.
GOLD_FLOORS = {"events": (1.0, 1.0), "figures": (1.0, 1.0), "conflicts": (1.0, 1.0)}
PIPELINE_FLOORS = {"events": (0.9, 0.9), "figures": (0.95, 0.9), "conflicts": (1.0, 1.0)}



# -- the data file -----------------------------------------------------------------

def test_fusion_data_is_complete_and_sane():
    c = config()
    assert 0 < c["copies"]["jaccard"] < 1 and c["copies"]["num_perm"] % c["copies"]["band_rows"] == 0
    widths = c["figures"]["rounding"]
    assert all(0 <= widths[k] < 1 for k in ("about", "nearly", "over", "under"))
    assert widths["min_significant_digits"] >= 1
    assert set(c["events"]["status_rank"]) == {"occurred", "future", "historical", "hypothetical", "negated"}
    assert "fr" not in c, "the words fusion reads are the language bundle's (claims.yaml), not thresholds"
    cues = default().data("claims")
    saying = cues["saying_verbs"]
    assert {"déclarer", "annoncer", "dire"} <= set(saying) and all(folded(f) == f for fs in saying.values() for f in fs or ())
    for name in ("source_markers", "same_source_phrases", "source_pronouns", "determiners",
                 "auxiliaries", "past_auxiliaries", "passive_auxiliaries", "subject_pronouns", "clause_words",
                 "reporting_conjunctions"):
        assert cues[name] and all(folded(w) == w for w in cues[name]), f"{name}: cues must be written folded"
    words = approximations()
    assert words.qualifiers and words.nouns
    for prefix, _ in words.qualifiers:
        assert qualifier_of(Measurement(0, 0, f"{prefix} 10", 10, "count", "count")) in ("about", "over", "under", "nearly")


@pytest.mark.parametrize("metadata, source, expected", [
    ({"site": "Pacifique Hebdo", "url": "https://pacifique-hebdo.example/a"}, "x", "Pacifique Hebdo"),
    ({"url": "https://www.courrier-asie.example/2024/05/16/a"}, "demo/001.txt", "courrier-asie.example"),
    ({}, "https://eurasie-hebdo.example/energie/a.html", "eurasie-hebdo.example"),
    ({}, "/corpus/demo/025_petrole-brut-chine.txt", "025_petrole-brut-chine.txt"),
])
def test_outlet_is_the_fallback_claim_source(metadata, source, expected):
    from veille.fusion.data import outlet_of

    assert outlet_of(metadata, source) == expected


# -- near-copies -----------------------------------------------------------------------

DISPATCH = (
    "Le président russe Vladimir Poutine a été reçu jeudi à Pékin par son homologue chinois Xi Jinping, "
    "au premier jour d'une visite d'État de deux jours. Les deux dirigeants ont signé une déclaration "
    "commune sur leur partenariat et une dizaine d'accords entre leurs gouvernements. Selon les douanes "
    "chinoises, le commerce entre les deux pays a atteint 240,1 milliards de dollars en 2023, un record. "
    "Vendredi, le chef du Kremlin doit se rendre à Harbin, dans le nord-est de la Chine, pour ouvrir "
    "une exposition commerciale. Moscou compte sur Pékin pour écouler son pétrole et son gaz depuis que "
    "les Européens en achètent beaucoup moins.")
REPRINT = (     # syndicated: a headline of its own, a word changed, the last sentence cut
    "Visite d'État : Xi Jinping déroule le tapis rouge pour son hôte. "
    + DISPATCH.replace("reçu jeudi", "accueilli jeudi").rsplit(" Moscou compte", 1)[0])
REWRITE = (
    "Accueilli avec faste par Xi Jinping, Vladimir Poutine a entamé jeudi dans la capitale chinoise une "
    "visite de deux jours. Une déclaration conjointe et une dizaine de textes intergouvernementaux ont été "
    "paraphés. Les échanges bilatéraux ont culminé l'an dernier à quelque 240 milliards de dollars, "
    "d'après Pékin. Le dirigeant russe est attendu vendredi à Harbin.")


@pytest.mark.parametrize("a, b, expected", [
    (DISPATCH, DISPATCH, True),
    (DISPATCH, REPRINT, True),
    (DISPATCH, REWRITE, False),           # the same story in other words: not a copy
    (DISPATCH, "Le pont de Tongjiang a vu passer dix millions de tonnes de fret.", False),
])
def test_near_copies(a, b, expected):
    assert near_copies(a, b) is expected


# -- events ---------------------------------------------------------------------------

def ev(type_="CONSULT", actor=("RUS",), recipient=("CHN",), begin="2024-05-16", end="2024-05-17", **kw):
    return Event(type=type_, actor=actor, recipient=recipient,
                 date=Period(begin, end) if begin else None, **kw)


@pytest.mark.parametrize("a, b, expected", [
    (ev(), ev(), True),
    (ev(), ev(begin="2024-05-16", end="2024-05-16"), True),                  # "jeudi" within the two days
    (ev(), ev(status="historical", begin="2024-05-01", end="2024-05-31"), True),   # "en mai", recalled later
    (ev(), ev(status="future", begin="2024-05-17", end="2024-05-17"), True),       # announced the day before
    (ev(), ev(begin=None), True),                                            # no date: agrees with any
    (ev(), ev(begin="2019-04-25", end="2019-04-27"), False),                 # years apart
    (ev(), ev(actor=("CHN", "RUS"), recipient=()), True),                    # the talks during the visit
    (ev(), ev(actor=("CHN",), recipient=("RUS",)), False),                   # a visit the other way
    (ev(type_="SANCTION"), ev(type_="SANCTION", actor=("CHN", "RUS"), recipient=()), False),   # only meetings
    (ev(), ev(actor=("CHN",), recipient=("RUS",)), False),                   # the other way round
    (ev(), ev("AGREE"), False),
    (ev(), ev(status="negated"), False),                                     # "aucune visite"
    (ev(location="Pékin"), ev(location="Harbin"), False),
    (ev(location="Pékin"), ev(location="Beijing"), True),
    (ev(location="Pékin"), ev(location="CHN"), True),
    (ev(mode="visit"), ev(mode="phone"), False),
    (ev("SUPPORT", ("CHN", "RUS"), (), count=2), ev("SUPPORT", ("RUS", "CHN"), (), count=10), False),
    (ev(actor=(), recipient=()), ev(actor=(), recipient=()), False),          # no party: cannot be told apart
])
def test_same_event(a, b, expected):
    assert same_event(a, b) is expected
    assert same_event(b, a) is expected


@pytest.mark.parametrize("a, b, expected", [
    (Period("2024-05-16", "2024-05-16"), Period("2024-05-01", "2024-05-31"), True),
    (Period("2024-05-16", "2024-05-16"), Period("2024-05-17", "2024-05-17"), False),
    (Period("2023-01-01", "2023-12-31"), Period("2023-12-19", "2023-12-19"), True),
    (Period("2019-01-01", "2019-12-31"), Period("2024-01-01", "2024-12-31"), False),
    (None, Period("2024-05-16", "2024-05-16"), True),
])
def test_dates_agree_within_their_precision(a, b, expected):
    assert dates_agree(a, b) is expected


@pytest.mark.parametrize("a, b, expected", [
    ("Pékin", "Beijing", True), ("Harbin", "Pékin", False), ("Moscou", "Moscow", True),
    ("CHN", "Harbin", True), ("RUS", "Harbin", False), (None, "Harbin", True),
])
def test_places_agree(a, b, expected):
    assert places_agree(a, b) is expected


DAYS = st.one_of(st.none(), st.sampled_from(["2019-04-25", "2024-05-01", "2024-05-16", "2024-05-17", "2024-05-31",
                                              "2024-13-45", "", "mai"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(DAYS, DAYS, st.sampled_from(["occurred", "historical", "future", "negated"]),
                          st.sampled_from([None, "Pékin", "Harbin", "CHN"])), min_size=1, max_size=12))
def test_every_report_lands_in_exactly_one_cluster_whatever_its_dates(reports):
    from veille.fusion.events import Report, cluster_block

    rs = [Report(f"a{i % 4}", i, Event("CONSULT", ("RUS",), ("CHN",), status=status, location=place,
                                          date=Period(b, e) if b or e else None))
          for i, (b, e, status, place) in enumerate(reports)]
    clusters = cluster_block("CONSULT|RUS>CHN", rs)
    placed = sorted(r.idx for c in clusters for r in c.reports)
    assert placed == list(range(len(rs)))
    shuffled = cluster_block("CONSULT|RUS>CHN", list(reversed(rs)))
    assert sorted(sorted(r.idx for r in c.reports) for c in shuffled) == sorted(sorted(r.idx for r in c.reports)
                                                                                for c in clusters)


# -- figures ----------------------------------------------------------------------------

def fig(text, value, unit="USD", kind="amount", usd=None, qualifier=None, **kw):
    kw.setdefault("metric", "trade_volume")
    kw.setdefault("from_", "CHN")
    kw.setdefault("to", "RUS")
    kw.setdefault("period", Period("2023-01-01", "2023-12-31"))
    if usd is None and unit == "USD":
        usd = value
    return Measurement(0, len(text), text, value, unit, kind, usd=usd, qualifier=qualifier, **kw)


@pytest.mark.parametrize("text, value, unit_", [
    ("240,1 milliards de dollars", 240.1e9, 1e8),
    ("240 milliards de dollars", 240e9, 1e10),
    ("200 milliards de dollars", 200e9, 1e10),           # read with two significant digits
    ("228 milliards de dollars", 228e9, 1e9),
    ("21 490 milliards de roubles", 21490e9, 10e9),
    ("1 700 milliards de yuans", 1700e9, 100e9),
    ("26,3 %", 26.3, 0.1),
    ("quatre réacteurs", 4, 0.0),
])
def test_rounding_unit_follows_the_written_digits(text, value, unit_):
    assert rounding_unit(fig(text, value)) == pytest.approx(unit_)


A = fig("240,1 milliards de dollars", 240.1e9)
AGREE_WITH_A = [
    fig("plus de 240 milliards de dollars", 240e9),
    fig("quelque 240 milliards de dollars", 240e9),
    fig("240 milliards de dollars", 240e9),
    fig("240,11 Mds $", 240.11e9),
    fig("21 490 milliards de roubles", 21490e9, "RUB", usd=240.11e9),     # at the article's 89,5 roubles
    fig("1 700 milliards de yuans", 1700e9, "CNY", usd=239.44e9),          # at the article's 7,1 yuans
]
DISAGREE_WITH_A = [
    fig("228 milliards de dollars", 228e9),                                 # the Kremlin's figure
    fig("près de 20 750 milliards de roubles", 20750e9, "RUB", usd=228.02e9),
    fig("200 milliards de dollars", 200e9),
    fig("250 milliards de dollars", 250e9),
]


@pytest.mark.parametrize("other", AGREE_WITH_A, ids=lambda m: m.text)
def test_figures_within_rounding_agree(other):
    assert agree(comparable(A), comparable(other))
    assert not conflict([comparable(A), comparable(other)])


@pytest.mark.parametrize("other", DISAGREE_WITH_A, ids=lambda m: m.text)
def test_figures_beyond_rounding_conflict(other):
    assert not agree(comparable(A), comparable(other))
    assert conflict([comparable(A), comparable(other)])


@pytest.mark.parametrize("a, b, expected", [
    (fig("26,3 %", 26.3, "%", "percent", relation="change"), fig("26,3 pour cent", 26.3, "%", "percent", relation="change"), False),
    (fig("26,3 %", 26.3, "%", "percent", relation="change"), fig("36,3 %", 36.3, "%", "percent", relation="change"), True),
    (fig("environ 90 %", 90, "%", "percent"), fig("plus de 90 %", 90, "%", "percent"), False),
    (fig("environ 190 milliards de dollars", 190e9), fig("190,27 milliards de dollars", 190.27e9), False),
    (fig("218,17 milliards de dollars", 218.17e9), fig("208 milliards de dollars", 208e9), True),
    (fig("près de 23 milliards de mètres cubes", 23e9, "m3", "physical"),
     fig("22,7 milliards de mètres cubes", 22.7e9, "m3", "physical"), False),
])
def test_conflict_table(a, b, expected):
    assert conflict([comparable(a), comparable(b)]) is expected


def test_an_article_stating_several_things_under_one_key_does_not_conflict_with_itself():
    lada, haval = interval(fig("292 800 ventes", 292800, "count", "count")), interval(fig("105 600", 105600, "count", "count"))
    assert not claims_conflict([[lada, haval]])                 # one article, two brands
    assert not claims_conflict([[lada, haval], [lada]])         # another article names one of them
    assert claims_conflict([[lada], [haval]])                   # two articles, two values: a conflict


@pytest.mark.parametrize("m, expected", [
    (fig("240,1 milliards de dollars", 240.1e9, from_="RUS", to="CHN"),
     ("trade_volume", "level", "actual", ("CHN", "RUS"), "USD", ("2023-01-01", "2023-12-31"))),
    (fig("21 490 milliards de roubles", 21490e9, "RUB", usd=240.1e9),
     ("trade_volume", "level", "actual", ("CHN", "RUS"), "USD", ("2023-01-01", "2023-12-31"))),
    (fig("46,9 %", 46.9, "%", "percent", metric="exports", relation="change"),
     ("exports", "change", "actual", ("CHN", "RUS"), "%", ("2023-01-01", "2023-12-31"))),
    (fig("46,9 %", 46.9, "%", "percent", metric="exports", relation="change", from_="RUS", to="CHN"),
     ("exports", "change", "actual", ("RUS", "CHN"), "%", ("2023-01-01", "2023-12-31"))),
    (fig("200 milliards de dollars", 200e9, status="target", period=None),
     ("trade_volume", "level", "target", ("CHN", "RUS"), "USD", None)),
    (fig("38 milliards de mètres cubes par an", 38e9, "m3/an", "physical", metric="capacity", from_="RUS", to="CHN"),
     ("capacity", "level", "actual", ("RUS", "CHN"), "m3", ("2023-01-01", "2023-12-31"))),
    (fig("environ 2 600 kilomètres", 2600, "km", "physical", metric="length", from_=None, to=None), None),
    (fig("12 accords", 12, "count", "count", metric=None), None),
])
def test_figure_key(m, expected):
    assert figure_key(m) == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), value=st.floats(allow_nan=True, allow_infinity=True),
       qualifier=st.sampled_from([None, "about", "over", "under", "nearly", "up_to"]))
def test_reading_a_figure_never_raises(text, value, qualifier):
    lo, hi = interval(Measurement(0, 0, text, value, "USD", "amount", usd=value, qualifier=qualifier))
    assert math.isnan(lo) or lo <= hi


# -- who says it ------------------------------------------------------------------------

def ent(id_, name, type_, text, *surfaces):
    spans = []
    for s in surfaces:
        start = 0
        while (i := text.find(s, start)) >= 0:
            spans.append((i, i + len(s)))
            start = i + len(s)
    return Entity(id=id_, name=name, type=type_, mentions=tuple(sorted(spans)))


@pytest.mark.parametrize("sentence, figure, expected", [
    ("Le commerce a atteint 240,1 milliards de dollars, selon les douanes chinoises.", "240,1", ("douanes chinoises", "cited")),
    ("D'après les chiffres publiés vendredi par l'Administration générale des douanes, le commerce a atteint "
     "240,1 milliards de dollars.", "240,1", ("Administration générale des douanes", "cited")),
    ("Le Kremlin s'est vanté d'un commerce de 228 milliards de dollars.", "228", ("Kremlin", "speaker")),
    ("Le commerce a atteint 228 milliards de dollars, a indiqué Iouri Ouchakov.", "228", ("Iouri Ouchakov", "speaker")),
    ("Le commerce a atteint 228 milliards de dollars, souligne le Kremlin.", "228", ("Kremlin", "speaker")),
    ("La présidence russe affirme que le commerce a atteint 228 milliards de dollars.", "228", ("présidence russe", "speaker")),
    ("Aucun accord n'a été annoncé sur un gazoduc de 50 milliards de mètres cubes.", "50", None),
    ("Le commerce a atteint 240,1 milliards de dollars en 2023.", "240,1", None),
])
def test_claim_source_of_a_sentence(sentence, figure, expected):
    entities = [ent("customs", "General Administration of Customs", "ORG", sentence, "douanes chinoises",
                    "Administration générale des douanes"),
                ent("kremlin", "Kremlin", "ORG", sentence, "Kremlin"),
                ent("ushakov", "Yuri Ushakov", "PERSON", sentence, "Iouri Ouchakov")]
    start = sentence.index(figure)
    claim = claim_of(sentence, (0, len(sentence)), (start, start + len(figure)), entities)
    assert (claim.source, claim.kind) == expected if expected else claim is None


def test_the_same_source_refers_back():
    text = ("Le commerce a dépassé 200 milliards de dollars, se félicite le Kremlin. "
            "Selon la même source, plus de 90 % des paiements se font en roubles ou en yuans.")
    entities = [ent("kremlin", "Kremlin", "ORG", text, "Kremlin")]
    spans = [((text.index("200"), text.index("200") + 3), None), ((text.index("90 %"), text.index("90 %") + 4), None)]
    first, second = claims_in(text, spans, entities)
    assert first.entity == second.entity == "kremlin"


def test_claim_cues_come_from_the_bundle(tmp_path):
    """A bundle whose word for "selon" is an invented one: the claim reader follows the bundle."""
    shutil.copytree(ROOT / "veille" / "resources" / "fr", tmp_path, dirs_exist_ok=True)
    claims = tmp_path / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace('"selon"', '"zelmor"'), encoding="utf-8")
    lang = from_folder(tmp_path)
    invented = "Le commerce a atteint 240,1 milliards de dollars, zelmor les douanes chinoises."
    french = "Le commerce a atteint 240,1 milliards de dollars, selon les douanes chinoises."
    span = (22, 27)
    assert claim_of(invented, (0, len(invented)), span, lang=lang).source == "douanes chinoises"
    assert claim_of(french, (0, len(french)), span, lang=lang) is None
    assert claim_of(french, (0, len(french)), span).source == "douanes chinoises"       # the shipped bundle
    assert claims_in(invented, [(span, None)], [], lang)[0].source == "douanes chinoises"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_claims_never_raise_on_arbitrary_text(text):
    claim_of(text, (0, len(text)), (0, min(3, len(text))), [])


# -- articles written for these tests ------------------------------------------------------

def article(text, source, published="2024-05-17", site=None, events=(), figures=(), entities=()) -> Record:
    """A record built by hand: events are (Event, sentence fragment), figures (Measurement kwargs, text)."""
    doc = Article(text=text, source=source, language="fr", published=published, published_precision="day",
                  metadata={"url": f"https://{site or 'exemple.example'}/{source}"})
    evs = []
    for e, fragment in events:
        i = text.index(fragment)
        evs.append(replace(e, evidence=(i, i + len(fragment))))
    ms = []
    for m in figures:
        i = text.index(m.text)
        ms.append(replace(m, start=i, end=i + len(m.text)))
    ents = tuple(ent(id_, name, type_, text, *surfaces) for id_, name, type_, *surfaces in entities)
    return Record(doc=doc, entities=ents, measurements=tuple(ms), events=tuple(evs))


ENTITIES = [("customs", "General Administration of Customs", "ORG", "douanes chinoises",
             "Administration générale des douanes"),
            ("kremlin", "Kremlin", "ORG", "Kremlin"), ("Q7747", "Vladimir Putin", "PERSON", "Vladimir Poutine"),
            ("Q15031", "Xi Jinping", "PERSON", "Xi Jinping")]
VISIT = ev(mode="visit", location="Pékin", confidence=0.6)
TRADE = dict(metric="trade_volume", from_="CHN", to="RUS", period=Period("2023-01-01", "2023-12-31"))


def summit_articles() -> list[Record]:
    """Four outlets report Putin's visit to Beijing; three give 2023 trade, one wrongly, one in yuans."""
    a1 = DISPATCH
    a2 = REPRINT
    a3 = ("Le Kremlin s'est vanté vendredi d'un commerce record de 228 milliards de dollars avec la Chine "
          "l'an dernier. La veille, Vladimir Poutine avait été accueilli à Pékin par Xi Jinping pour deux jours "
          "de visite d'État.")
    a4 = ("Les échanges sino-russes ont représenté en 2023 quelque 1 700 milliards de yuans, d'après les "
          "statistiques publiées par l'Administration générale des douanes. Lors de la visite de Vladimir Poutine "
          "à Pékin en mai, Xi Jinping a salué ce record. En avril 2019, Vladimir Poutine s'était déjà rendu "
          "à Pékin.")
    return [
        article(a1, "fil/depeche-1", "2024-05-16", "fil-asie.example", entities=ENTITIES,
                events=[(VISIT, "Le président russe Vladimir Poutine a été reçu jeudi à Pékin")],
                figures=[fig("240,1 milliards de dollars", 240.1e9, **TRADE)]),
        article(a2, "journal/reprise", "2024-05-16", "gazette-du-soir.example", entities=ENTITIES,
                events=[(VISIT, "Le président russe Vladimir Poutine a été accueilli jeudi à Pékin")],
                figures=[fig("240,1 milliards de dollars", 240.1e9, **TRADE)]),
        article(a3, "hebdo/kremlin", "2024-05-17", "hebdo-est.example", entities=ENTITIES,
                events=[(ev(mode="visit", location="Pékin", begin="2024-05-16", end="2024-05-16", status="historical"),
                         "La veille, Vladimir Poutine avait été accueilli à Pékin")],
                figures=[fig("228 milliards de dollars", 228e9, **TRADE)]),
        article(a4, "mensuel/yuans", "2024-06-03", "mensuel-eco.example", entities=ENTITIES,
                events=[(ev(mode="visit", location="Pékin", status="historical", begin="2024-05-01", end="2024-05-31"),
                         "Lors de la visite de Vladimir Poutine à Pékin en mai"),
                        (ev(mode="visit", location="Pékin", status="historical", begin="2019-04-01", end="2019-04-30"),
                         "En avril 2019, Vladimir Poutine s'était déjà rendu à Pékin")],
                figures=[fig("1 700 milliards de yuans", 1700e9, "CNY", usd=1700e9 / 7.1, **TRADE)]),
    ]


def fused(records, tmp_path, name="f.duckdb", batches=1):
    store = Store(tmp_path / name)
    size = math.ceil(len(records) / batches)
    for start in range(0, len(records), size):
        for r in records[start:start + size]:
            store.put(r, "test")
        fuse(store)
    return store


def dump(store) -> dict:
    """Every fusion table, sorted: what must not depend on batches or re-runs."""
    tables = ("fusion_articles", "copy_signatures", "copy_bands", "copy_members", "fused_events",
              "fused_event_sources", "figure_groups", "figure_members", "figure_conflicts")
    return {t: sorted(map(repr, store.con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_the_summit_is_one_event_with_its_sources_and_the_figure_one_group_in_conflict(tmp_path):
    records = summit_articles()
    with fused(records, tmp_path) as store:
        visits = [e for e in list_events(store, Filters(type="CONSULT", parties=("RUS", "CHN")))]
        assert len(visits) == 2                         # the May 2024 visit, and the April 2019 one apart
        may = next(e for e in visits if e["date"]["begin"].startswith("2024"))
        assert may["source_count"] == 4 and may["independent_sources"] == 3      # 1 and 2 are copies
        assert may["date"] == {"begin": "2024-05-16", "end": "2024-05-16"}
        assert {s["outlet"] for s in may["sources"]} == {"fil-asie.example", "gazette-du-soir.example",
                                                         "hebdo-est.example", "mensuel-eco.example"}
        assert all(s["evidence"] for s in may["sources"])
        assert may["status"] == "occurred" and may["confidence"] == pytest.approx(1 - 0.4 * 0.5 * 0.5)
        copies = list_copy_groups(store)
        assert [sorted(m["outlet"] for m in c["members"]) for c in copies] == [["fil-asie.example", "gazette-du-soir.example"]]

        [group] = list_figures(store, Filters(metric="trade_volume", parties=("CHN", "RUS")))
        assert group["member_count"] == 4 and group["conflict"] and group["value"] == pytest.approx(240.1e9)
        [c] = list_conflicts(store)
        says = [(round(p["value"] / 1e9, 1), sorted({x["claim_source"] for x in p["claims"]})) for p in c["positions"]]
        assert says == [(240.1, ["General Administration of Customs"]), (228.0, ["Kremlin"])]
        assert c["positions"][0]["independent_sources"] == 2       # the reprint does not count twice
        [series] = list_series(store, Filters(metric="trade_volume"))
        assert [p["period"]["begin"] for p in series["points"]] == ["2023-01-01"]


def test_the_command_line_lists_fused_events_figures_and_conflicts(tmp_path):
    fused(summit_articles(), tmp_path, "cli.duckdb").close()
    db = str(tmp_path / "cli.duckdb")
    result = veille("events", "--db", db, "--format", "json", "-p", "CHN,RUS", "--type", "consult", "--since", "2024-01-01")
    assert result.returncode == 0, result.stderr
    [event] = json.loads(result.stdout)
    assert len(event["sources"]) == 4 and all({"article_id", "outlet", "evidence"} <= set(s) for s in event["sources"])
    figures = json.loads(veille("figures", "--db", db, "--format", "json", "--metric", "trade_volume").stdout)
    assert len(figures) == 1 and len(figures[0]["members"]) == 4
    conflicts = json.loads(veille("conflicts", "--db", db, "--format", "json").stdout)
    assert [len(c["positions"]) for c in conflicts] == [2]
    table = veille("conflicts", "--db", db)
    assert "Kremlin" in table.stdout and "228 bn USD" in table.stdout
    assert veille("events", "--db", db, "--until", "2020-01-01", "--format", "json").stdout.count('"event_id"') == 1
    assert veille("series", "--db", db).returncode == 0 and veille("copies", "--db", db).returncode == 0
    assert veille("events", "--db", str(tmp_path / "none.duckdb")).returncode != 0
    scored = veille("eval-fusion", str(GOLD), "--corpus", str(CORPUS), "--source", "gold", "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["figures"]["precision"] >= GOLD_FLOORS["figures"][0]


def test_batches_reruns_and_rebuilds_give_the_same_rows(tmp_path):
    records = summit_articles()
    whole = fused(records, tmp_path, "whole.duckdb")
    parts = fused(list(reversed(records)), tmp_path, "parts.duckdb", batches=len(records))
    assert dump(parts) == dump(whole)
    before = dump(whole)
    assert fuse(whole).articles == 0
    for r in records:
        assert whole.put(r).outcome == "unchanged"
    assert dump(whole) == before
    rebuild(whole)
    assert dump(whole) == before
    whole.close()
    parts.close()


def test_nothing_is_lost_and_a_corrected_article_replaces_its_old_version(tmp_path):
    records = summit_articles()
    with fused(records, tmp_path) as store:
        counts = store.con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM fused_event_sources),"
                                   " (SELECT count(*) FROM measurements), (SELECT count(*) FROM figure_members)").fetchone()
        assert counts[0] == counts[1] and counts[2] == counts[3]
        wrong = records[2]
        corrected_text = wrong.doc.text.replace("228", "240,1")
        corrected = replace(wrong, doc=replace(wrong.doc, text=corrected_text),
                            measurements=(replace(wrong.measurements[0], text="240,1 milliards de dollars",
                                                  value=240.1e9, usd=240.1e9),))
        assert store.put(corrected).outcome == "version"
        report = fuse(store)
        assert report.articles == 1 and report.removed == 1
        assert list_conflicts(store) == []
        assert store.con.execute("SELECT count(*) FROM figure_members WHERE article_id = ?", [wrong.doc.id]).fetchone()[0] == 0


def test_dates_years_apart_are_not_fused(tmp_path):
    text = "Vladimir Poutine a été reçu à Pékin par Xi Jinping."
    records = [article(text + f" ({year})", f"archives/{year}", f"{year}-05-20", f"archives{year}.example",
                       events=[(ev(begin=f"{year}-05-16", end=f"{year}-05-17"), text)])
               for year in (2019, 2024)]
    with fused(records, tmp_path) as store:
        assert [e["source_count"] for e in list_events(store)] == [1, 1]


def test_an_absurd_value_is_kept_but_does_not_break_its_group(tmp_path):
    records = summit_articles()[:2]
    text = "Le commerce sino-russe aurait atteint 1e30 dollars en 2023, selon un blog."
    records.append(article(text, "blog/absurde", "2024-05-18", "blog.example",
                           figures=[fig("1e30 dollars", 1e30, **TRADE)]))
    with fused(records, tmp_path) as store:
        [group] = list_figures(store, Filters(metric="trade_volume"))
        assert group["member_count"] == 3 and not group["conflict"] and group["implausible"] == 1
        assert group["value"] == pytest.approx(240.1e9)
        absurd = next(m for m in group["members"] if m["implausible"])
        assert absurd["value"] == 1e30 and absurd["text"] == "1e30 dollars"


def test_thousands_of_copies_of_one_article(tmp_path):
    n = 2000
    base = replace(summit_articles()[0], entities=())      # fewer rows to store: the fusion is what is timed
    records = []
    for i in range(n):
        text = base.doc.text + f" (Édition {i}.)"
        doc = replace(base.doc, text=text, source=f"reprise/{i}", metadata={"url": f"https://site{i % 40}.example/{i}"})
        records.append(replace(base, doc=doc))
    store = Store(tmp_path / "many.duckdb")
    elapsed = 0.0
    for half in (records[:n // 2], records[n // 2:]):        # two ingest runs: the second updates the first
        for r in half:
            store.put(r, "test")
        start = time.monotonic()
        fuse(store)
        elapsed += time.monotonic() - start
    with store:
        [event] = list_events(store, Filters())
        assert event["source_count"] == n and event["independent_sources"] == 1
        assert event["confidence"] == pytest.approx(0.6)          # copies of one dispatch are one source
        [group] = list_figures(store)
        assert group["member_count"] == n and group["independent_sources"] == 1 and not group["conflict"]
        [copies] = list_copy_groups(store)
        assert copies["articles"] == n and copies["outlets"] == 40
        one_more = replace(base, doc=replace(base.doc, text=base.doc.text + " (Édition spéciale.)", source="reprise/x"))
        store.put(one_more)
        tick = time.monotonic()
        assert fuse(store).articles == 1
        assert time.monotonic() - tick < 10
    assert elapsed < 30, f"fusing {n} articles took {elapsed:.1f} s"


# -- the demo corpus and its cross-article truth ---------------------------------------------

@pytest.fixture(scope="module")
def demo_records():
    from veille.fusion.evaluate import gold_records, pipeline_records
    from veille.settings import Settings

    return {"gold": gold_records(GOLD, Settings(), CORPUS), "pipeline": pipeline_records(GOLD, Settings(), CORPUS)}


def _scores(records, tmp_path, batches=1):
    from veille.fusion.evaluate import score_store

    store = fused(records, tmp_path, f"demo-{batches}.duckdb", batches)
    return store, score_store(store, GOLD)


@pytest.mark.model
@pytest.mark.parametrize("source", ["gold", "pipeline"])
def test_demo_fusion_scores_stay_above_their_floors(demo_records, tmp_path, source):
    store, scores = _scores(demo_records[source], tmp_path)
    store.close()
    got = scores.to_dict()
    floors = GOLD_FLOORS if source == "gold" else PIPELINE_FLOORS
    below = {layer: (got[layer]["precision"], got[layer]["recall"], floor) for layer, floor in floors.items()
             if got[layer]["precision"] + 1e-9 < floor[0] or got[layer]["recall"] + 1e-9 < floor[1]}
    assert not below, f"{source}: fusion below its floor ((precision, recall) got, floor): {below}"


@pytest.mark.model
@pytest.mark.parametrize("source", ["gold", "pipeline"])
def test_demo_in_two_halves_equals_demo_in_one_go(demo_records, tmp_path, source):
    records = demo_records[source]
    first = [r for r in records if r.doc.source.split("/")[-1][:3] <= "012"]
    second = [r for r in records if r not in first]
    assert first and second
    whole = fused(records, tmp_path, "whole.duckdb")
    halves = fused(first + second, tmp_path, "halves.duckdb", batches=2)
    try:
        assert dump(halves) == dump(whole)
    finally:
        whole.close()
        halves.close()


def test_truth_files_resolve_to_gold_items():
    from veille.fusion.evaluate import load_truth

    truth = load_truth(GOLD)
    groups = set(truth.cluster.values())
    assert {"china-russia-trade-2023", "putin-state-visit-china-2024-05", "power-of-siberia-2-capacity"} <= groups
    assert truth.conflict["china-russia-trade-2023"] and not truth.conflict["china-russia-trade-target-200bn"]


def test_a_group_states_its_value_in_the_unit_it_is_in():
    """A figure converted to dollars is a dollar value, labelled so, whatever its statement's own
    currency; one with no rate cannot be compared and gets no group value (the statements keep
    theirs)."""
    from veille.fusion.figures import Member, assess

    rubles = Member("a1", 0, Measurement(0, 10, "629 milliards de roubles", 629e9, "RUB", "amount", usd=6.9e9))
    converted = assess([rubles])
    assert (converted.value, converted.unit) == (6.9e9, "USD")
    no_rate = Member("a2", 0, Measurement(0, 10, "89,5 milliards de roubles", 89.5e9, "RUB", "amount"))
    kept = assess([no_rate])
    assert (kept.value, kept.unit) == (None, None)

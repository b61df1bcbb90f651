"""French numbers: parse_number and find_numbers."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.extract.numbers import find_numbers, parse_number

PARSE = [
    ("42,64", 42.64),
    ("42,64 milliards", 42.64e9),
    ("1 500", 1500),
    ("1\u00a0500", 1500),
    ("1\u202f500", 1500),
    ("1 500 000", 1.5e6),
    ("1\u00a0500\u00a0000,25", 1500000.25),
    ("1.500.000", 1.5e6),
    ("1.500.000,5", 1500000.5),
    ("1.234", 1234),            # a dot before exactly three digits groups thousands
    ("2.5", 2.5),               # any other dot is a decimal mark
    ("1.2345", 1.2345),
    ("3,5,6", None),            # a list, not a number
    ("1.23.4", None),
    ("0,08", 0.08),
    ("153", 153),
    ("+82,3", 82.3),
    ("-5", -5),
    ("\u22125", -5),
    ("mille", 1000),
    ("quarante", 40),
    ("vingt-deux", 22),
    ("vingt et un", 21),
    ("quatre-vingt-dix-sept", 97),
    ("soixante-dix", 70),
    ("deux cent mille", 200000),
    ("trois mille cinq cents", 3500),
    ("un million", 1e6),
    ("deux milliards", 2e9),
    ("un milliard et demi", 1.5e9),
    ("1,5 million", 1.5e6),
    ("3 millions", 3e6),
    ("5 milliards", 5e9),
    ("2 billions", 2e12),       # French billion = 10^12
    ("7 mille", 7000),
    ("3 Mds", 3e9),
    ("3 Md", 3e9),
    ("12 Mrd", 12e9),
    ("12 Mrds", 12e9),
    ("4 mlrd", 4e9),
    ("4 mln", 4e6),
    ("10 M", 10e6),
    ("500 k", 5e5),
    ("500 K", 5e5),
    ("une dizaine", 10),
    ("une douzaine", 12),
    ("une quinzaine", 15),
    ("une vingtaine", 20),
    ("une trentaine", 30),
    ("une cinquantaine", 50),
    ("une centaine", 100),
    ("un millier", 1000),
    ("plusieurs dizaines", 20),
    ("des centaines", 200),
    ("quelques milliers", 2000),
    ("des dizaines de milliers", 20000),
    ("près de 800", 800),
    ("environ 5", 5),
    ("", None),
    ("abc", None),
    ("un", None),               # an article, not a number
    ("5 m", None),              # metres, not millions
    ("12 et 13", None),
    ("2023-2024", None),
    ("G20", None),
    ("1:20", None),
    ("3e", None),
    ("1er", None),
]


@pytest.mark.parametrize("text,value", PARSE, ids=[repr(p[0]) for p in PARSE])
def test_parse_number(text, value):
    got = parse_number(text)
    if value is None:
        assert got is None
    else:
        assert got == pytest.approx(value)


FIND = [
    # text, [(span text, value, value_max, qualifier)]
    ("près de 800 entreprises", [("près de 800", 800, None, "nearly")]),
    ("presque 50 %", [("presque 50", 50, None, "nearly")]),
    ("environ 3 000 soldats", [("environ 3 000", 3000, None, "about")]),
    ("quelque 200 navires", [("quelque 200", 200, None, "about")]),
    ("autour de 7 %", [("autour de 7", 7, None, "about")]),
    ("approximativement 12 pays", [("approximativement 12", 12, None, "about")]),
    ("plus de quarante rencontres", [("plus de quarante", 40, None, "over")]),
    ("au-delà de 90 %", [("au-delà de 90", 90, None, "over")]),
    ("plus d'un milliard", [("plus d'un milliard", 1e9, None, "over")]),
    ("moins de 10 %", [("moins de 10", 10, None, "under")]),
    ("jusqu'à 60 %", [("jusqu'à 60", 60, None, "up_to")]),
    ("jusqu’à 60 %", [("jusqu’à 60", 60, None, "up_to")]),
    ("une trentaine de pays", [("une trentaine", 30, None, "about")]),
    ("plusieurs dizaines de camions", [("plusieurs dizaines", 20, None, "several")]),
    ("entre 10 et 12 milliards", [("10 et 12 milliards", 10e9, 12e9, None)]),
    ("de 5 à 7 %", [("5 à 7", 5, 7, None)]),
    ("5-7 %", [("5-7", 5, 7, None)]),
    ("est passé de 10 à 20", [("10", 10, None, None), ("20", 20, None, None)]),
    ("les deux pays", []),
    ("ses trois partenaires", []),
    ("trois partenaires", [("trois", 3, None, None)]),
    ("40 pour cent", [("40", 40, None, None)]),
    ("de un pour cent", [("un", 1, None, None)]),     # "un" before a percent sign is a number
    ("un accord", []),
    ("G20, COP28, A320, S-400", []),
    ("à 14h30", []),
    ("le XXe siècle, le 70e anniversaire", []),
    ("COVID-19", []),
    ("+82,3 % et −5 %", [("+82,3", 82.3, None, None), ("−5", -5, None, None)]),
    ("(1 $ = 7,3172 yuans)", [("1", 1, None, None), ("7,3172", 7.3172, None, None)]),
]


@pytest.mark.parametrize("text,want", FIND, ids=[f[0] for f in FIND])
def test_find_numbers(text, want):
    got = [(text[n.start:n.end], n.value, n.value_max, n.qualifier) for n in find_numbers(text)]
    assert len(got) == len(want), got
    for (span, value, vmax, qual), (wspan, wvalue, wvmax, wqual) in zip(got, want):
        assert span == wspan
        assert value == pytest.approx(wvalue)
        assert vmax == (None if wvmax is None else pytest.approx(wvmax))
        assert qual == wqual


def test_offsets_after_accents_and_nbsp():
    text = "Pékin, équipé: 1\u00a0500\u00a0000 yuans et 42,64 milliards"
    spans = [text[n.num_start:n.end] for n in find_numbers(text)]
    assert spans == ["1\u00a0500\u00a0000", "42,64 milliards"]


def test_many_digits():
    (n,) = find_numbers("x 98765432109876543210987654321 y")
    assert n.value == pytest.approx(9.8765432109876543e28)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.+-−%\u00a0\u202fkMdsmilliardonseuxtr'")), max_size=40))
def test_find_numbers_never_raises(text):
    for n in find_numbers(text):
        assert 0 <= n.start <= n.num_start < n.end <= len(text)
    parse_number(text)


# --- phrase alternations (the regexes of every cue list) --------------------------

from veille.text import phrases_regex  # noqa: E402

PHRASES = ["augment*", "en hausse", "en", "hausse", "a atteint", "a", "prévoi* de", "prévoi*", "%", "qu'"]
ALTERNATION = [
    # text, the first match
    ("les ventes ont augmenté de 5", "augmente"),
    ("un chiffre en  hausse", "en  hausse"),
    ("en mai", "en"),
    ("il a atteint 5", "a atteint"),
    ("il a dit", "a"),
    ("le plan prévoit de porter", "prevoit de"),
    ("le plan prévoit une hausse", "prevoit"),
    ("5 % de plus", "%"),
    ("plus qu' en 2024", "qu' "),
    ("la haussement", None),        # no phrase inside a longer word
    ("entrée", None),
]


@pytest.mark.parametrize("text,first", ALTERNATION, ids=[a[0] for a in ALTERNATION])
def test_phrase_alternation_matches_longest_whole_phrases(text, first):
    from veille.text import fold
    m = phrases_regex(PHRASES).search(fold(text))
    assert (m.group() if m else None) == first


def test_phrase_alternation_of_nothing_matches_nothing():
    assert phrases_regex([]).search("tout texte") is None

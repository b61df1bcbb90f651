"""The article view: one fold, one set of sentences, one reading of the numbers, for every layer."""
from veille.extract.measurements import extract_measurements
from veille.extract.numbers import find_numbers
from veille.extract.timexes import extract_timexes
from veille.extract.view import article_view
from veille.text import fold

TEXT = ("Les échanges ont atteint 240,1 milliards de dollars en 2023, selon M. Lavrov.\n"
        "Pékin prévoit une hausse de 5 % l'an prochain")


def test_view_holds_the_fold_the_sentences_and_the_numbers():
    view = article_view(TEXT, None, None, [(0, len(TEXT))])
    assert view.folded == fold(TEXT) and len(view.folded) == len(TEXT)
    # one parser sentence over a line break is two; "M. Lavrov" does not end one
    assert view.sentences == ((0, TEXT.index("\n")), (TEXT.index("\n") + 1, len(TEXT)))
    assert list(view.numbers) == find_numbers(TEXT)


def test_without_a_parse_a_crude_splitter_stands_in():
    assert article_view("Il pleut. Il vente.").sentences == ((0, 9), (10, 19))


def test_layers_read_the_same_with_the_view_or_without():
    sentences = [(0, len(TEXT))]
    view = article_view(TEXT, None, None, sentences)
    timexes = extract_timexes(TEXT, "2024-03-01")
    assert extract_timexes(TEXT, "2024-03-01", view=view) == timexes
    assert extract_measurements(TEXT, sentences, [], timexes, "2024-03-01", view=view) == \
        extract_measurements(TEXT, sentences, [], timexes, "2024-03-01")

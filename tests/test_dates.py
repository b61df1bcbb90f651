"""Publication dates from wherever they are: input, page, URL, crawl header, dateline, text.

An estimate (a dateline without its year, the latest date a text states) says so: its step
is recorded, the article is flagged, and relative expressions resolved against it say so.
"""
from __future__ import annotations

import pytest

from veille.ingest.dates import choose_published, text_estimate, url_date
from veille.settings import PUBLISHED_STEPS, Settings


@pytest.mark.parametrize("url,expected", [
    ("https://www.presse.example/monde/2024/05/16/poutine-pekin", ("2024-05-16", "day")),
    ("https://www.presse.example/monde/2024-05-16/poutine-pekin", ("2024-05-16", "day")),
    ("https://presse.example/a/20220807/slug", ("2022-08-07", "day")),
    ("https://presse.example/actu/inde-etats-unis_20231130_1042.html", ("2023-11-30", "day")),
    ("https://presse.example/monde/2024/05/slug", ("2024-05", "month")),
    ("https://presse.example/monde/inde-accusation-1701337320", ("2023-11-30", "day")),
    ("https://presse.example/monde/slug.html", None),
    ("https://presse.example/monde/2024/13/45/slug", None),              # no such day
    ("https://presse.example/monde/article-9999999999", None),            # a number, not a timestamp
    ("https://presse.example/produit/ref-1234567890123", None),           # too long for a timestamp
])
def test_url_dates(url, expected):
    found = url_date(url)
    assert (found[:2] if found else None) == expected


def test_a_url_with_two_dates_takes_the_last_and_says_so():
    iso, precision, note = url_date("https://presse.example/2019/03/01/dossier/2024/05/16/suite")
    assert (iso, precision) == ("2024-05-16", "day") and "two dates" in note


def test_the_latest_explicit_date_of_a_text_is_an_estimate():
    text = ("Le sommet s'est tenu le 12 mars 2023 à Séoul. Les deux dirigeants s'étaient déjà vus en "
            "janvier 2019, et le traité de 1965 reste la base de leurs relations.")
    assert text_estimate(text) == ("2023-03-12", "day")
    assert text_estimate("Les relations restent tendues, a dit le ministre.") is None


def test_a_date_a_century_away_is_not_an_estimate():
    assert text_estimate("La guerre de 1914 a marqué la région, rappelle l'historien.") is None


def test_fallback_order_and_estimates():
    order = PUBLISHED_STEPS
    assert choose_published({"url": "https://p.example/2024/05/16/a"}, "Texte sans date.", order, "x")[:3] == \
        ("2024-05-16", "day", "url")
    # a dateline without its year takes the year of the text's latest explicit date
    text = "TOKYO, 16 mars (AFP) - Le président est arrivé jeudi. Le traité de 2015 est cité, et le plan du 6 mars 2023."
    assert choose_published({}, text, order, "x")[:3] == ("2023-03-16", "day", "dateline")
    assert choose_published({}, "Le plan du 6 mars 2023 a été salué.", order, "x")[:3] == ("2023-03-06", "day", "text")
    # accented months: 23 August is a Saturday in 2025, the first such year from the text's 2023
    text = "SÉOUL, 23 août (Reuters) - Le président, arrivé samedi, a rappelé la visite de mars 2023."
    assert choose_published({}, text, order, "x")[:3] == ("2025-08-23", "day", "dateline")
    text = "ALGER, 8 février (AFP) - Le ministre a évoqué l'accord du 3 janvier 2019."
    assert choose_published({}, text, order, "x")[:3] == ("2019-02-08", "day", "dateline")
    assert choose_published({}, "Rien de daté ici.", order, "x")[:3] == (None, None, None)


def test_input_dates_win_and_a_future_one_is_kept():
    assert choose_published({"input": "2024-05-16", "url": "https://p.example/2019/01/01/a"}, "", PUBLISHED_STEPS,
                            "x")[:3] == ("2024-05-16", "day", "input")
    assert choose_published({"input": "2099-01-01"}, "", PUBLISHED_STEPS, "x")[0] == "2099-01-01"


@pytest.mark.model
def test_relative_dates_against_an_estimate_say_so(tmp_path):
    from veille.ingest import articles
    from veille.pipeline import Pipeline

    (tmp_path / "a.txt").write_text("Titre\n\nTOKYO, 16 mars (AFP) - Le président sud-coréen est arrivé jeudi à "
                                    "Tokyo. Le plan du 6 mars 2023 a été salué la semaine dernière.", encoding="utf-8")
    [article] = [a for a in articles([str(tmp_path / "a.txt")], Settings()) if not hasattr(a, "reason")]
    assert (article.published, article.published_from) == ("2023-03-16", "dateline")
    assert any(f["kind"] == "published_estimated" for f in article.flags)
    record = Pipeline(Settings()).run_one(article)
    relative = [t for t in record.timexes if t.text == "jeudi"]
    assert relative and relative[0].begin == "2023-03-16" and "estimated" in (relative[0].note or "")

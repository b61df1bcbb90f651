"""Events read from French sentences (table: tables/events_fr.yaml), scored with eval's rules."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from veille.evaluate import event_fits
from veille.pipeline import extract_layers
from veille.records import Article

TABLES = Path(__file__).parent / "tables"
TABLE = yaml.safe_load((TABLES / "events_fr.yaml").read_text(encoding="utf-8"))
KNOWN = (yaml.safe_load((TABLES / "events_known_failures.yaml").read_text(encoding="utf-8")) or {}).get("cases") or {}


def _gold(case: dict) -> list[dict]:
    out = []
    for ev in case.get("events") or ():
        ev = dict(ev)
        if ev.get("date"):
            ev["date"] = {k: str(v) for k, v in ev["date"].items()}
        out.append(ev)
    return out


def _events(case: dict, nlp) -> list[dict]:
    text = case["text"]
    article = Article(text=text, source="table", language="fr", published=str(case["published"]),
                      published_precision="day")
    return [e.to_dict() for e in extract_layers(article, nlp(text)).events]


def _params():
    for i, case in enumerate(TABLE):
        marks = [pytest.mark.xfail(reason=KNOWN[i], strict=True)] if i in KNOWN else []
        yield pytest.param(case, id=f"{i:03d}-{case['text'][:40]}", marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_sentence_events(case, nlp):
    """Every required event is found (type, parties, dates) with its status; nothing else is."""
    predicted = _events(case, nlp)
    required = [g for g in _gold(case) if not g.get("optional")]
    optional = [g for g in _gold(case) if g.get("optional")]
    left = list(predicted)
    for gold in required:
        hit = next((p for p in left if event_fits(gold, p)), None)
        assert hit is not None, f"missed {gold['type']} {gold['actor']}->{gold['recipient']}; got {predicted}"
        assert hit["status"] == gold["status"], f"{gold['type']}: status {hit['status']} != {gold['status']}"
        left.remove(hit)
    extra = [p for p in left if not any(event_fits(g, p) for g in optional)]
    assert not extra, f"spurious events: {extra}"


def test_table_covers_every_type_and_status():
    types = {t for case in TABLE for ev in case.get("events") or ()
             for t in (ev["type"] if isinstance(ev["type"], list) else [ev["type"]])}
    statuses = {ev["status"] for case in TABLE for ev in case.get("events") or ()}
    from veille.records import EVENT_STATUSES, EVENT_TYPES

    assert set(EVENT_TYPES) <= types and set(EVENT_STATUSES) <= statuses
    assert len(TABLE) >= 120


def test_bad_input_never_crashes(nlp):
    from veille.extract.entities import extract_entities
    from veille.extract.events import extract_events

    long = "La Chine et la Russie ont signé " + ", ".join(f"un accord numéro {i} sur l'énergie" for i in range(300)) + "."
    many = ("Les dirigeants de la Chine, de la Russie, de l'Inde, du Brésil, de l'Afrique du Sud, de l'Iran, "
            "de l'Égypte, de l'Éthiopie, des Émirats arabes unis et de l'Indonésie se sont réunis à Kazan.")
    for text in (long, many, "Poutine à Pékin", "", "!!!", "🙂 " * 50):
        doc = nlp(text)
        entities, places = extract_entities(doc, "2024-10-23")
        events, quotes = extract_events(doc, entities, places, [], "2024-10-23")
        assert isinstance(events, list)
    doc = nlp(many)
    entities, places = extract_entities(doc, "2024-10-23")
    events, _ = extract_events(doc, entities, places, [], "2024-10-23")
    assert any(e.type == "CONSULT" and len(e.actor) >= 8 for e in events)


def test_background_markers_are_compared_with_their_accents(nlp):
    """"dès" marks background; "des" (the article) does not, though both fold to "des"."""
    from veille.extract.events import language
    from veille.extract.events.syntax import governed_by as _governed_by

    markers = language("fr").historical_markers
    doc = nlp("Les échanges ont doublé depuis l'invasion et dès la signature des accords.")
    by_text = {t.text: t for t in doc}
    assert _governed_by(by_text["invasion"], markers)
    assert _governed_by(by_text["signature"], markers)
    doc = nlp("Les ministres ont salué la réunion des accords.")
    assert not _governed_by([t for t in doc if t.text == "accords"][0], markers)

"""Events read from French sentences (tables/events/*.yaml), scored with eval's rules.

Every case has a stable id; the cases not right yet are listed by id, each with the reason it
fails, in tables/events_known_failures.yaml, and run as strict xfails: a case that starts
passing fails the suite until scripts/known_failures.py drops it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import check_known_failures, known_failures, table_params
from veille.evaluate import event_fits
from veille.pipeline import extract_layers
from veille.records import Article

TABLES = Path(__file__).parent / "tables"
TABLE = [case for path in sorted((TABLES / "events").glob("*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
KNOWN = known_failures(TABLES / "events_known_failures.yaml")


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


def _describe(ev: dict) -> str:
    kind = ev["type"] if isinstance(ev["type"], str) else "|".join(ev["type"])
    return f"{kind} {','.join(ev['actor']) or '-'}->{','.join(ev['recipient']) or '-'} {ev['status']}"


@pytest.mark.parametrize("case", table_params(TABLE, KNOWN))
def test_sentence_events(case, nlp):
    """Every required event is found (type, parties, dates) with its status; nothing else is."""
    predicted = _events(case, nlp)
    required = [g for g in _gold(case) if not g.get("optional")]
    optional = [g for g in _gold(case) if g.get("optional")]
    left = list(predicted)
    problems = []
    for gold in required:
        hit = next((p for p in left if event_fits(gold, p)), None)
        if hit is None:
            problems.append(f"missed {_describe(gold)}")
            continue
        if hit["status"] != gold["status"]:
            problems.append(f"{_describe(gold)} read as {hit['status']}")
        left.remove(hit)
    problems += [f"spurious {_describe(p)} (trigger {p['trigger']!r})" for p in left
                 if not any(event_fits(g, p) for g in optional)]
    assert not problems, "; ".join(problems)


def test_table_ids_are_unique_and_known_failures_exist():
    check_known_failures(TABLE, KNOWN)


def test_table_covers_every_type_mode_status_and_many_states():
    """At least 600 sentences, 100 of them with no event; every PLOVER type, CONSULT mode and
    status; at least 15 states."""
    from veille.records import EVENT_STATUSES, EVENT_TYPES

    events = [ev for case in TABLE for ev in case.get("events") or ()]
    types = {t for ev in events for t in (ev["type"] if isinstance(ev["type"], list) else [ev["type"]])}
    modes = {ev.get("mode") for ev in events if "CONSULT" in ev["type"]}
    states = {c for ev in events for c in ev["actor"] + ev["recipient"] if len(c) == 3 and c.isupper()}
    assert set(EVENT_TYPES) <= types and set(EVENT_STATUSES) <= {ev["status"] for ev in events}
    assert {"visit", "phone", "multilateral", "third-party"} <= modes
    assert len(TABLE) >= 600 and sum(1 for case in TABLE if not case.get("events")) >= 100
    assert len(states) >= 15


def _run(nlp, text: str, published: str = "2024-10-23"):
    article = Article(text=text, source="bad", language="fr", published=published, published_precision="day")
    return extract_layers(article, nlp(text)).events


def test_bad_input_never_crashes_and_stays_sensible(nlp):
    """Sentences of 300 words, 20 states in a list, headlines without verbs, quotes inside quotes,
    text in capitals, empty and symbol-only text."""
    long = "La Chine et la Russie ont signé " + ", ".join(f"un accord numéro {i} sur l'énergie" for i in range(300)) + "."
    states = ("Chine, Russie, Inde, Brésil, Afrique du Sud, Iran, Égypte, Éthiopie, Indonésie, Turquie, Mexique, "
              "Argentine, Nigeria, Algérie, Maroc, Vietnam, Pakistan, Kazakhstan, Arabie saoudite, Émirats arabes unis")
    many = f"Les dirigeants de vingt pays ({states}) se sont réunis mardi à Kazan."
    for text in (long, many, "Poutine à Pékin", "", "!!!", "🙂 " * 50,
                 "« Le ministre a déclaré : « Nous ne céderons pas » », a rapporté l'agence.",
                 "LA CHINE ET LA RUSSIE ONT SIGNÉ MARDI UN ACCORD SUR LE GAZ À PÉKIN"):
        events = _run(nlp, text)
        assert all(e.evidence is None or 0 <= e.evidence[0] <= e.evidence[1] <= len(text) for e in events)
    assert len(_run(nlp, long)) <= 3, "one signing, not one event per agreement listed"
    gathered = [e for e in _run(nlp, many) if e.type == "CONSULT"]
    assert gathered and max(len(e.actor) for e in gathered) >= 15
    [visit] = [e for e in _run(nlp, "Erdogan à Athènes pour relancer le dialogue") if e.type == "CONSULT"]
    assert (visit.mode, visit.actor, visit.recipient) == ("visit", ("TUR",), ("GRC",))


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


def test_a_participle_under_a_verbless_root_does_not_hang(nlp):
    """A present participle set apart by a comma under a noun root once sent the subject search
    climbing forever (spaCy's root is its own head, but not the same Python object)."""
    import threading

    done: list = []
    worker = threading.Thread(target=lambda: done.append(_run(nlp, "La réaction de Pékin, accusant Washington "
                                                                  "de vouloir une alliance contre la Chine.")),
                              daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert done, "extraction did not finish"


@pytest.mark.parametrize("text", [
    "LUSAKA (Zambie), 14 octobre (AFP) - Hakainde Hichilema a réuni samedi les dirigeants du Malawi.",
    "Titre\n\nNAIROBI, 3 mai (Reuters) - Le président kényan a reçu son homologue.",
    "Dakar (AFP) – Le Sénégal a rappelé son ambassadeur.",
])
def test_a_dispatch_dateline_is_a_sentence_of_its_own(text, nlp):
    """Parsed with the sentence it heads, a dateline takes its subject and verb apart."""
    sents = [s.text.strip() for s in nlp(text).sents if s.text.strip()]
    dateline = next(s for s in sents if "(" in s)
    assert dateline.endswith(("-", "–")) and sents[-1][0].isupper() and sents[-1].split()[0] in ("Hakainde", "Le")


def test_a_dash_inside_a_sentence_cuts_nothing(nlp):
    text = "Le ministre franco-algérien - selon ses proches - a démissionné. L'UE (27 membres) - disons-le - a agi."
    assert len(list(nlp(text).sents)) == 2


def test_an_act_recalled_without_a_date_is_not_dated_by_the_story(nlp):
    """A pluperfect with no date of its own happened before the story's day: it gets no date
    rather than the day of the lead (which would put it on the timeline on the wrong day)."""
    case = {"text": "Le ministre sud-coréen s'est rendu lundi à Tokyo. Le Japon avait refusé de lever ses "
                    "restrictions sur les exportations vers la Corée du Sud.", "published": "2024-03-13"}
    events = _events(case, nlp)
    visit = next(e for e in events if e["type"] == "CONSULT")
    refusal = next(e for e in events if e["type"] == "REJECT")
    assert visit["date"] == {"begin": "2024-03-11", "end": "2024-03-11"}
    assert refusal["status"] == "historical" and refusal["date"] is None


def test_an_act_to_come_is_not_dated_before_the_story(nlp):
    """A day told in the incise of an announcement dates the announcement: the act announced, still
    to come, gets no date rather than a day before the story (a future on the past of a timeline)."""
    case = {"text": "La Nouvelle-Zélande va livrer des vedettes aux Tonga, a annoncé lundi Wellington.",
            "published": "2024-05-24"}
    aid = next(e for e in _events(case, nlp) if e["type"] in ("AID", "COOPERATE"))
    assert aid["status"] == "future" and aid["date"] is None

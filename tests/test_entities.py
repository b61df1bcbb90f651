"""Entity mentions in French text, linked to canonical entities (table: tables/entities_fr.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from veille.extract.entities import extract_entities, find_gazetteer_mentions

TABLES = Path(__file__).parent / "tables"
TABLE = yaml.safe_load((TABLES / "entities_fr.yaml").read_text(encoding="utf-8"))
KNOWN = yaml.safe_load((TABLES / "entities_known_failures.yaml").read_text(encoding="utf-8")) or {}


def _case_id(case: dict) -> str:
    return case["text"][:50]


def _params(cases, known):
    for i, case in enumerate(cases):
        marks = [pytest.mark.xfail(reason=known[i], strict=True)] if i in known else []
        yield pytest.param(case, id=f"{i:03d}-{_case_id(case)}", marks=marks)


@pytest.mark.parametrize("case", list(_params(TABLE["cases"], KNOWN.get("cases") or {})))
def test_mention_is_linked(case, nlp):
    text = case["text"]
    entities, _ = extract_entities(nlp(text), str(case["published"]))
    for want in case.get("expect") or ():
        s = text.index(want["mention"])
        e = s + len(want["mention"])
        hits = [ent for ent in entities if any(ms < e and s < me for ms, me in ent.mentions)]
        assert hits, f"{want['mention']!r} not linked; found {[(x.name, x.mentions) for x in entities]}"
        ent = hits[0]
        if want.get("id"):
            assert ent.id == want["id"], f"{want['mention']!r}: {ent.id} {ent.name}"
        else:
            assert ent.name == want["name"], f"{want['mention']!r}: {ent.name}"
        assert ent.type == want["type"], f"{want['mention']!r}: type {ent.type}"
        if "country" in want:
            assert ent.country == want["country"], f"{want['mention']!r}: country {ent.country}"
    for word in case.get("absent") or ():
        s = text.index(word)
        e = s + len(word)
        wrong = [ent.name for ent in entities if any(ms < e and s < me for ms, me in ent.mentions)]
        assert not wrong, f"{word!r} wrongly linked to {wrong}"


@pytest.mark.parametrize("case", list(_params(TABLE["demonyms"], KNOWN.get("demonyms") or {})))
def test_demonym_gives_its_state(case):
    text = case["text"]
    s = text.index(case["span"])
    e = s + len(case["span"])
    _, places = find_gazetteer_mentions(text, None)
    codes = sorted({p.code for p in places if p.start < e and s < p.end})
    want = case["code"] if isinstance(case["code"], list) else [case["code"]]
    assert codes == sorted(want)


def test_article_with_no_entities(nlp):
    entities, places = extract_entities(nlp("il pleut depuis trois jours sur la ville et personne ne sort."), "2024-01-01")
    assert entities == [] and places == []


def test_accentless_and_shouted_names(nlp):
    text = "MICHOUSTINE est arrivé à Pekin, puis Michoustine a rencontré le président chinois."
    entities, _ = extract_entities(nlp(text), "2023-05-24")
    names = {e.name for e in entities}
    assert {"Mikhail Mishustin", "Beijing", "Xi Jinping"} <= names


def test_mixed_scripts_and_punctuation(nlp):
    text = "Путин et 普京 désignent le même homme ; «Poutine» aussi, comme Xi-Jinping pour 习近平."
    entities, _ = extract_entities(nlp(text), "2024-05-16")
    ids = {e.id for e in entities}
    assert "Q7747" in ids and "Q15031" in ids
    putin = next(e for e in entities if e.id == "Q7747")
    assert len(putin.mentions) == 3


def test_thousands_of_entities_stay_fast(nlp):
    import time

    text = " ".join(["La Chine, la Russie, l'Inde et le Brésil se sont réunis à Kazan avec Poutine et Xi."] * 300)
    doc = nlp(text)
    start = time.perf_counter()
    entities, places = extract_entities(doc, "2024-10-23")
    assert time.perf_counter() - start < 5
    assert sum(len(e.mentions) for e in entities) >= 1800

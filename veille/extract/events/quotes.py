"""Quotes: direct speech (« ... ») with the speaker named around it.

    "« Nos relations sont au plus haut », a déclaré Vladimir Poutine" -> speaker Q7747
"""
from __future__ import annotations

from veille.extract.events.lang import EventLanguage
from veille.extract.events.syntax import lemma, span_of, subject
from veille.records import Entity, Quote
from veille.text import fold


def find_quotes(doc, entities: list[Entity], lang: EventLanguage) -> list[Quote]:
    """Direct quotes of four words or more, with their speaker when one is named after them."""
    text = doc.text
    quotes = []
    for opening, closing in lang.quotes:
        pos = 0
        while True:
            s = text.find(opening, pos)
            if s < 0:
                break
            e = text.find(closing, s + 1)
            if e < 0:
                break
            inner = text[s + 1:e].strip()
            pos = e + 1
            if len(inner.split()) < 4:
                continue
            quotes.append(Quote(speaker=_speaker_near(doc, e + 1, entities, lang), text=inner, start=s, end=e + 1))
    return sorted(quotes, key=lambda q: q.start)


def _speaker_near(doc, offset: int, entities: list[Entity], lang: EventLanguage) -> str | None:
    span = doc.char_span(offset, min(len(doc.text_with_ws), offset + 160), alignment_mode="expand")
    if span is None:
        return None
    for token in span:
        if lemma(token, lang) in lang.speech_verbs and token.pos_ in ("VERB", "AUX"):
            speaker, _ = subject(token, lang)
            if speaker is not None:
                who = _entity_at(speaker, entities, lang)
                if who:
                    return who
            break
        if token.text in (".", "\n"):
            break
    return None


def _entity_at(token, entities: list[Entity], lang: EventLanguage) -> str | None:
    start, end = span_of(token)
    for ent in entities:
        if ent.type == "PERSON" and any(s >= start and e <= end for s, e in ent.mentions):
            return ent.id
    if fold(token.text) in lang.person_pronouns:
        before = [(s, ent.id) for ent in entities if ent.type == "PERSON" for s, _ in ent.mentions if s < token.idx]
        if before:
            return max(before)[1]
    return None

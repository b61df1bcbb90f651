"""Who is who: the spans of an article that designate a state or a body, from the entity layer.

    "Le président russe a rencontré son homologue chinois à Pékin" -> "russe" RUS (demonym),
    "chinois" CHN, "Pékin" CHN (capital, a metonym when it acts), Beijing (a place)
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from veille.extract.events.lang import EventLanguage
from veille.gazetteer import CARRIER_KINDS, gazetteer, key_of, tokens
from veille.records import Entity, PlaceRef
from veille.text import fold

STATE_KINDS = {"state", "country"}


@dataclass
class Parties:
    """Maps character spans of the text to the states (or bodies) they designate."""

    spans: list[tuple[int, int, str, str]] = field(default_factory=list)   # start, end, code, kind
    places: list[tuple[int, int, str, str, str | None]] = field(default_factory=list)  # start, end, name, kind, state
    persons: list[tuple[int, int, str]] = field(default_factory=list)      # start, end, state
    pair: tuple[str, ...] = ()                                              # the story's two states

    def codes(self, start: int, end: int, kinds: frozenset[str] | None = None) -> list[str]:
        found = []
        for s, e, code, kind in self.spans:
            if s >= start and e <= end and (kinds is None or kind in kinds) and code not in found:
                found.append(code)
        return found

    def place_at(self, start: int, end: int) -> tuple[str, str, str | None] | None:
        for s, e, name, kind, state in self.places:
            if s >= start and e <= end:
                return name, kind, state
        return None

    def person_before(self, offset: int, exclude: list[str] | tuple = ()) -> str | None:
        before = [p for p in self.persons if p[1] <= offset and p[2] not in exclude]
        return before[-1][2] if before else None


def main_pair(places: list[PlaceRef], entities: list[Entity]) -> tuple[str, ...]:
    """The two states an article is most about: most mentioned by name, capital, demonym or person."""
    top = main_states(places, entities, 2)
    return top if len(top) == 2 else ()


def main_states(places: list[PlaceRef], entities: list[Entity], n: int) -> tuple[str, ...]:
    """The `n` states an article names most (by name, capital, demonym or person); of states named
    as often, the first named (a story names its parties first, in its title and lead)."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for ref in places:
        if len(ref.code) == 3 and ref.kind in ("name", "capital", "demonym"):
            counts[ref.code] = counts.get(ref.code, 0) + 1
            first[ref.code] = min(first.get(ref.code, ref.start), ref.start)
    for ent in entities:
        if ent.type == "PERSON" and ent.country and ent.role == "actor":
            counts[ent.country] = counts.get(ent.country, 0) + len(ent.mentions)
            first.setdefault(ent.country, 10**9)
    return tuple(code for code, _ in sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]], kv[0]))[:n])


def _listed(spans: list, text: str, n: int, lang: EventLanguage) -> tuple[str, ...]:
    """The first list of exactly `n` states among `spans` (in text order): names joined only by
    commas, list joins and articles ("La Corée du Sud, le Japon et les États-Unis")."""
    run: list = []
    for span in spans:
        if run:
            between = re.sub(r"[,’']", " ", text[run[-1][1]:span[0]]).split()
            if not all(fold(w) in lang.list_joins or fold(w) in lang.list_fillers for w in between):
                if len(run) == n:
                    break
                run = []
        if not run or span[2] != run[-1][2]:
            run.append(span)
    codes = tuple(dict.fromkeys(code for _, _, code, _ in run))
    return codes if len(codes) == n else ()


def _last_named_together(spans: list, text: str, before: int, n: int, lang: EventLanguage) -> tuple[str, ...]:
    """The `n` states named together in the last sentence before `before` that names exactly `n`,
    or lists exactly `n` ("Le Kenya, l'Ouganda et la Tanzanie ont signé lundi un accord, deux
    jours après un tir somalien... Les trois pays ont condamné")."""
    end = before
    while end > 0:
        start = max(text.rfind(". ", 0, end - 1), text.rfind("\n", 0, end - 1)) + 1
        named = sorted(sp for sp in spans if start <= sp[0] and sp[1] <= end and sp[3] in ("name", "capital", "demonym", "person"))
        codes = list(dict.fromkeys(code for _, _, code, _ in named))
        if len(codes) == n:
            return tuple(codes)
        if len(codes) > n and (listed := _listed(named, text, n, lang)):
            return listed
        if start == 0:
            break
        end = start - 1
        if before - end > 600:
            break
    return ()


def build_parties(entities: list[Entity], places: list[PlaceRef], text: str, lang: EventLanguage) -> Parties:
    """The party spans of an article: states by name, capital and demonym, bodies, people for the
    state they serve, "les deux pays" for the article's two states, and the places named."""
    gaz = gazetteer()
    parties = Parties()
    bodies = lang.metonym_bodies
    for ref in places:
        if ref.kind == "capital" and ref.entity_id and fold(text[ref.start:ref.end]) in bodies:
            parties.spans.append((ref.start, ref.end, bodies[fold(text[ref.start:ref.end])], "body"))
        elif ref.kind in ("name", "capital", "demonym") and (len(ref.code) == 3 or ref.code.isupper() and "-" not in ref.code):
            parties.spans.append((ref.start, ref.end, ref.code, ref.kind))
    pair = main_pair(places, entities)
    parties.pair = pair
    if pair:
        for m in lang.pair_phrase.finditer(text):
            words = m.group(1).split()
            noun = fold(words[0])
            if noun in lang.pair_nouns or fold(" ".join(words[:2])) in lang.pair_nouns:
                end = m.start(1) + len(words[0])
                for code in pair:
                    parties.spans.append((m.start(), end, code, "pair"))
    for m in lang.group_phrase.finditer(text):
        # "les trois pays", "les trois alliés": the states last named together, else the
        # article's most named ones
        n = lang.group_numbers.get(fold(m.group(1)), 0)
        noun = fold(m.group(2).split()[0])
        group = _last_named_together(parties.spans, text, m.start(), n, lang) or main_states(places, entities, n)
        if len(group) == n and noun in lang.pair_nouns:
            end = m.start(2) + len(m.group(2).split()[0])
            for code in group:
                parties.spans.append((m.start(), end, code, "pair"))
    for ent in entities:
        if ent.role != "actor":
            continue
        entry = gaz.entries.get(ent.id)
        for s, e in ent.mentions:
            if ent.type == "PERSON" and ent.country:
                parties.spans.append((s, e, ent.country, "person"))
                parties.persons.append((s, e, ent.country))
            elif ent.type == "ORG":
                kind = entry.kind if entry else None
                body = gaz.codes.get(ent.id)
                if body:
                    parties.spans.append((s, e, body, "body"))
                elif ent.country and kind not in CARRIER_KINDS:
                    parties.spans.append((s, e, ent.country, "org"))
            if ent.type == "EVENT_NAME":
                parties.spans += _bodies_within(text, s, e)
            if ent.type in ("PLACE", "COUNTRY"):
                kind = (entry.kind if entry else None) or ent.type.lower()
                parties.places.append((s, e, ent.name, kind, ent.country))
    parties.spans.sort()
    parties.places.sort()
    parties.persons.sort()
    return parties


def _bodies_within(text: str, start: int, end: int, longest: int = 4) -> list[tuple[int, int, str, str]]:
    """The bodies a named occasion names ("sommet du G20": the G20), as party spans of their words."""
    gaz = gazetteer()
    words = tokens(text[start:end])
    found = []
    for i in range(len(words)):
        for j in range(min(len(words), i + longest), i, -1):
            s, e = start + words[i][1], start + words[j - 1][2]
            ids = gaz.acronyms.get(text[s:e], set()) | gaz.names.get(key_of(text[s:e]), set())
            codes = sorted({gaz.codes[x] for x in ids if x in gaz.codes})
            if codes:
                found.append((s, e, codes[0], "body"))
                break
    return found

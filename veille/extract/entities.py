"""Entities: gazetteer names, titles and surnames resolved by date, and spaCy's NER.

`extract_entities(doc, published, lang)` returns the article's canonical entities
(each with every mention) and the spans that designate states and places
(`PlaceRef`: names, capitals used as metonyms, demonyms), which the figure and
event layers use. The words it reads (title phrases, the words around names) are
the language bundle's titles.yaml and entities.yaml; the gazetteer is shared by
every language.

    "Le président chinois a reçu M. Poutine à Pékin." (2024-05-16)
    -> Xi Jinping (Q15031) via the title, Vladimir Putin (Q7747) via the
       surname, Beijing (Q956), and PlaceRefs CHN (demonym), CHN (capital).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from veille.extract.view import ArticleView
from veille.gazetteer import GazEntry, Gazetteer, gazetteer, key_of, slug, tokens
from veille.language import Language, default
from veille.records import Entity, PlaceRef
from veille.text import fold, folded_words

PRODUCT_CODE = re.compile(r"\b[A-Z][A-Za-z]{0,4}-?\d{1,4}[A-Z]*\b")   # Tu-95MS, A320, F-35, Su-30SM
# spaCy labels kept for names the gazetteer does not know, and their types
NER_TYPES = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}
OFFICE_RANK = {"head_of_state": 0, "head_of_government": 1, "foreign_minister": 2, "defence_minister": 3,
               "trade_minister": 4, "economy_minister": 5, "energy_minister": 6, "finance_minister": 7}
TYPE_RANK = {"COUNTRY": 0, "PERSON": 1, "ORG": 2, "PLACE": 3, "PROJECT": 4, "EVENT_NAME": 5}


@dataclass
class Mention:
    start: int
    end: int
    entity: GazEntry | None
    surface: str
    label: str | None = None          # spaCy label of unknown names
    how: str = "name"                 # name, acronym, short, title, ner


@dataclass(frozen=True)
class EntityLanguage:
    """The words of one language the entity layer reads, as gazetteer keys (folded tokens)."""

    phrases: dict[tuple[str, ...], str]                       # title phrase -> office
    fixed: dict[tuple[str, ...], tuple[str, str | None]]      # phrase -> (office, country)
    exceptions: dict[tuple[tuple[str, ...], str], tuple[tuple[str, str | None, str | None], ...]]
    counterpart: frozenset[tuple[str, ...]]                   # "homologue"
    exception_keys: frozenset[tuple[str, ...]]                # phrases that are titles in some states only
    heads: frozenset[str]                                     # first words of title phrases ("ministre")
    past: frozenset[str]                                      # "ancien président": not today's holder
    stop: frozenset[str]                                      # NER spans never taken as entities
    before_names: frozenset[str]                              # "le", "du", "M.": not part of a name
    state_links: frozenset[str]                               # "de la" in "le président de la Chine"
    capital_nouns: frozenset[str]                             # "capitale" in "la capitale chinoise"
    plural_endings: tuple[str, ...]                           # "dirigeants": a group, not an office holder
    roman_numeral: re.Pattern                                 # "XXe": no name


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def entity_language(lang: Language | None = None) -> EntityLanguage:
    """The entity words of a bundle (default: French), built once per bundle."""
    return (lang or default()).cached("entities", _build)


def _tokens_of(words: Iterable[str]) -> frozenset[str]:
    """Every gazetteer token of the words: "l'" -> l and '."""
    return frozenset(t for w in words for t in key_of(w))


def _build(lang: Language) -> EntityLanguage:
    data = lang.data("titles") or {}
    extra = lang.data("entities") or {}
    phrases = {}
    for row in data.get("titles") or ():
        if row.get("needs_org") or row.get("org"):
            continue
        for phrase in row.get("phrases") or ():
            phrases[key_of(phrase)] = row["office"]
    fixed = {}
    for row in data.get("fixed") or ():
        for phrase in row.get("phrases") or ():
            fixed[key_of(phrase)] = (row["office"], row.get("country"))
    exceptions: dict = {}
    for row in data.get("exceptions") or ():
        for country in _as_list(row["country"]):
            for phrase in row.get("phrases") or ():
                key = (key_of(phrase), country)
                exceptions[key] = exceptions.get(key, ()) + ((row["office"], _day(row.get("from")), _day(row.get("to"))),)
    past = {fold(w) for w in (data.get("tense_modifiers") or {}).get("past") or ()}
    suffixes = sorted(extra["ordinal_suffixes"], key=len, reverse=True)
    return EntityLanguage(
        phrases=phrases, fixed=fixed, exceptions=exceptions,
        exception_keys=frozenset(key for key, _ in exceptions),
        heads=frozenset(key[0] for key in list(phrases) + [k for k, _ in exceptions]),
        counterpart=frozenset(key_of(w) for w in data.get("counterparts") or ()),
        past=frozenset(past),
        stop=folded_words(extra.get("ner_stop") or ()),
        before_names=_tokens_of(extra["words_before_names"]), state_links=_tokens_of(extra["state_links"]),
        capital_nouns=_tokens_of(extra["capital_nouns"]),
        plural_endings=tuple(fold(e) for e in extra["plural_endings"]),
        roman_numeral=re.compile(r"^[IVXLCDM]+(?:" + "|".join(re.escape(x) for x in suffixes) + r")?$"))


def _day(value) -> str | None:
    return None if value is None else str(value)


def _office_for(key: tuple[str, ...], country: str, published: str | None, vocab: EntityLanguage) -> str | None:
    for office, start, end in vocab.exceptions.get((key, country), ()):
        if (start is None or published is None or start <= published) and (end is None or published is None or published <= end):
            return office
    return vocab.phrases.get(key)


def _is_capitalised(text: str, start: int) -> bool:
    ch = text[start]
    return ch.isupper() or ch.lower() == ch.upper()


def _case_fits(gaz: Gazetteer, key: tuple[str, ...], span: list, text: str) -> bool:
    """Every token the name capitalises is capitalised in the text (unless the text shouts)."""
    pattern = gaz.capitals.get(key)
    if not pattern or len(span) < 2:
        return True
    surface = text[span[0][1]:span[-1][2]]
    if surface.isupper():
        return True
    return all(not must or _is_capitalised(text, tok[1]) for must, tok in zip(pattern, span))


def _choose(ids: set[str], gaz: Gazetteer, day: str | None, full_ids: set[str]) -> GazEntry | None:
    """One entry for an ambiguous name: named in full already, in office on the day, else by type."""
    entries = [gaz.entries[i] for i in sorted(ids)]
    if len(entries) == 1:
        return entries[0]
    named = [e for e in entries if e.id in full_ids]
    if len(named) == 1:
        return named[0]
    in_office = [e for e in entries if gaz.offices_on(e, day)]
    if len(in_office) == 1:
        return in_office[0]
    if all(e.type == "PERSON" for e in entries):
        return None
    return min(entries, key=lambda e: (TYPE_RANK.get(e.type, 9), e.id))


def find_gazetteer_mentions(text: str, published: str | None, gaz: Gazetteer | None = None,
                            lang: Language | None = None, folded: str | None = None
                            ) -> tuple[list[Mention], list[PlaceRef]]:
    """Names, acronyms, titles and demonyms of the gazetteer, longest first; titles in the words
    of `lang` (default: French); `folded` may pass `fold(text)` when the caller has it."""
    gaz = gaz or gazetteer()
    vocab = entity_language(lang)
    toks = tokens(text, folded)
    keys = [t for t, _, _ in toks]
    n = len(toks)
    mentions: list[Mention] = []
    places: list[PlaceRef] = []
    full_ids: set[str] = set()
    pending_shorts: list[tuple[int, int, set[str]]] = []
    last_person: GazEntry | None = None
    i = 0
    starts = _starts(gaz, vocab)
    while i < n:
        matched = False
        longest = starts.get(keys[i], 0)
        if not longest and text[toks[i][1]:toks[i][2]] not in gaz.acronyms:
            _compound_demonym(keys[i], toks[i], places, gaz)
            i += 1
            continue
        for length in range(min(max(longest, 1), n - i), 0, -1):
            key = tuple(keys[i:i + length])
            start, end = toks[i][1], toks[i + length - 1][2]
            surface = text[start:end]
            titled = key in vocab.fixed or key in vocab.phrases or key in vocab.counterpart or key in vocab.exception_keys
            if (titled or (length == 1 and key[0] in vocab.heads)) and not (i and keys[i - 1] in vocab.past) \
                    and not _plural_title(key, vocab):
                resolved = _resolve_title(key, keys, i + length, published, gaz, vocab, last_person) \
                    if titled else None
                if resolved is None and length == 1:
                    resolved = _title_with_inner_demonym(keys, i, published, gaz, vocab)
                if resolved:
                    entry, stop = resolved
                    end = toks[stop - 1][2]
                    for j in range(i + 1, stop):
                        for dl in (3, 2, 1):
                            demonym = tuple(keys[j:j + dl])
                            if j + dl <= stop and demonym in gaz.demonyms:
                                places.append(PlaceRef(toks[j][1], toks[j + dl - 1][2], gaz.demonyms[demonym], "demonym"))
                                break
                    mentions.append(Mention(start, end, entry, text[start:end], how="title"))
                    last_person = entry
                    i = stop
                    matched = True
                    break
            ids = gaz.names.get(key)
            if ids and (_is_capitalised(text, start) or key in gaz.lower_ok) and _case_fits(gaz, key, toks[i:i + length], text):
                entry = _choose(ids, gaz, published, full_ids)
                if entry:
                    mentions.append(Mention(start, end, entry, surface))
                    full_ids.add(entry.id)
                    if entry.type == "PERSON":
                        last_person = entry
                    i += length
                    matched = True
                    break
            if length == 1 and surface in gaz.acronyms:
                entry = _choose(gaz.acronyms[surface], gaz, published, full_ids)
                if entry:
                    mentions.append(Mention(start, end, entry, surface, how="acronym"))
                    i += 1
                    matched = True
                    break
            if key in gaz.demonyms:
                capital = _capital_before(keys, i, gaz, vocab)
                if capital is not None:
                    # "la capitale chinoise": the capital city, as a place and as a metonym
                    mentions.append(Mention(toks[i - 1][1], end, capital, text[toks[i - 1][1]:end], how="title"))
                places.append(PlaceRef(start, end, gaz.demonyms[key], "demonym"))
                i += length
                matched = True
                break
            short = gaz.shorts.get(key)
            if short and _is_capitalised(text, start):
                pending_shorts.append((start, end, short))
                i += length
                matched = True
                break
        if not matched:
            _compound_demonym(keys[i], toks[i], places, gaz)
            i += 1
    for start, end, ids in pending_shorts:
        entry = _choose(ids, gaz, published, full_ids)
        if entry:
            mentions.append(Mention(start, end, entry, text[start:end], how="short"))
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        ref = place_ref(m, gaz)
        if ref:
            places.append(ref)
    places.sort(key=lambda p: p.start)
    return mentions, places


_STARTS: dict[tuple[int, int], dict[str, int]] = {}


def _starts(gaz: Gazetteer, vocab: EntityLanguage) -> dict[str, int]:
    """First token -> longest key starting with it, over names, titles, shorts, demonyms."""
    if (id(gaz), id(vocab)) in _STARTS:
        return _STARTS[(id(gaz), id(vocab))]
    starts = dict(gaz.starts)
    for table in (vocab.phrases, vocab.fixed, dict.fromkeys(vocab.counterpart), dict.fromkeys(vocab.exception_keys)):
        for key in table:
            starts[key[0]] = max(starts.get(key[0], 0), len(key) + 3)  # a demonym may follow
    _STARTS[(id(gaz), id(vocab))] = starts
    return starts


def _capital_before(keys, i, gaz: Gazetteer, vocab: EntityLanguage):
    """The capital named by "capitale" + demonym ("la capitale chinoise" -> Beijing)."""
    if i == 0 or keys[i - 1] not in vocab.capital_nouns:
        return None
    state = gaz.demonyms[tuple(keys[i:i + 1])] if tuple(keys[i:i + 1]) in gaz.demonyms else None
    for entry in gaz.capitals_of.get(state or "", ()):
        return entry
    return None


def _compound_demonym(key: str, tok: tuple[str, int, int], places: list[PlaceRef], gaz: Gazetteer) -> None:
    """"sino" in "sino-russe", "russo" in "russo-chinois": the prefix names a state."""
    if key in gaz.prefixes:
        places.append(PlaceRef(tok[1], tok[2], gaz.prefixes[key], "demonym"))


def _resolve_title(key, keys, after, published, gaz, vocab, last_person):
    """(person, index after the phrase) for "le président chinois", "son homologue russe"."""
    if key in vocab.fixed:
        office, country = vocab.fixed[key]
        person = gaz.holder(office, country, published)
        return (person, after) if person else None
    country, stop = _country_after(keys, after, gaz, vocab)
    if country is None:
        return None
    if key in vocab.counterpart:
        if last_person is None:
            return None
        offices = sorted(gaz.offices_on(last_person, published), key=lambda o: OFFICE_RANK.get(o.office, 99))
        for office in offices:
            person = gaz.holder(office.office, country, published)
            if person and person.id != last_person.id:
                return person, stop
        return None
    office = _office_for(key, country, published, vocab)
    person = gaz.holder(office, country, published) if office else None
    return (person, stop) if person else None


def _plural_title(key: tuple[str, ...], vocab: EntityLanguage) -> bool:
    """"les dirigeants chinois" names a group, not the office holder."""
    head = key[0]
    return head.endswith(vocab.plural_endings) and (head[:-1],) + key[1:] in vocab.phrases


def _title_with_inner_demonym(keys, i, published, gaz: Gazetteer, vocab: EntityLanguage):
    """"le ministre russe de la Défense": head noun, demonym, then the rest of the title."""
    country, after = _country_after(keys, i + 1, gaz, vocab)
    if country is None or after == i + 1 or keys[i + 1] in vocab.state_links:
        return None
    for length in range(min(8, len(keys) - after), 0, -1):
        key = (keys[i],) + tuple(keys[after:after + length])
        office = _office_for(key, country, published, vocab) if key in vocab.phrases or (key, country) in vocab.exceptions else None
        if office:
            person = gaz.holder(office, country, published)
            return (person, after + length) if person else None
    return None


def _country_after(keys, i, gaz: Gazetteer, vocab: EntityLanguage) -> tuple[str | None, int]:
    """The state named right after a title: a demonym, or "de (la) Chine"."""
    for length in (3, 2, 1):
        key = tuple(keys[i:i + length])
        if key in gaz.demonyms:
            return gaz.demonyms[key], i + length
    j = i
    while j < len(keys) and keys[j] in vocab.state_links:
        j += 1
    if j > i:
        for length in range(min(6, len(keys) - j), 0, -1):
            ids = gaz.names.get(tuple(keys[j:j + length]))
            if ids:
                for entry_id in ids:
                    entry = gaz.entries[entry_id]
                    if entry.type == "COUNTRY":
                        return entry.iso3, j + length
    return None, i


def place_ref(m: Mention, gaz: Gazetteer) -> PlaceRef | None:
    e = m.entity
    if e is None:
        return None
    if e.type == "COUNTRY" and e.iso3:
        return PlaceRef(m.start, m.end, e.iso3, "name", e.id)
    if e.type == "PLACE":
        if e.capital_of:
            return PlaceRef(m.start, m.end, e.capital_of, "capital", e.id)
        code = e.subdivision or e.country
        if code:
            return PlaceRef(m.start, m.end, code, "name" if e.kind not in ("city", "port") else "city", e.id)
    return None


def _strip_leading(span_tokens: list[tuple[str, int, int]], vocab: EntityLanguage) -> tuple[int, int] | None:
    toks = list(span_tokens)
    while toks and (toks[0][0] in vocab.before_names or toks[0][0] in vocab.stop):
        toks.pop(0)
    while toks and toks[-1][0] in (".", ",", "'", "’"):
        toks.pop()
    if not toks:
        return None
    return toks[0][1], toks[-1][2]


def ner_mentions(doc, taken: list[tuple[int, int]], vocab: EntityLanguage) -> list[Mention]:
    """spaCy's PER/LOC/ORG spans outside the gazetteer's, cleaned of leading words."""
    found = []
    text = doc.text
    sentence_starts = {sent.start for sent in doc.sents}  # Span.sent walks the whole doc each time
    for ent in doc.ents:
        label = NER_TYPES.get(ent.label_)
        if label is None:
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in taken):
            continue
        span = _strip_leading(tokens(ent.text), vocab)
        if span is None:
            continue
        start, end = ent.start_char + span[0], ent.start_char + span[1]
        surface = text[start:end]
        if len(surface) < 2 or not surface[0].isupper() or fold(surface) in vocab.stop:
            continue
        if vocab.roman_numeral.match(surface) or PRODUCT_CODE.search(surface):
            continue
        span_tokens = [t for t in ent if t.idx >= start and t.idx < end]
        if not any(t.pos_ == "PROPN" for t in span_tokens) and (ent.start in sentence_starts or len(span_tokens) == 1):
            continue  # a capitalised common word ("Converti", "Vendredi"), not a name
        if surface.isupper() and len(surface) > 5 and label != "ORG":
            continue  # shouted credits ("XINHUA"), not names
        found.append(Mention(start, end, None, surface, label=label, how="ner"))
    return found


def extract_entities(doc, published: str | None, lang: Language | None = None,
                     view: ArticleView | None = None) -> tuple[list[Entity], list[PlaceRef]]:
    """Canonical entities of a parsed article, and its place references, read with the words of
    `lang` (the bundle of the article's language; default: French); `view`, the article's view,
    gives its folded text."""
    gaz = gazetteer()
    text = doc.text
    mentions, places = find_gazetteer_mentions(text, published, gaz, lang, view.folded if view else None)
    unknown = ner_mentions(doc, [(m.start, m.end) for m in mentions], entity_language(lang))
    return group_mentions(mentions, unknown), places


def group_mentions(known: list[Mention], unknown: list[Mention]) -> list[Entity]:
    """One Entity per canonical entity, mentions in text order."""
    by_id: dict[str, dict] = {}
    for m in sorted(known + unknown, key=lambda m: m.start):
        if m.entity is not None:
            e = m.entity
            slot = by_id.setdefault(e.id, {"id": e.id, "name": e.name, "type": e.type,
                                          "country": e.country if e.type != "COUNTRY" else e.iso3,
                                          "subdivision": e.subdivision,
                                          "role": "reporter" if e.kind in ("news_agency", "media") else "actor",
                                          "mentions": [], "surface": []})
        else:
            slot = _unknown_slot(m, by_id)
        slot["mentions"].append((m.start, m.end))
        if m.surface not in slot["surface"]:
            slot["surface"].append(m.surface)
    return [Entity(id=s["id"], name=s["name"], type=s["type"], country=s["country"], subdivision=s["subdivision"],
                   role=s["role"], mentions=tuple(s["mentions"]), surface=tuple(s["surface"]))
            for s in by_id.values()]


def _unknown_slot(m: Mention, by_id: dict[str, dict]) -> dict:
    """Slot of a name spaCy found: a surname alone joins the full name seen before."""
    type_ = m.label or "ORG"
    if type_ == "PERSON" and " " not in m.surface:
        for slot in by_id.values():
            if slot["type"] == "PERSON" and slot["name"].split()[-1] == m.surface:
                return slot
    entity_id = slug(m.surface)
    return by_id.setdefault(entity_id, {"id": entity_id, "name": m.surface, "type": type_, "country": None,
                                        "subdivision": None, "role": "actor", "mentions": [], "surface": []})

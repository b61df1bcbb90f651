"""The gazetteer: canonical entities and every name they go by, loaded from data.

States come from pycountry (ISO 3166-1 codes, English and French names)
enriched by resources/gazetteer/states.yaml (Wikidata ids, press names in four
languages, demonyms, capitals). Every other file of resources/gazetteer/ lists
places, organisations, companies, projects, named events and people with their
offices and tenure dates. Names are indexed by their folded token sequence
(case, accents and apostrophes aside); acronyms keep their exact case.
"""
from __future__ import annotations

import gettext
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from importlib.resources import files

from veille.resources import listing, load
from veille.text import fold

TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# organisations that carry a story (outlets, news agencies): named in a sentence, they report
# what the parties do and are never one of them
CARRIER_KINDS = frozenset({"news_agency", "media"})


def tokens(text: str, folded: str | None = None) -> list[tuple[str, int, int]]:
    """(folded token, start, end) of every word and punctuation mark; `folded` may pass
    `fold(text)` when the caller has it."""
    folded = fold(text) if folded is None else folded
    same_length = len(folded) == len(text)
    return [(m.group(0) if same_length else fold(text[m.start():m.end()]), m.start(), m.end())
            for m in TOKEN.finditer(folded if same_length else text)]


def key_of(name: str) -> tuple[str, ...]:
    """Lookup key of a name: its folded tokens, hyphens and apostrophes as tokens."""
    return tuple(t for t, _, _ in tokens(name))


def slug(name: str) -> str:
    """Stable id of an entity with no Wikidata id: "Ryan Woo" -> "ryan-woo"."""
    words = re.findall(r"\w+", fold(name))
    return "-".join(words) or "unnamed"


@dataclass(frozen=True)
class Office:
    office: str
    country: str | None
    start: str | None
    end: str | None
    org: str | None = None

    def holds_on(self, day: str | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start or "0000") <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class GazEntry:
    id: str
    name: str
    type: str
    kind: str | None = None
    country: str | None = None
    subdivision: str | None = None
    countries: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()
    capital_of: str | None = None
    iso3: str | None = None              # for states
    prefix: str | None = None            # "sino" for China
    coords: tuple[float, float] | None = None   # (latitude, longitude): places, and states' capitals


@dataclass
class Gazetteer:
    entries: dict[str, GazEntry] = field(default_factory=dict)
    names: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    acronyms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    shorts: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    demonyms: dict[tuple[str, ...], str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)       # iso3 -> entity id
    lower_ok: set[tuple[str, ...]] = field(default_factory=set)  # names written lower-case in data ("kraï de Khabarovsk")
    # which tokens of a name must be capitalised in text ("Le Cap": both; never "le cap")
    capitals: dict[tuple[str, ...], tuple[bool, ...]] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)        # body id -> party code ("Q458" -> "EU")
    max_len: int = 1
    starts: dict[str, int] = field(default_factory=dict)      # first token of a key -> longest key length

    @cached_property
    def body_codes(self) -> frozenset[str]:
        """The party codes of the bodies ("EU", "NATO"), once the gazetteer is built."""
        return frozenset(self.codes.values())

    def add_name(self, entry_id: str, name: str, table: dict | None = None) -> None:
        key = key_of(str(name))
        if not key:
            return
        (self.names if table is None else table)[key].add(entry_id)
        self.note_start(key)
        if str(name)[:1].islower():
            self.lower_ok.add(key)
        pattern = tuple(t[:1].isupper() for t in TOKEN.findall(str(name)))
        if len(pattern) == len(key):
            old = self.capitals.get(key)
            self.capitals[key] = pattern if old is None else tuple(a and b for a, b in zip(old, pattern))
        self.max_len = max(self.max_len, len(key))

    def add_acronym(self, entry_id: str, acronym: str) -> None:
        """Acronyms match in their exact case; those of 4+ letters also in title case ("Otan", "Brics")."""
        self.acronyms[acronym].add(entry_id)
        if len(acronym) >= 4 and acronym.isupper() and acronym.isalpha():
            self.acronyms[acronym.capitalize()].add(entry_id)

    def note_start(self, key: tuple[str, ...]) -> None:
        """Remember that a key begins with its first token (matching skips other tokens)."""
        self.starts[key[0]] = max(self.starts.get(key[0], 0), len(key))

    def state(self, iso3: str | None) -> GazEntry | None:
        entry_id = self.states.get(iso3 or "")
        return self.entries.get(entry_id) if entry_id else None

    office_index: dict[tuple[str, str | None], list[GazEntry]] = field(default_factory=lambda: defaultdict(list))
    capitals_of: dict[str, list[GazEntry]] = field(default_factory=lambda: defaultdict(list))  # iso3 -> capital

    def holder(self, office: str, country: str | None, day: str | None) -> GazEntry | None:
        """The person holding `office` of `country` on `day` (ISO), if the data knows."""
        found = [e for e in self.office_index.get((office, country), ()) if any(
            o.office == office and o.country == country and o.holds_on(day) for o in e.offices)]
        return found[0] if len(found) == 1 else None

    def offices_on(self, entry: GazEntry, day: str | None) -> list[Office]:
        return [o for o in entry.offices if o.holds_on(day)]


def _aliases(item: dict) -> list[str]:
    names = [item.get("name")] if item.get("name") else []
    for values in (item.get("aliases") or {}).values():
        names.extend(values or [])
    return [str(n) for n in names if n]


def _french_state_names() -> dict[str, str]:
    import pycountry

    try:
        fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:
        return {}
    return {c.alpha_3: fr.gettext(c.name) for c in pycountry.countries}


def _add_states(gaz: Gazetteer) -> None:
    import pycountry

    # The states are those of states.yaml (sovereign states, Taiwan, Palestine, Kosovo, the
    # Soviet Union); pycountry adds their ISO names. Dependent territories that pycountry also
    # lists (Hong Kong, Macau, Greenland...) are places in the other files, not states.
    french = _french_state_names()
    for item in load("gazetteer/states.yaml") or ():
        iso3 = item["iso3"]
        country = pycountry.countries.get(alpha_3=iso3)
        names = [country.name, getattr(country, "official_name", None), french.get(iso3)] if country else []
        default = (getattr(country, "common_name", None) or country.name) if country else iso3
        _add_state(gaz, iso3, default, names, item)


def _add_state(gaz: Gazetteer, iso3: str, name: str, names: list, item: dict) -> None:
    name = item.get("name") or name
    entry_id = item.get("qid") or f"state-{iso3.lower()}"
    entry = GazEntry(id=entry_id, name=name, type="COUNTRY", kind="state", country=iso3, iso3=iso3,
                     prefix=item.get("prefix"), coords=coords_of(item))
    gaz.entries[entry_id] = entry
    gaz.states[iso3] = entry_id
    for n in [name, *names, *_aliases(item)]:
        if n:
            gaz.add_name(entry_id, n)
    for acronym in item.get("acronyms") or ():
        gaz.add_acronym(entry_id, str(acronym))
    for values in (item.get("demonyms") or {}).values():
        for d in values or ():
            gaz.demonyms[key_of(str(d))] = iso3
            gaz.note_start(key_of(str(d)))
    if item.get("prefix"):
        for p in str(item["prefix"]).split("|"):
            gaz.prefixes[fold(p)] = iso3


def _has(relpath: str) -> bool:
    return relpath in set(listing(relpath.split("/")[0]))


def _add_entry(gaz: Gazetteer, item: dict) -> None:
    entry_id = str(item.get("id") or slug(item["name"]))
    offices = tuple(Office(office=o["office"], country=o.get("country"), start=_day(o.get("from")),
                           end=_day(o.get("to")), org=o.get("org")) for o in item.get("offices") or ())
    entry = GazEntry(id=entry_id, name=item["name"], type=item.get("type", "ORG"), kind=item.get("kind"),
                     country=item.get("country"), subdivision=item.get("subdivision"),
                     countries=tuple(item.get("countries") or ()), offices=offices, coords=coords_of(item))
    gaz.entries[entry_id] = entry
    if item.get("code"):
        gaz.codes[entry_id] = str(item["code"])
    for values in (item.get("demonyms") or {}).values():
        for d in values or ():
            gaz.demonyms[key_of(str(d))] = str(item.get("code") or entry_id)
            gaz.note_start(key_of(str(d)))
    for o in offices:
        if entry not in gaz.office_index[(o.office, o.country)]:
            gaz.office_index[(o.office, o.country)].append(entry)
    for n in _aliases(item):
        gaz.add_name(entry_id, n)
    for acronym in item.get("acronyms") or ():
        gaz.add_acronym(entry_id, str(acronym))
    for short in item.get("short") or ():
        gaz.add_name(entry_id, str(short), gaz.shorts)


def coords_of(item: dict) -> tuple[float, float] | None:
    """An entry's `coords: [lat, lon]` as a pair of floats, or None when it has none."""
    value = item.get("coords")
    return (float(value[0]), float(value[1])) if value else None


@dataclass(frozen=True)
class Point:
    """A place (or a state, at its capital) as a map draws it."""

    id: str
    name: str
    country: str | None
    coords: tuple[float, float] | None


@lru_cache(maxsize=1)
def map_points() -> tuple[dict[str, Point], dict[tuple[str, ...], frozenset[str]], dict[str, Point]]:
    """The places of the gazetteer by id, the ids each of their names (folded key) may mean, and
    each state's point by ISO code, for the read layer's map: read from the places files and
    states.yaml alone, without building the whole gazetteer."""
    places: dict[str, Point] = {}
    names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for path in listing("gazetteer"):
        if path.rsplit("/", 1)[-1].startswith("places_"):
            for item in load(path) or ():
                entry_id = str(item.get("id") or slug(item["name"]))
                places[entry_id] = Point(entry_id, item["name"], item.get("country"), coords_of(item))
                for n in _aliases(item):
                    names[key_of(n)].add(entry_id)
    states = {}
    if _has("gazetteer/states.yaml"):
        for item in load("gazetteer/states.yaml") or ():
            states[item["iso3"]] = Point(item["iso3"], item.get("name") or item["iso3"], item["iso3"], coords_of(item))
    return places, {k: frozenset(v) for k, v in names.items()}, states


def _day(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@lru_cache(maxsize=1)
def party_bodies() -> tuple[dict[str, str], frozenset[str]]:
    """The party code of every body (`Gazetteer.codes`: "Q458" -> "EU") and the ids of the
    carriers (CARRIER_KINDS), for the read layer, which names an event's parties from these
    alone: read from the gazetteer's files without building it. A file that never spells
    `code` or `kind` (the people) holds neither and is not parsed."""
    codes: dict[str, str] = {}
    carriers: set[str] = set()
    for path in listing("gazetteer"):
        if path.endswith("states.yaml") or not re.search(r"\b(code|kind)\b", _text(path)):
            continue
        for item in load(path) or ():
            entry_id = str(item.get("id") or slug(item["name"]))
            if item.get("code"):
                codes[entry_id] = str(item["code"])
            if item.get("kind") in CARRIER_KINDS:
                carriers.add(entry_id)
    return codes, frozenset(carriers)


@lru_cache(maxsize=1)
def party_names() -> dict[str, str]:
    """The name of every party code: states by ISO code ("CHN": "China"), bodies by their `code`
    ("EU": "European Union"); read from the files like `party_bodies`."""
    names = {iso3: point.name for iso3, point in map_points()[2].items()}
    for path in listing("gazetteer"):
        if path.endswith("states.yaml") or not re.search(r"\bcode\b", _text(path)):
            continue
        for item in load(path) or ():
            if item.get("code"):
                names.setdefault(str(item["code"]), str(item["name"]))
    return names


def _text(relpath: str) -> str:
    return files("veille.resources").joinpath(relpath).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once per process."""
    gaz = Gazetteer()
    _add_states(gaz)
    for path in listing("gazetteer"):
        if path.endswith("states.yaml"):
            continue
        for item in load(path) or ():
            _add_entry(gaz, item)
    # capitals: the state a capital city stands for when used as a metonym
    if _has("gazetteer/states.yaml"):
        import pycountry

        current = {c.alpha_3 for c in pycountry.countries}
        states = sorted(load("gazetteer/states.yaml") or (), key=lambda s: s["iso3"] not in current)
        for s in states:
            capital = s.get("capital")
            if capital and capital in gaz.entries and gaz.entries[capital].capital_of is None:
                gaz.entries[capital] = replace(gaz.entries[capital], capital_of=s["iso3"])
                gaz.capitals_of[s["iso3"]].append(gaz.entries[capital])
    return gaz

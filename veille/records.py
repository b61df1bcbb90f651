"""The one home of veille's records, and their `veille/1` JSON shapes.

Every stage reads and writes these frozen records; nothing else invents its own
dict shapes. Each record has `to_dict()` (the `veille/1` form, see
shared/eval/FORMAT.md) and `from_dict()` (its inverse), so that
`Record.from_dict(r.to_dict()) == r` for every record `r`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

FORMAT = "veille/1"

ENTITY_TYPES = ("PERSON", "ORG", "COUNTRY", "PLACE", "PROJECT", "EVENT_NAME")
TIMEX_TYPES = ("DATE", "PERIOD", "DURATION")
GRANULARITIES = ("day", "week", "month", "quarter", "year")
MEASUREMENT_KINDS = ("amount", "percent", "multiplier", "count", "physical")
RELATIONS = ("level", "change", "share")
MEASUREMENT_STATUSES = ("actual", "target", "forecast")
EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
EVENT_STATUSES = ("occurred", "future", "hypothetical", "negated", "historical")
SECTORS = (
    "energy", "nuclear", "agriculture", "trade", "finance", "logistics", "manufacturing",
    "technology", "space", "health", "media", "ecommerce", "military", "education",
    "culture", "diplomacy",
)
PRECISIONS = ("day", "month", "year")


def text_id(text: str) -> str:
    """The article id: sha256 hex of its cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    start, end = value
    return (int(start), int(end))


def _text_span(d: dict) -> dict:
    """The `start`, `end` and `text` of a `veille/1` record that stands for a span of the article."""
    return {"start": int(d.get("start") or 0), "end": int(d.get("end") or 0), "text": d.get("text") or ""}


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive interval of ISO days; either end may be unknown (None)."""

    begin: str | None
    end: str | None

    def to_dict(self) -> dict:
        return {"begin": self.begin, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict | None) -> Period | None:
        if not d:
            return None
        return cls(begin=d.get("begin"), end=d.get("end"))

    def overlaps(self, other: Period) -> bool:
        if not self.begin or not other.begin:
            return True
        return self.begin <= (other.end or other.begin) and other.begin <= (self.end or self.begin)


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: its text, where it came from and what cleaning found.

    `metadata` holds what cleaning moved out of the text (bylines, photo
    credits, crawl tags, agency tags) and what the input said about the page
    (author, site, url); `removed` lists the debris lines cut from the body;
    `flags` lists suspected machine-translation artefacts, each a dict with
    `kind`, `start`, `end` and `text` (offsets into `text`).
    """

    text: str
    source: str
    title: str | None = None
    language: str | None = None
    published: str | None = None
    published_precision: str | None = None
    published_from: str | None = None
    metadata: dict = field(default_factory=dict, hash=False, compare=True)
    removed: tuple[str, ...] = ()
    flags: tuple[dict, ...] = ()

    @property
    def id(self) -> str:
        return text_id(self.text)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "language": self.language,
            "published": self.published,
            "published_precision": self.published_precision,
            "published_from": self.published_from,
            "text": self.text,
            "metadata": dict(self.metadata),
            "removed": list(self.removed),
            "flags": [dict(f) for f in self.flags],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        return cls(
            text=d.get("text") or "",
            source=d.get("source") or "",
            title=d.get("title"),
            language=d.get("language"),
            published=d.get("published"),
            published_precision=d.get("published_precision"),
            published_from=d.get("published_from"),
            metadata=dict(d.get("metadata") or {}),
            removed=tuple(d.get("removed") or ()),
            flags=tuple(dict(f) for f in d.get("flags") or ()),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity and where the article mentions it.

    `id` is a Wikidata QID when known, else a stable slug of the name. `role`
    is "actor" for entities the story is about and "reporter" for bylines,
    photo credits and agencies that only carry the story.
    """

    id: str
    name: str
    type: str
    country: str | None = None
    mentions: tuple[tuple[int, int], ...] = ()
    subdivision: str | None = None
    role: str = "actor"
    surface: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "country": self.country,
            "subdivision": self.subdivision,
            "role": self.role,
            "mentions": [list(m) for m in self.mentions],
            "surface": list(self.surface),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Entity:
        return cls(
            id=d["id"],
            name=d["name"] if d.get("name") is not None else d["id"],
            type=d.get("type") or "ORG",
            country=d.get("country"),
            mentions=tuple(_span(m) for m in d.get("mentions") or ()),
            subdivision=d.get("subdivision"),
            role=d.get("role") or "actor",
            surface=tuple(d.get("surface") or ()),
        )


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A span of text that designates a state or a place.

    `code` is ISO 3166-1 alpha-3 for a state ("CHN") or ISO 3166-2 for a
    sub-national place ("CN-LN"); `kind` says how the span names it: "name"
    ("la Chine", "Liaoning"), "capital" (a metonym: "Pékin"), "demonym"
    ("chinoises", "les Russes"), "city" (a city, coded by its region or state).
    """

    start: int
    end: int
    code: str
    kind: str = "name"
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of the article: `start` and `end` are offsets into `Article.text`, `text` what
    stands between them."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Timex(TextSpan):
    """A time expression and what it resolves to.

    DATE and PERIOD carry inclusive `begin`/`end_date` ISO days; DURATION
    carries an ISO 8601 `value` ("P4D"). `note` says why a value is missing
    (e.g. "publication date unknown").
    """

    type: str
    begin: str | None = None
    end_date: str | None = None
    granularity: str | None = None
    value: str | None = None
    note: str | None = None

    @property
    def period(self) -> Period | None:
        if self.begin is None and self.end_date is None:
            return None
        return Period(self.begin, self.end_date)

    def to_dict(self) -> dict:
        d = {
            "start": self.start, "end": self.end, "text": self.text, "type": self.type,
            "begin": self.begin, "end_date": self.end_date, "granularity": self.granularity,
        }
        if self.value is not None:
            d["value"] = self.value
        if self.note is not None:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Timex:
        return cls(
            **_text_span(d), type=d.get("type") or "DATE", begin=d.get("begin"), end_date=d.get("end_date"),
            granularity=d.get("granularity"), value=d.get("value"), note=d.get("note"),
        )


@dataclass(frozen=True, slots=True)
class Measurement(TextSpan):
    """A figure with its value, unit and frame.

    `value` is in plain units (42,64 milliards -> 42640000000.0); `value_max`
    is the top of a range ("entre 10 et 12 milliards"); `qualifier` keeps an
    approximation word ("about", "over", "under", "nearly").
    """

    value: float
    unit: str
    kind: str
    relation: str = "level"
    status: str = "actual"
    metric: str | None = None
    from_: str | None = None
    to: str | None = None
    period: Period | None = None
    usd: float | None = None
    qualifier: str | None = None
    value_max: float | None = None
    evidence: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text,
            "value": self.value, "unit": self.unit, "kind": self.kind,
            "relation": self.relation, "status": self.status, "metric": self.metric,
            "from": self.from_, "to": self.to,
            "period": self.period.to_dict() if self.period else None,
            "usd": self.usd, "qualifier": self.qualifier, "value_max": self.value_max,
            "evidence": list(self.evidence) if self.evidence else None,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Measurement:
        return cls(
            **_text_span(d), value=float(d["value"]), unit=d["unit"], kind=d.get("kind") or "count",
            relation=d.get("relation") or "level", status=d.get("status") or "actual",
            metric=d.get("metric"), from_=d.get("from"), to=d.get("to"),
            period=Period.from_dict(d.get("period")),
            usd=None if d.get("usd") is None else float(d["usd"]),
            qualifier=d.get("qualifier"),
            value_max=None if d.get("value_max") is None else float(d["value_max"]),
            evidence=_span(d.get("evidence")),
        )


@dataclass(frozen=True, slots=True)
class Event:
    """A PLOVER event read from one sentence of one article."""

    type: str
    actor: tuple[str, ...]
    recipient: tuple[str, ...] = ()
    mode: str | None = None
    status: str = "occurred"
    date: Period | None = None
    location: str | None = None
    sectors: tuple[str, ...] = ()
    count: int | None = None
    evidence: tuple[int, int] | None = None
    confidence: float = 0.5
    trigger: str | None = None
    source: str | None = None

    def to_dict(self) -> dict:
        return {
            "type": self.type, "mode": self.mode, "status": self.status,
            "actor": list(self.actor), "recipient": list(self.recipient),
            "date": self.date.to_dict() if self.date else None,
            "location": self.location, "sectors": list(self.sectors), "count": self.count,
            "evidence": list(self.evidence) if self.evidence else None,
            "confidence": self.confidence, "trigger": self.trigger, "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        return cls(
            type=d["type"], actor=tuple(d.get("actor") or ()),
            recipient=tuple(d.get("recipient") or ()), mode=d.get("mode"),
            status=d.get("status") or "occurred", date=Period.from_dict(d.get("date")),
            location=d.get("location"), sectors=tuple(d.get("sectors") or ()),
            count=d.get("count"), evidence=_span(d.get("evidence")),
            confidence=float(d.get("confidence", 0.5)), trigger=d.get("trigger"),
            source=d.get("source"),
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or reported statement and who made it."""

    speaker: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"speaker": self.speaker, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict) -> Quote:
        return cls(speaker=d.get("speaker"), **_text_span(d))


@dataclass(frozen=True, slots=True)
class Record:
    """Everything veille knows about one article: the `veille/1` record."""

    doc: Article
    entities: tuple[Entity, ...] = ()
    timexes: tuple[Timex, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "doc": self.doc.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "timexes": [t.to_dict() for t in self.timexes],
            "measurements": [m.to_dict() for m in self.measurements],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Record:
        if d.get("format", FORMAT) != FORMAT:
            raise ValueError(f"not a {FORMAT} record: format is {d.get('format')!r}")
        return cls(
            doc=Article.from_dict(d.get("doc") or {}),
            entities=tuple(Entity.from_dict(x) for x in d.get("entities") or ()),
            timexes=tuple(Timex.from_dict(x) for x in d.get("timexes") or ()),
            measurements=tuple(Measurement.from_dict(x) for x in d.get("measurements") or ()),
            events=tuple(Event.from_dict(x) for x in d.get("events") or ()),
            quotes=tuple(Quote.from_dict(x) for x in d.get("quotes") or ()),
        )

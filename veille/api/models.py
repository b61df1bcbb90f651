"""The shapes the API answers with, for its OpenAPI description and to check every answer.

They follow the `veille/1` record (shared/eval/FORMAT.md) and add what serving
needs: ids to follow, the sentence behind each fact, paging. Extra fields are
allowed, as in `veille/1`.
"""
from __future__ import annotations

from typing import Any, Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Period(Shape):
    begin: Optional[str] = None
    end: Optional[str] = None


class Page(Shape, Generic[T]):
    """One page of a list: `total` items match; `items` are those from `offset` on, at most `limit`."""

    items: list[T]
    total: int
    limit: int
    offset: int


class ArticleRef(Shape):
    id: str
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None


class ArticleSummary(Shape):
    id: str
    source: str
    url: Optional[str] = None
    title: Optional[str] = None
    language: Optional[str] = None
    published: Optional[str] = None
    published_precision: Optional[str] = None
    version: int
    chars: int
    outlet: Optional[str] = None
    entities: int
    events: int
    measurements: int


class Doc(Shape):
    id: str
    source: str
    title: Optional[str] = None
    language: Optional[str] = None
    published: Optional[str] = None
    published_precision: Optional[str] = None
    text: str
    metadata: dict[str, Any] = {}
    removed: list[str] = []
    flags: list[dict[str, Any]] = []


class RecordEntity(Shape):
    id: str
    name: str
    type: str
    country: Optional[str] = None
    mentions: list[list[int]] = []


class RecordSpan(Shape):
    """A stretch of the article: offsets into its text, and the text between them."""

    start: int
    end: int
    text: str


class RecordTimex(RecordSpan):
    type: str
    begin: Optional[str] = None
    end_date: Optional[str] = None
    granularity: Optional[str] = None


class RecordMeasurement(RecordSpan):
    value: float
    unit: str
    kind: str
    relation: Optional[str] = None
    status: Optional[str] = None
    metric: Optional[str] = None
    from_: Optional[str] = Field(None, alias="from")
    to: Optional[str] = None
    period: Optional[Period] = None
    usd: Optional[float] = None
    evidence: Optional[list[int]] = None


class RecordEvent(Shape):
    type: str
    mode: Optional[str] = None
    status: Optional[str] = None
    actor: list[str] = []
    recipient: list[str] = []
    date: Optional[Period] = None
    location: Optional[str] = None
    sectors: list[str] = []
    count: Optional[int] = None
    evidence: Optional[list[int]] = None


class RecordQuote(Shape):
    speaker: Optional[str] = None
    text: str
    start: int
    end: int


class ArticleVersion(Shape):
    version: int
    supersedes: Optional[str] = None
    superseded_by: Optional[str] = None
    ingested_at: Optional[str] = None
    outlet: Optional[str] = None


class Links(Shape):
    """Per event index, the fused event it went into; per figure index, its figure group."""

    events: list[Optional[str]] = []
    measurements: list[Optional[str]] = []


class ArticleRecord(Shape):
    """The article's whole `veille/1` record, its version, and what the fusion made of it."""

    format: str = "veille/1"
    doc: Doc
    entities: list[RecordEntity] = []
    timexes: list[RecordTimex] = []
    measurements: list[RecordMeasurement] = []
    events: list[RecordEvent] = []
    quotes: list[RecordQuote] = []
    article: ArticleVersion
    links: Links


class EventSource(Shape):
    """One article's report of a fused event, with the sentence it was read from."""

    article_id: str
    event_idx: int
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    status: Optional[str] = None
    date: Optional[Period] = None
    location: Optional[str] = None
    evidence: Optional[str] = None
    evidence_start: Optional[int] = None
    evidence_end: Optional[int] = None
    claim_source: Optional[str] = None
    claim_kind: Optional[str] = None
    copy_group: Optional[str] = None


class NamedParty(Shape):
    """A person or a body named in an event's sentence for one of its parties (veille.read.named):
    Narendra Modi for IND. `side` is "actor" or "recipient", the side its state or body code is
    on; "named" when that is on both sides, or the person's state is unknown."""

    id: str
    name: Optional[str] = None
    type: str
    side: Literal["actor", "recipient", "named"]


class FusedNamedParty(NamedParty):
    """A named party of a fused event: `sources` of its reports name it; its side is the one they
    agree on, else "named"."""

    sources: int


class FusedEvent(Shape):
    """One real-world event, fused from every article that reports it. `named_parties`: the people
    and bodies its reports name for its parties, the union over them, the most widely named first."""

    event_id: str
    type: str
    mode: Optional[str] = None
    status: str
    actor: list[str]
    recipient: list[str]
    named_parties: list[FusedNamedParty] = []
    date: Optional[Period] = None
    location: Optional[str] = None
    sectors: list[str] = []
    count: Optional[int] = None
    source_count: int
    independent_sources: int
    confidence: float
    first_reported: Optional[str] = None
    last_reported: Optional[str] = None
    sources: list[EventSource]


class ArticleEvent(RecordEvent):
    """An event as one article reports it; `event_id` is the fused event it went into;
    `named_parties` the people and bodies its sentence names for its parties, in their order."""

    article_id: str
    idx: int
    named_parties: list[NamedParty] = []
    confidence: Optional[float] = None
    trigger: Optional[str] = None
    source: Optional[str] = None
    evidence_text: Optional[str] = None
    event_id: Optional[str] = None
    article: ArticleRef


class MonthCount(Shape):
    """How many events one period of the timeline holds. `precision` "month": the events dated in
    the month `month` (2024-05), to the day or to the month; "year": the events of the year `month`
    (2023) known only to the year or to a period longer than a month, counted apart, not in January."""

    month: str
    events: int
    year: Optional[str] = None
    precision: Literal["month", "year"] = "month"


class FigureMember(Shape):
    """One sentence's statement of a figure group's value."""

    article_id: str
    measurement_idx: int
    text: Optional[str] = None
    value: Optional[float] = None
    unit: Optional[str] = None
    usd: Optional[float] = None
    qualifier: Optional[str] = None
    low: Optional[float] = None
    high: Optional[float] = None
    period: Optional[Period] = None
    from_: Optional[str] = Field(None, alias="from")
    to: Optional[str] = None
    claim_source: Optional[str] = None
    claim_kind: Optional[str] = None
    position: Optional[int] = None
    outlier: Optional[bool] = None
    implausible: Optional[bool] = None
    published: Optional[str] = None
    evidence: Optional[str] = None
    evidence_start: Optional[int] = None
    evidence_end: Optional[int] = None
    title: Optional[str] = None
    url: Optional[str] = None
    outlet: Optional[str] = None


class ConflictPosition(Shape):
    """One value that some sources hold in a conflict (position 0: the best supported)."""

    position: int
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    members: int
    sources: int
    independent_sources: int
    claims: list[dict[str, Any]]


class SeriesNeighbour(Shape):
    group_id: str
    period: Optional[Period] = None
    value: Optional[float] = None
    conflict: bool


class FigureGroup(Shape):
    """A figure fused across articles: one metric, places and period, its value and every statement of it."""

    group_id: str
    metric: Optional[str] = None
    relation: Optional[str] = None
    status: Optional[str] = None
    places: list[Optional[str]] = []
    directed: Optional[bool] = None
    period: Optional[Period] = None
    granularity: Optional[str] = None
    unit: Optional[str] = None
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    member_count: int
    sources: int
    independent_sources: int
    conflict: bool
    implausible: int
    positions: list[ConflictPosition] = []
    members: list[FigureMember] = []


class FigureDetail(FigureGroup):
    series: list[SeriesNeighbour] = []


class PointPosition(Shape):
    position: int
    value: Optional[float] = None
    sources: int


class SeriesPoint(Shape):
    group_id: str
    period: Period
    value: Optional[float] = None
    low: Optional[float] = None
    high: Optional[float] = None
    conflict: bool
    sources: int
    independent_sources: int
    members: int
    positions: list[PointPosition] = []


class Series(Shape):
    """One metric between the same places, in one unit, over periods of one granularity."""

    key: str
    metric: Optional[str] = None
    relation: Optional[str] = None
    status: Optional[str] = None
    places: list[Optional[str]] = []
    directed: Optional[bool] = None
    unit: Optional[str] = None
    granularity: Optional[str] = None
    points: list[SeriesPoint]


class ArticleMeasurement(RecordMeasurement):
    """A figure as one article states it; `group_id` is the figure group it went into."""

    article_id: str
    idx: int
    qualifier: Optional[str] = None
    value_max: Optional[float] = None
    evidence_text: Optional[str] = None
    group_id: Optional[str] = None
    article: ArticleRef


class EntitySummary(Shape):
    id: str
    name: Optional[str] = None
    type: Optional[str] = None
    country: Optional[str] = None
    subdivision: Optional[str] = None
    articles: int
    mentions: int


class Partner(Shape):
    code: str
    events: int
    entity_id: Optional[str] = None
    name: Optional[str] = None


class EntityDetail(EntitySummary):
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None
    events: int
    figures: int
    partners: list[Partner]
    recent_articles: list[ArticleRef]


class Quote(Shape):
    speaker: Optional[str] = None
    speaker_name: Optional[str] = None
    text: str
    start: int
    end: int
    article_id: str
    idx: int
    article: ArticleRef


class Segment(Shape):
    text: str
    match: bool


class SearchHit(Shape):
    article: ArticleSummary
    score: float
    snippet: list[Segment]


class Overview(Shape):
    format: str
    fusion: bool
    counts: dict[str, int]
    types: list[dict[str, Any]]
    sectors: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    metrics: list[dict[str, Any]]
    outlets: list[dict[str, Any]]
    dates: Optional[Period] = None
    writable: bool
    search: str


class Problem(BaseModel):
    """An error: what was wrong with the request."""

    detail: Any


class NewArticle(BaseModel):
    """An article to ingest: its text (or HTML page) and where it comes from."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1, max_length=2000, description="Where it comes from: a URL or a name.")
    text: Optional[str] = Field(None, max_length=2_000_000)
    html: Optional[str] = Field(None, max_length=8_000_000)
    title: Optional[str] = Field(None, max_length=2000)
    published: Optional[str] = Field(None, max_length=40, description="Publication date, ISO if possible.")
    language: Optional[str] = Field(None, max_length=8)
    url: Optional[str] = Field(None, max_length=2000)


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[NewArticle] = Field(min_length=1, max_length=100)


class IngestFailure(Shape):
    source: str
    reason: str


class IngestResult(Shape):
    new: int
    versions: int
    reprints: int = 0
    unchanged: int
    not_extracted: dict[str, int] = {}     # stored, not extracted: articles by language veille does not read
    errors: list[IngestFailure]


class EventSourceRow(Shape):
    """One fused event as one article reports it, flat (`veille.export.event_sources`), with the
    names of the people and bodies behind its codes."""

    event_id: Optional[str] = None
    type: str
    mode: Optional[str] = None
    status: Optional[str] = None
    date_begin: Optional[str] = None
    date_end: Optional[str] = None
    actor: list[str]
    recipient: list[str]
    actor_names: list[str] = []
    recipient_names: list[str] = []
    other_names: list[str] = []
    outlet: Optional[str] = None
    url: Optional[str] = None
    title: Optional[str] = None
    article_id: str
    published: Optional[str] = None
    evidence: Optional[str] = None


class CodebookEntry(Shape):
    """One code and what it means: `category` is the PLOVER category of an event type."""

    code: str
    label: str
    definition: str
    category: Optional[str] = None


class Codebook(Shape):
    """What each code veille writes means, in one language: kinds (category, type, mode, status, sector,
    figure_kind, relation, figure_status, metric) to their codes."""

    lang: Literal["en", "fr"]
    kinds: dict[str, list[CodebookEntry]]


class GraphCategory(Shape):
    """One of PLOVER's four categories and its event types (the codebook's)."""

    id: str
    label: str
    types: list[str]


class MapEvent(Shape):
    event_id: str
    type: str
    sources: int
    date: Optional[Period] = None


class MapPlace(Shape):
    """Where events took place: a place of the gazetteer (`basis` "location"), or a state at its capital
    for the events that name no place (`basis` "party"); `coords` is [latitude, longitude], null when the
    gazetteer cannot place it; `known` is false for a name the gazetteer does not know (its `id` is then
    the name's slug, which no filter takes)."""

    id: str
    name: str
    coords: Optional[list[float]] = None
    state: Optional[str] = None
    basis: Literal["location", "party"]
    known: bool
    events: int
    by_type: dict[str, int]
    by_category: dict[str, int]
    category: Optional[str] = None
    top: list[MapEvent]


class EventMap(Shape):
    """The events of the timeline by place: `places` on the map, `unplaced` those without coordinates,
    `unlocated` the events with neither a place nor a state among their parties."""

    total: int
    unlocated: int
    places: list[MapPlace]
    unplaced: list[MapPlace]
    categories: list[GraphCategory]


class NetworkNode(Shape):
    code: str
    name: str
    kind: Literal["state", "body", "other"]
    events: int
    degree: int
    by_type: dict[str, int]
    by_category: dict[str, int]
    category: Optional[str] = None


class NetworkEdge(Shape):
    """Two parties and the events they share; `parties` is the timeline's filter for those events."""

    source: str
    target: str
    parties: str
    weight: int
    by_type: dict[str, int]
    by_category: dict[str, int]
    category: Optional[str] = None


class NetworkOthers(Shape):
    """What the top-N cut left out: parties, the events they take part in, edges and their weight."""

    nodes: int
    events: int
    edges: int
    weight: int


class Network(Shape):
    total: int
    top: int
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    others: NetworkOthers
    categories: list[GraphCategory]

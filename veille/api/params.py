"""Query parameters shared by the routes, validated before any query runs: a malformed value
is a 422 that says which parameter and why, never a 500."""
from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

from fastapi import Query

from veille.read import Filters, Page
from veille.read.checks import DATE_RE, party_code
from veille.records import EVENT_STATUSES, EVENT_TYPES, ENTITY_TYPES, MEASUREMENT_KINDS, MEASUREMENT_STATUSES, \
    RELATIONS, SECTORS

MAX_LIMIT = 500
DATE = DATE_RE.pattern                   # the one date pattern of the read layer
CODE = r"[0-9A-Za-zÀ-ÿ][^,;\x00-\x1f]{0,63}"   # a code, or a name ("Corée du Sud")
PARTIES = rf"^{CODE}(,{CODE}){{0,15}}$"
HEX_ID = r"^[0-9a-fA-F]{6,64}$"


class _Choice(str, Enum):
    """A closed list of values; matched whatever the case ("consult" is CONSULT)."""

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for member in cls:
                if member.value.lower() == value.lower():
                    return member
        return None


EventType = _Choice("EventType", {t: t for t in EVENT_TYPES})
Sector = _Choice("Sector", {s: s for s in SECTORS})
EventStatus = _Choice("EventStatus", {s: s for s in EVENT_STATUSES})
FigureStatus = _Choice("FigureStatus", {s: s for s in MEASUREMENT_STATUSES})
Relation = _Choice("Relation", {r: r for r in RELATIONS})
Kind = _Choice("Kind", {k: k for k in MEASUREMENT_KINDS})
EntityType = _Choice("EntityType", {t: t for t in ENTITY_TYPES})
Role = _Choice("Role", {"actor": "actor", "reporter": "reporter"})
Order = _Choice("Order", {o: o for o in ("date_desc", "date_asc", "sources", "confidence")})
FileFormat = _Choice("FileFormat", {f: f for f in ("json", "csv", "jsonl", "parquet")})

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="How many matching items to skip.")]
Since = Annotated[Optional[str], Query(pattern=DATE, description="Only items whose dates reach this day, month "
                                                                 "or year or later: 2024, 2024-05, 2024-05-17.")]
Until = Annotated[Optional[str], Query(pattern=DATE, description="Only items whose dates start on or before "
                                                                 "this day, month or year.")]
Parties = Annotated[Optional[str], Query(pattern=PARTIES, max_length=1100,
                                         description="Comma-separated codes (or states' names) that must all take part: "
                                                     "CHN,RUS or Chine,Russie.")]
Metric = Annotated[Optional[str], Query(pattern=r"^[a-z0-9_]{1,64}$", description="Metric: trade_volume, exports...")]
EntityId = Annotated[Optional[str], Query(min_length=1, max_length=300,
                                          description="Entity id (Wikidata QID or slug): Q7747.")]
Source = Annotated[Optional[str], Query(min_length=1, max_length=2000,
                                        description="Outlet, or an article's source or URL.")]
ArticleId = Annotated[Optional[str], Query(pattern=HEX_ID, description="Article id (sha256 hex).")]
MinSources = Annotated[int, Query(ge=1, le=10_000, description="Only items reported by at least this many articles.")]
Format = Annotated[FileFormat, Query(alias="format", description="json: one page, as `{items, total, limit, offset}`; "
                                     "csv, jsonl, parquet: a file of every matching item (`limit` and `offset` are "
                                     "ignored).")]


def parties(value: str | None) -> tuple[str, ...]:
    """Codes, or states' names ("Chine", "China") turned into their codes."""
    return tuple(party_code(p) for p in (value or "").split(",") if p.strip())


def page(limit: int, offset: int) -> Page:
    return Page(limit=limit, offset=offset)


def filters(**given) -> Filters:
    """Filters from route parameters (enums to their values, `parties` split)."""
    clean = {k: (v.value if isinstance(v, Enum) else v) for k, v in given.items() if v is not None}
    if "parties" in clean:
        clean["parties"] = parties(clean["parties"])
    return Filters(**clean)

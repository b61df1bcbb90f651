"""What every stage knows of the article: its text, parties, dates, publication and language."""
from __future__ import annotations

from dataclasses import dataclass, field

from veille.extract.events.lang import EventLanguage
from veille.extract.events.parties import Parties
from veille.records import Period, Timex


@dataclass
class Context:
    text: str
    folded: str                 # fold(text), from the article view
    parties: Parties
    timexes: list[Timex]
    published: str | None
    story_date: Period | None
    story_place: tuple[str, str | None] | None
    lang: EventLanguage
    pair: tuple[str, ...] = ()
    history: list = field(default_factory=list)     # the events read so far, in text order


def story_date(timexes: list[Timex], text: str, published: str | None) -> Period | None:
    """The day the story reports: the first day-precise date of its lead, else publication day."""
    lead_end = max(300, text.find("\n") if text.find("\n") > 0 else 300)
    for t in timexes:
        if t.start > lead_end:
            break
        if t.type == "DATE" and t.granularity == "day" and t.begin:
            return Period(t.begin, t.end_date or t.begin)
    if published and len(published) == 10:
        return Period(published, published)
    return None


def story_place(parties: Parties) -> tuple[str, str | None] | None:
    """The first city of the article: where its story happens, unless a sentence says otherwise."""
    for s, e, name, kind, state in parties.places:
        if kind in ("city", "port", "capital", "municipality"):
            return name, state
    return None

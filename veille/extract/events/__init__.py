"""Events: PLOVER-coded acts read from the clauses of an article, in stages.

    "Vladimir Poutine et Xi Jinping ont signé jeudi à Pékin une déclaration conjointe."
    -> SUPPORT, actor [CHN, RUS], recipient [], date = that Thursday, location Beijing

Stages, each a module of pure functions, called in this order by `extract_events`:
`lang` (the language bundle: triggers, cues, grammar words, built once), `parties` (which spans
designate which state or body), `triggers` (the words that name an act, and the readings that
hold), `arguments` (who acts on whom, from the parse), `attributes` (status, date, place,
sectors, count), `assemble` (one event from a trigger, or none), `consolidate` (one event per act
in the article); `quotes` finds direct speech and its speaker, `syntax` reads the parse.
"""
from __future__ import annotations

from veille.extract.events.assemble import events_from, headline_visit
from veille.extract.events.consolidate import merge_events
from veille.extract.events.context import Context, story_date, story_place
from veille.extract.events.lang import EventLanguage, event_language, language
from veille.language import Language, default as default_language
from veille.extract.events.parties import build_parties, main_pair
from veille.extract.events.quotes import find_quotes
from veille.extract.events.triggers import find_triggers
from veille.extract.view import ArticleView
from veille.records import Entity, Event, PlaceRef, Quote, Timex
from veille.text import fold

__all__ = ["extract_events", "language", "event_language", "EventLanguage"]


def extract_events(doc, entities: list[Entity], places: list[PlaceRef], timexes: list[Timex],
                   published: str | None, lang: Language | None = None,
                   view: ArticleView | None = None) -> tuple[list[Event], list[Quote]]:
    """Events and quotes of a parsed article, read with the language bundle `lang` (French by default);
    `view`, the article's view, gives its folded text."""
    lang = event_language(lang or default_language())
    text = doc.text
    parties = build_parties(entities, places, text, lang)
    folded = view.folded if view is not None else fold(text)
    ctx = Context(text=text, folded=folded, parties=parties, timexes=sorted(timexes, key=lambda t: t.start),
                  published=published, story_date=None, story_place=story_place(parties), lang=lang,
                  pair=main_pair(places, entities))
    ctx.story_date = story_date(ctx.timexes, text, published)
    quotes = find_quotes(doc, entities, lang)
    events: list[Event] = []
    # the parser's sentences as they are, not the view's: triggers and their arguments are read on
    # the tokens and dependency tree of each, which the view's cuts at line breaks do not follow
    sentences = list(doc.sents)
    doc.user_data["veille_sents"] = [sent for sent in sentences for _ in range(len(sent))]
    for sent in sentences:
        quote = next((q for q in quotes if q.start <= sent.start_char and sent.end_char <= q.end + 2), None)
        before = len(events)
        for token, trigger in find_triggers(sent, lang):
            # what came before in the same sentence counts too: "X a accusé l'Inde de ..., ce que
            # New Delhi conteste" answers X
            events += events_from(token, trigger, sent, ctx, quote.speaker if quote else None, events)
        if len(events) == before and (visit := headline_visit(sent, ctx)) is not None:
            events.append(visit)
        ctx.history = events
    return merge_events(events), quotes

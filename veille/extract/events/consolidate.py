"""Consolidation: one event per act within an article.

    "Xi et Poutine se sont entretenus jeudi à Pékin. [...] L'entretien a duré trois heures."
    -> one CONSULT, with the best date, place and evidence of its reports
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from veille.gazetteer import gazetteer
from veille.records import Event, Period


VISIT_GAP_DAYS = 3     # the days of one visit: arrival on Monday, talks on Tuesday


def _days_apart(a: Period, b: Period) -> int:
    try:
        a0, a1 = date.fromisoformat(a.begin), date.fromisoformat(a.end or a.begin)
        b0, b1 = date.fromisoformat(b.begin), date.fromisoformat(b.end or b.begin)
    except (TypeError, ValueError):
        return 10**6
    return max(0, (b0 - a1).days, (a0 - b1).days)


def _same_visit(kept: Event, ev: Event) -> bool:
    """One visit told by its arrival, its talks and its departure on nearby days."""
    return (kept.type == ev.type == "CONSULT" and kept.mode == ev.mode == "visit" and kept.status == ev.status
            and set(kept.actor) == set(ev.actor) and set(kept.recipient) == set(ev.recipient)
            and kept.date is not None and ev.date is not None and _days_apart(kept.date, ev.date) <= VISIT_GAP_DAYS)


def _span(a: Period, b: Period) -> Period:
    return Period(min(a.begin, b.begin), max(a.end or a.begin, b.end or b.begin))


def _body_only(ev: Event) -> bool:
    """An event whose only parties are bodies (the EU, the EAC), no state."""
    bodies = gazetteer().body_codes
    parties = ev.actor + ev.recipient
    return bool(parties) and all(c in bodies for c in parties)


def _same_act(kept: Event, ev: Event) -> bool:
    if _same_visit(kept, ev):
        return True
    if kept.type != ev.type or not (kept.date is None or ev.date is None or kept.date.overlaps(ev.date)):
        return False
    if set(kept.actor) == set(ev.actor) and set(kept.recipient) == set(ev.recipient):
        return True
    # one sentence, one act told twice, once with fewer parties ("Nouvelles sanctions : Bruxelles
    # frappe la flotte russe": the noun knows the sanctioner, the verb also the target), or once by
    # its body and once by its members ("se sont retrouvés à Arusha pour un sommet de la CAE")
    if kept.evidence == ev.evidence and kept.type == "CONSULT" and _body_only(kept) != _body_only(ev):
        # not a body's meeting and one held on its sidelines, which assemble marks multilateral
        body = kept if _body_only(kept) else ev
        return body.mode != "multilateral"
    return kept.evidence == ev.evidence and (
        set(ev.actor) <= set(kept.actor) and set(ev.recipient) <= set(kept.recipient)
        or set(kept.actor) <= set(ev.actor) and set(kept.recipient) <= set(ev.recipient))


def merge_events(events: list[Event]) -> list[Event]:
    """One event per act within an article: same type, parties and overlapping dates (within a
    sentence, an act with a subset of another's parties is that act)."""
    merged: list[Event] = []
    for ev in events:
        for i, kept in enumerate(merged):
            if _same_act(kept, ev):
                if len(ev.actor) + len(ev.recipient) > len(kept.actor) + len(kept.recipient):
                    kept, ev = ev, kept          # the fuller report is the base
                when = (_span(kept.date, ev.date) if _same_visit(kept, ev) else
                        kept.date if kept.date and (ev.date is None or _width(kept.date) <= _width(ev.date)) else ev.date)
                merged[i] = replace(
                    kept, sectors=tuple(dict.fromkeys(kept.sectors + ev.sectors)),
                    location=kept.location or ev.location, count=kept.count or ev.count,
                    mode=kept.mode or ev.mode, confidence=min(0.95, max(kept.confidence, ev.confidence) + 0.05),
                    date=when)
                break
        else:
            merged.append(ev)
    return merged


def _width(p: Period) -> int:
    try:
        return (date.fromisoformat(p.end or p.begin) - date.fromisoformat(p.begin)).days
    except (TypeError, ValueError):
        return 10**6

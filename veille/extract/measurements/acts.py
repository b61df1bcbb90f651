"""Places from the act a figure's sentence reports.

A sentence often names the two sides of a figure only as the parties of its act: "Varsovie
réclame à Berlin 1 300 milliards d'euros" (the sum would come from Germany to Poland), "les
États-Unis imposent des droits de 25 % aux produits indiens" (on goods from India into the
United States). The figure layer reads places around the figure; this step, run once the
events are read, completes from the act the sides it left out, by the rules of `act_flows`
in resources/metrics.yaml (what holds in every language: PLOVER types, figure kinds and
metrics). A place the figure already has that is not a party of the act wins: the figure is
then about something else than the act.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Sequence

from veille.records import Event, Measurement
from veille.resources import load

@lru_cache(maxsize=1)
def act_flows() -> dict:
    """The rules of resources/metrics.yaml, read once."""
    return load("metrics.yaml")["act_flows"]


def direct_by_acts(measurements: Sequence[Measurement], events: Sequence[Event],
                   flows: dict | None = None) -> list[Measurement]:
    """The measurements, each with the places of the one act of its sentence that directs it.

    >>> from veille.records import Measurement, Event
    >>> m = Measurement(start=20, end=45, text="1 300 milliards d'euros", value=1.3e12, unit="EUR", kind="amount",
    ...                 from_="POL")
    >>> e = Event("REQUEST", ("POL",), ("DEU",), evidence=(0, 60))
    >>> [(x.from_, x.to) for x in direct_by_acts([m], [e])]
    [('DEU', 'POL')]
    """
    flows = act_flows() if flows is None else flows
    out = []
    for m in measurements:
        sides = {s for e in events if (s := _sides(m, e, flows))}
        if len(sides) == 1:
            origin, destination = next(iter(sides))
            if {p for p in (m.from_, m.to) if p} <= {origin, destination}:
                m = replace(m, from_=origin, to=destination)
        out.append(m)
    return out


def _sides(m: Measurement, e: Event, flows: dict) -> tuple[str, str] | None:
    """(origin, destination) that act `e` gives figure `m`, or None when it does not direct it."""
    rule = flows.get(e.type)
    if rule is None or e.evidence is None or not e.evidence[0] <= m.start < e.evidence[1]:
        return None
    if m.kind not in rule.get("kinds", ()) and (m.metric is None or m.metric not in rule.get("metrics", ())):
        return None
    if len(e.actor) != 1 or len(e.recipient) != 1 or e.actor == e.recipient:
        return None
    actor, recipient = e.actor[0], e.recipient[0]
    return (recipient, actor) if rule["flow"] == "recipient_to_actor" else (actor, recipient)

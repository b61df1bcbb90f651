"""Filters that say when they are wrong: `checked(con, filters)` returns the filters with
country names turned into codes ("Chine", "China" -> CHN), or raises ValueError naming what
no item can match and what can: an unknown PLOVER type or sector, a malformed date, a
metric or a party that nothing in the database has. The command line and the alerts use it,
so that a typo is an error, not "0 results"."""
from __future__ import annotations

import difflib
import re
from dataclasses import replace

from veille.read.common import Filters
from veille.records import EVENT_TYPES, SECTORS

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def party_code(token: str) -> str:
    """A party as given: a state's name in any language the gazetteer knows ("Chine", "China",
    "Inde") becomes its ISO code; anything else is taken as a code (CHN, G20, MERCOSUR)."""
    from veille.gazetteer import gazetteer, key_of

    token = token.strip()
    gaz = gazetteer()
    if len(token) == 3 and token.isalpha() and gaz.state(token.upper()):
        return token.upper()
    codes = {gaz.entries[i].iso3 for i in gaz.names.get(key_of(token), ()) if gaz.entries[i].kind == "state"}
    codes.discard(None)
    return codes.pop() if len(codes) == 1 else token.upper()


def checked(con, f: Filters, existing: bool = True) -> Filters:
    """`f` with its parties as codes; ValueError when a value can match nothing (see module).
    Without `existing` (an alert waits for what is not there yet), parties and metrics are not
    checked against the database."""
    problems = []
    if f.type and f.type.upper() not in EVENT_TYPES:
        problems.append(f"unknown event type {f.type!r}; PLOVER types: {', '.join(EVENT_TYPES)}")
    if f.sector and f.sector.lower() not in SECTORS:
        problems.append(f"unknown sector {f.sector!r}; sectors: {', '.join(SECTORS)}")
    for name in ("since", "until"):
        value = getattr(f, name)
        if value and not DATE_RE.match(value):
            problems.append(f"--{name} {value!r} is not a date: write 2024, 2024-05 or 2024-05-17")
    parties = tuple(party_code(p) for p in f.parties)
    if parties and existing:
        known = _parties(con)
        for given, code in zip(f.parties, parties):
            if code not in known:
                near = difflib.get_close_matches(code, sorted(known), n=5, cutoff=0.5)
                problems.append(f"no event or figure has the party {given!r}"
                                + (f"; did you mean {', '.join(near)}?" if near else "")
                                + " (ISO codes such as CHN, or country names such as Chine)")
    if f.metric and existing:
        metrics = [r[0] for r in con.execute("SELECT metric FROM measurements WHERE metric IS NOT NULL"
                                             " GROUP BY 1 ORDER BY count(*) DESC, 1").fetchall()]
        if f.metric not in metrics:
            near = difflib.get_close_matches(f.metric, metrics, n=5, cutoff=0.5)
            problems.append(f"no figure has the metric {f.metric!r}; "
                            + (f"did you mean {', '.join(near)}? " if near else "")
                            + f"metrics here, most frequent first: {', '.join(metrics[:15]) or 'none'}")
    if problems:
        raise ValueError("; ".join(problems))
    return replace(f, parties=parties, type=f.type.upper() if f.type else None,
                   sector=f.sector.lower() if f.sector else None)


def _parties(con) -> set[str]:
    found = set()
    for sql in ("SELECT DISTINCT unnest(list_concat(actor, recipient)) FROM events",
                "SELECT DISTINCT unnest([place_from, place_to]) FROM measurements"):
        found |= {r[0] for r in con.execute(sql).fetchall() if r[0]}
    return found

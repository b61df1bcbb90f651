"""Named parties: the people and bodies behind an event's codes, so that "IND > JPN" reads
"Narendra Modi > Fumio Kishida". They are read from the article's entity mentions that lie in
the event's sentence:

- a person or an organisation of a state (its `country`) names that state when the state is
  among the event's actors or recipients: "Le Premier ministre indien Narendra Modi est arrivé
  à Tokyo, où il a été reçu par Fumio Kishida" gives Modi (IND, actor), Kishida (JPN, recipient);
- a body names its party code (the gazetteer's: EU, NATO, ASEAN) when the code is a party;
- a person whose state is unknown is named too, without a side.

The side is the one the code is on, "actor" or "recipient"; "named" when it is on both sides or
unknown, rather than a guess. A person of a third state in the sentence ("en présence du
président brésilien Lula") is no party; outlets and news agencies (`CARRIER_KINDS`) and bylines
carry the story and never are; places are the event's location, not its parties.

Nothing of this is stored: it is computed from the stored mentions, for the events of the page
asked only, so every database has it, however old.
"""
from __future__ import annotations

from veille.gazetteer import party_bodies
from veille.read.common import fetch

_WITHIN = "m.span[1] >= {r}.evidence_start AND m.span[2] <= {r}.evidence_end"
_SIDE_ORDER = "CASE side WHEN 'actor' THEN 0 WHEN 'recipient' THEN 1 ELSE 2 END"


def can_take_part(entity: dict) -> bool:
    """Whether an entity (a row of `entity_row`) can ever be named for a party: a person, or an
    organisation with a state or a party code that is no outlet."""
    codes, carriers = party_bodies()
    if entity["type"] == "PERSON":
        return True
    return entity["type"] == "ORG" and bool(entity["id"] in codes or entity["country"]) \
        and entity["id"] not in carriers


def _mentions(where: str) -> tuple[str, list]:
    """SQL rows (article_id, entity_id, name, type, party, span) of every mention of the entity rows
    meeting `where` (a condition on `n`, the entities table) that may name a party: `party` is a
    body's code, else the entity's state. The parameters come before those of `where`."""
    codes, carriers = party_bodies()
    sql = ("(SELECT n.article_id, n.entity_id, n.name, n.type, coalesce(b.code, n.country) AS party,"
           " unnest(CAST(n.mentions AS INTEGER[][])) AS span"
           " FROM entities n LEFT JOIN (SELECT unnest(?::VARCHAR[]) AS entity_id, unnest(?::VARCHAR[]) AS code) b"
           " ON b.entity_id = n.entity_id"
           " WHERE n.role = 'actor' AND n.type IN ('PERSON', 'ORG') AND NOT list_contains(?::VARCHAR[], n.entity_id)"
           f" AND {where})")
    return sql, [list(codes), list(codes.values()), sorted(carriers)]


def _side(actor: str, recipient: str) -> str:
    """SQL: the side the mention `m` names in an event whose codes are the lists `actor` and
    `recipient`; NULL when it names none of its parties."""
    return ("CASE WHEN m.party IS NULL THEN (CASE WHEN m.type = 'PERSON' THEN 'named' END)"
            f" WHEN list_contains({actor}, m.party) AND list_contains({recipient}, m.party) THEN 'named'"
            f" WHEN list_contains({actor}, m.party) THEN 'actor'"
            f" WHEN list_contains({recipient}, m.party) THEN 'recipient' END")


def took_part(entity_id: str, fused: bool) -> tuple[str, list]:
    """A condition on `e` (a fused event, or an article's event) with its parameters: the entity, one
    that `can_take_part`, is among its named parties (for a fused event, in one of its reports).
    The rule of `_side`, as the plain test the filter runs over every report of the entity."""
    codes, _ = party_bodies()
    mentions = ("(SELECT n.article_id, n.type, coalesce(?, n.country) AS party,"
                " unnest(CAST(n.mentions AS INTEGER[][])) AS span"
                " FROM entities n WHERE n.entity_id = ? AND n.role = 'actor')")
    named = "(m.party IS NULL AND m.type = 'PERSON' OR list_contains(list_concat({r}.actor, {r}.recipient), m.party))"
    if fused:
        sql = (f"e.event_id IN (SELECT s.event_id FROM fused_event_sources s JOIN {mentions} m"
               f" ON m.article_id = s.article_id AND {_WITHIN.format(r='s')} WHERE {named.format(r='s')})")
    else:   # a semi-join: twice as fast as EXISTS over a hundred thousand events
        sql = (f"(e.article_id, e.idx) IN (SELECT x.article_id, x.idx FROM events x JOIN {mentions} m"
               f" ON m.article_id = x.article_id AND {_WITHIN.format(r='x')} WHERE {named.format(r='x')})")
    return sql, [codes.get(entity_id), entity_id]


def _named(con, reports: str, params: list, order: str) -> dict[str, list[dict]]:
    """The named parties of each key of `reports` (SQL rows: key, article_id, actor, recipient,
    evidence_start, evidence_end; several rows may share a key, the reports of one fused event):
    {id, name, type, side, sources}, `sources` the reports naming it; its side is the one they
    agree on, else "named"."""
    mentions, mention_params = _mentions("n.article_id IN (SELECT article_id FROM r)")
    rows = fetch(con, f"""
        WITH r AS ({reports}),
        named AS (
            SELECT r.key, r.article_id, m.entity_id, m.name, m.type, {_side('r.actor', 'r.recipient')} AS side,
                   min(m.span[1]) AS first_at
            FROM r JOIN {mentions} m ON m.article_id = r.article_id AND {_WITHIN.format(r='r')}
            GROUP BY ALL)
        SELECT * FROM (
            SELECT key, entity_id AS id, min(name) AS name, min(type) AS type,
                   CASE WHEN count(DISTINCT side) = 1 THEN min(side) ELSE 'named' END AS side,
                   count(DISTINCT article_id) AS sources, min(first_at) AS first_at
            FROM named WHERE side IS NOT NULL
            GROUP BY key, entity_id)
        ORDER BY key, {order}, id""", [*params, *mention_params])
    out: dict[str, list[dict]] = {}
    for row in rows:
        row.pop("first_at")
        out.setdefault(row.pop("key"), []).append(row)
    return out


def article_named(con, keys: list[tuple[str, int]]) -> dict[tuple[str, int], list[dict]]:
    """The named parties of these events of articles, by (article id, event index), in the order
    the sentence names them: [{id, name, type, side}]."""
    if not keys:
        return {}
    reports = ("SELECT article_id || ':' || idx AS key, article_id, actor, recipient, evidence_start, evidence_end"
               " FROM events WHERE (article_id, idx) IN (SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]))")
    named = _named(con, reports, [[k[0] for k in keys], [k[1] for k in keys]], "first_at")
    out = {}
    for key, people in named.items():
        article_id, idx = key.rsplit(":", 1)
        out[(article_id, int(idx))] = [{k: v for k, v in p.items() if k != "sources"} for p in people]
    return out


def fused_named(con, event_ids: list[str]) -> dict[str, list[dict]]:
    """The named parties of these fused events, the union over their reports, the most widely
    named first: [{id, name, type, side, sources}]."""
    if not event_ids:
        return {}
    reports = ("SELECT event_id AS key, article_id, actor, recipient, evidence_start, evidence_end"
               " FROM fused_event_sources WHERE event_id IN (SELECT unnest(?::VARCHAR[]))")
    return _named(con, reports, [event_ids], f"sources DESC, {_SIDE_ORDER}, name")


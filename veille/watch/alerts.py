"""Alerts: saved searches over the fused record, and what newly matches them.

An alert is a listing of the read layer (`veille.read`: events, figures or conflicts) with
its `Filters`, and for figures an optional threshold (`above`: only groups whose value is
at least that). After each watch round (or `veille alerts`), `update_alerts` lists what each
alert matches and records it once per fused event or figure group: a new item is a new
match; an item that gains sources is updated (its entry moves up, it does not repeat); what
matched when the alert was added is its baseline, recorded but not announced.

Delivered three ways: `read_alerts` (what changed since the last read: `veille alerts`),
an Atom feed per alert (`atom_feed`, served at /alerts/NAME.atom), and an optional webhook
(a JSON POST of the new matches, retried with back-off; its last failure is kept).
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, fields
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from veille.read import Filters, Page, list_conflicts, list_events, list_figures
from veille.watch import now_utc

WHAT = ("events", "figures", "conflicts")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
ALL = Page(limit=1_000_000_000, offset=0)
# seconds between the tries of a webhook POST (three tries in all)
RETRY_DELAYS = (1.0, 4.0)
KEPT_SOURCES = 10            # sources kept with a match (the item's page has them all)


def add_alert(con, name: str, what: str, filters: Filters, above: float | None = None, webhook: str | None = None,
              now: datetime | None = None) -> int:
    """Save an alert; what it matches now is its baseline (returned: how many). Raises ValueError
    for a bad name, an unknown listing, a threshold on anything but figures, a webhook that is not
    an http(s) URL, or a name already taken."""
    if not NAME_RE.match(name or ""):
        raise ValueError(f"alert name {name!r}: use letters, digits, '-', '_' or '.' (at most 64)")
    if what not in WHAT:
        raise ValueError(f"an alert lists one of {', '.join(WHAT)}, not {what!r}")
    if above is not None and what != "figures":
        raise ValueError("a threshold (above) applies to figures only")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise ValueError(f"webhook {webhook!r}: not an http:// or https:// URL")
    if con.execute("SELECT count(*) FROM alerts WHERE name = ?", [name]).fetchone()[0]:
        raise ValueError(f"an alert named {name!r} exists: remove it first (veille alert remove {name})")
    now = now or now_utc()
    con.execute("INSERT INTO alerts (name, what, filters, above, webhook, created, last_read) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, what, json.dumps(_filters_dict(filters)), above, webhook, now, now])
    alert = _alert(con, name)
    rows = [(name, item_id, now, now, sources, title, json.dumps(item, ensure_ascii=False, default=str),
             json.dumps(sorted(members)))
            for item_id, sources, title, item, members in _matches(con, alert)]
    if rows:
        con.executemany("INSERT INTO alert_matches (alert, item_id, first_matched, updated, sources, title, item,"
                        " members) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def remove_alert(con, name: str) -> bool:
    found = con.execute("SELECT count(*) FROM alerts WHERE name = ?", [name]).fetchone()[0]
    con.execute("DELETE FROM alert_matches WHERE alert = ?", [name])
    con.execute("DELETE FROM alerts WHERE name = ?", [name])
    return bool(found)


def list_alerts(con) -> list[dict]:
    """Every alert with its filters, how many items it matches, how many changed since it was
    last read, its latest match and its webhook's last failure."""
    out = []
    for name, in con.execute("SELECT name FROM alerts ORDER BY name").fetchall():
        a = _alert(con, name)
        total, unread, latest = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE updated > ?), max(updated) FROM alert_matches WHERE alert = ?",
            [a["last_read"], name]).fetchone()
        last = con.execute("SELECT title FROM alert_matches WHERE alert = ? ORDER BY updated DESC, item_id LIMIT 1",
                           [name]).fetchone()
        out.append({"name": name, "what": a["what"], "filters": _shown(a["filters"]), "above": a["above"],
                    "webhook": a["webhook"], "created": _iso(a["created"]), "matches": total, "unread": unread,
                    "latest": _iso(latest), "latest_title": last[0] if last else None, "last_error": a["last_error"]})
    return out


def update_alerts(store, now: datetime | None = None, settings=None,
                  articles: list[str] | None = None) -> dict[str, int]:
    """Record what each alert newly matches (new items, items with more sources); deliver them to
    the alert's webhook. With `articles` (what a watch round stored), only the items holding one
    of them are matched again: only they can be new or have gained sources, and a round then
    costs what it brought, not the size of the record. Returns, per alert, how many matches are
    new or updated."""
    con = store.con
    now = now or now_utc()
    out = {}
    if articles is not None and not articles:
        return {name: 0 for name, in con.execute("SELECT name FROM alerts ORDER BY name").fetchall()}
    for name, in con.execute("SELECT name FROM alerts ORDER BY name").fetchall():
        alert = _alert(con, name)
        if articles is not None:
            alert["filters"] = {**alert["filters"], "articles": list(articles)}
        known = {i: (n, set(json.loads(m))) for i, n, m in con.execute(
            "SELECT item_id, sources, members FROM alert_matches WHERE alert = ?", [name]).fetchall()}
        current = list(_matches(con, alert))
        gone = set(known) - {c[0] for c in current}
        if articles is not None:
            # an item out of this round's reach is not gone: only those sharing a report with a
            # current item may have changed id
            reached = {m for c in current for m in c[4]}
            gone = {i for i in gone if known[i][1] & reached}
        by_member = {m: i for i in gone for m in known[i][1]}
        changed = []
        for item_id, sources, title, item, members in current:
            payload, members_json = json.dumps(item, ensure_ascii=False, default=str), json.dumps(sorted(members))
            before = item_id if item_id in known else next((by_member[m] for m in members if m in by_member), None)
            if before is not None and before != item_id:
                # the same event under a new id: the match follows it
                con.execute("UPDATE alert_matches SET item_id = ?, title = ?, item = ?, members = ?"
                            " WHERE alert = ? AND item_id = ?", [item_id, title, payload, members_json, name, before])
                for m in known[before][1]:
                    by_member.pop(m, None)
                known[item_id] = known.pop(before)
            if before is not None and known[item_id][0] >= sources:
                continue
            kind = "new" if before is None else "updated"
            if kind == "new":
                con.execute("INSERT INTO alert_matches (alert, item_id, first_matched, updated, sources, title, item,"
                            " members) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [name, item_id, now, now, sources, title, payload, members_json])
            else:
                con.execute("UPDATE alert_matches SET updated = ?, sources = ?, title = ?, item = ?, members = ?"
                            " WHERE alert = ? AND item_id = ?", [now, sources, title, payload, members_json, name,
                                                                  item_id])
            changed.append({"item_id": item_id, "change": kind, "sources": sources, "title": title, "item": item})
        out[name] = len(changed)
        if changed and alert["webhook"]:
            error = deliver(alert["webhook"], {"alert": name, "what": alert["what"], "at": _iso(now),
                                               "matches": changed}, settings)
            con.execute("UPDATE alerts SET last_error = ? WHERE name = ?", [error, name])
    return out


def read_alerts(con, name: str | None = None, mark: bool = True, now: datetime | None = None) -> list[dict]:
    """What changed in each alert (or in `name`) since it was last read, newest first; with
    `mark`, it is read now. Raises KeyError for an unknown alert."""
    names = [name] if name else [n for n, in con.execute("SELECT name FROM alerts ORDER BY name").fetchall()]
    out = []
    for n in names:
        alert = _alert(con, n)
        rows = con.execute("SELECT item_id, first_matched, updated, sources, title, item FROM alert_matches"
                           " WHERE alert = ? AND updated > ? ORDER BY updated DESC, item_id", [n, alert["last_read"]])
        for item_id, first, updated, sources, title, item in rows.fetchall():
            out.append({"alert": n, "what": alert["what"], "item_id": item_id,
                        "change": "new" if first == updated else "updated", "matched": _iso(updated),
                        "sources": sources, "title": title, "item": json.loads(item)})
        if mark:
            con.execute("UPDATE alerts SET last_read = ? WHERE name = ?", [max(now or now_utc(), alert["last_read"]), n])
    return out


def atom_feed(con, name: str, base_url: str, limit: int = 100) -> str:
    """The alert's latest matches as an Atom feed; each entry links to the item's page on the
    dashboard at `base_url` and carries its sentences and sources. Raises KeyError."""
    alert = _alert(con, name)
    base = base_url.rstrip("/") + "/"
    rows = con.execute("SELECT item_id, first_matched, updated, sources, title, item FROM alert_matches"
                       " WHERE alert = ? ORDER BY updated DESC, item_id LIMIT ?", [name, limit]).fetchall()
    page = "event" if alert["what"] == "events" else "figure"
    updated = _atom_time(rows[0][2] if rows else alert["created"])
    parts = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"<id>urn:veille:alert:{escape(name)}</id>", f"<title>veille: {escape(name)}</title>",
             f"<subtitle>{escape(alert['what'])} {escape(_shown(alert['filters']))}</subtitle>",
             f"<updated>{updated}</updated>", f'<link rel="alternate" href={quoteattr(base)}/>',
             "<generator>veille</generator>"]
    for item_id, first, upd, sources, title, item in rows:
        href = f"{base}#/{page}/{item_id}"
        parts += ["<entry>", f"<id>urn:veille:alert:{escape(name)}:{escape(item_id)}</id>",
                  f"<title>{escape(title)}</title>", f"<published>{_atom_time(first)}</published>",
                  f"<updated>{_atom_time(upd)}</updated>", f'<link rel="alternate" href={quoteattr(href)}/>',
                  f'<content type="html">{escape(_entry_html(json.loads(item), sources))}</content>', "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def deliver(url: str, payload: dict, settings=None) -> str | None:
    """POST `payload` as JSON to `url`, up to three tries with back-off; None when delivered,
    else the last failure."""
    import httpx

    timeout = getattr(settings, "http_timeout", 20.0)
    error = None
    for attempt in range(len(RETRY_DELAYS) + 1):
        if attempt:
            time.sleep(RETRY_DELAYS[attempt - 1])
        try:
            response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
            if response.status_code < 300:
                return None
            error = f"HTTP {response.status_code}"
            if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
                break                         # the receiver refuses it: trying again will not help
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
    return f"webhook {url} failed: {error}"


# -- matching ------------------------------------------------------------------------------

def _matches(con, alert: dict):
    """(item id, sources, title, item, members) of everything the alert matches now; `members`
    are its reports or figures, as article:index."""
    given = dict(alert["filters"])
    f = Filters(**{**given, "parties": tuple(given.get("parties") or ()), "articles": tuple(given.get("articles") or ())})
    if alert["what"] == "events":
        for e in list_events(con, f, page=ALL)["items"]:
            members = {f"{s['article_id']}:{s['event_idx']}" for s in e.get("sources") or ()}
            yield e["event_id"], int(e["source_count"]), _event_title(e), _trimmed(e), members
    else:
        listing = list_figures if alert["what"] == "figures" else list_conflicts
        for g in listing(con, f, page=ALL)["items"]:
            if alert["above"] is not None and not (g.get("value") is not None and g["value"] >= alert["above"]):
                continue
            members = {f"{m['article_id']}:{m['measurement_idx']}" for m in g.get("members") or () if "article_id" in m}
            yield g["group_id"], int(g["sources"]), _figure_title(g), _trimmed(g), members


def _event_title(e: dict) -> str:
    parties = "+".join(e["actor"]) + (" → " + "+".join(e["recipient"]) if e["recipient"] else "")
    date = e.get("date") or {}
    when = date.get("begin") or "undated"
    if date.get("end") and date["end"] != date.get("begin"):
        when += f"..{date['end']}"
    mode = f" ({e['mode']})" if e.get("mode") else ""
    status = "" if e.get("status") in (None, "occurred") else f", {e['status']}"
    n = e["source_count"]
    return f"{e['type']}{mode} {parties}, {when}{status}: {n} source{'s' if n > 1 else ''}"


def _figure_title(g: dict) -> str:
    places = "–".join(g.get("places") or []) or "no place"
    period = g.get("period") or {}
    when = period.get("begin") or "no period"
    if period.get("end") and period["end"] != period.get("begin"):
        when += f"..{period['end']}"
    value = g.get("value")
    shown = f"{value:,.6g} {g.get('unit') or ''}".strip() if value is not None else "?"
    conflict = ", sources disagree" if g.get("conflict") else ""
    n = g["sources"]
    return f"{g.get('metric') or 'figure'} {places}, {when}: {shown}{conflict} ({n} source{'s' if n > 1 else ''})"


def _trimmed(item: dict) -> dict:
    out = dict(item)
    for key in ("sources", "members"):
        if isinstance(out.get(key), list):
            out[key] = out[key][:KEPT_SOURCES]
    return out


def _entry_html(item: dict, sources: int) -> str:
    lines = []
    for s in (item.get("sources") or item.get("members") or [])[:KEPT_SOURCES]:
        text = s.get("evidence") or s.get("text") or ""
        who = s.get("outlet") or s.get("claim_source") or s.get("source") or ""
        url = s.get("url")
        link = f' — <a href={quoteattr(url)}>{escape(who)}</a>' if url and url.startswith(("http://", "https://")) \
            else (f" — {escape(who)}" if who else "")
        lines.append(f"<li>{escape(text)}{link}</li>")
    more = f"<p>{sources} sources in all.</p>" if sources > len(lines) else ""
    return f"<ul>{''.join(lines)}</ul>{more}"


# -- helpers ---------------------------------------------------------------------------------

def _alert(con, name: str) -> dict:
    row = con.execute("SELECT name, what, filters, above, webhook, created, last_read, last_error FROM alerts"
                      " WHERE name = ?", [name]).fetchone()
    if row is None:
        raise KeyError(f"no alert named {name!r} (veille alert list shows them)")
    keys = ("name", "what", "filters", "above", "webhook", "created", "last_read", "last_error")
    a = dict(zip(keys, row))
    a["filters"] = json.loads(a["filters"])
    return a


def _filters_dict(f: Filters) -> dict:
    defaults = {x.name: x.default for x in fields(Filters)}
    d = {k: v for k, v in asdict(f).items() if v not in (None, (), []) and v != defaults.get(k)}
    if "parties" in d:
        d["parties"] = list(d["parties"])
    return d


def _shown(filters: dict) -> str:
    return " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in sorted(filters.items())) or "(all)"


def _iso(t) -> str | None:
    return t.isoformat(timespec="seconds") if t else None


def _atom_time(t: datetime) -> str:
    return t.replace(microsecond=0).isoformat() + "Z"

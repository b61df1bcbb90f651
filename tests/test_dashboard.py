"""The dashboard in a real headless browser: Playwright drives Debian's Chromium over a live
server on the demo corpus. Screenshots go to /tmp/veille-screens/ for a person to look at."""
from __future__ import annotations

import csv
import io
import json
import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from demo_server import CHROMIUM, CHROMIUM_ARGS, INJECTION, copy_db, shared_demo_db
from veille.api import create_app, running

pytestmark = pytest.mark.browser

SCREENS = Path("/tmp/veille-screens")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (scripts/system-packages installs it)")
    with running(create_app(shared_demo_db(tmp_path_factory))) as base:
        yield base


@pytest.fixture(scope="module")
def browser(live):
    from playwright.sync_api import sync_playwright

    SCREENS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@contextmanager
def opened(browser, base_url: str, viewport: dict = DESKTOP, timeout: int = 15000):
    """A page of the dashboard at `base_url`, waiting at most `timeout` ms; on leaving, no script
    error and no failed request but the API's 4xx answers (asked for by the tests of error states)."""
    context = browser.new_context(viewport=viewport, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(timeout)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # the browser logs every 4xx answer as an error: API 404s are asked for; anything else is a fault
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/api/" not in r.url) else None)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def page(browser, live):
    with opened(browser, live) as page:
        yield page


def test_timeline_loads_and_filters_by_type(page, live):
    page.goto("/#/timeline")
    page.wait_for_selector("#event-list li.event")
    everything = httpx.get(live + "/api/events").json()["total"]
    assert page.text_content("#event-total") == f"{everything} events"
    assert page.locator("#histogram svg rect.bar").count() > 5
    page.select_option("select[name=type]", "CONSULT")
    expect(page).to_have_url(re.compile(r"type=CONSULT"))
    consult = httpx.get(live + "/api/events", params={"type": "CONSULT"}).json()["total"]
    expect(page.locator("#event-total")).to_have_text(f"{consult} events")
    types = page.eval_on_selector_all("#event-list li.event", "els => els.map(e => e.dataset.type)")
    assert types and set(types) == {"CONSULT"}
    page.screenshot(path=str(SCREENS / "timeline-consult.png"))
    page.fill("input[name=parties]", "CHN,RUS")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"parties=CHN%2CRUS"))
    both = httpx.get(live + "/api/events", params={"type": "CONSULT", "parties": "CHN,RUS"}).json()["total"]
    expect(page.locator("#event-total")).to_have_text(f"{both} events")


def test_download_links_carry_the_current_filters(page, live):
    page.goto("/#/timeline?type=CONSULT&parties=CHN,RUS")
    page.wait_for_selector("#event-list li.event")
    csv_link = page.locator(".downloads[data-list=events] a[data-format=csv]")
    href = csv_link.get_attribute("href")
    assert href.startswith("/api/events?") and {"type=CONSULT", "parties=CHN%2CRUS", "format=csv"} <= set(
        href.split("?", 1)[1].split("&")), href
    assert page.locator(".downloads[data-list=events] a[data-format=parquet]").get_attribute("href") == \
        href.replace("format=csv", "format=parquet")
    rows = list(csv.DictReader(io.StringIO(httpx.get(live + href).content.decode("utf-8-sig"))))
    total = httpx.get(live + "/api/events", params={"type": "CONSULT", "parties": "CHN,RUS"}).json()["total"]
    assert len(rows) == total > 0 and {r["type"] for r in rows} == {"CONSULT"}
    page.screenshot(path=str(SCREENS / "timeline-downloads.png"))


def test_opening_an_event_shows_its_sources_and_sentences(page, live):
    first = httpx.get(live + "/api/events", params={"order": "sources", "limit": 1}).json()["items"][0]
    page.goto("/#/timeline?order=sources")
    page.wait_for_selector("#event-list li.event")
    card = page.locator(f"li.event[data-event-id='{first['event_id']}']")
    assert card.locator(".event-body").is_hidden()
    card.locator(".event-head").click()
    body = card.locator(".event-body")
    body.wait_for(state="visible")
    quotes = body.locator("blockquote.evidence").all_text_contents()
    assert len(quotes) == len(first["sources"]) >= 2
    for quote, source in zip(quotes, first["sources"]):
        assert " ".join(source["evidence"].split()) in " ".join(quote.split())
    page.screenshot(path=str(SCREENS / "timeline-event-open.png"))
    card.locator("a", has_text="event page").click()
    # The timeline card also holds a list of sources: wait for the event page to
    # replace it, not for the first list that happens to be there.
    expect(page).to_have_url(re.compile(re.escape(f"#/event/{first['event_id']}")))
    expect(page.locator("h1", has_text=first["type"])).to_be_visible()
    expect(page.locator("ul.sources li.source")).to_have_count(len(first["sources"]))


def test_following_a_figure_to_its_sentence(page, live):
    page.goto("/#/figures?metric=trade_volume&parties=CHN,RUS")
    page.wait_for_selector(".chart svg circle.pt")
    page.screenshot(path=str(SCREENS / "figures.png"))
    conflict = page.locator(".chart svg a.point-link:has(circle.pt.conflict)").first
    group_id = conflict.get_attribute("data-group-id")
    conflict.locator("circle.pt").click()
    page.wait_for_selector("#figure-members li.member")
    group = httpx.get(live + f"/api/figures/{group_id}").json()
    assert group["conflict"] and page.locator("table.positions tr.position").count() == len(group["positions"])
    page.screenshot(path=str(SCREENS / "figure-conflict.png"))
    member = group["members"][0]
    page.locator("#figure-members li.member a.to-article").first.click()
    page.wait_for_selector("#article-text .focus")
    focused = "".join(page.locator("#article-text .focus").all_text_contents())
    assert focused == member["evidence"]
    assert member["text"] in page.locator("#article-text .focus.fig").all_text_contents()[0] or \
        member["text"] in "".join(page.locator("#article-text .focus.fig").all_text_contents())
    page.screenshot(path=str(SCREENS / "article-at-sentence.png"))


def test_an_article_full_of_markup_shows_it_as_text(page, live):
    found = httpx.get(live + "/api/search", params={"q": "pwned onerror"}).json()["items"]
    article_id = found[0]["article"]["id"]
    page.goto(f"/#/article/{article_id}")
    page.wait_for_selector("#article-text")
    text = page.text_content("#article-text")
    assert "<script>window.__pwned = 1; document.title = 'pwned';</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert page.text_content("#article-title") == INJECTION["title"]
    assert page.locator("main script, main img, #article-text b, #article-text i").count() == 0
    assert page.evaluate("typeof window.__pwned === 'undefined' && typeof window.__pwned_title === 'undefined'")
    page.hover("#article-text")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() != "pwned"
    page.screenshot(path=str(SCREENS / "article-injection.png"))
    page.fill("#search-input", "pwned")
    page.press("#search-input", "Enter")
    page.wait_for_selector("p.snippet mark")
    assert "<" in page.text_content("table.list") and page.locator("main script, main img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_search_box_entity_page_and_states(page, live):
    page.goto("/#/timeline")
    page.fill("#search-input", "gaz Pékin")
    page.press("#search-input", "Enter")
    page.wait_for_selector("p.snippet mark")
    assert page.locator("table.list tbody tr").count() == httpx.get(
        live + "/api/search", params={"q": "gaz Pékin"}).json()["total"]
    page.screenshot(path=str(SCREENS / "search.png"))
    page.goto("/#/entity/Q7747")
    page.wait_for_selector("#entity-events li.event")
    page.wait_for_selector("#entity-figures table.list")
    assert page.text_content("h1") == "Vladimir Putin"
    page.screenshot(path=str(SCREENS / "entity.png"))
    page.goto("/#/timeline?parties=ZZZ")
    expect(page.locator(".state.empty")).to_contain_text("No event matches")
    page.goto("/#/event/no-such-event")
    expect(page.locator(".state.error")).to_contain_text("Not found")


FEED = "https://fil.example/rss.xml"
FEED_ERROR = "fetch failed: HTTP 500 Internal Server Error"
# an error message is text from elsewhere (a file, a server): shown as text, never as markup
OLD_ERROR = 'unreadable: <img src=x onerror="window.__pwned = 4">'


@pytest.fixture
def watched(tmp_path, tmp_path_factory):
    """A copy of the demo database that watches a failing feed and a healthy folder (its error of
    yesterday kept) and has the alert `visites` over the events of China and Russia; served."""
    from veille.read import Filters
    from veille.store import Store
    from veille.watch import add_sources
    from veille.watch.alerts import add_alert

    db = copy_db(shared_demo_db(tmp_path_factory), tmp_path)
    (tmp_path / "depot").mkdir()
    with Store(db) as store:
        feed, folder = add_sources(store, [FEED, str(tmp_path / "depot")], 900.0, now=datetime(2024, 6, 3, 8, 0))
        store.con.execute("UPDATE watch_sources SET last_attempt = ?, last_error = ?, last_error_at = ?, failures = 2,"
                          " next_due = ? WHERE source = ?", [datetime(2024, 6, 4, 9, 0), FEED_ERROR,
                                                             datetime(2024, 6, 4, 9, 0), datetime(2024, 6, 4, 10, 0), feed])
        store.con.execute("UPDATE watch_sources SET last_attempt = ?, last_success = ?, last_error = ?, last_error_at = ?,"
                          " articles = 3 WHERE source = ?", [datetime(2024, 6, 4, 9, 0), datetime(2024, 6, 4, 9, 0),
                                                             OLD_ERROR, datetime(2024, 6, 3, 9, 0), folder])
        assert add_alert(store.con, "visites", "events", Filters(parties=("CHN", "RUS")), now=datetime(2024, 6, 4, 9, 0))
    with running(create_app(db)) as base:
        yield base


def test_alerts_and_watched_sources_at_desktop_and_phone_width(browser, watched):
    alert = httpx.get(watched + "/api/alerts/visites").json()
    first = alert["items"][0]
    feed = httpx.get(watched + "/alerts/visites.atom")
    assert feed.status_code == 200 and first["item_id"] in feed.text
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        with opened(browser, watched, viewport) as page:
            page.goto("/#/alerts")
            row = page.locator("table.alerts tr[data-alert=visites]")
            expect(row.locator("td.num").first).to_have_text(str(alert["matches"]))
            expect(row).to_contain_text(alert["latest_title"])
            expect(page.locator("header nav a.active")).to_have_text("Alerts")
            page.screenshot(path=str(SCREENS / f"alerts-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            row.get_by_role("link", name="visites").click()
            expect(page).to_have_url(re.compile(r"#/alerts/visites$"))
            expect(page.locator("#alert-matches")).to_have_text(str(alert["matches"]))
            expect(page.locator("#alert-items tbody tr")).to_have_count(len(alert["items"]))
            expect(page.get_by_role("link", name="subscribe in a feed reader")).to_have_attribute("href", "/alerts/visites.atom")
            match = page.locator("#alert-items a", has_text=first["title"]).first
            expect(match).to_have_attribute("href", f"#/event/{first['item_id']}")
            page.screenshot(path=str(SCREENS / f"alert-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            match.click()
            expect(page.locator("ul.cards li.event")).to_have_attribute("data-event-id", first["item_id"])
            # the feed's entries link to #/events/ID: the same page
            page.goto(f"/#/events/{first['item_id']}")
            expect(page.locator("ul.cards li.event")).to_have_attribute("data-event-id", first["item_id"])

            page.goto("/#/sources")
            failing = page.locator("table.watched tr.failing")
            expect(failing).to_have_count(1)
            expect(failing.get_by_role("link", name=FEED)).to_have_attribute("href", FEED)
            expect(failing).to_contain_text(FEED_ERROR)
            expect(failing.locator(".badge")).to_have_text("failing")
            expect(failing.locator("td.num").first).to_have_text("2")
            healthy = page.locator("table.watched tbody tr:not(.failing)")
            expect(healthy).to_contain_text(OLD_ERROR)
            expect(healthy.locator("a")).to_have_count(0)          # a folder is no link
            assert page.locator("main img").count() == 0 and page.evaluate("typeof window.__pwned") == "undefined"
            expect(page.locator("header nav a.active")).to_have_text("Sources")
            page.screenshot(path=str(SCREENS / f"sources-{size}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_watch_pages_without_alerts_or_sources_say_how_to_start(page):
    page.goto("/#/alerts")
    expect(page.locator(".state.empty")).to_contain_text("veille alert add NAME -p IND,JPN")
    page.goto("/#/sources")
    expect(page.locator(".state.empty")).to_contain_text("veille watch FEED_URL --every 15m")
    page.goto("/#/alerts/inconnue")
    expect(page.locator(".state.error")).to_contain_text("Not found: no alert named 'inconnue'")


def test_an_event_card_names_who_acted_and_links_them(page, live):
    """Who, not only which state: the names behind the codes on the card, linked to their pages
    once the card is open."""
    items = httpx.get(live + "/api/events", params={"order": "sources", "limit": 50}).json()["items"]
    ev = next(e for e in items if any(n["side"] == "actor" for n in e["named_parties"]))
    actor = next(n for n in ev["named_parties"] if n["side"] == "actor")
    page.goto("/#/timeline?order=sources&limit=50")
    page.wait_for_selector("#event-list li.event")
    card = page.locator(f"li.event[data-event-id='{ev['event_id']}']")
    expect(card.locator(".event-head .who")).to_contain_text(actor["name"])
    card.locator(".event-head").click()
    entity = card.locator(".event-body .who a", has_text=actor["name"])
    expect(entity).to_have_attribute("href", re.compile(re.escape("#/entity/" + actor["id"])))
    entity.click()
    expect(page).to_have_url(re.compile(re.escape("#/entity/" + actor["id"])))


# -- issue 19: charts that do not lie, and small things an analyst saw ---------------------------
PHONE_375 = {"width": 375, "height": 812}
SIZES = (("desktop", DESKTOP), ("phone", PHONE_375))


def _months(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_the_histogram_has_a_true_time_axis_and_draws_year_only_events_across_their_year(browser, live):
    rows = httpx.get(live + "/api/events/months").json()
    monthly = {r["month"]: r["events"] for r in rows if r["precision"] == "month"}
    yearly = {r["month"]: r["events"] for r in rows if r["precision"] == "year"}
    assert yearly and monthly                       # the demo has events known only to 2023 and to 2025
    first = min([*monthly, *(y + "-01" for y in yearly)])
    last = max([*monthly, *(y + "-12" for y in yearly)])
    slots = _months(first, last)
    assert len(slots) > len(monthly)                # empty months to show
    for size, viewport in SIZES:
        with opened(browser, live, viewport) as page:
            page.goto("/#/timeline")
            page.wait_for_selector("#histogram svg rect.bar")
            drawn = page.eval_on_selector_all(
                "#histogram rect.bar", "els => els.map(e => [e.dataset.month, Number(e.dataset.events),"
                " e.getBoundingClientRect().height, e.getBoundingClientRect().x, e.getBoundingClientRect().right])")
            assert [d[0] for d in drawn] == slots
            for month, events, height, *_ in drawn:
                assert events == monthly.get(month, 0), month     # a year-only event is not in January
                assert (height == 0) == (events == 0), month
            at = {d[0]: d for d in drawn}
            bands = page.eval_on_selector_all(
                "#histogram rect.year-band", "els => els.map(e => [e.dataset.year, Number(e.dataset.events),"
                " e.getBoundingClientRect().x, e.getBoundingClientRect().right, e.getBoundingClientRect().height])")
            assert {b[0]: b[1] for b in bands} == yearly
            for year, _, left, right, height in bands:
                assert abs(left - at[year + "-01"][3]) < 2 and abs(right - at[year + "-12"][4]) < 2, year
                assert height > 0
            labels = page.eval_on_selector_all("#histogram text.year", "els => els.map(e => e.textContent)")
            assert set(labels) <= {m[:4] for m in slots} and len(labels) >= 3
            assert page.locator("#histogram line.tick").count() == 1 + sum(m.endswith("-01") for m in slots[1:])
            expect(page.locator(".histogram-legend")).to_contain_text("known only to the year")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.locator("#histogram").screenshot(path=str(SCREENS / f"timeline-axis-{size}.png"))
            page.locator(f"#histogram rect.year-band[data-year='{next(iter(yearly))}']").click(force=True)
            year = next(iter(yearly))
            expect(page).to_have_url(re.compile(rf"since={year}&until={year}"))


def _series(group_id: str) -> dict:
    """Two series drawn from made-up points: one crossing zero (with a point of money that has no
    exchange rate, a real group of the demo), one below zero throughout."""
    def point(n, value):
        return {"group_id": group_id if value is None else f"made-{n}", "value": value,
                "period": {"begin": f"{2019 + n}-01-01", "end": f"{2019 + n}-12-31"}, "low": value, "high": value,
                "conflict": False, "sources": 1, "independent_sources": 1, "members": 1, "positions": []}

    def series(key, values):
        return {"key": key, "metric": key, "relation": "change", "status": "actual", "places": ["CHN", "RUS"],
                "directed": False, "unit": "%", "granularity": "year",
                "points": [point(n, v) for n, v in enumerate(values)]}

    return {"items": [series("mixed", [5.0, -3.0, 2.0, None]), series("negative", [-4.0, -2.0, -6.0])],
            "total": 2, "limit": 12, "offset": 0}


def test_a_chart_with_negative_values_is_the_right_way_up_and_money_without_rate_keeps_its_currency(browser, live):
    groups = httpx.get(live + "/api/figures", params={"limit": 200}).json()["items"]
    unconverted = next(g for g in groups if g["value"] is None and g["members"] and g["members"][0]["unit"] in ("RUB", "CNY"))
    own = f"{unconverted['members'][0]['value']:g} {unconverted['members'][0]['unit']}"       # "89.5 RUB"
    for size, viewport in SIZES:
        with opened(browser, live, viewport) as page:
            page.route(re.compile(r".*/api/series\?.*"), lambda route: route.fulfill(
                status=200, content_type="application/json", body=json.dumps(_series(unconverted["group_id"]))))
            page.goto("/#/figures")
            page.wait_for_selector("li.chart[data-key=negative] svg circle.pt")
            for key in ("mixed", "negative"):
                chart = page.locator(f"li.chart[data-key={key}] svg")
                zero = float(chart.locator("line.axis.zero").get_attribute("y1"))
                points = chart.locator("circle.pt").evaluate_all(
                    "els => els.map(e => [Number(e.dataset.value), Number(e.getAttribute('cy'))])")
                assert points and all((cy > zero) if v < 0 else (cy < zero) for v, cy in points), (key, zero, points)
                ys = sorted(points, key=lambda p: p[0])
                assert [p[1] for p in ys] == sorted((p[1] for p in ys), reverse=True)   # larger values higher
                labels = chart.locator("text").all_text_contents()
                assert "0 %" in labels
            negative = page.locator("li.chart[data-key=negative] svg")      # zero on top, every point under it
            grid = negative.locator("line.grid").evaluate_all("els => els.map(e => Number(e.getAttribute('y1')))")
            assert float(negative.locator("line.axis.zero").get_attribute("y1")) == min(grid)
            cell = page.locator("li.chart[data-key=mixed] table.points tr").nth(3).locator("td.num")
            expect(cell).to_have_text(own)
            page.locator("#series").screenshot(path=str(SCREENS / f"chart-negative-{size}.png"))
            page.goto(f"/#/figure/{unconverted['group_id']}")
            expect(page.locator("#figure-value")).to_have_text(own)
            assert "?" not in page.text_content("#figure-value")


def test_small_things_header_placeholders_entity_name_and_footer(browser, live):
    meta = httpx.get(live + "/api/meta").json()
    putin = httpx.get(live + "/api/entities/Q7747").json()["name"]
    for size, viewport in (*SIZES, ("tablet", {"width": 820, "height": 900})):
        with opened(browser, live, viewport) as page:
            page.goto("/#/timeline?entity=Q7747")
            page.wait_for_selector("#event-list li.event")
            # the header fits: nothing runs off the right edge, every section link is on screen
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            rights = page.eval_on_selector_all("header.top nav a, #search-form input, #search-form button",
                                               "els => els.map(e => e.getBoundingClientRect().right)")
            assert rights and max(rights) <= viewport["width"], rights
            # filters hold nothing the URL did not set; placeholders read as hints
            fields = page.eval_on_selector_all(
                "form.filters input:not([type=hidden])", "els => els.map(e => [e.name, e.value, e.placeholder,"
                " getComputedStyle(e, '::placeholder').fontStyle, getComputedStyle(e, '::placeholder').color,"
                " getComputedStyle(e).color])")
            assert fields
            for name, value, placeholder, style, hint_color, color in fields:
                assert value == "", name
                if placeholder:
                    assert placeholder.startswith("e.g. ") and style == "italic" and hint_color != color, name
            # the entity filter says who, not which id
            expect(page.locator("form.filters .entity-filter .entity-name")).to_have_text(putin)
            assert "Q7747" not in page.locator("form.filters").inner_text()
            # the footer says what its numbers count
            footer = page.locator("#footer-counts")
            expect(footer).to_contain_text(f"{meta['counts']['events']} events (fused from "
                                           f"{meta['counts']['article_events']} reports)")
            assert "real-world event" in footer.locator(".count").nth(1).get_attribute("title")
            page.screenshot(path=str(SCREENS / f"timeline-entity-{size}.png"), full_page=True)
            page.click("form.filters button[type=submit]")
            expect(page).to_have_url(re.compile(r"entity=Q7747"))
            expect(page.locator("form.filters .entity-filter .entity-name")).to_have_text(putin)
            page.locator("form.filters .entity-filter a.remove").click()
            expect(page).not_to_have_url(re.compile(r"entity="))

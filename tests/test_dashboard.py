"""The dashboard in a real headless browser: Playwright drives Debian's Chromium over a live
server on the demo corpus. Screenshots go to /tmp/veille-screens/ for a person to look at."""
from __future__ import annotations

import csv
import io
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
def opened(browser, base_url: str, viewport: dict = DESKTOP):
    """A page of the dashboard at `base_url`; on leaving, no script error and no failed request but
    the API's 4xx answers (asked for by the tests of error states)."""
    context = browser.new_context(viewport=viewport, base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(15000)
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

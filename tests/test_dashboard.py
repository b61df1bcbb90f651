"""The dashboard in a real headless browser: Playwright drives Debian's Chromium over a live
server on the demo corpus. Screenshots go to /tmp/veille-screens/ for a person to look at."""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from demo_server import CHROMIUM, CHROMIUM_ARGS, INJECTION, shared_demo_db
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


@pytest.fixture
def page(browser, live):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live)
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

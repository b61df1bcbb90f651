"""The map and the network of the dashboard (veille/web/maps.js) in a real headless browser, over
the demo corpus, at desktop and phone width. Screenshots go where test_dashboard.py puts its own."""
from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from test_dashboard import DESKTOP, SCREENS, browser, live, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def fits(page, selector: str, viewport: dict) -> None:
    """The drawing is as wide as the page allows, never wider."""
    box = page.locator(selector).bounding_box()
    assert box and 0 < box["width"] <= viewport["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1


def click_middle(page, link) -> None:
    """Click an SVG link at the middle of its path (the middle of its bounding box may be off a curve)."""
    link.scroll_into_view_if_needed()
    x, y = link.evaluate("""(a) => { const p = a.querySelector('path'); const pt = p.getPointAtLength(p.getTotalLength() / 2);
        const m = p.getScreenCTM(); return [pt.x * m.a + pt.y * m.c + m.e, pt.x * m.b + pt.y * m.d + m.f]; }""")
    page.mouse.click(x, y)


@pytest.mark.parametrize("viewport", SIZES)
def test_the_map_draws_places_and_leads_to_their_timeline(browser, live, viewport):
    name = "desktop" if viewport is DESKTOP else "phone"
    data = httpx.get(live + "/api/map", params={"type": "CONSULT"}).json()
    with opened(browser, live, viewport) as page:
        page.goto("/#/map?type=CONSULT")
        page.wait_for_selector("#map-svg a.place circle")
        expect(page.locator("header nav a[data-section=map]")).to_have_class(re.compile("active"))
        expect(page.locator("#map-total")).to_have_text(f"{data['total']} events")
        assert page.locator("#map-svg a.place").count() == len(data["places"]) > 3
        assert page.locator("#map-svg .graticule line").count() > 10
        assert page.locator("#unplaced li").count() == len(data["unplaced"]) > 0
        assert page.input_value("select[name=type]") == "CONSULT"
        fits(page, "#map-svg", viewport)
        page.screenshot(path=str(SCREENS / f"map-{name}.png"), full_page=True)
        # every circle keeps the type filter; a city leads to the timeline of its events
        hrefs = page.eval_on_selector_all("#map-svg a.place", "els => els.map(a => a.getAttribute('href'))")
        assert all("type=CONSULT" in h for h in hrefs)
        city = max((p for p in data["places"] if p["basis"] == "location"), key=lambda p: p["events"])
        page.locator(f"#map-svg a.place[data-id='{city['id']}'] circle").click()
        expect(page).to_have_url(re.compile(rf"#/timeline\?.*entity={city['id']}"))
        expect(page).to_have_url(re.compile(r"type=CONSULT"))
        listed = httpx.get(live + "/api/events", params={"type": "CONSULT", "entity": city["id"]}).json()["total"]
        expect(page.locator("#event-total")).to_have_text(f"{listed} events")
        assert listed >= city["events"]


@pytest.mark.parametrize("viewport", SIZES)
def test_the_network_draws_parties_and_pairs_that_lead_to_the_timeline(browser, live, viewport):
    name = "desktop" if viewport is DESKTOP else "phone"
    data = httpx.get(live + "/api/network").json()
    with opened(browser, live, viewport) as page:
        page.goto("/#/network")
        page.wait_for_selector("#network-svg a.node circle")
        assert page.locator("#network-svg a.node").count() == len(data["nodes"]) > 3
        assert page.locator("#network-svg a.edge").count() == len(data["edges"]) > 2
        assert page.locator(".graph-legend [data-category]").count() == 4
        fits(page, "#network-svg", viewport)
        page.screenshot(path=str(SCREENS / f"network-{name}.png"), full_page=True)
        # an edge leads to the events of its pair
        heaviest = data["edges"][0]
        click_middle(page, page.locator(f"#network-svg a.edge[data-parties='{heaviest['parties']}']"))
        a, b = heaviest["source"], heaviest["target"]
        expect(page).to_have_url(re.compile(rf"#/timeline\?parties={a}%2C{b}$"))
        expect(page.locator("#event-total")).to_have_text(f"{heaviest['weight']} events")
        # a node, to the events of its party
        page.goto("/#/network")
        page.locator("#network-svg a.node[data-code='USA'] circle").click()
        expect(page).to_have_url(re.compile(r"#/timeline\?parties=USA$"))
        usa = httpx.get(live + "/api/events", params={"parties": "USA"}).json()["total"]
        expect(page.locator("#event-total")).to_have_text(f"{usa} events")


def test_the_top_control_changes_how_many_parties_are_drawn(browser, live):
    everything = len(httpx.get(live + "/api/network", params={"top": 200}).json()["nodes"])
    with opened(browser, live, PHONE) as page:
        page.goto("/#/network?type=CONSULT&top=3")
        page.wait_for_selector("#network-svg a.node")
        expect(page.locator("#network-svg a.node")).to_have_count(3)
        expect(page.locator("#network-others")).to_contain_text("left out")
        page.select_option("select[name=top]", "10")
        expect(page).to_have_url(re.compile(r"top=10"))
        expect(page).to_have_url(re.compile(r"type=CONSULT"))
        consult = len(httpx.get(live + "/api/network", params={"type": "CONSULT", "top": 10}).json()["nodes"])
        expect(page.locator("#network-svg a.node")).to_have_count(consult)
        assert 3 < consult <= min(10, everything)
        page.screenshot(path=str(SCREENS / "network-top-phone.png"), full_page=True)

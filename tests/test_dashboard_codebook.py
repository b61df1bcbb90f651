"""The codebook in a real headless browser (with tests/test_dashboard.py's server, browser and
pages): its page lists every kind of code with its definition, in English or French, scrolls
to the code the address names, and the other pages carry each code's definition on hover."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT
from test_dashboard import browser, live  # noqa: F401 (the live demo server and Chromium, shared)
from test_dashboard import DESKTOP, SCREENS, opened as dashboard_page

pytestmark = pytest.mark.browser

CODEBOOK = yaml.safe_load((ROOT / "veille" / "resources" / "codebook.yaml").read_text(encoding="utf-8"))
PHONE = {"width": 375, "height": 812}
WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]
LOAD = 30_000     # ms for a first page load to settle: the machine is shared


@contextmanager
def opened(browser, base_url: str, viewport: dict):
    """A page of the dashboard (tests/test_dashboard.py's, which allows the API's 4xx answers the
    pages handle) that must never get an error from /api/codebook."""
    with dashboard_page(browser, base_url, viewport, timeout=LOAD) as page:
        codebook: list[int] = []
        page.on("response", lambda r: codebook.append(r.status) if "/api/codebook" in r.url else None)
        yield page
    assert set(codebook) <= {200}, codebook


def definition(kind: str, code: str, lang: str = "en") -> str:
    return CODEBOOK[kind][code][lang]["definition"]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_codebook_page_explains_each_code_in_english_then_french(browser, live, viewport):
    with opened(browser, live, viewport) as page:
        page.goto("/#/codebook")
        consult = page.locator("#code-type-CONSULT")
        expect(consult).to_contain_text(definition("type", "CONSULT"), timeout=LOAD)
        expect(consult).to_contain_text(CODEBOOK["type"]["CONSULT"]["en"]["label"])
        expect(page.locator("header nav a[data-section=codebook]")).to_have_class(re.compile(r"\bactive\b"))
        # types grouped by their PLOVER category, then every other kind in a section of its own
        expect(page.locator("#code-category-verbal_cooperation #code-type-CONSULT")).to_have_count(1)
        expect(page.locator("#code-category-material_conflict #code-type-SANCTION")).to_have_count(1)
        for kind in ("type", "mode", "status", "sector", "metric", "figure_kind", "relation", "figure_status"):
            expect(page.locator(f"#codebook-{kind} .code-entry")).to_have_count(len(CODEBOOK[kind]))
        expect(page.locator("#code-mode-third-party")).to_contain_text(definition("mode", "third-party"))
        expect(page.locator("#code-metric-trade_volume")).to_contain_text(definition("metric", "trade_volume"))
        assert fits(page), "the page is wider than the screen"
        page.screenshot(path=str(SCREENS / f"codebook-en-{viewport['width']}.png"), full_page=False)

        page.click(".lang-switch a[data-lang=fr]")
        expect(page).to_have_url(re.compile(r"lang=fr"))
        expect(consult).to_contain_text(definition("type", "CONSULT", "fr"))
        expect(consult).to_contain_text(CODEBOOK["type"]["CONSULT"]["fr"]["label"])
        expect(page.locator("#code-category-verbal_cooperation h3")).to_have_text(
            CODEBOOK["category"]["verbal_cooperation"]["fr"]["label"])
        expect(page.locator("#code-status-historical")).to_contain_text(definition("status", "historical", "fr"))
        expect(page.locator("#codebook")).to_have_attribute("lang", "fr")
        expect(page.locator(".lang-switch a[data-lang=fr]")).to_have_attribute("aria-current", "true")
        assert fits(page)
        page.screenshot(path=str(SCREENS / f"codebook-fr-{viewport['width']}.png"), full_page=False)

        page.click(".lang-switch a[data-lang=en]")
        expect(consult).to_contain_text(definition("type", "CONSULT"))


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_code_in_the_address_is_scrolled_to_and_highlighted(browser, live, viewport):
    with opened(browser, live, viewport) as page:
        page.goto("/#/codebook?code=figure_status&kind=relation")
        expect(page.locator("#codebook .state.empty")).to_contain_text("figure_status", timeout=LOAD)
        page.goto("/#/codebook?code=ecommerce&lang=fr")
        entry = page.locator("#code-sector-ecommerce")
        expect(entry).to_have_class(re.compile(r"\btarget\b"))
        expect(entry).to_be_in_viewport()
        expect(entry).to_contain_text(definition("sector", "ecommerce", "fr"))
        assert page.locator(".code-entry.target").count() == 1
        # an entry's own anchor leads to the same place
        page.click("#code-type-ASSAULT .code-anchor")
        expect(page).to_have_url(re.compile(r"code=ASSAULT"))
        expect(page.locator("#code-type-ASSAULT")).to_have_class(re.compile(r"\btarget\b"))
        expect(page.locator("#code-type-ASSAULT")).to_be_in_viewport()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_codes_on_the_other_pages_carry_their_definition_on_hover(browser, live, viewport):
    with opened(browser, live, viewport) as page:
        page.goto("/#/timeline")
        page.wait_for_selector("#event-list li.event")
        badge = page.locator("#event-list .badge.type").first
        code = badge.text_content().strip()
        expect(badge).to_have_attribute("title", re.compile(re.escape(definition("type", code))), timeout=LOAD)
        assert page.evaluate("([k, c]) => window.veille.define(k, c)", ["type", code]) == definition("type", code)
        assert page.evaluate("window.veille.define('type', 'NO_SUCH_TYPE')") is None
        titles = page.eval_on_selector_all("#event-list .chip", "els => els.map((e) => [e.textContent, e.title])")
        assert titles and all(
            title and (title.endswith(definition("sector", text)) if text in CODEBOOK["sector"] else
                       title.endswith(definition("mode", text))) for text, title in titles)
        option = page.locator("select[name=type] option[value=CONSULT]")
        expect(option).to_have_attribute("title", re.compile(re.escape(definition("type", "CONSULT"))))
        # cards drawn later (another page of the filters) get theirs too
        page.select_option("select[name=type]", "SANCTION")
        expect(page.locator("#event-list .badge.type").first).to_have_text("SANCTION")
        expect(page.locator("#event-list .badge.type").first).to_have_attribute(
            "title", re.compile(re.escape(definition("type", "SANCTION"))))
        page.screenshot(path=str(SCREENS / f"codebook-hover-{viewport['width']}.png"), full_page=False)

        page.goto("/#/figures")
        metric = page.locator("#conflicts table.list td > a[href^='#/figure']").first
        metric.wait_for()
        expect(metric).to_have_attribute("title", re.compile(re.escape(definition("metric", metric.text_content()))), timeout=LOAD)

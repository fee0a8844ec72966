"""The pages in a real browser (Debian's Chromium through Playwright) against live_server.

Screenshots of the main pages go to $SCREENSHOT_DIR (default /tmp/newsarchive-screenshots).
"""
import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .archive import PUTIN, XI, build_archive, ref

# live_server runs Django in a thread while Playwright's sync API runs an event loop here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/newsarchive-screenshots"))


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def result_count(page):
    return page.locator("#results-heading")


def facet_value(page, label):
    """A facet's checkbox, named by its label and count ("Xi Jinping 2 stories")."""
    return page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)} \d"))


def test_search_facets_dates_article_entity_and_back(page, live_server, archive):
    page.goto(live_server.url + "/")
    page.get_by_label("Search the archive").fill("talks")
    page.keyboard.press("Enter")
    expect(result_count(page)).to_contain_text("2 stories")
    screenshot(page, "search")

    facet_value(page, "Xi Jinping").check()
    xi = ref(XI)
    page.wait_for_url(re.compile(rf"person={xi}"))
    expect(result_count(page)).to_contain_text("2 stories")

    facet_value(page, "China").check()
    page.wait_for_url(re.compile(r"country=CN"))
    expect(page.get_by_role("link", name="Remove filter Country: China")).to_be_visible()
    screenshot(page, "search-facets")

    page.get_by_role("link", name="1987: 1 story").click()
    page.wait_for_url(re.compile(r"date_from=1987-01-01&date_to=1987-12-31"))
    expect(result_count(page)).to_contain_text("1 story")
    expect(page.get_by_role("link", name="Mar 1987: 1 story")).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("1987-01-01")
    screenshot(page, "search-dates")

    page.get_by_role("link", name="Grain talks resume in Geneva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grain talks resume in Geneva")
    expect(page.locator(".article-body a.mention", has_text="World Trade Organization")).to_be_visible()
    screenshot(page, "article")

    page.locator(".article-side").get_by_role("link", name="United States").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("United States")
    expect(page.get_by_role("link", name="Budget fight in Washington")).to_be_visible()
    screenshot(page, "entity")

    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(rf"person={xi}&country=CN&date_from=1987-01-01&date_to=1987-12-31$"))
    expect(result_count(page)).to_contain_text("1 story")
    expect(facet_value(page, "China")).to_be_checked()

    page.go_back()
    expect(page).to_have_url(re.compile(rf"person={xi}&country=CN$"))
    expect(result_count(page)).to_contain_text("2 stories")
    expect(page.get_by_label("From")).to_have_value("")


def test_an_entity_chip_in_the_results_leads_to_the_entity_page(page, live_server, archive):
    page.goto(live_server.url + "/?q=Putin")
    page.locator(".hit .chips").get_by_role("link", name="Vladimir Putin").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vladimir Putin")
    expect(page.locator(".article-side").get_by_role("link", name="Xi Jinping")).to_be_visible()


def test_a_facet_checkbox_can_be_ticked_with_the_keyboard_and_keeps_the_focus(page, live_server, archive):
    page.goto(live_server.url + "/")
    facet_value(page, "Reuters").focus()
    page.keyboard.press("Space")

    page.wait_for_url(re.compile(r"source=Reuters"))
    expect(result_count(page)).to_contain_text("4 stories")
    expect(facet_value(page, "Reuters")).to_be_focused()


def test_ticking_a_facet_value_does_not_move_it_when_the_facets_above_shrink(page, live_server, archive):
    page.goto(live_server.url + "/")
    china = facet_value(page, "China")
    expect(facet_value(page, "Ronald Reagan")).to_be_visible()
    top = china.bounding_box()["y"]

    china.check()

    page.wait_for_url(re.compile(r"country=CN"))
    expect(facet_value(page, "Ronald Reagan")).to_have_count(0)  # the person facet above shrank
    assert abs(facet_value(page, "China").bounding_box()["y"] - top) < 1


def test_without_javascript_filters_apply_with_the_button(browser, live_server, archive):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/?q=talks")
    facet_value(page, "Vladimir Putin").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(rf"person={ref(PUTIN)}"))
    expect(result_count(page)).to_contain_text("1 story")
    context.close()


def test_the_search_page_fits_a_phone_screen(browser, live_server, archive):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/?q=talks")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "search-phone")
    context.close()


def test_the_query_language_folds_accents_notes_what_it_could_not_read_and_explains_itself(page, live_server,
                                                                                            search_index):
    build_archive({"accented": ("Banks in Zürich", "Bankers met in Zürich.", "Wire", date(2001, 1, 1), []),
                   "plain": ("Banks in Zurich", "Bankers met in Zurich.", "Wire", date(2001, 1, 2), []),
                   "other": ("Grain in Geneva", "Wheat prices rose.", "Wire", date(2001, 1, 3), [])})
    page.goto(live_server.url + "/")

    page.get_by_label("Search the archive").fill("zurich")
    page.keyboard.press("Enter")
    expect(result_count(page)).to_contain_text("2 stories")
    expect(page.locator(".hit-title").filter(has_text="Zürich")).to_have_count(1)

    page.get_by_label("Search the archive").fill('"wheat prices')
    page.keyboard.press("Enter")
    expect(result_count(page)).to_contain_text("1 story")
    notes = page.get_by_role("list", name="How the query was read")
    expect(notes).to_contain_text("A quotation mark was not closed")

    notes.get_by_role("link", name="Search help").click()
    expect(page.get_by_role("heading", name="Search help")).to_be_visible()
    expect(page.locator("code", has_text="author:smith")).to_be_visible()

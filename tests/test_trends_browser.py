"""Compare and rising in a real browser (Debian's Chromium through Playwright) against live_server."""
import re

import pytest
from playwright.sync_api import expect

from .archive import OPEC, ref
from .browser import browser_page, screenshot
from .test_trends import rising_archive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The archive is written before the browser starts: while Playwright's event loop runs, Django
# would open a database connection of its own that outlives the test.


@pytest.fixture
def rising(search_index):
    return rising_archive()


@pytest.fixture
def page():
    with browser_page() as page:
        page.set_default_timeout(10_000)
        yield page


def test_compare_two_searches_and_open_a_period(archive, live_server, page):
    page.goto(live_server.url + "/?q=talks")
    page.get_by_role("link", name="Compare over time").click()
    expect(page.get_by_role("searchbox", name="Search 1")).to_have_value("talks")

    page.get_by_role("searchbox", name="Search 2").fill("oil")
    page.get_by_label("From", exact=True).fill("1987-01-01")
    page.get_by_label("To", exact=True).fill("1987-12-31")
    page.get_by_role("button", name="Compare").click()
    legend = page.get_by_role("list", name="Legend")
    expect(legend.get_by_role("link", name="“talks”")).to_be_visible()
    expect(legend.get_by_role("link", name="“oil”")).to_be_visible()

    page.get_by_role("link", name="Share of all stories").click()
    point = page.get_by_role("link", name="“oil”, Apr 1987: 1 story, 100.0% of 1")
    expect(point).to_be_visible()
    screenshot(page, "compare")

    point.click()
    page.wait_for_url(re.compile(r"/\?q=oil&date_from=1987-04-01&date_to=1987-04-30$"))
    expect(page.locator("#results-heading")).to_contain_text("1 story")
    expect(page.get_by_label("From")).to_have_value("1987-04-01")
    expect(page.get_by_role("link", name="Oil prices climb")).to_be_visible()


def test_the_search_page_shows_what_is_rising_and_leads_to_its_search(rising, live_server, page):
    page.goto(live_server.url + "/?date_from=1987-04-01&date_to=1987-04-30")
    block = page.get_by_role("region", name="Rising")
    expect(block.get_by_role("link", name="OPEC")).to_be_visible()
    expect(block).to_contain_text("entities in at least 3 of its stories")
    screenshot(page, "search-rising")

    block.get_by_role("link", name="OPEC").click()
    page.wait_for_url(re.compile(rf"org={ref(OPEC)}&date_from=1987-04-01&date_to=1987-04-30$"))
    expect(page.locator("#results-heading")).to_contain_text("3 stories")

"""The date facet's Undated value and the timeline's far dates in a real browser (Debian's
Chromium through Playwright, the page's script on) against live_server."""
import re

import pytest
from playwright.sync_api import expect

from .browser import browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The archive is written before the browser starts (see tests/test_trends_browser.py).


@pytest.fixture
def page():
    with browser_page() as page:
        page.set_default_timeout(10_000)
        yield page


def test_the_undated_articles_and_the_far_date_are_each_one_click_away(archive_with_a_far_date, live_server, page):
    page.goto(live_server.url + "/")
    timeline = page.get_by_role("figure")
    expect(timeline).to_contain_text("1 story dated 2005 not shown")
    expect(timeline.get_by_role("link", name="Feb 1987: 3 stories")).to_be_visible()
    screenshot(page, "search-timeline-far-date")

    page.get_by_role("checkbox", name=re.compile(r"^Undated 2")).check()
    page.wait_for_url(re.compile(r"/\?undated=1$"))
    expect(page.locator("#results-heading")).to_contain_text("2 stories")
    expect(page.get_by_role("link", name="OPEC wire without a date")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Undated 2"))).to_be_checked()

    page.get_by_role("link", name="Remove filter Date: Undated").click()
    page.wait_for_url(re.compile(r"/\?$|/$"))
    expect(page.locator("#results-heading")).to_contain_text("23 stories")

    page.get_by_role("link", name="Show the 1 story dated 2005").click()
    page.wait_for_url(re.compile(r"/\?date_from=2005-06-01&date_to=2005-06-30$"))
    expect(page.locator("#results-heading")).to_contain_text("1 story")
    expect(page.get_by_role("link", name="Oil item filed in 2005")).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("2005-06-01")

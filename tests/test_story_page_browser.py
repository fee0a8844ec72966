"""An article's versions and its difference from the canonical version in a real browser (Debian's
Chromium through Playwright): no serious axe finding, no Content-Security-Policy violation
(`browser_page`), a phone's width; and a signed-in reader follows the story with its button."""
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from following.models import SavedSearch

from .browser import browser_page, screenshot
from .test_accessibility import PASSWORD, PHONE_WIDTH, serious_violations, sign_in
from .test_story_page import story  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader(story):  # noqa: F811
    """Written before the browser starts (see tests/test_accessibility.py)."""
    return get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)


def test_the_versions_and_the_difference_are_accessible_and_fit_a_phone(reader, story, live_server):  # noqa: F811
    with browser_page(width=PHONE_WIDTH, height=800) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/articles/{story['update'].pk}")
        page.get_by_text("Differences from the canonical version").click()

        expect(page.locator(".difference-text ins").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        assert serious_violations(page) == []
        screenshot(page, "story-versions-phone")


def test_a_reader_follows_the_story_from_its_article(reader, story, live_server):  # noqa: F811
    with browser_page() as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/articles/{story['full'].pk}")
        page.get_by_role("button", name="Follow this story").click()

        page.wait_for_url("**/searches/")
        expect(page.get_by_text("You follow “Story: BAHIA COCOA REVIEW”")).to_be_visible()
    assert SavedSearch.objects.get(user=reader).query.startswith("thread=s")

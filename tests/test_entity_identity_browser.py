"""Issue 22 in a real browser (Debian's Chromium through Playwright): a reader's facet link and
saved search name a person by its stable id, so after staff rename and merge people in the
admin, the old link, the entity's old address, the saved search and its Atom feed all lead to
the person they became and find the same articles."""
import re
from datetime import date

import feedparser
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles.models import Entity

from .archive import REAGAN, build_archive, ref
from .browser import browser_page, screenshot
from .conftest import log_in_to_admin
from .test_accessibility import PASSWORD, sign_in
from .test_entity_addresses import reindexed
from .test_search_in_a_browser import facet_value, result_count

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The same man under a second entity, as extraction can leave him: staff merge the reader's
# "Ronald Reagan" into it and give it the name the archive should use.
WILSON_REAGAN = ("person", "ronald wilson reagan", "Ronald Wilson Reagan")
NEW_NAME = "President Ronald Reagan"

WASHINGTON = {
    "budget": ("Budget fight in Washington", "Ronald Reagan's budget met resistance in Washington.",
               "Reuters", date(1987, 3, 25), [(REAGAN, "Ronald Reagan")]),
    "veto": ("Highway bill vetoed", "Ronald Reagan vetoed the highway bill in Washington on Friday.",
             "Reuters", date(1987, 3, 27), [(REAGAN, "Ronald Reagan")]),
    "dinner": ("State dinner at the White House", "Ronald Wilson Reagan hosted a state dinner in Washington.",
               "AP", date(1987, 12, 8), [(WILSON_REAGAN, "Ronald Wilson Reagan")]),
    "berlin": ("Speech at the Brandenburg Gate", "Ronald Wilson Reagan spoke in Berlin.",
               "AP", date(1987, 6, 12), [(WILSON_REAGAN, "Ronald Wilson Reagan")]),
    "senate": ("Senate delays the trade bill", "Senators in Washington delayed the trade bill.",
               "Reuters", date(1987, 4, 2), []),
}
BEFORE = ["Budget fight in Washington", "Highway bill vetoed"]
# The survivor holds both entities' mentions: the saved search ("Washington", that person) now
# also finds the survivor's own Washington article, not its Berlin one (no "Washington").
AFTER = ["Budget fight in Washington", "Highway bill vetoed", "State dinner at the White House"]


@pytest.fixture
def washington(search_index):
    """The archive above and a reader, written before the browser starts (see tests/test_accessibility.py)."""
    build_archive(WASHINGTON)
    get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)


def hit_titles(page):
    return sorted(page.locator(".hit-title").all_inner_texts())


def test_after_staff_rename_and_merge_a_readers_old_link_saved_search_and_feed_find_the_same(
    washington, staff_login, live_server
):
    old, survivor = ref(REAGAN), ref(WILSON_REAGAN)
    survivor_pk = Entity.objects.get(kind="person", key="ronald wilson reagan").pk
    with browser_page() as page:  # the reader narrows a search to Ronald Reagan and saves it
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/?q=Washington")
        facet_value(page, "Ronald Reagan").check()
        page.wait_for_url(re.compile(rf"person={old}$"))
        expect(result_count(page)).to_have_text(re.compile(r"^2 stories"))
        old_link = page.url
        assert hit_titles(page) == BEFORE
        page.get_by_role("link", name="Save this search").click()
        page.get_by_label("Name").fill("Reagan in Washington")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url("**/searches/")

    with browser_page() as page:  # staff rename Ronald Wilson Reagan, then merge Ronald Reagan into him
        log_in_to_admin(page, live_server.url, staff_login, f"/admin/articles/entity/{survivor_pk}/change/")
        page.get_by_label("Name:", exact=True).fill(NEW_NAME)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Renamed; 2 article(s) are being re-indexed.")).to_be_visible()
        for name in ("Ronald Reagan", NEW_NAME):
            page.get_by_role("checkbox", name=f"Select this object for an action - {name} (person)").check()
        page.get_by_label("Action:").select_option("merge_entities")
        page.get_by_role("button", name="Go").click()
        page.get_by_label(f"{NEW_NAME} (ronald wilson reagan").check()  # to keep; Ronald Reagan is offered first
        page.get_by_role("button", name="Merge entities").click()
        expect(page.get_by_text(f"Merged into {NEW_NAME}; 2 article(s) are being re-indexed.")).to_be_visible()

    reindexed()  # what the worker does with the articles the curations queued (no worker runs here)
    with browser_page() as page:  # the reader comes back
        page.goto(old_link)
        expect(result_count(page)).to_have_text(re.compile(r"^3 stories"))
        assert hit_titles(page) == AFTER
        expect(page.get_by_role("link", name=f"Remove filter Person: {NEW_NAME}")).to_be_visible()
        expect(facet_value(page, NEW_NAME)).to_be_checked()
        screenshot(page, "old-link-after-a-merge")

        page.goto(f"{live_server.url}/entities/person/{old}")
        expect(page).to_have_url(f"{live_server.url}/entities/person/{survivor}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)

        sign_in(page, live_server.url)
        feed = page.get_by_role("link", name="Atom feed").get_attribute("href")
        page.get_by_role("button", name="Reagan in Washington", exact=True).click()
        expect(result_count(page)).to_have_text(re.compile(r"^3 stories"))
        assert hit_titles(page) == AFTER
        entries = feedparser.parse(page.request.get(live_server.url + feed).body()).entries
        assert sorted(entry.title for entry in entries) == AFTER

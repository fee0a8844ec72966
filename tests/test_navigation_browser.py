"""From results to an article and back in a real browser (Debian's Chromium through Playwright)
against live_server: the way back lands on the same page of results at the same result."""
import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .archive import build_archive, harbour_reports
from .browser import browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reports(search_index):
    """Written before the browser starts (see tests/test_trends_browser.py)."""
    return build_archive(harbour_reports(45))


def hit_title(page, place):
    return page.locator(f"#hit-{place} .hit-title a")


def in_view(page, selector):
    """Whether the element's top is inside the window."""
    return page.evaluate(f"() => {{ const top = document.querySelector('{selector}').getBoundingClientRect().top;"
                         "return top >= 0 && top < window.innerHeight; }")


def test_an_article_leads_on_to_the_next_result_and_back_to_its_place_on_page_two(reports, live_server):
    with browser_page() as page:
        page.set_default_timeout(10_000)
        page.goto(live_server.url + "/")
        page.get_by_label("Search the archive").fill("harbour")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"q=harbour$"))  # every article matches: the count alone says nothing
        expect(page.locator("#results-heading")).to_contain_text("45 stories")
        page.locator(".pagination").get_by_role("link", name="2", exact=True).click()
        page.wait_for_url(re.compile(r"page=2$"))
        titles = [hit_title(page, place).inner_text() for place in (25, 26)]

        hit_title(page, 25).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(titles[0])
        expect(page.locator(".article-body mark")).to_have_text(["harbour"])
        screenshot(page, "article-from-search")

        page.get_by_role("link", name="Next result ›").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(titles[1])
        expect(page.get_by_role("link", name="‹ Previous result")).to_have_attribute("title", titles[0])

        page.get_by_role("link", name="‹ Back to results").click()
        page.wait_for_url(re.compile(r"/\?q=harbour&page=2#hit-26$"))
        expect(page.locator(".hit:target")).to_have_attribute("id", "hit-26")
        expect(page.locator("#hit-26 .hit-title mark")).to_have_text(["Harbour"])
        assert in_view(page, "#hit-26") and not in_view(page, "#hit-21")
        screenshot(page, "back-to-results")


@pytest.mark.parametrize("back_forward_cache", [True, False], ids=["kept-page", "loaded-again"])
def test_the_back_button_returns_to_the_results_as_they_were_scrolled(reports, live_server, back_forward_cache):
    with browser_page(back_forward_cache=back_forward_cache) as page:
        page.set_default_timeout(10_000)
        page.goto(live_server.url + "/?q=harbour&page_size=50")
        expect(page.locator(".rising-block")).to_have_attribute("aria-busy", "false")  # Chromium keeps no page still fetching
        hit_title(page, 30).scroll_into_view_if_needed()
        page.evaluate("() => { window.keptPage = true; }")
        scrolled = page.evaluate("() => window.scrollY")
        assert scrolled > 0

        hit_title(page, 30).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.go_back(wait_until="commit")  # a page restored from the cache sends no load event

        expect(page.locator("#hit-30")).to_be_visible()
        page.wait_for_function(f"() => window.scrollY === {scrolled}")
        assert page.evaluate("() => window.keptPage === true") is back_forward_cache


def test_the_rising_block_arriving_late_moves_none_of_the_results(reports, live_server):
    held = []
    with browser_page() as page:
        page.set_default_timeout(10_000)
        page.route("**/api/rising**", lambda route: held.append(route))  # answered only once the reader has scrolled
        page.goto(live_server.url + "/?q=harbour&page_size=50")
        hit_title(page, 30).scroll_into_view_if_needed()
        place = page.evaluate("() => [window.scrollY, document.querySelector('#hit-30').getBoundingClientRect().top]")
        assert len(held) == 1

        held[0].continue_()
        expect(page.locator(".rising-block")).to_have_attribute("aria-busy", "false")
        expect(page.locator(".rising-body")).not_to_be_empty()
        assert page.evaluate("() => [window.scrollY, document.querySelector('#hit-30').getBoundingClientRect().top]") == place


def test_a_reader_downloads_every_result_of_a_search_as_csv_and_as_json_lines(reports, live_server):
    """The page shows 20 stories; the export links give all 45 articles, once each."""
    with browser_page() as page:
        page.goto(live_server.url + "/?q=harbour")
        expect(page.locator("#results-heading")).to_contain_text("45 stories")
        with page.expect_download() as csv_download:
            page.get_by_role("link", name="CSV", exact=True).click()
        with page.expect_download() as lines_download:
            page.get_by_role("link", name="JSON Lines").click()
        # Read while the browser is open: a download's file goes with its browser.
        name = csv_download.value.suggested_filename
        rows = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8"))))
        lines = [json.loads(line) for line in Path(lines_download.value.path()).read_text(encoding="utf-8").splitlines()]

    assert name == "newsarchive-search.csv"
    assert sorted(int(row["id"]) for row in rows) == sorted(article.pk for article in reports.values())
    assert sorted(line["id"] for line in lines) == sorted(article.pk for article in reports.values())

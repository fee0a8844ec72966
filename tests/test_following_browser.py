"""A reader's whole journey in a real browser, on the running stack: sign up, confirm the
address from the link mailed to it, save a search, then an article imported through the app's importer arrives by email (at a real SMTP
server) and in the search's Atom feed."""
import re

import feedparser
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from following import arrivals

from .browser import browser_page, screenshot
from .conftest import wait_until
from .test_following_alerts import smtp, smtp_sink, text_of  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = ("Harbour reopens in Rotterdam\n"
         "The harbour in Rotterdam reopened on Monday after the storm. Dutch Prime Minister Mark Rutte "
         "thanked the port workers, and the European Union promised help.\n")


def read_feed(page, url):
    return feedparser.parse(page.request.get(url).body())


@pytest.mark.slow
def test_a_reader_saves_a_search_and_a_new_article_arrives_by_email_and_in_the_feed(
    live_server, worker, smtp, search_index, tmp_path
):
    arrivals.start()
    with browser_page() as page:
        page.goto(f"{live_server.url}/?q=harbour")
        page.get_by_role("link", name="Sign up").click()
        page.get_by_label("Username").fill("harbourwatch")
        page.get_by_label("Email").fill("harbourwatch@example.com")
        page.fill("#id_password1", "a-long-pass-phrase")
        page.get_by_label("Password confirmation").fill("a-long-pass-phrase")
        page.get_by_role("button", name="Sign up").click()
        page.wait_for_url("**/?q=harbour")  # back to the search

        (confirmation,) = wait_until(lambda: smtp.to("harbourwatch@example.com"), message="the confirmation email")
        link = re.search(r"https?://\S+?(/accounts/email/verify/\S+)", text_of(confirmation)).group(1)
        smtp.reset()
        page.goto(live_server.url + link)
        page.get_by_role("button", name="Confirm harbourwatch@example.com").click()
        expect(page.locator(".message")).to_contain_text("harbourwatch@example.com is confirmed")

        page.goto(f"{live_server.url}/?q=harbour")
        page.get_by_role("link", name="Save this search").click()
        expect(page.get_by_label("Name")).to_have_value("“harbour”")
        page.get_by_label("Email me new articles").select_option(label="As soon as they arrive")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/searches/")
        expect(page.locator(".saved-search")).to_contain_text("0 new")
        feed_url = page.get_by_role("link", name="Atom feed").get_attribute("href")
        assert read_feed(page, live_server.url + feed_url).entries == []

        story = tmp_path / "harbour.txt"
        story.write_text(STORY)
        call_command("import_articles", str(story), "--source", "Port Weekly")

        message = wait_until(lambda: smtp.to("harbourwatch@example.com"), timeout=120,
                             message="the alert email")[0]
        assert "- *Harbour* reopens in Rotterdam (Port Weekly" in text_of(message)  # its title, the word marked
        feed = read_feed(page, live_server.url + feed_url)
        (entry,) = feed.entries
        assert entry.title == "Harbour reopens in Rotterdam"
        assert {"Person: Mark Rutte", "Country: Netherlands", "Organization: European Union"} <= {
            tag.label for tag in entry.tags}
        page.reload()
        expect(page.locator(".saved-search")).to_contain_text("1 new")
        screenshot(page, "my-searches")

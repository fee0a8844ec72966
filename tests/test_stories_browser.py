"""A story in a real browser (Debian's Chromium through Playwright) against live_server: a real
BBC article and two edited versions of it, imported, enriched and indexed, are one result with
"3 versions", that link lists the three, and the latest version's page shows the other two and
its differences from the canonical version."""
import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.enrichment import enrich_articles
from articles.indexing import index_articles
from articles.models import Article

from .browser import browser_page, screenshot
from .conftest import SHARED_DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORIGINAL = SHARED_DATA / "bbc" / "business" / "001.txt"  # "Ad sales boost Time Warner profit"
NEW_LEAD = ("Time Warner has reported a sharp rise in quarterly profits, helped by its stake in the "
            "search engine Google and by higher advertising sales.")
APPENDED = ("Shares in Time Warner rose 2% in New York trading after the results were published, "
            "while analysts said the AOL business would remain under pressure this year.")


def versions(folder):
    """The BBC article as filed, an update with a new lead sentence, and a later update that also
    appends a paragraph: three files of the importer's plain-text kind (title, blank line, body)."""
    title, _, body = ORIGINAL.read_text(encoding="utf-8").partition("\n\n")
    texts = [body, f"{NEW_LEAD}\n\n{body}", f"{NEW_LEAD}\n\n{body.rstrip()}\n\n{APPENDED}\n"]
    paths = []
    for number, text in enumerate(texts, 1):
        path = folder / f"timewarner-{number}.txt"
        path.write_text(f"{title}\n\n{text}", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_an_article_and_two_edited_versions_are_one_result_with_three_versions(live_server, search_index, tmp_path):
    call_command("import_articles", *versions(tmp_path), "--no-enrich", "--source", "BBC", stdout=io.StringIO(),
                 verbosity=0)
    assert Article.objects.count() == 3
    enrich_articles(Article.objects.all())  # as the worker does: entities, then the story
    index_articles(Article.objects.all(), refresh=True)

    with browser_page() as page:
        page.goto(f"{live_server.url}/?q=Time+Warner")
        expect(page.locator("#results-heading")).to_contain_text("1 story (3 articles)")
        expect(page.locator("#results .hit")).to_have_count(1)
        screenshot(page, "search-by-story")

        page.get_by_role("link", name="3 versions").click()
        expect(page.locator("#results-heading")).to_contain_text("3 articles")
        expect(page.locator("#results .hit")).to_have_count(3)
        expect(page.get_by_role("link", name=re.compile(r"^Remove filter Versions of story s\d+"))).to_be_visible()

        page.get_by_label("Count", exact=True).select_option("articles")
        expect(page).to_have_url(re.compile(r"count=articles"))
        page.get_by_role("link", name=re.compile(r"^Remove filter Versions of story")).click()
        expect(page.locator("#results-heading")).to_contain_text("3 articles")
        expect(page.locator("#results .hit")).to_have_count(3)

        latest = Article.objects.get(body__contains="Shares in Time Warner rose")
        page.goto(f"{live_server.url}/articles/{latest.pk}")
        expect(page.locator(".story-versions li")).to_have_count(2)
        expect(page.locator(".story-versions")).to_contain_text("canonical version")
        page.get_by_text("Differences from the canonical version").click()
        added = " ".join(page.locator(".difference-text ins").all_inner_texts())
        assert "Shares in Time Warner rose 2%" in added and "sharp rise in quarterly profits" in added
        screenshot(page, "story-differences")

"""Every search URL has an Atom feed of its newest matches, with the entities as categories."""
import html
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.indexing import index_articles
from articles.models import Article
from following import feedkeys

from .archive import PUTIN, XI, make_article, ref

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, query=""):
    response = client.get(f"/feeds/search?{query}")
    assert response.status_code == 200, response.content
    return response, feedparser.parse(response.content)


def test_a_search_feed_is_well_formed_atom_1_0(client, archive):
    response, parsed = feed(client, "q=talks")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"


def test_the_feed_lists_what_the_search_finds_newest_arrival_first(client, archive):
    newest = make_article("Talks in Ankara", "More talks were held.", "Reuters", None, [])
    index_articles(Article.objects.filter(pk=newest.pk), refresh=True)

    _, parsed = feed(client, "q=talks")

    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Talks in Ankara", "Grain talks resume in Geneva", "Leaders meet in Moscow"]  # stored last first


def test_the_entities_of_an_entry_are_its_categories(client, archive):
    _, parsed = feed(client, "q=Moscow")

    (entry,) = parsed.entries
    labels = {tag.label for tag in entry.tags}
    terms = {tag.term for tag in entry.tags}
    assert {"Person: Vladimir Putin", "Person: Xi Jinping", "Country: Russia", "Country: China",
            "Organization: Kremlin"} == labels
    assert {"Vladimir Putin", "Russia", "Kremlin"} <= terms
    assert {tag.scheme.rsplit(":", 1)[1] for tag in entry.tags} == {"person", "country", "org"}


def summaries(response):
    """Each entry's summary as the feed holds it: HTML, as a feed reader gets it once it has
    read the XML (feedparser's own sanitizer would drop the <mark> tags)."""
    root = ElementTree.fromstring(response.content)
    return [summary.text for summary in root.iter(f"{ATOM}summary")]


def entry_titles(response):
    """Each entry's title as the feed holds it: (its type, its text)."""
    root = ElementTree.fromstring(response.content)
    return [(title.get("type"), title.text) for title in root.findall(f"{ATOM}entry/{ATOM}title")]


def test_an_entry_title_marks_the_searched_words_as_atom_html_and_the_feeds_own_title_is_text(client, archive):
    response, parsed = feed(client, "q=museum")

    assert entry_titles(response) == [("html", "A <mark>museum</mark> opens its doors")]
    assert ElementTree.fromstring(response.content).find(f"{ATOM}title").get("type") is None
    assert parsed.entries[0].title == "A museum opens its doors"  # as a feed reader that drops <mark> shows it


def test_entries_link_to_the_article(client, archive):
    _, parsed = feed(client, "q=museum")

    (entry,) = parsed.entries
    assert entry.link == f"http://testserver/articles/{archive['museum'].pk}"
    assert entry.id.startswith("tag:testserver,")


def test_an_entry_carries_the_highlighted_snippet_of_the_searched_words(client, archive):
    response, _ = feed(client, "q=museum")

    assert summaries(response) == ["The city <mark>museum</mark> opened a new wing. Every visit is free on Sundays, the director said."]


def test_an_entry_of_a_search_without_words_carries_the_articles_opening_lines(client, archive):
    response, _ = feed(client, "source=BBC")

    assert summaries(response) == ["The city museum opened a new wing. Every visit is free on Sundays, the director said."]


def test_the_feed_keeps_the_search_filters(client, archive):
    _, parsed = feed(client, "q=talks&person=Vladimir+Putin")

    assert [entry.title for entry in parsed.entries] == ["Leaders meet in Moscow"]
    assert parsed.feed.title == "newsarchive: “talks” · Person: Vladimir Putin"
    assert parsed.feed.link == f"http://testserver/?q=talks&person={ref(PUTIN)}"


def test_text_from_the_archive_is_escaped(client, search_index):
    article = make_article("Markup <script>alert(1)</script> & more", "Body with <img src=x onerror=alert(1)> here.",
                           "Reuters", None, [(XI, "Xi"), (PUTIN, "Putin")])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)

    response, parsed = feed(client, "q=markup")

    raw = response.content.decode()
    assert "<script>" not in raw and "<img" not in raw
    assert entry_titles(response) == [("html", "<mark>Markup</mark> &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; more")]
    (entry,) = parsed.entries
    assert html.unescape(entry.title) == "Markup <script>alert(1)</script> & more"  # as text, not markup
    assert "<img" not in entry.summary


def test_hostile_markup_in_a_snippet_stays_text_in_the_summary(client, search_index):
    article = make_article("Report", "Markup <script>alert(1)</script> & <img src=x onerror=alert(1)> here.",
                           "Reuters", None, [])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)

    response, parsed = feed(client, "q=markup")

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert "<script>" not in response.content.decode()
    assert summaries(response) == [
        "<mark>Markup</mark> &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; here."
    ]


def test_a_bad_parameter_is_a_400(client, db):
    response = client.get("/feeds/search?date_from=yesterday")

    assert response.status_code == 400
    assert b"date_from must be a date" in response.content


def test_the_feed_says_503_when_the_index_is_down(client, db, elasticsearch_down):
    assert client.get("/feeds/search?q=talks").status_code == 503


def test_the_feed_is_closed_to_anonymous_visitors_when_search_requires_login(client, db, settings):
    settings.SEARCH_REQUIRES_LOGIN = True

    assert client.get("/feeds/search?q=talks").status_code == 401


@pytest.mark.parametrize("query", ["q=talks&person=Xi+Jinping", ""])
def test_the_search_page_announces_its_feed_in_the_head(client, archive, query):
    html = client.get(f"/?{query}&page=1&sort=date").content.decode()

    head = html.split("</head>")[0]
    expected = f"/feeds/search?{query.replace('Xi+Jinping', ref(XI))}" if query else "/feeds/search"
    link = f'href="{expected.replace("&", "&amp;")}"'
    assert f'<link rel="alternate" type="application/atom+xml" title="Atom feed of this search" {link}>' in head


def test_where_search_requires_login_a_readers_feed_link_carries_a_key_that_opens_the_feed(archive, settings):
    settings.SEARCH_REQUIRES_LOGIN = True
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    signed_in = Client()
    signed_in.force_login(reader)
    page = signed_in.get("/?q=talks").content.decode()
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', page)[1]

    response = Client().get(html.unescape(link))  # a feed reader: no session

    assert "key=" in link
    assert response.status_code == 200
    assert {entry.title for entry in feedparser.parse(response.content).entries} == {
        "Grain talks resume in Geneva", "Leaders meet in Moscow"}


def test_a_forged_or_revoked_feed_key_opens_nothing(archive, settings):
    settings.SEARCH_REQUIRES_LOGIN = True
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    key = feedkeys.feed_key(reader)
    other = get_user_model().objects.create_user("other", "other@example.com", "another-long-phrase")
    forged = f"{other.pk}-{key.partition('-')[2]}"
    reader.set_password("a-new-long-pass-phrase")
    reader.save()

    for bad in (key, forged, "1-", "x", ""):
        assert Client().get("/feeds/search", {"q": "talks", "key": bad}).status_code == 401


def test_public_feed_links_carry_no_key(client, archive):
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    client.force_login(reader)

    assert "key=" not in client.get("/?q=talks").content.decode()


def test_characters_xml_forbids_in_a_query_or_an_article_are_left_out_of_the_feed(client, archive):
    article = make_article("Talks\ufffe in\x01 Oslo", "Talks\x0b resumed\uffff today.", "Reuters", None, [])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)

    _, parsed = feed(client, "q=%01oslo")

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["Talks in Oslo"]
    assert "Talks resumed today." in parsed.entries[0].summary

"""From results to an article and back: result links carry the search and the result's place,
the article page links back to that page of results and to the results before and after it,
and marks the search's words in its text (Django's test client, a real Elasticsearch)."""
import re
from html import unescape
from urllib.parse import urlencode

import pytest

from articles.models import Article

from .archive import build_archive, harbour_reports

SEARCH = "q=harbour&sort=date"  # 45 results, report 46 - p at place p


@pytest.fixture
def reports(search_index):
    return {article.title: article for article in build_archive(harbour_reports(45)).values()}


def report(reports, n):
    return reports[f"Harbour report {n}"]


def article_page(client, article, **query):
    """The article page opened with `query`; its result links as {link text: href}."""
    response = client.get(f"/articles/{article.id}", query)
    html = response.content.decode()
    nav = re.search(r'<nav class="result-nav".*?</nav>', html, re.S)
    links = dict((text, unescape(href)) for href, text in re.findall(r'<a[^>]* href="([^"]*)"[^>]*>([^<]*)</a>',
                                                                   nav.group(0))) if nav else {}
    return response, html, links


def link_to(article, search, hit):
    return f"/articles/{article.id}?{urlencode({'from': search, 'hit': hit})}"


def test_each_result_links_to_its_article_with_the_search_and_its_place(client, reports):
    html = client.get(f"/?{SEARCH}&page=2").content.decode()

    first = report(reports, 25)  # place 21, the first on page 2
    assert (f'<li class="hit" id="hit-21">\n          <h2 class="hit-title"><a href="/articles/{first.id}'
            '?from=q%3Dharbour%26sort%3Ddate&amp;hit=21">') in html
    assert 'id="hit-40"' in html and 'id="hit-20"' not in html and 'id="hit-41"' not in html


def test_the_neighbours_of_the_last_result_of_a_page_cross_into_the_next_page(client, reports):
    _, _, links = article_page(client, report(reports, 26), **{"from": SEARCH, "hit": 20})

    assert links == {
        "‹ Back to results": "/?q=harbour&sort=date#hit-20",
        "‹ Previous result": link_to(report(reports, 27), SEARCH, 19),
        "Next result ›": link_to(report(reports, 25), SEARCH, 21),
    }


def test_the_first_result_of_a_page_goes_back_to_its_page_and_its_previous_is_on_the_page_before(client, reports):
    _, _, links = article_page(client, report(reports, 25), **{"from": SEARCH, "hit": 21})

    assert links["‹ Back to results"] == "/?q=harbour&sort=date&page=2#hit-21"
    assert links["‹ Previous result"] == link_to(report(reports, 26), SEARCH, 20)


def test_the_page_size_chosen_decides_the_page_to_go_back_to(client, reports):
    search = f"{SEARCH}&page_size=50"

    _, _, links = article_page(client, report(reports, 25), **{"from": search, "hit": 21})

    assert links["‹ Back to results"] == f"/?{search}#hit-21"
    assert links["Next result ›"] == link_to(report(reports, 24), search, 22)


def test_the_first_result_has_no_previous_and_the_last_no_next(client, reports):
    _, _, first = article_page(client, report(reports, 45), **{"from": SEARCH, "hit": 1})
    _, _, last = article_page(client, report(reports, 1), **{"from": SEARCH, "hit": 45})

    assert list(first) == ["‹ Back to results", "Next result ›"]
    assert list(last) == ["‹ Back to results", "‹ Previous result"]
    assert last["‹ Back to results"] == "/?q=harbour&sort=date&page=3#hit-45"


def test_an_article_no_longer_at_its_place_goes_back_to_the_first_page_without_neighbours(client, reports):
    _, _, links = article_page(client, report(reports, 1), **{"from": SEARCH, "hit": 3})

    assert links == {"‹ Back to results": "/?q=harbour&sort=date"}


def test_without_a_search_the_article_links_back_to_the_search_page(client, reports):
    response, html, links = article_page(client, report(reports, 1))

    assert response.status_code == 200
    assert links == {}
    assert '<a href="/">‹ Back to search</a>' in html
    assert "<mark>" not in html


@pytest.mark.parametrize("query", [
    {"from": "https://evil.example/?q=harbour", "hit": "1"},
    {"from": "//evil.example", "hit": "1"},
    {"from": "/\\evil.example", "hit": "1"},
    {"from": "q=harbour&page=abc", "hit": "1"},
    {"from": "q=harbour&sort=sideways", "hit": "2"},
    {"from": "q=harbour&date_from=1990-13-45", "hit": "2"},
    {"from": "q=harbour&person=%00", "hit": "2"},
    {"from": "&".join(f"q{n}=x" for n in range(2000)), "hit": "1"},
    {"from": "q=" + "harbour " * 2000, "hit": "1"},
    {"from": SEARCH, "hit": "-1"},
    {"from": SEARCH, "hit": "0"},
    {"from": SEARCH, "hit": "10001"},
    {"from": SEARCH, "hit": "9" * 5000},
    {"from": SEARCH, "hit": "\uff11"},  # a fullwidth 1, which int() would read
    {"from": SEARCH, "hit": "1e3"},
    {"from": "", "hit": "1"},
    {"from": "q=%ff%fe%00", "hit": "1"},
])
def test_hostile_search_context_is_ignored_and_every_link_stays_on_the_site(client, reports, query):
    response, html, links = article_page(client, report(reports, 45), **query)

    assert response.status_code == 200
    assert "Harbour report 45</h1>" in html.replace("<mark>", "").replace("</mark>", "")
    assert all(href.startswith("/") and not href.startswith(("//", "/\\")) for href in links.values())
    assert "evil" not in "".join(links.values())


def test_a_from_that_names_no_parameter_is_the_search_for_everything(client, reports):
    _, _, links = article_page(client, report(reports, 45), **{"from": "//evil.example", "hit": "1"})

    assert links == {"‹ Back to results": "/#hit-1", "Next result ›": link_to(report(reports, 44), "", 2)}


def test_the_searchs_words_are_marked_in_the_article_as_the_search_matches_them(client, reports):
    _, html, _ = article_page(client, report(reports, 7), **{"from": "q=ship seasons", "hit": "1"})

    assert ('<div class="article-body"><mark>Ships</mark> left the harbour on day 7 of the '
            '<mark>season</mark>.</div>') in html


def test_a_marked_word_inside_a_mention_is_marked_inside_its_link(client, archive):
    _, html, _ = article_page(client, archive["moscow"], **{"from": "q=putin visit", "hit": "1"})

    assert '<a class="mention mention-person" href="/entities/person/' in html
    assert 'title="Vladimir Putin">Vladimir <mark>Putin</mark></a> welcomed' in html
    assert 'called the <mark>visit</mark> friendly' in html
    assert html.count("<mark>") == 3  # Putin twice, visit once


def test_title_words_are_marked_in_the_heading_only(client, archive):
    _, html, _ = article_page(client, archive["moscow"], **{"from": "q=title:moscow"})

    assert '<h1 id="article-title">Leaders meet in <mark>Moscow</mark></h1>' in html
    assert html.count("<mark>") == 1  # not "to Moscow on Monday" in the body


def test_the_searchs_words_are_marked_in_the_heading_as_in_the_text(client, archive):
    _, html, _ = article_page(client, archive["oil"], **{"from": "q=oil prices", "hit": "1"})

    assert '<h1 id="article-title"><mark>Oil</mark> <mark>prices</mark> climb</h1>' in html
    assert "and <mark>oil</mark> <mark>prices</mark> climbed" in html


def test_markup_in_a_marked_heading_stays_text(client, search_index):
    (article,) = build_archive({"x": ("<b>Oil</b> & <script>oil()</script>", "Prices rose.", "Reuters", None, [])}).values()

    _, html, _ = article_page(client, article, **{"from": "q=oil"})

    assert ('<h1 id="article-title">&lt;b&gt;<mark>Oil</mark>&lt;/b&gt; &amp; '
            '&lt;script&gt;<mark>oil</mark>()&lt;/script&gt;</h1>') in html


def test_marked_text_from_the_archive_stays_escaped(client, search_index):
    (article,) = build_archive({"x": ("Tags", "<b>oil</b> & <script>oil()</script>", "Reuters", None, [])}).values()

    _, html, _ = article_page(client, article, **{"from": "q=oil"})

    assert ('&lt;b&gt;<mark>oil</mark>&lt;/b&gt; &amp; &lt;script&gt;<mark>oil</mark>()&lt;/script&gt;') in html


def test_an_index_copy_older_than_the_article_marks_nothing_in_its_text(client, reports):
    article = report(reports, 3)
    Article.objects.filter(pk=article.pk).update(body="A new text about the harbour.")

    _, html, _ = article_page(client, article, **{"from": "q=harbour"})

    assert '<div class="article-body">A new text about the harbour.</div>' in html
    assert '<h1 id="article-title"><mark>Harbour</mark> report 3</h1>' in html  # the title is the index's


def test_a_title_changed_since_it_was_indexed_is_not_marked(client, reports):
    article = report(reports, 3)
    Article.objects.filter(pk=article.pk).update(title="Harbour report 3, corrected")

    _, html, _ = article_page(client, article, **{"from": "q=harbour"})

    assert '<h1 id="article-title">Harbour report 3, corrected</h1>' in html


def test_with_elasticsearch_down_the_article_still_shows_with_its_way_back(client, reports, elasticsearch_down):
    response, html, links = article_page(client, report(reports, 26), **{"from": SEARCH, "hit": 20})

    assert response.status_code == 200
    assert links == {"‹ Back to results": "/?q=harbour&sort=date"}
    assert "<mark>" not in html


def test_the_search_page_may_be_kept_for_the_back_button(client, reports):
    """No `Cache-Control: no-store`, which keeps a page out of the back/forward cache."""
    response = client.get(f"/?{SEARCH}&page=2")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")

"""The HTML pages, through Django's test client (no JavaScript), against a real Elasticsearch."""
from datetime import date

import pytest

from articles.models import Article

from .archive import PUTIN, XI, build_archive, ref


def page(client, path="/", **query):
    response = client.get(path, query)
    return response, response.content.decode()


def test_the_search_page_lists_hits_with_highlights_and_entity_chips(client, archive):
    response, html = page(client, q="Putin")

    assert response.status_code == 200
    assert "1 story" in html
    assert 'Leaders meet in <mark>Moscow</mark>' not in html  # only query words are marked
    assert "<mark>Putin</mark>" in html
    assert f'href="/entities/person/{ref(XI)}"' in html
    assert 'href="/entities/country/RU"' in html
    assert f'href="/articles/{archive["moscow"].id}?from=q%3DPutin&amp;hit=1"' in html


def test_facet_values_are_labelled_checkboxes_in_the_search_form(client, archive):
    _, html = page(client, q="Putin", person="Xi Jinping")

    assert f'name="person" value="{ref(XI)}" checked' in html
    assert f'name="person" value="{ref(PUTIN)}">' in html
    assert '<label for="facet-country-1">' in html
    assert '<button type="submit" class="apply">Apply filters</button>' in html


def test_active_filters_are_chips_that_remove_themselves(client, archive):
    _, html = page(client, q="Putin", person="Xi Jinping", country="RU")

    assert 'href="/?q=Putin&amp;country=RU" data-nav aria-label="Remove filter Person: Xi Jinping"' in html
    assert (f'href="/?q=Putin&amp;person={ref(XI)}" data-nav '
            'aria-label="Remove filter Country: Russia"') in html


def test_the_timeline_links_each_period_to_its_dates(client, archive):
    _, html = page(client, date_from="1987-01-01", date_to="1987-12-31")

    assert 'href="/?date_from=1987-03-01&amp;date_to=1987-03-31" aria-label="Mar 1987: 2 stories"' in html
    assert '<a href="/" data-nav>All dates</a>' in html


def test_the_date_facet_offers_the_undated_articles_as_a_value_with_their_count(client, archive):
    _, html = page(client)
    _, chosen = page(client, undated="1")

    assert '<input type="checkbox" id="undated" name="undated" value="1">' in html
    assert '<span class="value">Undated</span> <span class="count">1<span class="visually-hidden"> story</span>' in html
    assert '<input type="checkbox" id="undated" name="undated" value="1" checked>' in chosen
    assert 'aria-label="Remove filter Date: Undated"' in chosen


def test_archive_text_is_escaped_on_the_search_page(client, search_index):
    build_archive({"x": ('<img src=x onerror="alert(1)">', "<script>alert(2)</script> oil", "<b>src</b>",
                         date(2001, 1, 1), [])})

    _, html = page(client, q="oil")

    assert "<script>alert(2)" not in html and "<img src=x" not in html and "<b>src</b>" not in html
    assert "&lt;script&gt;alert(2)" in html


def test_search_words_are_marked_in_result_titles_and_markup_there_stays_text(client, search_index):
    build_archive({"x": ("<b>Oil</b> & <script>oil()</script> report", "Prices rose.", "Reuters", date(2001, 1, 1), [])})

    _, html = page(client, q="oil")

    assert ('&lt;b&gt;<mark>Oil</mark>&lt;&#x2F;b&gt; &amp; &lt;script&gt;<mark>oil</mark>()&lt;&#x2F;script&gt; '
            'report</a></h2>') in html
    assert "<script>oil" not in html and "<b>Oil" not in html


def test_the_query_is_escaped_in_the_form_and_the_empty_state(client, search_index):
    _, html = page(client, q='"><script>x</script>')

    assert "<script>x</script>" not in html
    assert "No stories match" in html


def test_an_empty_result_suggests_what_to_try(client, archive):
    _, html = page(client, q="zebra", person="Xi Jinping")

    assert "No stories match “zebra” with these filters." in html
    assert 'href="/?q=zebra" data-nav>search without filters</a>' in html


def test_pagination_links_keep_the_search(search_index, client):
    build_archive({f"a{i}": (f"Report {i}", "A routine report.", "Wire", date(2000, 1, i + 1), []) for i in range(25)})

    _, html = page(client, q="report")

    assert '<a href="/?q=report&amp;page=2" rel="next" data-nav>Next ›</a>' in html
    assert "page 1 of 2" in html


def test_a_bad_parameter_shows_the_form_with_the_message_and_a_400(client, search_index):
    response, html = page(client, q="oil", date_from="last week")

    assert response.status_code == 400
    assert "date_from must be a date written YYYY-MM-DD." in html
    assert 'value="oil"' in html


def test_the_article_page_links_mentions_and_lists_entities_and_related_articles(client, archive):
    response, html = page(client, f"/articles/{archive['grain'].id}")

    assert response.status_code == 200
    assert (f'<a class="mention mention-person" href="/entities/person/{ref(XI)}" title="Xi Jinping">'
            'Xi Jinping</a>') in html
    assert '<a class="chip chip-country" href="/entities/country/US">United States</a>' in html
    assert f'<a href="/articles/{archive["moscow"].id}">Leaders meet in Moscow</a>' in html


def test_an_unknown_article_is_a_404(client, db):
    assert client.get("/articles/424242").status_code == 404


def test_the_entity_page_shows_co_mentions_latest_articles_and_a_filtered_search(client, archive):
    xi = ref(XI)
    response, html = page(client, f"/entities/person/{xi}")

    assert response.status_code == 200
    assert f'<a href="/entities/person/{ref(PUTIN)}">Vladimir Putin</a>' in html
    assert f'href="/?person={xi}">Search all 2 articles mentioning Xi Jinping' in html
    assert "Grain talks resume in Geneva" in html
    assert f'href="/?person={xi}&amp;date_from=1987-01-01&amp;date_to=1987-12-31"' in html


def test_an_entity_named_by_hand_redirects_to_its_id(client, archive):
    response = client.get("/entities/person/Xi Jinping")

    assert (response.status_code, response["Location"]) == (302, f"/entities/person/{ref(XI)}")


def test_an_unknown_entity_is_a_404(client, db):
    assert client.get("/entities/person/nobody").status_code == 404


@pytest.mark.parametrize("path", ["/", "/articles/1", "/entities/person/xi jinping"])
def test_pages_redirect_to_the_login_when_search_requires_it(client, db, settings, path):
    settings.SEARCH_REQUIRES_LOGIN = True

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_healthz_stays_public_when_search_requires_login(client, db, settings):
    settings.SEARCH_REQUIRES_LOGIN = True

    response = client.get("/healthz")

    assert (response.status_code, response.json()["ok"]) == (200, True)


def test_a_stored_script_link_is_never_rendered_as_the_original_link(client, search_index):
    article = Article.objects.create(title="Cookie jar", body="A story.", content_hash="x",
                                     url="javascript:alert(document.cookie)")

    page = client.get(f"/articles/{article.id}").content.decode()

    assert "javascript:" not in page and "Original" not in page


def test_the_search_help_page_is_linked_beside_the_box_and_names_every_prefix(client, search_index):
    search_page = client.get("/").content.decode()
    help_page = client.get("/help/search")

    assert 'href="/help/search">Search help</a>' in search_page
    assert help_page.status_code == 200
    assert all(f"{prefix}:" in help_page.content.decode() for prefix in ("title", "author", "person", "country", "org", "source"))


def test_a_query_read_otherwise_than_written_says_so_above_the_results(client, archive):
    page = client.get("/", {"q": '"oil prices'})
    plain = client.get("/", {"q": "oil prices"})

    assert page.status_code == 200
    assert "A quotation mark was not closed" in page.content.decode()
    assert page.context["result"]["total"] == plain.context["result"]["total"] > 0
    assert "syntax-notes" not in plain.content.decode()

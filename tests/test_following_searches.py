"""Readers save any search page's state by name and see what is new in each since their last visit."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.indexing import index_articles
from articles.models import Article
from following.models import SavedSearch

from .archive import XI, make_article, ref

TYPED = "q=talks&person=Xi+Jinping&date_from=1987-01-01&date_to=1987-12-31"  # a search as a reader types it


def canonical():
    """TYPED as the site writes it: the person by her id."""
    return f"q=talks&person={ref(XI)}&date_from=1987-01-01&date_to=1987-12-31"


def signed_in(name="reader"):
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "a-long-pass-phrase")
    client = Client()
    client.force_login(user)
    return client, user


def save(client, query=TYPED, name="Xi in 1987", alert="off"):
    return client.post("/searches/new", {"query": query, "name": name, "alert": alert})


def publish(title, body):
    article = make_article(title, body, "Reuters", None, [])
    index_articles(Article.objects.filter(pk=article.pk), refresh=True)
    return article


def test_the_search_page_offers_to_save_itself(client, archive):
    html = client.get(f"/?{TYPED}&page=1&sort=date").content.decode()

    assert f'<a class="save-search" href="/searches/new?{canonical().replace("&", "&amp;")}">Save this search</a>' in html


def test_the_save_form_proposes_a_name_that_says_what_the_search_finds(archive):
    client, _ = signed_in()

    html = client.get(f"/searches/new?{TYPED}").content.decode()

    assert 'value="“talks” · Person: Xi Jinping · 1987-01-01 – 1987-12-31"' in html


def test_saving_keeps_words_facets_and_dates_but_not_page_sort_or_more(archive):
    client, user = signed_in()

    response = save(client, query=f"{TYPED}&page=2&page_size=50&sort=date&more=person", alert="daily")

    assert response["Location"] == "/searches/"
    search = user.saved_searches.get()
    assert (search.name, search.query, search.alert) == ("Xi in 1987", canonical(), "daily")


def test_saving_a_search_needs_a_signed_in_reader(client, db):
    response = client.get("/searches/new?q=oil")

    assert response["Location"] == "/accounts/login/?next=/searches/new%3Fq%3Doil"


def test_a_search_with_a_bad_parameter_cannot_be_saved(db):
    client, user = signed_in()

    response = save(client, query="date_from=yesterday")

    assert response.status_code == 400
    assert not user.saved_searches.exists()


def test_saving_needs_a_csrf_token(db):
    user = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert save(client).status_code == 403


def test_a_reader_cannot_use_one_name_twice(archive):
    client, user = signed_in()
    save(client)

    response = save(client, query="q=oil")

    assert "You already have a saved search with this name." in response.content.decode()
    assert user.saved_searches.count() == 1


def test_my_searches_lists_only_the_readers_own_searches(archive):
    alice, _ = signed_in("alice")
    bob, _ = signed_in("bob")
    save(alice, name="Alice's talks")
    save(bob, name="Bob's talks")

    html = alice.get("/searches/").content.decode()

    assert "Alice&#x27;s talks" in html and "Bob" not in html


@pytest.mark.parametrize("method, path", [
    ("post", "/searches/{}/open"), ("post", "/searches/{}/"), ("post", "/searches/{}/delete"),
])
def test_another_readers_search_cannot_be_opened_changed_or_deleted(archive, method, path):
    alice, _ = signed_in("alice")
    bob, _ = signed_in("bob")
    save(alice)
    search = SavedSearch.objects.get()

    response = getattr(bob, method)(path.format(search.pk), {"s{}-name".format(search.pk): "Mine", "s{}-alert".format(search.pk): "off"})

    assert response.status_code == 404
    assert SavedSearch.objects.get().name == "Xi in 1987"


def test_a_reader_changes_the_alert_and_deletes_a_search(archive):
    client, user = signed_in()
    save(client)
    search = user.saved_searches.get()

    client.post(f"/searches/{search.pk}/", {f"s{search.pk}-name": "Xi", f"s{search.pk}-alert": "immediate"})
    search.refresh_from_db()
    assert (search.name, search.alert) == ("Xi", "immediate")

    client.post(f"/searches/{search.pk}/delete")
    assert not user.saved_searches.exists()


def test_each_saved_search_links_its_feed(archive):
    client, _ = signed_in()
    save(client)

    html = client.get("/searches/").content.decode()

    assert f'href="/feeds/search?{canonical().replace("&", "&amp;")}" type="application/atom+xml">Atom feed</a>' in html


def test_my_searches_counts_the_articles_new_since_the_last_visit(archive):
    client, user = signed_in()
    save(client, query="q=summit", name="Summits")
    before = client.get("/searches/").content.decode()
    publish("Summit opens", "The summit opened.")
    publish("Summit closes", "The summit closed.")
    publish("Harbour reopens", "Nothing to do with it.")

    after = client.get("/searches/").content.decode()
    opened = client.post(f"/searches/{user.saved_searches.get().pk}/open")
    revisited = client.get("/searches/").content.decode()

    assert '<span class="new-count hint">0 new</span>' in before
    assert '<span class="new-count hint">2 new</span>' in after
    assert opened["Location"] == "/?q=summit"
    assert '<span class="new-count hint">0 new</span>' in revisited


def test_a_link_cannot_mark_a_readers_new_articles_as_seen(archive):
    client, user = signed_in()
    save(client, query="q=summit", name="Summits")
    publish("Summit opens", "The summit opened.")

    followed = client.get(f"/searches/{user.saved_searches.get().pk}/open")  # an <img src> on another site

    assert followed.status_code == 405
    assert '<span class="new-count hint">1 new</span>' in client.get("/searches/").content.decode()


def test_an_article_still_on_its_way_at_the_visit_counts_as_new_when_it_arrives(archive):
    client, user = signed_in()
    waiting = make_article("Summit opens", "The summit opened.", "Reuters", None, [])
    Article.objects.filter(pk=waiting.pk).update(enrichment_status=Article.Enrichment.PENDING)
    save(client, query="q=summit", name="Summits")

    Article.objects.filter(pk=waiting.pk).update(enrichment_status=Article.Enrichment.ENRICHED)
    index_articles(Article.objects.filter(pk=waiting.pk), refresh=True)

    assert '<span class="new-count hint">1 new</span>' in client.get("/searches/").content.decode()


def test_my_searches_still_lists_the_searches_when_the_index_is_down(archive, elasticsearch_down):
    client, _ = signed_in()
    save(client)

    html = client.get("/searches/").content.decode()

    assert "Xi in 1987" in html and "new-count" not in html
    assert "Counts of new articles are unavailable right now." in html

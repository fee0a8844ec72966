"""Honest dates: the undated articles are a value of the date facet that selects them, on the
page, in the API, in saved searches and feeds; the timeline scales to where the articles are
and names the far dates it leaves out, with the link that selects them (real Elasticsearch).

Once, 2,127 undated articles were counted under the chart but could not be chosen, and one
item dated 2005 among 1987 news squeezed the timeline into a single bar."""
from datetime import date
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from .archive import OPEC, ref

pytestmark = pytest.mark.django_db

FAR = {"label": "2005", "count": 1, "date_from": "2005-06-01", "date_to": "2005-06-30"}
ATOM = "{http://www.w3.org/2005/Atom}"


def api(client, **query):
    return client.get("/api/search", query).json()


def titles(body):
    return {hit["title"] for hit in body["hits"]}


def test_undated_selects_exactly_the_articles_its_bucket_counts(client, archive_with_a_far_date):
    everything, undated = api(client), api(client, undated="1")
    html = client.get("/", {"undated": "1"}).content.decode()

    assert everything["date_unknown"] == undated["total"] == 2
    assert titles(undated) == {"Undated wire", "OPEC wire without a date"}
    assert '<h1 id="results-heading" class="result-count" tabindex="-1">2 stories' in html
    assert '<span class="value">Undated</span> <span class="count">2<span' in html


def test_undated_is_counted_under_the_other_filters_and_selected_with_them(client, archive_with_a_far_date):
    reuters = api(client, source="Reuters")
    chosen = api(client, source="Reuters", undated="1")

    assert reuters["date_unknown"] == chosen["total"] == 1
    assert titles(chosen) == {"OPEC wire without a date"}


def test_undated_with_a_date_range_finds_the_articles_of_either(client, archive_with_a_far_date):
    body = api(client, date_from="2005-01-01", undated="1")

    assert titles(body) == {"Oil item filed in 2005", "Undated wire", "OPEC wire without a date"}
    assert [(bucket["value"], bucket["count"]) for bucket in body["facets"]["date"]] == [("2005-06", 1)]


def test_undated_alone_draws_no_dated_periods(client, archive_with_a_far_date):
    body = api(client, undated="1")
    html = client.get("/", {"undated": "1"}).content.decode()

    assert (body["facets"]["date"], body["date_outliers"]) == ([], [])
    assert '<p class="timeline-empty">No dated stories.</p>' in html


def test_the_timeline_leaves_the_far_date_out_and_names_it(client, archive_with_a_far_date):
    body = api(client)

    assert [bucket["value"] for bucket in body["facets"]["date"]] == [f"1987-{m:02}" for m in range(2, 11)]
    assert body["date_outliers"] == [FAR]
    assert sum(b["count"] for b in body["facets"]["date"]) + FAR["count"] + body["date_unknown"] == body["total"]


def test_the_page_says_what_is_not_shown_and_links_to_it(client, archive_with_a_far_date):
    html = client.get("/").content.decode()
    shown = api(client, date_from=FAR["date_from"], date_to=FAR["date_to"])

    assert ('1 story dated 2005 not shown: <a href="/?date_from=2005-06-01&amp;date_to=2005-06-30" '
            'aria-label="Show the 1 story dated 2005" data-nav>show</a>') in html
    assert titles(shown) == {"Oil item filed in 2005"}


def test_the_timeline_labels_its_axes_and_counts_each_bar(client, archive_with_a_far_date):
    html = client.get("/").content.decode()

    assert 'Matching stories over time <span class="timeline-unit">(stories per month)</span>' in html
    assert '<span class="timeline-peak">3</span><span>0</span>' in html  # three wires in February, the most
    assert '<title>Feb 1987: 3 stories</title>' in html
    assert '<span>Feb 1987</span><span>Oct 1987</span>' in html


def test_the_entity_page_links_its_undated_articles_and_names_no_far_date_among_few(
        client, archive_with_a_far_date):
    organization = ref(OPEC)
    html = client.get(f"/entities/organization/{organization}").content.decode()
    body = client.get(f"/api/entities/organization/{organization}").json()

    assert f'Date unknown: <a href="/?org={organization}&amp;undated=1">1 article</a>' in html
    assert (body["date_unknown"], body["date_outliers"]) == (1, [])
    assert api(client, org=organization, undated="1")["total"] == 1


def test_a_saved_search_keeps_the_undated_articles_and_says_so(archive_with_a_far_date):
    user = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    reader = Client()
    reader.force_login(user)

    proposed = reader.get("/searches/new", {"q": "wire", "undated": "1"}).content.decode()
    reader.post("/searches/new", {"query": "q=wire&undated=1", "name": "Undated wires", "alert": "off"})

    assert 'value="“wire” · Undated"' in proposed
    assert user.saved_searches.get().query == "q=wire&undated=1"


def test_the_feed_of_a_search_of_undated_articles_lists_them(client, archive_with_a_far_date):
    feed = ElementTree.fromstring(client.get("/feeds/search", {"undated": "1"}).content)

    assert {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")} == {
        "Undated wire", "OPEC wire without a date"}


def test_a_chosen_range_is_drawn_whole_with_nothing_left_out(client, archive_with_a_far_date):
    body = api(client, date_from="1987-01-01", date_to="2005-12-31")

    assert body["date_outliers"] == []
    assert [bucket["value"] for bucket in body["facets"]["date"]] == [str(year) for year in range(1987, 2006)]
    assert date(2005, 6, 15).isoformat() in {hit["published_at"][:10] for hit in body["hits"]}


def test_rising_looks_at_the_last_days_of_the_archive_not_at_its_far_date(client, archive_with_a_far_date):
    body = client.get("/api/rising").json()

    assert (body["date_to"], body["default_period"], body["min_articles"]) == ("1987-10-18", True, 3)

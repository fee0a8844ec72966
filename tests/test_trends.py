"""Compare and rising through HTTP against a real Elasticsearch: the API, the CSV and the pages."""
import csv
import io
from datetime import date
from urllib.parse import urlsplit

import pytest

from .archive import OPEC, SAUDI, USA, build_archive, ref

YEAR_1987 = {"date_from": "1987-01-01", "date_to": "1987-12-31"}


def compare(client, **params):
    return client.get("/api/compare", {**YEAR_1987, **params}).json()


def month(body, value):
    return next(i for i, period in enumerate(body["periods"]) if period["value"] == value)


# The small archive: grain (US, 5 Mar 1987), budget (US, 25 Mar), oil (OPEC, 10 Apr), energy (19 Oct).

def test_each_series_is_counted_per_period_of_the_shared_range(client, archive):
    body = compare(client, country1="US", org2="OPEC")

    assert [p["value"] for p in body["periods"]] == [f"1987-{m:02}" for m in range(1, 13)]
    assert [p["total"] for p in body["periods"]][2:4] == [2, 1]
    us, opec = body["series"]
    assert ([p["count"] for p in us["points"]][2:4], [p["count"] for p in opec["points"]][2:4]) == ([2, 0], [0, 1])
    assert (us["label"], us["total"], opec["total"]) == ("Country: United States", 2, 1)


def test_a_share_is_of_all_articles_of_the_period_and_none_without_any(client, archive):
    body = compare(client, q1="budget")
    points = body["series"][0]["points"]

    assert points[month(body, "1987-03")]["share"] == 0.5
    assert points[month(body, "1987-10")]["share"] == 0
    assert points[month(body, "1987-06")]["share"] is None


def test_a_point_opens_a_search_that_finds_exactly_its_articles(client, archive):
    body = compare(client, country1="US", q2="oil")
    point = body["series"][0]["points"][month(body, "1987-03")]

    url = urlsplit(point["url"])
    assert (url.path, url.query) == ("/", "country=US&date_from=1987-03-01&date_to=1987-03-31")
    assert client.get(f"/api/search?{url.query}").json()["total"] == point["count"] == 2


def test_a_comparison_of_no_series_is_the_periods_of_all_articles(client, archive):
    body = compare(client)

    assert body["series"] == []
    assert [p["total"] for p in body["periods"]][2:4] == [2, 1]
    rows = client.get("/api/compare.csv", YEAR_1987).content.decode().splitlines()
    assert rows[3] == "1987-03,1987-03-01,1987-03-31,2"


def test_without_a_range_the_periods_span_the_archives_dated_articles(client, archive):
    body = client.get("/api/compare", {"q1": "talks"}).json()

    assert (body["periods"][0]["value"], body["periods"][-1]["value"]) == ("1987", "2023")
    assert body["series"][0]["total"] == 2


def test_the_csv_has_a_row_per_period_and_two_columns_per_series(client, archive):
    response = client.get("/api/compare.csv", {**YEAR_1987, "country1": "US", "org2": "OPEC"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["period", "date_from", "date_to", "all_stories", "Country: United States: stories",
                       "Country: United States: share", "Organization: OPEC: stories", "Organization: OPEC: share"]
    assert rows[3] == ["1987-03", "1987-03-01", "1987-03-31", "2", "2", "1.0", "0", "0.0"]
    assert len(rows) == 13


@pytest.mark.parametrize("query, message", [
    ({"q1": "a", "q2": "b", "q3": "c", "q4": "d", "q5": "e"}, "At most 4 series"),
    ({"q1": "oil", "country2": "x" * 301}, "Series 2: A value of country is longer than 300 characters."),
    ({"q1": "oil", "date_from": "1987-02-30"}, "date_from must be a date"),
    ({"q1": "oil", "measure": "<script>"}, "measure must be one of"),
])
def test_bad_parameters_are_a_400_with_a_message(client, search_index, query, message):
    for path in ("/api/compare", "/api/compare.csv"):
        response = client.get(path, query)

        assert response.status_code == 400
        assert message in response.json()["detail"]


def test_elasticsearch_down_is_a_503(client, db, elasticsearch_down):
    assert client.get("/api/compare", {"q1": "oil"}).status_code == 503
    assert client.get("/compare", {"q1": "oil"}).status_code == 503
    assert client.get("/api/rising", {"q": "oil"}).status_code == 503


def test_the_compare_page_draws_each_series_with_a_link_per_period(client, archive):
    html = client.get("/compare", {**YEAR_1987, "country1": "US", "org2": "OPEC"}).content.decode()

    assert 'aria-label="Country: United States, Mar 1987: 2 stories, 100.0% of 2"' in html
    opec = ref(OPEC)
    assert f'href="/?org={opec}&amp;date_from=1987-04-01&amp;date_to=1987-04-30"' in html
    assert (f'href="/compare?country1=US&amp;org2={opec}&amp;date_from=1987-01-01&amp;date_to=1987-12-31'
            '&amp;measure=share"') in html


def test_the_compare_page_shows_a_bad_parameter_beside_an_empty_form(client, search_index):
    response = client.get("/compare", {"q9": "oil"})

    assert response.status_code == 400
    assert "At most 4 series" in response.content.decode()
    assert 'name="q4"' in response.content.decode()


def test_the_compare_page_without_series_is_the_form(client, search_index):
    response = client.get("/compare")

    assert response.status_code == 200
    assert 'name="q1"' in response.content.decode()


# The archive with a far date: twenty wires of 1987 ("Wire report n") and one oil item dated 2005.
FAR_2005_DATES = {"date_from": "2005-06-01", "date_to": "2005-06-30"}
FAR_2005 = {"label": "2005", **FAR_2005_DATES, "total": 1,
            "points": [{"count": 1, "share": 1.0}, {"count": 0, "share": 0.0}]}


def test_an_article_decades_from_the_rest_is_left_off_the_chart_as_the_search_timeline_leaves_it(
        client, archive_with_a_far_date):
    body = client.get("/api/compare", {"q1": "oil", "q2": "wire"}).json()
    searched = client.get("/api/search").json()

    assert [p["value"] for p in body["periods"]] == [f"1987-{m:02}" for m in range(2, 11)]
    assert body["date_outliers"] == [FAR_2005]
    assert [(far["label"], far["date_from"], far["date_to"]) for far in searched["date_outliers"]] == [
        (FAR_2005["label"], FAR_2005["date_from"], FAR_2005["date_to"])]
    assert [series["total"] for series in body["series"]] == [1, 20]


def test_the_compare_page_says_what_is_not_shown_and_links_to_its_dates(client, archive_with_a_far_date):
    html = client.get("/compare", {"q1": "oil", "q2": "wire"}).content.decode()
    shown = client.get("/api/compare", {"q1": "oil", "q2": "wire", **FAR_2005_DATES}).json()

    assert ('1 story dated 2005 not shown (“oil”: 1, “wire”: 0): <a href="/compare?q1=oil&amp;q2=wire'
            '&amp;date_from=2005-06-01&amp;date_to=2005-06-30" aria-label="Show the 1 story dated 2005">show</a>') in html
    assert [series["total"] for series in shown["series"]] == [1, 0]
    assert shown["date_outliers"] == []


def test_the_csv_has_a_row_for_the_far_date_after_the_periods(client, archive_with_a_far_date):
    rows = list(csv.reader(io.StringIO(client.get("/api/compare.csv", {"q1": "oil", "q2": "wire"}).content.decode())))

    assert [row[0] for row in rows[1:]] == [*(f"1987-{m:02}" for m in range(2, 11)), "2005"]
    assert rows[-1] == ["2005", "2005-06-01", "2005-06-30", "1", "1", "1.0", "0", "0.0"]


# What is rising: March 1987 is all about the United States; in April OPEC comes up.

def rising_archive():
    march = {f"march{i}": (f"US trade report {i}", "The United States published trade figures.", "Reuters",
                           date(1987, 3, 2 + i), [(USA, "United States")]) for i in range(4)}
    april = {f"april{i}": (f"OPEC meets {i}", "Saudi Arabia said OPEC would hold output steady.", "Reuters",
                           date(1987, 4, 5 + 5 * i), [(OPEC, "OPEC"), (SAUDI, "Saudi Arabia")]) for i in range(3)}
    april["april3"] = ("US budget", "The United States budget passed.", "Reuters", date(1987, 4, 20),
                       [(USA, "United States")])
    return build_archive({**march, **april})


@pytest.fixture
def rising(search_index):
    return rising_archive()


def rising_values(body, facet):
    return [value["value"] for value in next(g for g in body["groups"] if g["facet"] == facet)["values"]]


def test_what_rose_in_a_range_is_counted_against_the_same_length_before_it(client, rising):
    body = client.get("/api/rising", {"date_from": "1987-04-01", "date_to": "1987-04-30"}).json()

    assert (body["total"], body["previous"]["total"], body["previous"]["date_from"]) == (4, 4, "1987-03-02")
    assert (rising_values(body, "org"), rising_values(body, "country")) == ([ref(OPEC)], ["SA"])
    opec = next(g for g in body["groups"] if g["facet"] == "org")["values"][0]
    assert (opec["label"], opec["share"], opec["previous_share"]) == ("OPEC", 0.75, 0)
    assert opec["url"] == f"/?org={ref(OPEC)}&date_from=1987-04-01&date_to=1987-04-30"


def test_without_dates_the_archives_last_30_days_are_compared(client, rising):
    body = client.get("/api/rising").json()

    assert (body["date_from"], body["date_to"], body["default_period"]) == ("1987-03-22", "1987-04-20", True)
    assert rising_values(body, "org") == [ref(OPEC)]


def test_an_archive_without_dated_articles_looks_at_the_30_days_up_to_today(client, search_index):
    body = client.get("/api/rising").json()

    assert (body["date_to"], body["total"]) == (date.today().isoformat(), 0)


def test_what_fell_is_not_rising(client, rising):
    body = client.get("/api/rising", {"date_from": "1987-04-01", "date_to": "1987-04-30"}).json()

    assert "US" not in rising_values(body, "country")


def test_rising_is_measured_within_the_search(client, rising):
    body = client.get("/api/rising", {"q": "budget OR trade", "date_from": "1987-04-01", "date_to": "1987-04-30"}).json()

    assert (body["total"], rising_values(body, "org")) == (1, [])


def test_a_bad_date_is_a_400(client, search_index):
    response = client.get("/api/rising", {"date_from": "1987-04-31"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "date_from"


def test_the_rising_page_lists_the_values_with_their_shares(client, rising):
    html = client.get("/rising", {"date_from": "1987-04-01", "date_to": "1987-04-30"}).content.decode()

    assert f'<a href="/?org={ref(OPEC)}&amp;date_from=1987-04-01&amp;date_to=1987-04-30">OPEC</a>' in html
    assert "75.0%" in html


def test_the_rising_page_states_the_minimum_of_articles_it_uses(client, rising, settings):
    settings.RISING_MIN_ARTICLES = 4
    html = client.get("/rising", {"date_from": "1987-04-01", "date_to": "1987-04-30"}).content.decode()

    assert "Only those mentioned in at least 4 of the period's stories are listed" in html
    assert "OPEC" not in html  # in 3 of April's articles: below the minimum


def test_the_search_and_entity_pages_link_to_what_is_rising_and_to_a_comparison(client, archive):
    search = client.get("/", {"q": "oil", "sort": "date"}).content.decode()
    entity = client.get("/entities/country/US").content.decode()

    assert 'data-rising="/api/rising?q=oil&amp;sort=date"' in search
    assert 'href="/rising?q=oil&amp;sort=date"' in search
    assert 'href="/compare?q1=oil"' in search
    assert 'href="/rising?country=US"' in entity
    assert 'href="/compare?country1=US"' in entity

"""What the HTML pages add to results: links, chips, pagination, the timeline, mention
links (no service needed: plain results and unsaved model instances)."""
from datetime import date

from articles.models import Entity, Mention
from articles.search import SearchParams
from articles.search.dates import date_buckets
from articles.web.pages import (
    active_filters,
    article_body_html,
    date_trail,
    link_entities,
    page_links,
    timeline_bars,
    timeline_chart,
)

XI = Entity(pk=12, kind="person", key="xi jinping", name="Xi Jinping")
PUTIN = Entity(pk=7, kind="person", key="vladimir putin", name="Vladimir Putin")


def mention(entity, surface, offsets):
    return Mention(entity=entity, surface=surface, offsets=offsets)


def test_mentions_become_links_and_the_rest_of_the_body_is_escaped():
    body = "<i>Xi</i> met Putin & Xi."
    mentions = [mention(XI, "Xi", [[3, 5], [22, 24]]), mention(PUTIN, "Putin", [[14, 19]])]

    assert article_body_html(body, mentions) == (
        '&lt;i&gt;<a class="mention mention-person" href="/entities/person/p12" title="Xi Jinping">Xi</a>'
        '&lt;/i&gt; met <a class="mention mention-person" href="/entities/person/p7" '
        'title="Vladimir Putin">Putin</a> &amp; '
        '<a class="mention mention-person" href="/entities/person/p12" title="Xi Jinping">Xi</a>.'
    )


def test_mentions_whose_offsets_no_longer_fit_the_body_are_left_out():
    mentions = [mention(PUTIN, "Putin", [[0, 5], [3, 9], [40, 45]])]

    assert article_body_html("Xi spoke at length.", mentions) == "Xi spoke at length."


def test_a_span_of_three_years_or_less_is_counted_by_month():
    buckets = date_buckets({date(1987, 3, 1): 4, date(1987, 5, 1): 1}, SearchParams())

    assert [(b["value"], b["label"], b["count"]) for b in buckets] == [
        ("1987-03", "Mar 1987", 4), ("1987-04", "Apr 1987", 0), ("1987-05", "May 1987", 1),
    ]


def test_a_longer_span_is_counted_by_year_with_the_quiet_years_filled():
    buckets = date_buckets({date(1987, 3, 1): 4, date(1990, 6, 1): 1}, SearchParams())

    assert [(b["value"], b["count"]) for b in buckets] == [("1987", 4), ("1988", 0), ("1989", 0), ("1990", 1)]
    assert (buckets[1]["date_from"], buckets[1]["date_to"]) == ("1988-01-01", "1988-12-31")


def test_a_period_is_clipped_to_the_chosen_range_and_selected_when_it_is_the_range():
    params = SearchParams(date_from=date(1987, 3, 10), date_to=date(1987, 3, 20))

    (day, *_) = date_buckets({date(1987, 3, 10): 2}, params)
    whole_month = date_buckets({date(1987, 3, 1): 2}, SearchParams(date_from=date(1987, 3, 1),
                                                                 date_to=date(1987, 3, 31)))

    assert (day["value"], day["label"], day["selected"]) == ("1987-03-10", "10 Mar 1987", False)
    assert len(whole_month) == 31


def test_timeline_bars_fill_their_box_and_link_to_their_period():
    buckets = [{"count": count, "date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
               for year, count in [(1987, 2), (1988, 1), (1989, 0)]]
    bars = timeline_bars(buckets, SearchParams(q="oil"), "/", width=300, height=100)

    assert [(bar["slot_x"], bar["height"]) for bar in bars] == [(0, 100), (100, 50), (200, 0)]
    assert bars[0]["url"] == "/?q=oil&date_from=1987-01-01&date_to=1987-12-31"


def test_a_period_of_the_timeline_selects_that_period_alone_even_from_the_undated_articles():
    (bar,) = timeline_bars(date_buckets({date(1987, 3, 1): 2}, SearchParams()), SearchParams(undated=True), "/")

    assert bar["url"] == "/?date_from=1987-03-01&date_to=1987-03-31"


def test_the_timeline_says_what_a_bar_counts_its_tallest_bar_and_links_its_far_dates():
    buckets = date_buckets({date(1987, 3, 1): 4, date(1987, 5, 1): 1}, SearchParams())
    far = [{"label": "2005", "count": 1, "date_from": "2005-06-01", "date_to": "2005-06-30"}]

    chart = timeline_chart(buckets, far, SearchParams(q="oil"), "/")

    assert (chart["per"], chart["peak"], len(chart["bars"])) == ("month", 4, 3)
    assert chart["outliers"] == [{**far[0], "url": "/?q=oil&date_from=2005-06-01&date_to=2005-06-30"}]
    assert timeline_chart([], [], SearchParams(), "/", "stories") == {
        "what": "stories", "bars": [], "per": "", "peak": 0, "outliers": []}


def test_a_drilled_down_month_zooms_out_to_its_year_and_to_all_dates():
    params = SearchParams(q="oil", date_from=date(1987, 3, 1), date_to=date(1987, 3, 31))

    assert date_trail(params, "/") == [
        {"label": "All dates", "url": "/?q=oil"},
        {"label": "1987", "url": "/?q=oil&date_from=1987-01-01&date_to=1987-12-31"},
    ]


def test_every_active_filter_is_a_chip_that_removes_it():
    params = SearchParams(country=("RU",), source=("Reuters",), date_from=date(1987, 1, 1))

    assert active_filters(params, "/") == [
        {"label": "Country: Russia", "url": "/?source=Reuters&date_from=1987-01-01"},
        {"label": "Source: Reuters", "url": "/?country=RU&date_from=1987-01-01"},
        {"label": "Date: 1987-01-01 to …", "url": "/?country=RU&source=Reuters"},
    ]


def test_the_undated_articles_chosen_are_a_chip_of_their_own():
    params = SearchParams(q="oil", date_from=date(1987, 1, 1), undated=True)

    assert active_filters(params, "/") == [
        {"label": "Date: 1987-01-01 to …", "url": "/?q=oil&undated=1"},
        {"label": "Date: Undated", "url": "/?q=oil&date_from=1987-01-01"},
    ]
    assert date_trail(params, "/")[0] == {"label": "All dates", "url": "/?q=oil"}


def test_page_links_show_neighbours_the_ends_and_gaps():
    links = page_links(SearchParams(q="oil", page=6), pages=20, page_size=20, path="/")

    assert [link["label"] for link in links["numbers"]] == ["1", "…", "4", "5", "6", "7", "8", "…", "20"]
    assert (links["previous"], links["next"], links["first_number"]) == ("/?q=oil&page=5", "/?q=oil&page=7", 101)


def test_entity_values_link_to_their_pages_by_their_ids():
    hits = [{"persons": [{"id": "p12", "label": "Xi Jinping"}], "countries": [{"id": "CN", "label": "China"}],
             "organizations": []}]
    facet_values = {"person": [{"value": "p12"}], "country": [{"value": "CN"}]}

    link_entities(hits, facet_values)

    assert hits[0]["chips"] == [
        {"kind": "person", "label": "Xi Jinping", "url": "/entities/person/p12"},
        {"kind": "country", "label": "China", "url": "/entities/country/CN"},
    ]
    assert facet_values["person"][0]["url"] == "/entities/person/p12"
    assert facet_values["country"][0]["url"] == "/entities/country/CN"

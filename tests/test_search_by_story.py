"""Search by story, against a real Elasticsearch: three versions of a real Reuters item and three
other items of its day (two of them the wire's own versions of one story, under two headlines),
enriched (so placed in stories) and indexed. Results show a story once,
with how many of its versions match; totals, facets, the timeline, compare and rising count
stories unless asked for articles; the exports keep a row per article, with its story."""
import csv
import io

import pytest
from django.http import QueryDict

from articles.indexing import index_articles
from articles.models import Article
from articles.search import navigation, parse_search_params, search_articles
from following.searches import canonical_query, parse_query

from .exports import body
from .test_stories import DAY, enrich, reuters, store, story_of, versions_of

FEBRUARY_26 = {"date_from": "1987-02-26", "date_to": "1987-02-26"}


@pytest.fixture
def wire(search_index):
    """{"versions": the three versions of one story (trimmed, full, update), "others": the three
    other items, a story of two versions (a "TALKING POINT" re-sent as an "ECONOMIC SPOTLIGHT")
    and one alone}, enriched and indexed: six articles in three stories."""
    first, *others = reuters(4)
    versions = [store(*version) for version in versions_of(first)]
    others = [store(item["title"], item["text"], DAY) for item in others]
    enrich(*versions, *others)
    index_articles(Article.objects.all(), refresh=True)
    assert len({story_of(article) for article in versions}) == 1 and story_of(others[0]) == story_of(others[1])
    return {"versions": versions, "others": others}


def run(**values):
    query = QueryDict(mutable=True)
    for name, value in values.items():
        query[name] = value
    return search_articles(parse_search_params(query))


def test_a_storys_versions_are_one_hit_saying_how_many_and_the_total_counts_stories(wire):
    result = run()

    assert (result["total"], result["articles"], result["pages"], result["count"]) == (3, 6, 1, "stories")
    assert sorted(hit["versions"] for hit in result["hits"]) == [1, 2, 3]
    (story,) = [hit for hit in result["hits"] if hit["versions"] == 3]
    assert story["story"] == story_of(wire["versions"][0]).ref


@pytest.mark.parametrize("sort, shown", [("date", 2), ("date_asc", 0)])
def test_the_hit_standing_for_a_story_is_its_first_version_in_the_searchs_order(wire, sort, shown):
    hits = run(sort=sort)["hits"]

    assert wire["versions"][shown].id in {hit["id"] for hit in hits}
    assert not {v.id for i, v in enumerate(wire["versions"]) if i != shown} & {hit["id"] for hit in hits}


def test_counting_articles_lists_every_version(wire):
    result = run(count="articles")

    assert (result["total"], result["articles"], result["count"]) == (6, 6, "articles")
    assert {hit["versions"] for hit in result["hits"]} == {1}


def test_a_story_chosen_lists_its_versions_as_articles(wire):
    key = story_of(wire["versions"][0]).ref

    result = run(story=key)

    assert (result["total"], result["count"]) == (3, "articles")
    assert {hit["id"] for hit in result["hits"]} == {v.id for v in wire["versions"]}


def test_facets_and_the_timeline_count_stories_or_articles_as_asked(wire):
    def counts(result):
        return result["facets"]["source"][0]["count"], [bucket["count"] for bucket in result["facets"]["date"]]

    assert counts(run(**FEBRUARY_26)) == (3, [3])
    assert counts(run(count="articles", **FEBRUARY_26)) == (6, [6])


def test_an_articles_neighbours_are_those_of_the_collapsed_results(wire):
    params = parse_search_params(QueryDict("sort=date"))
    hits = run(sort="date")["hits"]

    near = navigation.neighbours(params, 2)

    assert (near.previous["id"], near.current, near.next["id"]) == tuple(hit["id"] for hit in hits)


def test_the_api_says_what_it_counts_and_takes_the_switch(client, wire):
    by_story = client.get("/api/search").json()
    by_article = client.get("/api/search", {"count": "articles"}).json()

    assert (by_story["total"], by_story["count"], by_article["total"], by_article["count"]) == (
        3, "stories", 6, "articles")
    assert client.get("/api/search", {"count": "copies"}).status_code == 400


def test_the_search_page_shows_a_story_once_with_a_link_to_its_versions(client, wire):
    key = story_of(wire["versions"][0]).ref

    html = client.get("/").content.decode()

    assert '3 stories <span class="hint">(6 articles)</span>' in html
    assert f'<a class="versions" href="/?story={key}" data-nav>3 versions</a>' in html
    assert '<option value="articles">Articles</option>' in html


def test_the_csv_has_a_row_per_article_with_its_story(client, wire):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/search.csv")))))

    assert len(rows) == 6
    stories = {int(row["id"]): row["story"] for row in rows}
    assert {stories[v.id] for v in wire["versions"]} == {story_of(wire["versions"][0]).ref}
    assert len(set(stories.values())) == 3


def test_compare_counts_stories_unless_asked_for_articles(client, wire):
    def point(**extra):
        answer = client.get("/api/compare", {"source1": "Reuters", **FEBRUARY_26, **extra}).json()
        return answer["count"], answer["periods"][0]["total"], answer["series"][0]["points"][0]["count"]

    assert point() == ("stories", 3, 3)
    assert point(count="articles") == ("articles", 6, 6)
    rows = client.get("/api/compare.csv", {"source1": "Reuters", **FEBRUARY_26}).content.decode().splitlines()
    assert rows[0] == "period,date_from,date_to,all_stories,Source: Reuters: stories,Source: Reuters: share"


def test_rising_counts_stories_unless_asked_for_articles(client, wire):
    by_story = client.get("/api/rising", FEBRUARY_26).json()
    by_article = client.get("/api/rising", {"count": "articles", **FEBRUARY_26}).json()

    assert (by_story["count"], by_story["total"], by_article["count"], by_article["total"]) == (
        "stories", 3, "articles", 6)


def test_a_saved_search_keeps_what_it_counts_and_the_stories_chosen():
    params = parse_query("q=cocoa&story=s12&count=articles&page=2")

    assert canonical_query(params) == "q=cocoa&story=s12&count=articles"
    assert parse_query(canonical_query(params)) == params.changed()

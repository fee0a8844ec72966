"""Responses read as the plain dicts Elasticsearch sends (no service needed: the responses
are written here in Elasticsearch's shape)."""
from django.urls import reverse, set_script_prefix

from articles.enrichment.identity import Ref
from articles.search import SearchParams
from articles.search.clauses import labelled_pattern
from articles.search.query import page_search
from articles.search.results import article_url, export_row, search_result

HIT = {
    "_index": "newsarchive-articles-1", "_id": "7", "_score": 2.0,
    "_source": {"id": 7, "title": "Grain <talks> resume", "source": "Reuters",
                "published_at": "1987-03-05T00:00:00+00:00", "url": "", "persons": ["p12"],
                "persons_labelled": ["p12|Xi Jinping"], "countries": ["CN", "US"],
                "countries_labelled": ["CN|China", "US|United States"], "organizations": [],
                "organizations_labelled": []},
}


def terms(*buckets):
    return {"buckets": [{"key": key, "doc_count": count} for key, count in buckets]}


def response(hits, person_buckets=(), selected=None):
    """A search response to `page_search` in Elasticsearch's shape."""
    aggs = {
        "facet_person": {"doc_count": 3, "person": terms(*person_buckets)},
        "facet_country": {"doc_count": 3, "country": terms(("CN|China", 2))},
        "facet_org": {"doc_count": 3, "org": terms()},
        "facet_source": {"doc_count": 3, "source": terms(("Reuters", 3)), "unknown": {"doc_count": 0}},
        "facet_date": {"doc_count": 3, "date": {"doc_count": 2, "histogram": {"buckets": [
            {"key_as_string": "1987-03-01T00:00:00.000Z", "key": 541555200000, "doc_count": 2}]}}},
        "undated": {"doc_count": 1},
    }
    if selected:
        aggs["selected_person"] = {"doc_count": 1, "values": terms(*selected)}
    return {"hits": {"total": {"value": 3, "relation": "eq"}, "hits": hits}, "aggregations": aggs}


def result(params, raw):
    return search_result(raw, page_search(params).read(raw), params, pages=1)


def test_a_hit_without_highlights_shows_its_escaped_title_and_no_snippet():
    (hit,) = result(SearchParams(), response([HIT]))["hits"]

    assert hit == {
        "id": 7, "title": "Grain <talks> resume", "source": "Reuters", "published_at": "1987-03-05T00:00:00+00:00",
        "url": "/articles/7", "title_html": "Grain &lt;talks&gt; resume", "snippet": "",
        "persons": [{"id": "p12", "label": "Xi Jinping"}],
        "countries": [{"id": "CN", "label": "China"}, {"id": "US", "label": "United States"}], "organizations": [],
        "story": "a7", "versions": 1,  # indexed before stories: a story of its own
    }


def test_a_hit_shows_the_highlighted_title_and_body_fragments():
    highlighted = {**HIT, "highlight": {"title": ["<mark>Grain</mark> &lt;talks&gt; resume"],
                                        "body": ["<mark>grain</mark> one", "two <mark>grain</mark>"]}}

    (hit,) = result(SearchParams(q="grain"), response([highlighted]))["hits"]

    assert hit["title_html"] == "<mark>Grain</mark> &lt;talks&gt; resume"
    assert hit["snippet"] == "<mark>grain</mark> one … two <mark>grain</mark>"


def test_totals_facets_and_the_undated_count_come_from_the_aggregations():
    body = result(SearchParams(), response([], person_buckets=[("p12|Xi Jinping", 2)]))

    assert (body["total"], body["date_unknown"]) == (3, 1)
    assert body["facets"]["person"] == [{"value": "p12", "label": "Xi Jinping", "count": 2, "selected": False}]
    assert body["facets"]["country"] == [{"value": "CN", "label": "China", "count": 2, "selected": False}]
    assert [(b["value"], b["count"]) for b in body["facets"]["date"]] == [("1987-03", 2)]


def test_a_selected_value_outside_the_top_values_is_listed_with_its_own_count():
    params = SearchParams(person=(Ref("p3", "Ronald Reagan"),))
    raw = response([], person_buckets=[(f"p{n + 10}|Person {n}", 9) for n in range(11)], selected=[("p3", 1)])

    body = result(params, raw)

    assert len(body["facets"]["person"]) == 11 and body["facets_more"]["person"]
    assert body["facets"]["person"][-1] == {"value": "p3", "label": "Ronald Reagan", "count": 1, "selected": True}


def test_an_entity_pattern_matches_the_labelled_values_of_exactly_those_ids():
    assert labelled_pattern(["p3", "o.k"]) == "p3\\|.*|o\\.k\\|.*"


def test_an_export_row_holds_the_summary_and_the_entities_of_a_raw_hit():
    assert export_row(HIT, article_url) == {
        "id": 7, "title": "Grain <talks> resume", "source": "Reuters", "published_at": "1987-03-05T00:00:00+00:00",
        "url": "/articles/7", "persons": [{"id": "p12", "label": "Xi Jinping"}],
        "countries": [{"id": "CN", "label": "China"}, {"id": "US", "label": "United States"}], "organizations": [],
        "story": "a7",
    }


def test_article_urls_follow_the_script_prefix_the_site_is_served_under():
    try:
        set_script_prefix("/archive/")
        assert article_url(12) == "/archive/articles/12"
    finally:
        set_script_prefix("/")
    assert article_url(12) == reverse("articles:article", args=[12]) == "/articles/12"


def counted_terms(*buckets):
    return {"buckets": [{"key": key, "doc_count": count, "stories": {"value": stories}}
                        for key, count, stories in buckets]}


def test_by_story_the_total_the_facets_and_each_hits_versions_count_stories():
    raw = response([{**HIT, "_source": {**HIT["_source"], "story": "s4"},
                     "inner_hits": {"versions": {"hits": {"total": {"value": 3, "relation": "eq"}, "hits": []}}}}])
    raw["aggregations"]["stories"] = {"doc_count": 3, "stories": {"value": 2}}
    raw["aggregations"]["facet_person"]["person"] = counted_terms(("p12|Xi Jinping", 3, 1), ("p13|Li Peng", 2, 2))

    body = result(SearchParams(), raw)

    assert (body["total"], body["articles"], body["count"]) == (2, 3, "stories")
    assert [(hit["story"], hit["versions"]) for hit in body["hits"]] == [("s4", 3)]
    assert [(item["label"], item["count"]) for item in body["facets"]["person"]] == [("Li Peng", 2), ("Xi Jinping", 1)]

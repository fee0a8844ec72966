"""The CSV and JSON Lines exports on the small archive: the search's order across pages, typed
JSON rows, no point in time left open, and errors answered before any row.

The exports past Elasticsearch's result window are in test_export_large.py.
"""
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from jsonschema import Draft202012Validator

from articles.search import Export, parse_search_params

from .contract import SPEC
from .exports import EXPORTS, json_rows, open_contexts


@pytest.mark.parametrize("params", [{}, {"sort": "date"}, {"sort": "date_asc"}, {"q": "oil OR trade OR museum"},
                                    {"source": "Reuters"}, {"q": "nothing-matches-this"}])
def test_an_export_pages_through_every_match_in_the_searchs_order(client, archive, params):
    hits = client.get("/api/search", params).json()["hits"]

    with Export(parse_search_params(QueryDict(urlencode(params))), page=2) as export:  # pages of two
        rows = list(export)

    assert [row["id"] for row in rows] == [hit["id"] for hit in hits]


def test_closing_an_export_midway_releases_its_point_in_time(archive):
    export = Export(parse_search_params(QueryDict()), page=2)
    next(iter(export))
    assert open_contexts() == 1

    export.close()

    assert open_contexts() == 0


def test_json_lines_rows_are_typed_export_rows(client, archive):
    rows = json_rows(client.get("/api/search.jsonl", {"source": "Reuters", "sort": "date_asc"}))

    validator = Draft202012Validator({"$ref": "#/components/schemas/ExportRow", "components": SPEC["components"]})
    assert [error.message for row in rows for error in validator.iter_errors(row)] == []
    assert rows[0] == {
        "id": archive["grain"].id, "title": "Grain talks resume in Geneva", "source": "Reuters",
        "published_at": "1987-03-05T12:00:00+00:00", "url": f"http://testserver/articles/{archive['grain'].id}",
        "persons": [{"id": rows[0]["persons"][0]["id"], "label": "Xi Jinping"}],
        "countries": [{"id": "CN", "label": "China"}, {"id": "US", "label": "United States"}],
        "organizations": [{"id": rows[0]["organizations"][0]["id"], "label": "World Trade Organization"}],
        "story": f"a{archive['grain'].id}",  # not enriched through the worker: a story of its own
    }


def test_a_head_request_for_an_export_leaves_no_point_in_time_open(client, archive):
    response = client.head("/api/search.jsonl")
    b"".join(response.streaming_content)  # the test client closes the response here, as a server does

    assert (response.status_code, response["X-Total-Count"], open_contexts()) == (200, str(len(archive)), 0)


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_with_bad_parameters_is_a_400_problem_naming_them(client, search_index, path):
    response = client.get(path, {"date_from": "1987-02-30", "sort": "newest"})

    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    assert [error["parameter"] for error in response.json()["errors"]] == ["date_from", "sort"]


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_with_elasticsearch_down_is_a_503_problem(client, db, elasticsearch_down, path):
    response = client.get(path)

    assert (response.status_code, response["Content-Type"]) == (503, "application/problem+json")


def test_the_search_page_links_both_exports_of_its_search(client, archive):
    html = client.get("/", {"q": "oil", "source": "Reuters", "page_size": "50"}).content.decode()

    assert '<a class="csv" href="/api/search.csv?q=oil&amp;source=Reuters&amp;page_size=50">CSV</a>' in html
    assert '<a class="jsonl" href="/api/search.jsonl?q=oil&amp;source=Reuters&amp;page_size=50">JSON Lines</a>' in html

"""The JSON API and CSV export, through HTTP, against a real Elasticsearch."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .archive import PUTIN, XI, build_archive, ref
from .contract import ContractClient


def test_search_returns_total_hits_and_facets(client, archive):
    body = client.get("/api/search", {"q": "Putin"}).json()

    assert body["total"] == 1
    (hit,) = body["hits"]
    assert hit["id"] == archive["moscow"].id
    assert set(hit) >= {"id", "title", "source", "published_at", "snippet", "persons", "countries", "organizations"}
    assert sorted(body["facets"]["person"], key=lambda item: item["label"]) == [
        {"value": ref(PUTIN), "label": "Vladimir Putin", "count": 1, "selected": False},
        {"value": ref(XI), "label": "Xi Jinping", "count": 1, "selected": False},
    ]
    assert {"id": ref(XI), "label": "Xi Jinping"} in hit["persons"]
    assert set(body["facets"]) == {"person", "country", "org", "source", "date"}


def test_a_search_asks_the_database_nothing_but_which_entities_its_filters_name(client, archive):
    """Everything a search shows is in the index; the database only says which entities the
    filters name (a merged entity's id names the entity it was merged into)."""
    person = ref(XI)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/search", {"q": "talks"}).status_code == 200
    with CaptureQueriesContext(connection) as filtered:
        assert client.get("/api/search", {"q": "talks", "person": person, "country": "CN"}).status_code == 200

    assert [query["sql"] for query in queries] == []
    assert len(filtered) == 1


def test_repeated_parameters_select_several_values(client, archive):
    body = client.get("/api/search?person=Xi+Jinping&person=Ronald+Reagan&country=us").json()

    assert body["total"] == 2
    assert [i["value"] for i in body["facets"]["country"] if i["selected"]] == ["US"]


def test_organization_and_source_filters(client, archive):
    assert client.get("/api/search", {"org": "OPEC"}).json()["total"] == 1
    assert client.get("/api/search", {"source": "Reuters"}).json()["total"] == 4


def test_date_buckets_carry_the_range_that_narrows_to_them(client, archive):
    body = client.get("/api/search", {"date_from": "1987-01-01", "date_to": "1987-12-31"}).json()

    march = next(b for b in body["facets"]["date"] if b["value"] == "1987-03")
    assert march == {"value": "1987-03", "label": "Mar 1987", "count": 2, "selected": False,
                     "date_from": "1987-03-01", "date_to": "1987-03-31"}
    assert body["date_unknown"] == 1


@pytest.mark.parametrize("query, parameter", [
    ({"date_from": "05/03/1987"}, "date_from"),
    ({"date_to": " 1987-03-05"}, "date_to"),
    ({"page": "-1"}, "page"),
    ({"sort": "popularity"}, "sort"),
    ({"more": "planet"}, "more"),
])
def test_a_bad_parameter_is_a_400_problem_naming_it(client, search_index, query, parameter):
    response = client.get("/api/search", query)

    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    problem = response.json()
    assert (problem["type"], problem["title"], problem["status"]) == ("about:blank", "Bad Request", 400)
    assert [error["parameter"] for error in problem["errors"]] == [parameter]
    assert problem["detail"] == problem["errors"][0]["detail"]


def test_every_bad_parameter_is_listed(client, search_index):
    problem = client.get("/api/search", {"page": "0", "sort": "popularity"}).json()

    assert [error["parameter"] for error in problem["errors"]] == ["sort", "page"]


def test_empty_parameters_are_unset(client, archive):
    query = {"q": "oil", "date_from": "", "date_to": "", "sort": "", "page": "", "successors": "", "country": ""}

    assert client.get("/api/search", query).json()["total"] == 1


def test_a_country_the_archive_does_not_know_selects_nothing(client, archive):
    """Like an unknown person or organization: every value the description allows is a search."""
    body = client.get("/api/search", {"country": ["ZZ", "US"]}).json()

    assert body["total"] == 2
    assert client.get("/api/search", {"country": "Atlantis"}).json()["total"] == 0


def test_a_date_range_given_backwards_searches_the_days_between(client, archive):
    body = client.get("/api/search", {"date_from": "1987-03-31", "date_to": "1987-03-01"}).json()

    assert body["total"] == 2


def test_a_page_past_the_results_is_a_404_problem(client, archive):
    response = client.get("/api/search", {"q": "oil", "page": "3"})

    assert response.status_code == 404
    assert response.json()["detail"] == "page 3 is past the last page (1)."


def test_elasticsearch_down_is_a_503_problem_not_a_500(client, db, elasticsearch_down):
    response = client.get("/api/search", {"q": "oil"})

    assert response.status_code == 503
    assert "unavailable" in response.json()["detail"]


def test_csv_export_has_a_row_per_matching_article(client, archive):
    response = client.get("/api/search.csv", {"source": "Reuters", "sort": "date_asc"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["title"] for r in rows] == [
        "Grain talks resume in Geneva", "Budget fight in Washington", "Oil prices climb",
        "Energy ministers gather in Vienna",
    ]
    assert rows[0]["countries"] == "China; United States"
    assert rows[0]["url"] == f"http://testserver/articles/{archive['grain'].id}"


def test_csv_export_defuses_spreadsheet_formulas(search_index, client):

    build_archive({"f": ("=HYPERLINK(1)", "Formula text.", "@source", None, [])})

    (row,) = csv.DictReader(io.StringIO(b"".join(client.get("/api/search.csv").streaming_content).decode()))

    assert (row["title"], row["source"]) == ("'=HYPERLINK(1)", "'@source")


def test_article_api_has_entities_and_related_articles(client, archive):
    body = client.get(f"/api/articles/{archive['grain'].id}").json()

    assert body["title"] == "Grain talks resume in Geneva"
    assert body["countries"] == [
        {"kind": "country", "id": "CN", "name": "China", "url": "/entities/country/CN"},
        {"kind": "country", "id": "US", "name": "United States", "url": "/entities/country/US"},
    ]
    assert body["related"][0]["title"] == "Leaders meet in Moscow"


def test_an_unknown_article_is_a_404_problem(client, db):
    response = client.get("/api/articles/999999")

    assert response.status_code == 404
    assert response.json() == {"type": "about:blank", "title": "Not Found", "status": 404,
                               "detail": "No such article."}


@pytest.mark.parametrize("path", ["/api/articles/abc", "/api/articles/-1", "/api/articles/99999999999999999999",
                                  "/api/entities/person/", "/api/nothing/here"])
def test_any_other_api_address_is_a_404_problem_not_a_page(client, db, path):
    response = client.get(path)

    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")


def test_outside_the_api_a_404_is_still_the_sites_page(client, db):
    response = client.get("/articles/abc")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", ["/api/search", "/api/search.csv", "/api/search.jsonl", "/api/compare", "/api/rising",
                                  "/api/openapi.json", "/api/articles/1", "/api/entities/person/p1"])
def test_a_method_other_than_get_is_a_405_problem_even_without_a_csrf_token(db, path, method):
    """The API only reads: an undeclared method gets a 405 with Allow, not CsrfViewMiddleware's 403."""
    client = ContractClient(enforce_csrf_checks=True)

    response = getattr(client, method)(path)

    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    assert response.json()["title"] == "Method Not Allowed"


def test_a_head_request_is_answered_as_a_get(client, archive):
    assert client.head("/api/search", {"q": "oil"}).status_code == 200


def test_entity_api_has_the_timeline_co_mentions_and_latest_articles(client, archive):
    body = client.get(f"/api/entities/person/{ref(XI)}").json()

    assert (body["id"], body["name"], body["total"]) == (ref(XI), "Xi Jinping", 2)
    assert [(i["value"], i["label"]) for i in body["related"]["person"]] == [(ref(PUTIN), "Vladimir Putin")]
    assert sum(b["count"] for b in body["timeline"]) == 2
    assert len(body["latest"]) == 2


def test_an_entity_named_in_the_api_url_redirects_to_its_id(client, archive):
    response = client.get("/api/entities/person/XI JINPING")

    assert (response.status_code, response["Location"]) == (302, f"/api/entities/person/{ref(XI)}")


def test_an_unknown_entity_kind_is_a_404_problem(client, db):
    response = client.get("/api/entities/planet/mars")

    assert (response.status_code, response.json()["detail"]) == (404, "No such entity.")


def test_the_openapi_description_lists_every_endpoint(client):
    spec = client.get("/api/openapi.json").json()

    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/search.csv", "/api/search.jsonl", "/api/articles/{id}",
                                  "/api/entities/{kind}/{id}", "/api/openapi.json",
                                  "/api/compare", "/api/compare.csv", "/api/rising",
                                  "/api/batches", "/api/batches/{id}", "/api/batches/{id}/results",
                                  "/api/batches/{id}/results.csv", "/api/batches/{id}/results.xlsx"}
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert names >= {"q", "person", "country", "org", "source", "date_from", "date_to", "sort", "page"}


def test_search_requires_login_when_the_setting_says_so(client, db, settings):
    settings.SEARCH_REQUIRES_LOGIN = True

    response = client.get("/api/search", {"q": "oil"})

    assert response.status_code == 401
    assert response.json()["detail"] == "Log in to use the search."


def test_a_logged_in_user_may_search_when_login_is_required(client, archive, settings, django_user_model):
    settings.SEARCH_REQUIRES_LOGIN = True
    client.force_login(django_user_model.objects.create_user("reader"))

    assert client.get("/api/search", {"q": "oil"}).json()["total"] == 1

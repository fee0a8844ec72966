"""The JSON API and CSV export, through HTTP, against a real Elasticsearch."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .archive import PUTIN, XI, build_archive, ref


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


@pytest.mark.parametrize("query, message", [
    ({"date_from": "05/03/1987"}, "date_from"),
    ({"country": "ZZ"}, "ZZ"),
    ({"page": "-1"}, "page"),
    ({"sort": "popularity"}, "sort"),
])
def test_bad_parameters_are_a_400_with_a_json_error(client, search_index, query, message):
    response = client.get("/api/search", query)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_page_past_the_results_is_a_400(client, archive):
    response = client.get("/api/search", {"q": "oil", "page": "3"})

    assert response.status_code == 400
    assert "last page" in response.json()["error"]


def test_elasticsearch_down_is_a_503_not_a_500(client, db, elasticsearch_down):
    response = client.get("/api/search", {"q": "oil"})

    assert response.status_code == 503
    assert "unavailable" in response.json()["error"]


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


def test_csv_export_rejects_bad_parameters(client, search_index):
    assert client.get("/api/search.csv", {"date_to": "never"}).status_code == 400


def test_article_api_has_entities_and_related_articles(client, archive):
    body = client.get(f"/api/articles/{archive['grain'].id}").json()

    assert body["title"] == "Grain talks resume in Geneva"
    assert body["countries"] == [
        {"kind": "country", "id": "CN", "name": "China", "url": "/entities/country/CN"},
        {"kind": "country", "id": "US", "name": "United States", "url": "/entities/country/US"},
    ]
    assert body["related"][0]["title"] == "Leaders meet in Moscow"


def test_an_unknown_article_is_a_json_404(client, db):
    response = client.get("/api/articles/999999")

    assert response.status_code == 404
    assert response.json() == {"error": "No such article."}


def test_entity_api_has_the_timeline_co_mentions_and_latest_articles(client, archive):
    body = client.get(f"/api/entities/person/{ref(XI)}").json()

    assert (body["id"], body["name"], body["total"]) == (ref(XI), "Xi Jinping", 2)
    assert [(i["value"], i["label"]) for i in body["related"]["person"]] == [(ref(PUTIN), "Vladimir Putin")]
    assert sum(b["count"] for b in body["timeline"]) == 2
    assert len(body["latest"]) == 2


def test_an_entity_named_in_the_api_url_redirects_to_its_id(client, archive):
    response = client.get("/api/entities/person/XI JINPING")

    assert (response.status_code, response["Location"]) == (302, f"/api/entities/person/{ref(XI)}")


def test_an_unknown_entity_kind_is_a_json_404(client, db):
    assert client.get("/api/entities/planet/mars").status_code == 404


def test_the_openapi_description_lists_every_endpoint(client):
    spec = client.get("/api/openapi.json").json()

    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/search.csv", "/api/articles/{id}",
                                  "/api/entities/{kind}/{id}", "/api/openapi.json",
                                  "/api/compare", "/api/compare.csv", "/api/rising"}
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert names >= {"q", "person", "country", "org", "source", "date_from", "date_to", "sort", "page"}


def test_search_requires_login_when_the_setting_says_so(client, db, settings):
    settings.SEARCH_REQUIRES_LOGIN = True

    response = client.get("/api/search", {"q": "oil"})

    assert response.status_code == 401
    assert response.json()["error"]


def test_a_logged_in_user_may_search_when_login_is_required(client, archive, settings, django_user_model):
    settings.SEARCH_REQUIRES_LOGIN = True
    client.force_login(django_user_model.objects.create_user("reader"))

    assert client.get("/api/search", {"q": "oil"}).json()["total"] == 1

"""Historical states are countries of their own, linked to their successors, and a search
may take the successors in (issue 22, item 5): the Soviet Union is not Russia. Against the
real database and Elasticsearch, through HTTP."""
import importlib
from datetime import date

import pytest
from django.apps import apps

from articles.enrichment import enrich_articles
from articles.models import Article, Entity

from .archive import RUSSIA, build_archive

SOVIET_UNION = ("country", "SUHH", "Soviet Union")
UKRAINE, FRANCE = ("country", "UA", "Ukraine"), ("country", "FR", "France")

# key: (title, body, source, published day, [(entity, surface), ...])
ARCHIVE = {
    "grain": ("Soviet grain purchases", "The Soviet Union bought more wheat this season.", "Reuters",
              date(1987, 3, 5), [(SOVIET_UNION, "Soviet Union")]),
    "summit": ("Leaders meet in Moscow", "Russia hosted the talks.", "Bloomberg", date(2023, 3, 20),
               [(RUSSIA, "Russia")]),
    "harvest": ("Harvest in Ukraine", "Ukraine expects a record harvest.", "Reuters", date(2023, 8, 1),
                [(UKRAINE, "Ukraine")]),
    "fashion": ("Fashion week", "France opened its fashion week.", "Reuters", date(2023, 9, 1),
                [(FRANCE, "France")]),
}


@pytest.fixture
def history(search_index):
    return build_archive(ARCHIVE)


def api(client, **query):
    return client.get("/api/search", query).json()


def titles(body):
    return sorted(hit["title"] for hit in body["hits"])


@pytest.mark.parametrize("typed", ["Soviet Union", "USSR", "SUHH"])
def test_the_soviet_union_is_not_russia(client, history, typed):
    body = api(client, country=typed)

    assert titles(body) == ["Soviet grain purchases"]
    assert [(i["value"], i["label"]) for i in body["facets"]["country"] if i["selected"]] == [("SUHH", "Soviet Union")]
    assert titles(api(client, country="Russia")) == ["Leaders meet in Moscow"]


def test_a_search_may_take_a_historical_states_successors_in(client, history):
    body = api(client, country="Soviet Union", successors="1")

    assert titles(body) == ["Harvest in Ukraine", "Leaders meet in Moscow", "Soviet grain purchases"]
    assert [i["value"] for i in body["facets"]["country"] if i["selected"]] == ["SUHH"]
    assert api(client, country="SUHH", successors="1", date_to="1991-12-31")["total"] == 1


def test_the_search_page_offers_the_successors_and_says_when_they_are_in(client, history):
    offered = client.get("/", {"country": "SUHH"}).content.decode()
    taken = client.get("/", {"country": "SUHH", "successors": "1"}).content.decode()

    assert 'name="successors" value="1">' in offered and "Russia, Armenia, Azerbaijan" in offered
    assert 'name="successors" value="1" checked>' in taken
    assert 'href="/?country=SUHH" data-nav aria-label="Remove filter With successor states"' in taken
    assert 'name="successors"' not in client.get("/", {"country": "RU"}).content.decode()


def test_a_historical_states_page_links_its_successors_that_the_archive_knows(client, history):
    page = client.get("/entities/country/SUHH").content.decode()

    assert '<h1 id="entity-name">Soviet Union' in page
    assert '<a href="/entities/country/RU">Russia</a>' in page and '<a href="/entities/country/UA">Ukraine</a>' in page
    assert ", Armenia," in page  # named, but no article mentions it: no page to link
    assert 'href="/?country=SUHH&amp;successors=1"' in page


def test_a_successors_page_links_its_predecessor(client, history):
    page = client.get("/entities/country/RU").content.decode()

    assert 'Successor of <a href="/entities/country/SUHH">Soviet Union</a>.' in page


def test_the_api_gives_successors_and_predecessors_as_the_page_does(client, history):
    soviet, russia = client.get("/api/entities/country/SUHH").json(), client.get("/api/entities/country/RU").json()

    assert soviet["name"] == "Soviet Union" and soviet["predecessors"] == []
    assert soviet["successors"][0] == {"id": "RU", "label": "Russia", "url": "/entities/country/RU"}
    assert {"id": "AM", "label": "Armenia", "url": None} in soviet["successors"]
    assert russia["predecessors"] == [{"id": "SUHH", "label": "Soviet Union", "url": "/entities/country/SUHH"}]


def test_a_compare_series_may_take_successors_in_too(client, history):
    body = client.get("/api/compare", {"country1": "SUHH", "country2": "SUHH", "successors2": "1"}).json()

    alone, widened = body["series"]
    assert (alone["total"], widened["total"]) == (1, 3)
    assert widened["label"] == "Country: Soviet Union · With successor states"


def test_the_migration_sends_articles_that_name_a_historical_state_back_to_enrichment(search_index):
    """Before this release "Soviet Union" was read as Russia: such an article is enriched again
    and then names the Soviet Union; an article that names Russia itself is left alone."""
    rows = build_archive({
        "old": ("Soviet grain purchases", "The Soviet Union bought more wheat this season.", "Reuters",
                date(1987, 3, 5), [(RUSSIA, "Soviet Union")]),
        "new": ("Leaders meet in Moscow", "Russia hosted the talks.", "Bloomberg", date(2023, 3, 20),
                [(RUSSIA, "Russia")]),
    })
    migration = importlib.import_module("articles.migrations.0009_historical_countries")

    migration.enrich_historical_mentions_again(apps, None)

    statuses = dict(Article.objects.values_list("title", "enrichment_status"))
    assert statuses == {"Soviet grain purchases": "pending", "Leaders meet in Moscow": "enriched"}
    enrich_articles(Article.objects.filter(pk=rows["old"].pk))
    assert {m.entity.key for m in rows["old"].mentions.select_related("entity")} == {"SUHH"}
    assert Entity.objects.get(kind="country", key="SUHH").name == "Soviet Union"

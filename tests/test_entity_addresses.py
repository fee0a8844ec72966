"""Every address names an entity by its stable id: names typed by hand resolve to it, and a
rename or merge changes nothing an old link, saved search or feed finds (issue 22, item 1)."""
import importlib

import feedparser
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from articles.enrichment import curation
from articles.indexing import sync_stale
from articles.models import Entity
from following.models import SavedSearch

from .archive import REAGAN, XI, ref


def api(client, **query):
    return client.get("/api/search", query).json()


def titles(body):
    return sorted(hit["title"] for hit in body["hits"])


def reindexed():
    """What the worker does after a curation: index the articles it touched."""
    sync_stale(refresh=True)


@pytest.mark.parametrize("typed", ["xi jinping", "XI JINPING", "Xi  Jinping.", "Xí Jinping"])
def test_a_person_typed_by_name_finds_what_the_facet_link_finds(client, archive, typed):
    by_link = api(client, person=ref(XI))

    by_name = api(client, person=typed)

    assert by_name["total"] == by_link["total"] == 2
    assert [item["value"] for item in by_name["facets"]["person"] if item["selected"]] == [ref(XI)]


@pytest.mark.parametrize("typed", ["Russia", "russia", "RU", "ru"])
def test_a_country_is_named_by_name_or_code(client, archive, typed):
    assert titles(api(client, country=typed)) == ["Leaders meet in Moscow"]


def test_an_unknown_person_selects_nothing_and_says_so_in_its_chip(client, archive):
    body = api(client, person="Nobody Known")

    assert body["total"] == 0
    assert body["facets"]["person"][-1] == {"value": "Nobody Known", "label": "Nobody Known", "count": 0,
                                            "selected": True}


def test_a_renamed_entity_keeps_its_address_and_its_links_find_the_same(client, archive):
    xi, before = ref(XI), titles(api(client, person=ref(XI)))

    curation.rename(Entity.objects.get(key="xi jinping"), "Xi Jinping (President)", None)
    reindexed()

    body = api(client, person=xi)
    assert titles(body) == before
    assert [i["label"] for i in body["facets"]["person"] if i["value"] == xi] == ["Xi Jinping (President)"]
    assert client.get(f"/entities/person/{xi}").status_code == 200


def test_a_merged_entitys_page_filters_and_feed_lead_to_the_survivor(client, archive):
    reagan, xi = Entity.objects.get(key="ronald reagan"), Entity.objects.get(key="xi jinping")
    old = reagan.ref
    together = titles(api(client, person=[old, xi.ref]))

    curation.merge([reagan], xi, None)
    reindexed()

    assert client.get(f"/entities/person/{old}")["Location"] == f"/entities/person/{xi.ref}"
    assert client.get(f"/api/entities/person/{old}")["Location"] == f"/api/entities/person/{xi.ref}"
    body = api(client, person=old)
    assert titles(body) == together
    assert [i["value"] for i in body["facets"]["person"] if i["selected"]] == [xi.ref]
    entries = feedparser.parse(client.get(f"/feeds/search?person={old}").content).entries
    assert sorted(entry.title for entry in entries) == together


def test_saved_searches_keep_finding_the_same_after_a_rename_and_a_merge(archive):
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    saved = SavedSearch.objects.create(user=reader, name="Reagan", query="person=Ronald+Reagan")
    migration = importlib.import_module("following.migrations.0002_saved_searches_by_entity_id")

    migration.name_entities_by_id(apps, None)
    saved.refresh_from_db()
    assert saved.query == f"person={ref(REAGAN)}"

    reagan = Entity.objects.get(key="ronald reagan")
    curation.rename(reagan, "President Reagan", None)
    survivor = Entity.objects.create(kind="person", key="ronald wilson reagan", name="Ronald Wilson Reagan")
    curation.merge([reagan], survivor, None)

    assert saved.params().person == (survivor.ref,)
    assert saved.params().person[0].label == "Ronald Wilson Reagan"


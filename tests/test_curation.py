"""Staff curation of entities: merges, renames, splits and blocks change the database at
once, are recorded, re-index exactly the articles they touch, and survive re-enrichment."""
from datetime import date

import pytest
from django.test import Client

from articles.enrichment import curation, enrich_articles
from articles.entities import FoundEntity
from articles.models import Article, Curation, Entity, Mention

from .archive import OPEC, SAUDI, build_archive
from .browser import browser_page, screenshot
from .conftest import SEED, log_in_to_admin, wait_until

OPEC_LOWER = ("organization", "opec lower", "Opec")


def seed_article():
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    return Article.objects.create(title=title, body=body, content_hash="seed")


def entity(spec):
    kind, key, _ = spec
    return Entity.objects.get(kind=kind, key=key)


def opec_archive():
    """Two articles naming OPEC and one naming "Opec", an entity of its own."""
    return build_archive({
        "march": ("OPEC meets", "OPEC ministers met.", "Reuters", date(1987, 3, 1), [(OPEC, "OPEC")]),
        "april": ("OPEC output", "OPEC kept output steady.", "Reuters", date(1987, 4, 1), [(OPEC, "OPEC")]),
        "may": ("Opec quotas", "Opec cut quotas, Saudi Arabia said.", "Reuters", date(1987, 5, 1),
                [(OPEC_LOWER, "Opec"), (SAUDI, "Saudi Arabia")]),
    })


def facet_counts(client, name, **query):
    return {i["label"]: i["count"] for i in client.get("/api/search", query).json()["facets"][name]}


# --- Aliases ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_aliases_are_the_other_names_most_used_first():
    article = seed_article()
    putin = Entity.objects.create(kind="person", key="vladimir putin", name="Vladimir Putin")
    for surface, count in [("Vladimir Putin", 4), ("Putin", 3), ("Mr Putin", 1)]:
        Mention.objects.create(article=article, entity=putin, surface=surface, count=count)

    assert curation.ranked_aliases(putin) == [("Putin", 3), ("Mr Putin", 1)]


@pytest.mark.django_db
def test_a_countrys_aliases_are_names_and_demonyms_not_places_in_it():
    article = seed_article()
    us = Entity.objects.create(kind="country", key="US", name="United States")
    for surface, count in [("U.S.", 5), ("ABERDEEN, TEXAS", 1), ("Washington", 3), ("American", 2), ("Texas", 2)]:
        Mention.objects.create(article=article, entity=us, surface=surface, count=count)

    assert curation.ranked_aliases(us) == [("U.S.", 5), ("American", 2)]


def test_an_entity_page_shows_ten_aliases_and_links_to_all(client, search_index):
    article = seed_article()
    org = Entity.objects.create(kind="organization", key="acme", name="Acme")
    for n in range(12):
        Mention.objects.create(article=article, entity=org, surface=f"Acme {n:02}", count=20 - n)

    page = client.get("/entities/organization/acme", follow=True).content.decode()
    everything = client.get(f"/aliases/organization/{org.ref}").content.decode()

    assert "Acme 09" in page and "Acme 10" not in page
    assert "all 12 ways" in page
    assert "Acme 11" in everything
    assert client.get(f"/api/entities/organization/{org.ref}").json()["alias_count"] == 12


# --- Changes -----------------------------------------------------------------------------------

def test_merging_moves_the_mentions_and_re_indexes_those_articles(
    client, search_index, staff_login, django_capture_on_commit_callbacks
):
    articles = opec_archive()
    editor = Curation._meta.get_field("created_by").related_model.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        count = curation.merge([entity(OPEC_LOWER), entity(OPEC)], entity(OPEC), editor)

    assert count == 1
    assert Entity.objects.get(key="opec lower").merged_into == entity(OPEC)
    assert set(Mention.objects.filter(entity=entity(OPEC)).values_list("article__title", flat=True)) == {
        "OPEC meets", "OPEC output", "Opec quotas"}
    changed = Article.objects.get(pk=articles["may"].pk)
    assert list(Article.stale_in_index()) == [changed] and changed.queued_at is not None
    (record,) = Curation.objects.all()
    assert (record.action, record.name, record.target_name, record.articles, record.created_by) == (
        "merge", "Opec", "OPEC", 1, editor)


def test_a_merge_is_kept_when_enrichment_runs_again(db):
    article = seed_article()
    enrich_articles(Article.objects.filter(pk=article.pk))
    biden = Entity.objects.get(kind="person", name="Joe Biden")
    president = Entity.objects.create(kind="person", key="joseph r biden", name="Joseph R. Biden")

    curation.merge([biden], president, None)
    Article.objects.filter(pk=article.pk).update(enrichment_status="pending")
    enrich_articles(Article.objects.filter(pk=article.pk))

    assert not Mention.objects.filter(entity__name="Joe Biden").exists()
    assert Mention.objects.filter(article=article, entity=president).exists()


def test_a_rename_shows_everywhere_and_survives_enrichment(db):
    article = seed_article()
    enrich_articles(Article.objects.filter(pk=article.pk))
    putin = Entity.objects.get(kind="person", name="Vladimir Putin")

    curation.rename(putin, "Vladimir V. Putin", None)
    Article.objects.filter(pk=article.pk).update(enrichment_status="pending")
    enrich_articles(Article.objects.filter(pk=article.pk))

    assert Entity.objects.get(pk=putin.pk).name == "Vladimir V. Putin"
    assert Curation.objects.get().target_name == "Vladimir V. Putin"


@pytest.mark.django_db
def test_splitting_an_alias_off_gives_its_mentions_an_entity_of_their_own():
    article = seed_article()
    jackson = Entity.objects.create(kind="person", key="michael jackson", name="Michael Jackson")
    Mention.objects.create(article=article, entity=jackson, surface="Michael Jackson", count=2)
    Mention.objects.create(article=article, entity=jackson, surface="Jesse Jackson", count=1)

    jesse = curation.split(jackson, "Jesse Jackson", "Jesse Jackson", None)

    assert (jesse.key, jesse.name) == ("jesse jackson", "Jesse Jackson")
    assert curation.ranked_aliases(jackson) == []
    assert list(Mention.objects.filter(entity=jesse).values_list("surface", flat=True)) == ["Jesse Jackson"]


@pytest.mark.django_db
def test_a_country_alias_can_only_be_split_off_into_a_known_country():
    us = Entity.objects.create(kind="country", key="US", name="United States")

    with pytest.raises(ValueError, match="not a country name"):
        curation.split(us, "Georgia", "Atlantis", None)


def test_a_blocked_entity_is_removed_and_never_extracted_again(db):
    article = seed_article()
    enrich_articles(Article.objects.filter(pk=article.pk))

    curation.block(Entity.objects.get(kind="person", name="Wang Yi"), None)
    Article.objects.filter(pk=article.pk).update(enrichment_status="pending")
    enrich_articles(Article.objects.filter(pk=article.pk))

    assert not Entity.objects.filter(name="Wang Yi").exists()
    assert Entity.objects.filter(name="Xi Jinping").exists()


def test_rules_send_split_surfaces_and_merged_keys_to_their_entity():
    rules = curation.Rules(merged={("person", "a"): "b"}, split={("person", "c", "Dee"): "a"},
                           names={("person", "b"): "Bea"}, blocked={("person", "x")})
    found = [FoundEntity("person", "a", "A", [("A", 0, 1)]),
             FoundEntity("person", "c", "C", [("C", 2, 3), ("Dee", 4, 7)]),
             FoundEntity("person", "x", "X", [("X", 8, 9)])]

    curated = {(e.key, e.name): e.mentions for e in curation.apply_rules(found, rules)}

    assert curated == {("b", "Bea"): [("A", 0, 1), ("Dee", 4, 7)], ("c", "C"): [("C", 2, 3)]}


# --- In the admin ------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_merge_opec_into_opec_and_the_facet_shows_one_value_with_the_sum(
    live_server, worker, search_index, staff_login
):
    opec_archive()
    api = Client()
    assert facet_counts(api, "org") == {"OPEC": 2, "Opec": 1}
    old_link = f"{live_server.url}/?org={entity(OPEC_LOWER).ref}"  # a reader's link to "Opec"

    with browser_page() as page:
        log_in_to_admin(page, live_server.url, staff_login, "/admin/articles/entity/?kind__exact=organization")
        page.check(f"input[name=_selected_action][value='{entity(OPEC_LOWER).pk}']")
        page.check(f"input[name=_selected_action][value='{entity(OPEC).pk}']")
        page.select_option("select[name=action]", "merge_entities")
        page.click("button[name=index]")
        page.check(f"input[name=into][value='{entity(OPEC).pk}']")
        screenshot(page, "admin-merge-entities")
        page.click("input[type=submit][value='Merge entities']")
        page.wait_for_selector("text=Merged into OPEC")

    wait_until(lambda: facet_counts(api, "org") == {"OPEC": 3}, timeout=60,
               message="the merged entity to be re-indexed as one facet value")
    with browser_page() as page:  # the old link now selects the survivor, and finds all three
        page.goto(old_link)
        assert page.inner_text("#results-heading").startswith("3 stories")
        assert page.is_checked(f"input[name=org][value='{entity(OPEC).ref}']")
    (record,) = Curation.objects.all()
    assert (record.action, record.created_by.username) == ("merge", staff_login[0])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_after_staff_rename_and_merge_in_the_browser_old_links_saved_searches_and_feeds_find_the_same(
    live_server, worker, search_index, staff_login
):
    import feedparser
    from django.contrib.auth import get_user_model

    from following.models import SavedSearch

    opec_archive()
    opec_lower = entity(OPEC_LOWER)
    old_link, old_feed = f"/?org={opec_lower.ref}", f"/feeds/search?org={opec_lower.ref}"
    reader = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-pass-phrase")
    saved = SavedSearch.objects.create(user=reader, name="Opec", query=f"org={opec_lower.ref}")
    api = Client()

    with browser_page() as page:  # staff rename OPEC, then merge "Opec" into it
        log_in_to_admin(page, live_server.url, staff_login, f"/admin/articles/entity/{entity(OPEC).pk}/change/")
        page.fill("#id_name", "Organization of the Petroleum Exporting Countries")
        page.click("input[name=_save]")
        page.goto(f"{live_server.url}/admin/articles/entity/?kind__exact=organization")
        page.check(f"input[name=_selected_action][value='{opec_lower.pk}']")
        page.check(f"input[name=_selected_action][value='{entity(OPEC).pk}']")
        page.select_option("select[name=action]", "merge_entities")
        page.click("button[name=index]")
        page.check(f"input[name=into][value='{entity(OPEC).pk}']")
        page.click("input[type=submit][value='Merge entities']")
        page.wait_for_selector("text=Merged into")

    wait_until(lambda: facet_counts(api, "org") == {"Organization of the Petroleum Exporting Countries": 3},
               timeout=60, message="the renamed survivor to be re-indexed with all three articles")
    with browser_page() as page:
        page.goto(live_server.url + old_link)  # a reader's old facet link to "Opec"
        assert page.inner_text("#results-heading").startswith("3 stories")
        page.goto(f"{live_server.url}/accounts/login/?next=/searches/")
        page.get_by_label("Username").fill("reader")
        page.get_by_label("Password").fill("a-long-pass-phrase")
        page.click("button[type=submit], input[type=submit]")
        page.click(f"#saved-search-{saved.pk} h2 button")  # opens the saved search
        page.wait_for_selector("#results-heading")
        assert page.inner_text("#results-heading").startswith("3 stories")  # the saved search
    entries = feedparser.parse(api.get(old_feed).content).entries
    assert len(entries) == 3

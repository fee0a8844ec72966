"""Stories: an article and its edited versions are placed in one story as they are enriched,
with the earliest full version as canonical; the groups live in the database, so a full
reindex, enrichment run again and a worker keep them; staff's splits and joins are kept."""
import hashlib
import json
from datetime import datetime, timedelta, timezone
from itertools import islice

import pytest

from articles import indexing, stories
from articles.enrichment import enrich_articles
from articles.indexing import ArticleDocument
from articles.models import Article, Story, Version
from articles.pipeline import queue_articles

from .conftest import SHARED_DATA, wait_until

DAY = datetime(1987, 2, 26, 9, tzinfo=timezone.utc)


def reuters(count):
    """The first Reuters-21578 items of the 26 Feb 1987 wire with a body of 300 words or more."""
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as lines:
        items = (json.loads(line) for line in lines)
        return list(islice((i for i in items if i["date"].startswith("1987-02-26") and len(i["text"].split()) >= 300),
                           count))


def versions_of(item):
    """(title, body, published) of three versions of a real item, in the order they arrive: a
    copy trimmed to its first 60 % of words filed first, the full story, and an update whose lead
    is new and whose last paragraph is corrected."""
    words = item["text"].split()
    trimmed = " ".join(words[: len(words) * 6 // 10])
    update = ("Cocoa dealers revised their figures on Friday after a weekly review by the exporters. "
              + " ".join(words[25:-30]) + " Correction: arrivals were 155,321 bags, not 155,221.")
    return [(item["title"], trimmed, DAY), (item["title"], item["text"], DAY + timedelta(hours=1)),
            (f"UPDATE 1-{item['title']}", update, DAY + timedelta(hours=3))]


def store(title, body, published):
    return Article.objects.create(title=title, body=body, published_at=published, source="Reuters",
                                  content_hash=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest())


def enrich(*articles):
    enrich_articles(Article.objects.filter(id__in=[a.id for a in articles]))


def story_of(article):
    return Version.objects.get(article=article).story


def enrich_again(articles):
    Article.objects.filter(id__in=[a.id for a in articles]).update(enrichment_status=Article.Enrichment.PENDING)
    enrich(*articles)


@pytest.fixture
def item():
    return reuters(1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("arrival", ["one by one", "in one batch"])
def test_an_article_and_two_edited_versions_are_one_story_whose_canonical_is_the_earliest_full_version(item, arrival):
    trimmed, full, update = [store(*version) for version in versions_of(item)]
    if arrival == "one by one":
        for article in (trimmed, full, update):
            enrich(article)
    else:
        enrich(update, trimmed, full)

    story = story_of(full)
    assert {v.article_id for v in story.versions.all()} == {trimmed.id, full.id, update.id}
    assert story.canonical_id == full.id  # the trimmed copy came first, but is not a full version


@pytest.mark.django_db
def test_another_story_of_the_same_day_is_a_story_of_its_own(item):
    other = reuters(2)[1]
    full = store(*versions_of(item)[1])
    different = store(other["title"], other["text"], DAY)
    enrich(full, different)

    assert story_of(full) != story_of(different)
    assert story_of(different).canonical_id == different.id


@pytest.mark.django_db
def test_stories_survive_a_full_reindex_and_enrichment_run_again(item, search_index):
    articles = [store(*version) for version in versions_of(item)]
    enrich(*articles)
    story = story_of(articles[0])

    indexing.rebuild_index()
    assert {ArticleDocument.get(id=a.id).story for a in articles} == {story.ref}
    enrich_again(articles)

    assert {story_of(a) for a in articles} == {story}
    assert Story.objects.get(pk=story.pk).canonical_id == articles[1].id


@pytest.mark.django_db
def test_a_version_staff_split_off_stays_apart_when_enrichment_runs_again(item, staff_login):
    from django.contrib.auth import get_user_model

    trimmed, full, update = articles = [store(*version) for version in versions_of(item)]
    enrich(*articles)
    before = Article.objects.get(pk=update.pk).updated_at

    assert stories.split_off([update.id], get_user_model().objects.get()) == 1
    enrich_again(articles)

    assert story_of(update) != story_of(full) == story_of(trimmed)
    assert story_of(update).canonical_id == update.id
    assert Article.objects.get(pk=update.pk).updated_at > before  # its index copy is made again


@pytest.mark.django_db
def test_stories_staff_joined_stay_joined_when_enrichment_runs_again(item, staff_login):
    from django.contrib.auth import get_user_model

    other = reuters(2)[1]
    full = store(*versions_of(item)[1])
    different = store(other["title"], other["text"], DAY)
    enrich(full, different)

    into = stories.join([story_of(full).pk, story_of(different).pk], get_user_model().objects.get())
    enrich_again([full, different])

    assert story_of(full) == story_of(different) == into
    assert into.versions.count() == 2 and Story.objects.count() == 1


@pytest.mark.django_db
def test_articles_enriched_before_stories_existed_are_placed_by_the_command(item, settings):
    from django.core.management import call_command

    settings.STORY_GROUPING = False
    articles = [store(*version) for version in versions_of(item)]
    enrich(*articles)
    assert not Version.objects.exists()

    call_command("group_versions", verbosity=0)

    assert {story_of(a) for a in articles} == {story_of(articles[0])}


@pytest.mark.django_db(transaction=True)
def test_the_worker_places_versions_and_their_documents_carry_one_story(worker, search_index):
    item = reuters(1)[0]
    articles = [store(*version) for version in versions_of(item)]
    queue_articles([a.id for a in articles])

    wait_until(lambda: Article.objects.filter(indexed_at__isnull=False).count() == 3, timeout=120,
               message="the worker to enrich and index the three versions")
    story = story_of(articles[0])
    assert {ArticleDocument.get(id=a.id).story for a in articles} == {story.ref}
    assert story.canonical_id == articles[1].id


@pytest.mark.django_db
def test_staff_split_a_version_off_and_join_stories_again_in_the_admin(item, staff_login):
    from django.contrib.auth import get_user_model
    from django.test import Client

    trimmed, full, update = articles = [store(*version) for version in versions_of(item)]
    enrich(*articles)
    staff = Client()
    staff.force_login(get_user_model().objects.get())

    staff.post("/admin/articles/article/", {"action": "split_off_story", "_selected_action": [update.pk]})
    apart = story_of(update)
    assert apart != story_of(full) and apart.versions.get().staff_placed_by.username == staff_login[0]
    page = staff.get(f"/admin/articles/story/{story_of(full).pk}/change/").content.decode()
    assert trimmed.title in page and "UPDATE 1-" not in page

    staff.post("/admin/articles/story/", {"action": "join_stories", "_selected_action": [apart.pk, story_of(full).pk]})
    assert {story_of(a) for a in articles} == {story_of(full)}

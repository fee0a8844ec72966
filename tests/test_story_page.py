"""An article's story on its page and in the API: the other versions with their dates, sources
and titles, the canonical one marked, and the article's word-level difference from it (escaped).
"Follow this story": a signed-in reader's POST saves the story thread (its versions and related
coverage) as a saved search with alerts and a feed."""
import json
from datetime import timedelta

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from articles.indexing import index_articles
from articles.models import Article
from following import alerts, arrivals, searches, verification
from following.models import ArrivalMark, Delivery, SavedSearch

from .conftest import SHARED_DATA
from .test_stories import DAY, enrich, reuters, store, story_of, versions_of

pytestmark = pytest.mark.django_db


def arrive(*articles):
    """Enrich the articles (placing them in their stories) and index them."""
    enrich(*articles)
    index_articles(Article.objects.filter(id__in=[a.id for a in articles]), refresh=True)


@pytest.fixture
def story(search_index):
    """A real wire item in three versions (a trimmed copy first, the full story, an update with a
    new lead and a correction), arrived: {"trimmed", "full", "update"}."""
    versions = dict(zip(["trimmed", "full", "update"], (store(*v) for v in versions_of(reuters(1)[0]))))
    arrive(*versions.values())
    return versions


def page_of(client, article):
    response = client.get(f"/articles/{article.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_lists_the_other_versions_with_dates_and_sources_and_marks_the_canonical_one(client, story):
    page = page_of(client, story["update"])

    listed = page.split('id="versions-heading"')[1]
    assert listed.index(f'href="/articles/{story["trimmed"].pk}"') < listed.index(f'href="/articles/{story["full"].pk}"')
    assert f'<a href="/articles/{story["full"].pk}">BAHIA COCOA REVIEW</a> <span class="hint">Reuters · ' \
           '<time datetime="1987-02-26T10:00:00+00:00">26 Feb 1987</time> · <strong>canonical version</strong>' in listed
    assert f'href="/articles/{story["update"].pk}"' not in listed  # the article itself is not among the others


def test_the_page_shows_the_update_s_new_lead_and_correction_as_added_and_its_dropped_words_as_deleted(client, story):
    page = page_of(client, story["update"])

    assert "Differences from the canonical version: 21 words added, 55 dropped" in page
    assert "<ins>Cocoa dealers revised their figures on Friday after a weekly review by the exporters. </ins>" in page
    assert "<del>Showers continued throughout the week in\nthe Bahia cocoa zone," in page


def test_the_canonical_version_says_so_and_shows_no_difference(client, story):
    page = page_of(client, story["full"])

    assert "This is the story's canonical version" in page
    assert "Differences from the canonical version" not in page


def test_an_article_alone_in_its_story_shows_no_versions(client, story):
    other = reuters(2)[1]
    alone = store(other["title"], other["text"], DAY)
    arrive(alone)

    assert 'id="versions-heading"' not in page_of(client, alone)


def test_markup_in_a_version_s_title_and_text_is_shown_as_text(client, story):
    full = story["full"]
    hostile = store('<img src=x onerror=alert(1)> BAHIA COCOA REVIEW',
                    full.body + '\n<script>alert("diff")</script> <b>bold</b>', DAY + timedelta(hours=2))
    arrive(hostile)
    assert story_of(hostile) == story_of(full)

    update_page, hostile_page = page_of(client, story["update"]), page_of(client, hostile)

    assert "&lt;img src=x onerror=alert(1)&gt; BAHIA COCOA REVIEW</a>" in update_page
    assert "<ins>&lt;script&gt;alert(&quot;diff&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;</ins>" in hostile_page
    assert "<script>alert" not in update_page + hostile_page and "<img src=x" not in update_page + hostile_page


def test_the_api_gives_the_story_its_canonical_version_and_the_other_versions(client, story):
    response = client.get(f"/api/articles/{story['update'].pk}")  # checked against the OpenAPI description

    found = response.json()
    assert (found["story"], found["canonical_id"], found["more_versions"]) == (
        story_of(story["update"]).ref, story["full"].pk, 0)
    assert [(v["id"], v["canonical"], v["published_at"]) for v in found["versions"]] == [
        (story["trimmed"].pk, False, "1987-02-26T09:00:00+00:00"), (story["full"].pk, True, "1987-02-26T10:00:00+00:00")]


@pytest.fixture
def reader():
    user = get_user_model().objects.create_user("follower", "follower@example.com", "a-long-pass-phrase")
    verification.confirm(user)
    signed_in = Client()
    signed_in.force_login(user)
    return user, signed_in


def test_following_a_story_saves_its_thread_with_immediate_alerts_once(reader, story):
    user, signed_in = reader
    thread = story_of(story["update"]).ref

    first = signed_in.post(f"/stories/follow/{story['update'].pk}")
    again = signed_in.post(f"/stories/follow/{story['trimmed'].pk}")  # another version: the same story

    assert first.status_code == again.status_code == 302 and first["Location"] == "/searches/"
    saved = SavedSearch.objects.get(user=user)
    assert (saved.name, saved.query, saved.alert) == ("Story: BAHIA COCOA REVIEW", f"thread={thread}", "immediate")
    page = signed_in.get("/searches/").content.decode()
    assert "You follow “Story: BAHIA COCOA REVIEW”" in page and f"thread={thread}" in page


def test_the_article_page_offers_signed_in_readers_to_follow_its_story(reader, story):
    _, signed_in = reader
    form = f'<form class="follow-story" method="post" action="/stories/follow/{story["full"].pk}">'

    assert form in page_of(signed_in, story["full"])
    assert form not in page_of(Client(), story["full"])


def test_the_article_page_of_a_story_followed_says_so_instead_of_offering_it_again(reader, story):
    _, signed_in = reader
    signed_in.post(f"/stories/follow/{story['full'].pk}")

    page = page_of(signed_in, story["update"])  # another version: the same story

    assert 'You follow this story in <a href="/searches/">My searches</a> (“Story: BAHIA COCOA REVIEW”).' in page
    assert 'class="follow-story" method="post"' not in page


def test_following_is_a_post_and_needs_a_reader(reader, story):
    _, signed_in = reader
    path = f"/stories/follow/{story['full'].pk}"

    assert signed_in.get(path).status_code == 405
    anonymous = Client().post(path)
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/accounts/login/?next={path}")
    assert not SavedSearch.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(reader, story):
    user, _ = reader
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(user)

    assert forged.post(f"/stories/follow/{story['full'].pk}").status_code == 403
    assert not SavedSearch.objects.exists()


def test_following_an_article_that_is_not_there_says_so(reader, search_index):
    _, signed_in = reader

    response = signed_in.post("/stories/follow/999999999", follow=True)

    assert "No such article." in response.content.decode() and not SavedSearch.objects.exists()


def item_titled(title):
    with open(SHARED_DATA / "reuters21578" / "train.jsonl", encoding="utf-8") as lines:
        return next(i for i in map(json.loads, lines) if i["title"] == title)


def test_the_followed_story_s_new_version_and_related_coverage_are_alerted_and_in_its_feed(reader, story):
    user, signed_in = reader
    ArrivalMark.objects.update_or_create(pk=arrivals.MARK_ID, defaults={"next_id": arrivals.current_mark()})
    signed_in.post(f"/stories/follow/{story['full'].pk}")
    saved = SavedSearch.objects.get(user=user)
    full = story["full"]
    correction = store(f"CORRECTED-{full.title}", full.body.replace("155,221", "155,321"), DAY + timedelta(hours=5))
    related, bank = (item_titled(t) for t in ("TRADERS CUT BAHIA TEMPORAO COCOA CROP ESTIMATE",
                                              "TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER"))
    follow_up, unrelated = (store(item["title"], item["text"], DAY) for item in (related, bank))
    arrive(correction, follow_up, unrelated)

    alerts.match_new_articles()
    feed = feedparser.parse(signed_in.get(searches.feed_url(saved.query, user)).content)
    titles = {entry.title for entry in feed.entries}  # as a feed reader shows them, the marks dropped

    assert set(Delivery.objects.filter(user=user).values_list("article_id", flat=True)) == {correction.pk, follow_up.pk}
    assert {"CORRECTED-BAHIA COCOA REVIEW", "TRADERS CUT BAHIA TEMPORAO COCOA CROP ESTIMATE"} <= titles
    assert not [title for title in titles if "BANKAMERICA" in title]

"""Staff see the pairs of entities that may be one, and merge them or say they are not the
same; a pair acted on is never proposed again."""
import html
import re
from datetime import date
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from articles.enrichment import curation
from articles.models import Entity, Judgement, Mention

from .archive import USA, make_article
from .browser import browser_page, screenshot
from .conftest import log_in_to_admin

pytestmark = pytest.mark.django_db

PAGE = "/admin/articles/entity/duplicates/"
DECIDE = "/admin/articles/entity/duplicates/decide/"
GORBACHEV = ("person", "mikhail gorbachev", "Mikhail Gorbachev")
GORBACHOV = ("person", "mikhail gorbachov", "Mikhail Gorbachov")
IMF = ("organization", "imf", "IMF")
FUND = ("organization", "international monetary fund", "International Monetary Fund")
DUTCH_SHELL = ("organization", "royal dutch shell", "Royal Dutch Shell")
SHELL_OIL = ("organization", "shell oil", "Shell Oil")
ROW = re.compile(r'<tr>\s*<td><a href="[^"]+">([^<]+)</a>.*?<td><a href="[^"]+">([^<]+)</a>.*?'
                 r"<td>(?:person|organization)</td>\s*<td>([^<]*)</td>", re.S)
stories = count(1)


def articles_naming(*mentions, articles=1):
    """Articles that each mention every (entity, surface) of `mentions`."""
    for _ in range(articles):
        n = next(stories)
        body = " ".join(surface for _, surface in mentions) + f" story {n}."
        make_article(f"{mentions[0][1]} {n}", body, "Reuters", date(1987, 3, 1 + n % 28), list(mentions))


@pytest.fixture
def pairs():
    """A similar-name pair, an acronym pair and two organizations sharing an alias."""
    articles_naming((GORBACHEV, "Mikhail Gorbachev"), (USA, "United States"), articles=3)
    articles_naming((GORBACHOV, "Mikhail Gorbachov"))
    articles_naming((FUND, "International Monetary Fund"), articles=2)
    articles_naming((IMF, "IMF"))
    articles_naming((DUTCH_SHELL, "Royal Dutch Shell"), (DUTCH_SHELL, "Shell"), articles=2)
    articles_naming((SHELL_OIL, "Shell Oil"), (SHELL_OIL, "Shell"))


def entity(spec):
    return Entity.objects.get(kind=spec[0], key=spec[1])


@pytest.fixture
def staff(staff_login):
    client = Client()
    client.force_login(get_user_model().objects.get(username=staff_login[0]))
    return client


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def decide(client, **post):
    """What the page says after the decision (shown, so the next decision starts afresh)."""
    return [str(message) for message in client.post(DECIDE, post, follow=True).context["messages"]]


def listed(client, **query):
    """(left, right, why) of each pair the page lists."""
    page = client.get(PAGE, query).content.decode()
    return [tuple(html.unescape(cell.strip()) for cell in row) for row in ROW.findall(page)]


def test_the_page_lists_similar_names_acronyms_and_shared_aliases(staff, pairs):
    response = staff.get(PAGE)

    assert response.status_code == 200
    assert listed(staff) == [
        ("Mikhail Gorbachev", "Mikhail Gorbachov", "similar names 94"),
        ("International Monetary Fund", "IMF", "acronym IMF"),
        ("Royal Dutch Shell", "Shell Oil", "shared alias 'Shell'"),
    ]
    page = response.content.decode()
    gorbachev = entity(GORBACHEV)
    assert f'href="/admin/articles/entity/{gorbachev.pk}/change/"' in page
    assert f'href="/entities/person/{gorbachev.ref}"' in page
    assert "3 articles" in page


def test_the_page_shows_one_kind(staff, pairs):
    assert [left for left, _, _ in listed(staff, kind="organization")] == ["International Monetary Fund",
                                                                           "Royal Dutch Shell"]
    assert "Mikhail Gorbachov" not in staff.get(PAGE, {"kind": "organization"}).content.decode()


def test_the_entity_list_links_to_the_page(staff):
    assert f'href="{PAGE}"' in staff.get("/admin/articles/entity/").content.decode()


def test_merging_a_pair_moves_the_mentions_and_leaves_a_pointer(staff, pairs):
    gorbachev, gorbachov = entity(GORBACHEV), entity(GORBACHOV)

    response = staff.post(DECIDE, {"first": gorbachev.pk, "second": gorbachov.pk, "into": gorbachev.pk,
                                   "kind": "person"})

    assert response.status_code == 302 and response["Location"] == f"{PAGE}?kind=person"
    assert said(response) == ["Merged Mikhail Gorbachov into Mikhail Gorbachev; 1 article(s) are being re-indexed."]
    assert entity(GORBACHOV).merged_into == gorbachev
    assert Mention.objects.filter(entity=gorbachev).count() == 4
    assert not Mention.objects.filter(entity=gorbachov).exists()
    assert "Mikhail Gorbachov" not in [right for _, right, _ in listed(staff)]


def test_merging_into_the_one_with_fewer_articles_is_a_choice(staff, pairs):
    fund, imf = entity(FUND), entity(IMF)

    staff.post(DECIDE, {"first": fund.pk, "second": imf.pk, "into": imf.pk})

    assert entity(FUND).merged_into == imf
    assert Mention.objects.filter(entity=imf).count() == 3


def test_a_dismissed_pair_is_remembered_and_never_listed_again(staff, pairs, staff_login):
    dutch, oil = entity(DUTCH_SHELL), entity(SHELL_OIL)

    response = staff.post(DECIDE, {"first": oil.pk, "second": dutch.pk, "verdict": "not_same", "page": "1"})

    assert response["Location"] == f"{PAGE}?page=1"
    assert said(response) == ["Shell Oil and Royal Dutch Shell are not the same: the pair will not be proposed "
                              "again, and nothing is re-indexed."]
    (judgement,) = Judgement.objects.all()
    assert (judgement.left, judgement.right, judgement.verdict, judgement.judge, judgement.created_by.username) == (
        dutch, oil, "not_same", "staff", staff_login[0])
    articles_naming((SHELL_OIL, "Shell Oil"), (SHELL_OIL, "Shell"), articles=3)  # more evidence later
    assert "Shell Oil" not in [right for _, right, _ in listed(staff)]
    assert entity(SHELL_OIL).merged_into is None


@pytest.mark.parametrize("post, message", [
    ({"first": "1", "second": "1", "into": "1"}, "Choose two different entities."),
    ({"first": "x", "second": "", "verdict": "not_same"}, "Choose two entities."),
    ({"first": "999999", "second": "999998", "verdict": "not_same"}, "One of these entities no longer exists."),
    ({"first": str(2**70), "second": "1", "verdict": "not_same"}, "Choose two different entities."),
    ({"verdict": "not_same"}, "Choose two entities."),
])
def test_a_decision_on_no_pair_says_what_is_wrong(staff, post, message):
    response = staff.post(DECIDE, post)

    assert response.status_code == 302 and said(response) == [message]
    assert not Judgement.objects.exists()


def test_a_decision_on_a_merged_entity_or_two_kinds_says_why_not(staff, pairs):
    gorbachev, gorbachov, imf = entity(GORBACHEV), entity(GORBACHOV), entity(IMF)
    curation.merge([gorbachov], gorbachev, None)

    assert decide(staff, first=gorbachev.pk, second=gorbachov.pk, into=gorbachov.pk) == [
        "Mikhail Gorbachov was already merged into another entity."]
    assert decide(staff, first=gorbachev.pk, second=imf.pk, into=imf.pk) == [
        "Mikhail Gorbachev (person) and IMF (organization) cannot be one entity."]
    assert decide(staff, first=imf.pk, second=entity(FUND).pk, into=gorbachev.pk) == [
        "Choose the entity to keep, or “Not the same”."]
    assert entity(IMF).merged_into is None and entity(GORBACHEV).merged_into is None


def test_the_decision_address_takes_only_posts(staff):
    assert staff.get(DECIDE).status_code == 405


def test_readers_are_sent_to_the_login_and_staff_without_change_rights_refused(pairs):
    users = get_user_model().objects
    reader, viewer = Client(), Client()
    reader.force_login(users.create_user("reader", password="reader-pass"))
    viewer.force_login(users.create_user("viewer", password="viewer-pass", is_staff=True))
    gorbachev, gorbachov = entity(GORBACHEV), entity(GORBACHOV)
    decision = {"first": gorbachev.pk, "second": gorbachov.pk, "verdict": "not_same"}

    for response in (reader.get(PAGE), reader.post(DECIDE, decision), Client().get(PAGE)):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert viewer.get(PAGE).status_code == 403
    assert viewer.post(DECIDE, decision).status_code == 403
    assert not Judgement.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_dismiss_one_pair_and_merge_another_in_the_browser(live_server, staff_login, pairs):
    with browser_page() as page:
        log_in_to_admin(page, live_server.url, staff_login, "/admin/articles/entity/")
        page.click("text=Possible duplicates")
        screenshot(page, "admin-possible-duplicates")
        page.locator("#duplicates tr", has_text="Shell Oil").get_by_role("button", name="Not the same").click()
        page.wait_for_selector("text=Royal Dutch Shell and Shell Oil are not the same")
        page.locator("#duplicates tr", has_text="IMF").get_by_role("button", name="Merge into left").click()
        page.wait_for_selector("text=Merged IMF into International Monetary Fund")
        assert "Shell Oil" not in page.inner_text("#duplicates")
        assert "IMF" not in page.inner_text("#duplicates")

    assert entity(IMF).merged_into == entity(FUND)
    assert Judgement.objects.get(verdict="not_same").judge == "staff"

"""A reader deletes their account from its page, confirming with their password: the
account, its saved searches, alerts and feed key go."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from following import feedkeys, searches, verification
from following.models import EmailVerification, SavedSearch

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def reader(db):
    user = get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)
    verification.confirm(user)
    searches.save(user, searches.parse_query("q=oil"), "Oil", SavedSearch.Alert.DAILY)
    return user


def test_the_account_page_links_to_deleting_it(client, reader):
    client.force_login(reader)

    assert 'href="/accounts/delete/"' in client.get("/accounts/").content.decode()


def test_deleting_with_the_password_removes_the_reader_and_all_they_follow(client, reader, settings):
    settings.SEARCH_REQUIRES_LOGIN = True
    key = feedkeys.feed_key(reader)
    client.force_login(reader)

    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert response.status_code == 200 and "Your account is deleted" in response.content.decode()
    assert not get_user_model().objects.filter(username="reader").exists()
    assert not SavedSearch.objects.exists() and not EmailVerification.objects.exists()
    assert "_auth_user_id" not in client.session
    assert Client().get("/feeds/search", {"q": "oil", "key": key}).status_code == 401


def test_a_wrong_password_deletes_nothing(client, reader):
    client.force_login(reader)

    response = client.post("/accounts/delete/", {"password": "not-my-password"})

    assert "That is not your password." in response.content.decode()
    assert get_user_model().objects.filter(username="reader").exists() and SavedSearch.objects.exists()


def test_a_get_deletes_nothing_and_a_post_needs_the_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.get("/accounts/delete/").status_code == 200
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(username="reader").exists()


def test_staff_are_sent_to_the_admin(client, db):
    staff = get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)
    client.force_login(staff)

    response = client.post("/accounts/delete/", {"password": PASSWORD})

    assert "Staff accounts are removed in the admin" in response.content.decode()
    assert get_user_model().objects.filter(username="editor").exists()

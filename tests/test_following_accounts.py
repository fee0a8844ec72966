"""Readers sign up, sign in and out on their own pages; they are never staff."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "a-long-pass-phrase"


def sign_up(client, username="reader", email="reader@example.com", next_url="", password=PASSWORD):
    return client.post("/accounts/signup/", {
        "username": username, "email": email, "password1": password, "password2": password, "next": next_url,
    })


def test_signing_up_makes_a_reader_who_is_signed_in_and_not_staff(client, db):
    response = sign_up(client)

    assert (response.status_code, response["Location"]) == (302, "/searches/")
    user = get_user_model().objects.get(username="reader")
    assert (user.email, user.is_staff, user.is_superuser) == ("reader@example.com", False, False)
    assert client.get("/searches/").status_code == 200


def test_signing_up_needs_an_email_address_for_alerts(client, db):
    response = sign_up(client, email="")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("password, message", [
    ("password1234", "This password is too common."),
    ("83920174650", "This password is entirely numeric."),
    ("x7#kq2", "This password is too short. It must contain at least 8 characters."),
    ("newsroomreader", "The password is too similar to the username."),
])
def test_signing_up_refuses_a_weak_password_and_says_why(client, db, password, message):
    response = sign_up(client, username="newsroomreader", password=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()


def test_signing_up_returns_to_the_page_the_reader_came_from(client, db):
    assert sign_up(client, next_url="/?q=oil")["Location"] == "/?q=oil"


def test_signing_up_never_sends_the_reader_to_another_site(client, db):
    assert sign_up(client, next_url="https://evil.example/")["Location"] == "/searches/"


def test_a_reader_signs_in_on_the_readers_page_and_signs_out(client, db):
    get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)

    signed_in = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD, "next": "/?q=oil"})
    signed_out = client.post("/accounts/logout/")

    assert signed_in["Location"] == "/?q=oil"
    assert signed_out["Location"] == "/"
    assert client.get("/searches/")["Location"].startswith("/accounts/login/")


def test_the_readers_pages_have_csrf_protection(db):
    client = Client(enforce_csrf_checks=True)

    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
    assert sign_up(client).status_code == 403


def test_a_reader_cannot_enter_the_admin(client, db):
    sign_up(client)

    assert client.get("/admin/")["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["/", "/articles/1", "/entities/person/xi jinping"])
def test_search_pages_send_anonymous_visitors_to_the_readers_sign_in(client, db, settings, path):
    settings.SEARCH_REQUIRES_LOGIN = True

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_header_offers_sign_in_to_visitors_and_my_searches_to_readers(client, archive):
    visitor = client.get("/?q=oil").content.decode()
    sign_up(client)
    reader = client.get("/?q=oil").content.decode()

    assert 'href="/accounts/login/?next=/%3Fq%3Doil">Sign in</a>' in visitor
    assert 'href="/searches/">My searches</a>' in reader and "Sign in" not in reader


def test_a_page_with_a_huge_address_offers_sign_in_back_to_the_page_without_its_query(client, archive):
    html = client.get("/", {"q": "oil", "junk": "x" * 50_000}).content.decode()

    assert 'href="/accounts/login/?next=/">Sign in</a>' in html
    assert "x" * 1000 not in html


def test_the_sign_in_page_does_not_ask_to_return_to_itself(client, db):
    html = client.get("/accounts/login/?next=/?q=oil").content.decode()

    assert 'href="/accounts/login/">Sign in</a>' in html

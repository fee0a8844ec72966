"""Readers change their password, or reset it by a link mailed to their confirmed address,
with Django's auth views on the site's pages; the password validators apply to both."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from following import verification

PASSWORD = "a-long-pass-phrase"
NEW_PASSWORD = "another-long-phrase-9"


@pytest.fixture
def reader(db):
    user = get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)
    verification.confirm(user)
    return user


def signs_in(password):
    return Client().post("/accounts/login/", {"username": "reader", "password": password}).status_code == 302


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message.body).group(1)


def ask_for_reset(client, email="reader@example.com"):
    return client.post("/accounts/password/reset/", {"email": email}, follow=True)


def set_new_password(client, link, password=NEW_PASSWORD):
    form_url = client.get(link)["Location"]  # Django's view moves the token out of the address
    return client.post(form_url, {"new_password1": password, "new_password2": password}, follow=True)


def test_a_reader_changes_their_password(client, reader):
    client.force_login(reader)

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, follow=True)

    assert response.redirect_chain == [("/accounts/", 302)]
    assert "Your password is changed." in response.content.decode()
    assert signs_in(NEW_PASSWORD) and not signs_in(PASSWORD)
    assert client.get("/accounts/").status_code == 200  # still signed in


def test_a_new_password_must_pass_the_validators(client, reader):
    client.force_login(reader)

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    })

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert signs_in(PASSWORD)


def test_the_password_page_is_for_signed_in_readers(client, db):
    assert client.get("/accounts/password/")["Location"].startswith("/accounts/login/?next=")


def test_a_reset_link_mailed_to_the_confirmed_address_sets_a_new_password(client, reader, mailoutbox, settings):
    settings.SITE_URL = "https://news.example.org"

    asked = ask_for_reset(client)
    (message,) = mailoutbox
    done = set_new_password(client, reset_link(message))

    assert "a link to set a new password is on its way" in asked.content.decode()
    assert message.to == ["reader@example.com"] and message.subject == "Reset your newsarchive password"
    assert "https://news.example.org/accounts/password/reset/" in message.body
    assert done.redirect_chain[-1] == ("/accounts/login/", 302)
    assert "Your new password is set" in done.content.decode()
    assert signs_in(NEW_PASSWORD) and not signs_in(PASSWORD)


def test_no_reset_link_goes_to_an_unconfirmed_address_and_the_page_says_the_same(client, db, mailoutbox):
    get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)

    response = ask_for_reset(client)

    assert mailoutbox == []
    assert "a link to set a new password is on its way" in response.content.decode()


def test_a_reset_link_works_once(client, reader, mailoutbox):
    ask_for_reset(client)
    link = reset_link(mailoutbox[0])
    set_new_password(client, link)

    again = Client().get(link, follow=True)

    assert again.status_code == 200
    assert "This link has been used or has expired." in again.content.decode()


def test_a_reset_refuses_a_weak_password(client, reader, mailoutbox):
    ask_for_reset(client)

    response = set_new_password(client, reset_link(mailoutbox[0]), password="reader")

    assert "This password is too short." in response.content.decode()
    assert signs_in(PASSWORD)


def test_a_reset_ends_a_lockout(client, reader, settings, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "reader", "password": "wrong-guess"})
    assert Client().post("/accounts/login/", {"username": "reader", "password": PASSWORD}).status_code == 429

    ask_for_reset(client)
    set_new_password(client, reset_link(mailoutbox[0]))

    assert signs_in(NEW_PASSWORD)

"""A reader's address is unverified until they follow the signed link mailed to it (alerts
wait for that: tests/test_following_alerts.py); changing it makes it unverified again."""
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from following import verification
from following.models import EmailVerification

PASSWORD = "a-long-pass-phrase"


def sign_up(client, email="reader@example.com"):
    return client.post("/accounts/signup/", {
        "username": "reader", "email": email, "password1": PASSWORD, "password2": PASSWORD,
    }, follow=True)


def link_path(message):
    return re.search(r"https?://[^/\s]+(/accounts/email/verify/\S+)", message.body).group(1)


def test_signing_up_mails_a_link_and_the_address_is_unverified_until_it_is_confirmed(client, db, mailoutbox):
    sign_up(client)
    (message,) = mailoutbox
    user = get_user_model().objects.get(username="reader")
    assert message.to == ["reader@example.com"] and not verification.is_verified(user)

    page = client.get(link_path(message))
    assert page.status_code == 200 and "Confirm reader@example.com" in page.content.decode()
    assert not verification.is_verified(user)  # following the link alone (a mail scanner) verifies nothing

    response = client.post(link_path(message), follow=True)
    assert "reader@example.com is confirmed" in response.content.decode()
    assert verification.is_verified(user)


def test_the_link_works_without_being_signed_in(client, db, mailoutbox):
    sign_up(client)
    client.post("/accounts/logout/")

    client.post(link_path(mailoutbox[0]))

    assert verification.is_verified(get_user_model().objects.get(username="reader"))


def test_my_searches_says_the_address_is_unverified_and_sends_the_link_again(client, db, mailoutbox):
    sign_up(client)
    page = client.get("/searches/").content.decode()
    assert "reader@example.com is not confirmed yet" in page and "Send the link again" in page

    too_soon = client.post("/accounts/email/send", {"next": "/searches/"}, follow=True)
    EmailVerification.objects.update(sent_at=timezone.now() - timedelta(minutes=2))
    again = client.post("/accounts/email/send", {"next": "/searches/"}, follow=True)

    assert "less than a minute ago" in too_soon.content.decode()
    assert again.redirect_chain == [("/searches/", 302)]
    assert "We sent a link to reader@example.com" in again.content.decode()
    assert len(mailoutbox) == 2


def test_a_verified_reader_is_not_asked_to_confirm(client, db, mailoutbox):
    sign_up(client)
    client.post(link_path(mailoutbox[0]))

    assert "not confirmed" not in client.get("/searches/").content.decode()


def test_changing_the_address_unverifies_it_and_mails_the_new_one(client, db, mailoutbox):
    sign_up(client)
    old_link = link_path(mailoutbox[0])
    client.post(old_link)

    response = client.post("/accounts/", {"email": "new@example.com", "password": PASSWORD}, follow=True)

    user = get_user_model().objects.get(username="reader")
    assert user.email == "new@example.com" and not verification.is_verified(user)
    assert mailoutbox[-1].to == ["new@example.com"]
    assert "We sent a link to new@example.com" in response.content.decode()
    assert client.post(old_link).status_code == 400  # the old address's link proves nothing now


def test_changing_the_address_needs_the_password(client, db, mailoutbox):
    sign_up(client)

    response = client.post("/accounts/", {"email": "new@example.com", "password": "not-my-password"})

    assert "That is not your password." in response.content.decode()
    assert get_user_model().objects.get(username="reader").email == "reader@example.com"


@pytest.mark.parametrize("token", ["nonsense", "eyJ1c2VyIjoxfQ:1vX:forged", "\x00" * 3])
def test_a_forged_link_is_refused_with_a_message(client, db, token):
    response = client.post(f"/accounts/email/verify/{token}")

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_an_expired_link_is_refused_with_a_message(client, db, mailoutbox, monkeypatch):
    sign_up(client)
    monkeypatch.setattr(verification, "MAX_AGE", timedelta(seconds=-1))

    response = client.post(link_path(mailoutbox[0]))

    assert response.status_code == 400 and "This link has expired" in response.content.decode()
    assert not verification.is_verified(get_user_model().objects.get(username="reader"))


def test_a_mail_server_that_does_not_answer_leaves_the_sign_up_done_and_says_so(client, db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False

    response = sign_up(client)

    assert response.status_code == 200
    assert "could not be sent just now" in response.content.decode()
    assert get_user_model().objects.filter(username="reader").exists()

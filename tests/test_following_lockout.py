"""Repeated failed sign-ins lock a username out from that address for a while (django-axes),
on the readers' login and the admin's alike; other people behind the same address are not."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model

PASSWORD = "a-long-pass-phrase"
LOGINS = {"reader": "/accounts/login/", "admin": "/admin/login/"}


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("reader", "reader@example.com", PASSWORD)


def sign_in(client, path, password, username="reader", address="203.0.113.7"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, path, times, username="reader", address="203.0.113.7"):
    for _ in range(times):
        sign_in(client, path, "wrong-guess", username, address)


def test_after_25_failed_sign_ins_the_right_password_is_refused_with_the_sites_page(client, reader):
    fail(client, "/accounts/login/", 25)

    response = sign_in(client, "/accounts/login/", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-ins" in html and 'class="site-header"' in html
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", LOGINS.values(), ids=LOGINS.keys())
def test_the_limit_locks_out_and_the_right_password_works_again_after_the_cool_off(client, db, settings, path):
    get_user_model().objects.create_superuser("reader", "reader@example.com", PASSWORD)
    fail(client, path, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, path, PASSWORD).status_code == 429

    settings.AXES_COOLOFF_TIME = timedelta(milliseconds=1)  # the failures above are older than this

    assert sign_in(client, path, PASSWORD).status_code == 302


def test_one_failure_short_of_the_limit_the_right_password_still_works(client, reader, settings):
    fail(client, "/accounts/login/", settings.AXES_FAILURE_LIMIT - 1)

    assert sign_in(client, "/accounts/login/", PASSWORD).status_code == 302


def test_a_colleague_behind_the_same_address_can_still_sign_in(client, reader, settings):
    get_user_model().objects.create_user("colleague", "colleague@example.com", PASSWORD)
    fail(client, "/accounts/login/", settings.AXES_FAILURE_LIMIT)

    assert sign_in(client, "/accounts/login/", PASSWORD, username="colleague").status_code == 302


def test_guesses_from_elsewhere_do_not_lock_the_reader_out(client, reader, settings):
    fail(client, "/accounts/login/", settings.AXES_FAILURE_LIMIT, address="198.51.100.9")

    assert sign_in(client, "/accounts/login/", PASSWORD).status_code == 302

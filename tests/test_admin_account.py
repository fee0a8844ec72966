"""The first admin account (`manage.py ensure_admin`, run by `make run` at every start):
created once with a strong password, never reset afterwards, and never admin/admin."""
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_admin_password(monkeypatch):
    monkeypatch.delenv("ADMIN_USER", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)


def ensure_admin(*args):
    out = io.StringIO()
    call_command("ensure_admin", *args, stdout=out)
    return out.getvalue()


def printed_password(output):
    return re.search(r"Its password: (\S+)", output).group(1)


def admin_sign_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_the_first_run_creates_an_admin_with_a_generated_password_printed_once(client):
    output = ensure_admin()

    password = printed_password(output)
    assert len(password) >= 24 and "it is not shown again" in output
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin_sign_in(client, "admin", password)["Location"] == "/admin/"


def test_a_second_run_changes_nothing_and_prints_no_password(client):
    password = printed_password(ensure_admin())
    hashed = get_user_model().objects.get(username="admin").password

    output = ensure_admin()

    assert "password is unchanged" in output and "Its password" not in output
    assert get_user_model().objects.get(username="admin").password == hashed
    assert admin_sign_in(client, "admin", password).status_code == 302


def test_admin_admin_does_not_sign_in(client):
    ensure_admin()

    response = admin_sign_in(client, "admin", "admin")

    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_admin_password_from_the_environment_sets_it_at_creation_only(client, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "chosen-by-the-editor-42")
    ensure_admin("--username", "chief")
    monkeypatch.setenv("ADMIN_PASSWORD", "another-one-later-77")
    ensure_admin("--username", "chief")

    assert admin_sign_in(client, "chief", "chosen-by-the-editor-42")["Location"] == "/admin/"


def test_a_weak_admin_password_from_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "admin")

    with pytest.raises(CommandError, match="too short"):
        ensure_admin()
    assert not get_user_model().objects.exists()


def test_an_admin_left_with_the_old_default_password_gets_a_generated_one(client):
    get_user_model().objects.create_superuser("admin", "", "admin")

    password = printed_password(ensure_admin())

    assert admin_sign_in(client, "admin", "admin").status_code == 200
    assert admin_sign_in(client, "admin", password).status_code == 302


def test_a_reader_who_took_the_admins_name_is_never_promoted():
    get_user_model().objects.create_user("admin", "reader@example.com", "a-long-pass-phrase")

    with pytest.raises(CommandError, match="not an admin"):
        ensure_admin()
    assert not get_user_model().objects.get(username="admin").is_superuser

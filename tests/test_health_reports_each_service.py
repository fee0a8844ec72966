"""/healthz reports each service; 200 only when all are up."""
import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db
def test_healthz_is_200_with_every_service_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["services"]["database"]["vendor"] in {"postgresql", "sqlite"}
    assert body["services"]["elasticsearch"]["version"].startswith("9.")
    assert body["services"]["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_with_details_when_elasticsearch_is_down(client, elasticsearch_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    services = response.json()["services"]
    assert services["elasticsearch"]["ok"] is False
    assert "Connection" in services["elasticsearch"]["error"]
    assert services["database"]["ok"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [
    {"REMOTE_ADDR": "203.0.113.9"},  # a reader on the internet
    {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # the same, through a proxy
])
def test_healthz_tells_others_which_service_is_up_but_not_its_version(client, headers):
    response = client.get("/healthz", **headers)

    assert response.status_code == 200
    assert response.json()["services"] == {"database": {"ok": True}, "elasticsearch": {"ok": True},
                                           "broker": {"ok": True}}


@pytest.mark.django_db
def test_healthz_shows_staff_the_details(client, staff_login):
    client.force_login(get_user_model().objects.get(username=staff_login[0]))

    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")

    assert response.json()["services"]["elasticsearch"]["version"].startswith("9.")


@pytest.mark.django_db
def test_a_missing_page_is_a_styled_404(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert b"Page not found" in response.content and b"archive.css" in response.content


def test_a_server_error_page_is_styled_and_needs_nothing_but_static_files(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"archive.css" in response.content

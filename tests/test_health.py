"""/healthz reports each service; 200 only when all are up."""
import pytest


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

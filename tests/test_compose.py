"""docker-compose.yml describes the full stack (no Docker engine here, so we read it)."""
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_has_the_whole_stack():
    assert set(SERVICES) == {"postgres", "redis", "elasticsearch", "web", "worker"}


def test_every_service_has_a_healthcheck():
    assert all("healthcheck" in service for service in SERVICES.values())


def test_elasticsearch_is_the_official_9_image_with_security_on():
    es = SERVICES["elasticsearch"]
    assert es["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:9.")
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert "ELASTIC_PASSWORD" in es["environment"]


def test_web_and_worker_wait_for_healthy_dependencies():
    for name in ("web", "worker"):
        depends = SERVICES[name]["depends_on"]
        for dependency in ("postgres", "redis", "elasticsearch"):
            assert depends[dependency]["condition"] == "service_healthy"


def test_web_runs_gunicorn_and_the_app_talks_to_elasticsearch_with_credentials():
    assert "gunicorn" in SERVICES["web"]["command"]
    environment = SERVICES["web"]["environment"]
    assert environment["ELASTICSEARCH_USERNAME"] == "elastic"
    assert environment["ELASTICSEARCH_PASSWORD"] == "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}"

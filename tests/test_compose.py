"""docker-compose.yml describes the full stack (no Docker engine here, so we read it)."""
import re
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_has_the_whole_stack():
    assert set(SERVICES) == {"postgres", "redis", "elasticsearch", "web", "worker", "scheduler"}


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


def test_the_scheduler_is_its_own_service_and_every_service_restarts_when_it_dies():
    assert "beat" in SERVICES["scheduler"]["command"] and "--beat" not in SERVICES["worker"]["command"]
    assert all(service.get("restart") == "unless-stopped" for service in SERVICES.values())


def test_redis_keeps_queued_work_on_a_volume():
    redis = SERVICES["redis"]
    assert "--appendonly yes" in redis["command"]
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_web_and_worker_share_the_upload_directory():
    web_volumes, worker_volumes = SERVICES["web"]["volumes"], SERVICES["worker"]["volumes"]
    upload_dir = SERVICES["web"]["environment"]["UPLOAD_DIR"]
    assert any(volume.endswith(f":{upload_dir}") for volume in web_volumes)
    assert set(web_volumes) == set(worker_volumes)


def test_the_web_server_waits_longer_than_the_elasticsearch_client():
    """A slow search then ends in the app's 503 page rather than a killed worker."""
    from django.conf import settings

    timeout = int(re.search(r"--timeout (\d+)", SERVICES["web"]["command"]).group(1))
    assert timeout > settings.ELASTICSEARCH_TIMEOUT


def test_the_image_leaves_secrets_and_local_data_out():
    ignored = (Path(__file__).resolve().parent.parent / ".dockerignore").read_text().split()
    assert {".env", ".secret_key", ".var", ".cache"} <= set(ignored)

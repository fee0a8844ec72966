"""docker-compose.yml describes the full stack (no Docker engine here, so we read it)."""
import re
from pathlib import Path

import yaml

COMPOSE_TEXT = (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
CLUSTER_NODES = ("es01", "es02", "es03")
# One-shot jobs other services wait for (they run to completion, so no healthcheck and no restart).
JOBS = {name for service in SERVICES.values() for name, dependency in service.get("depends_on", {}).items()
        if dependency["condition"] == "service_completed_successfully"}
LONG_RUNNING = {name: service for name, service in SERVICES.items() if name not in JOBS}


def test_compose_has_the_whole_stack():
    default = {name for name, service in SERVICES.items() if not service.get("profiles")}
    assert default == {"postgres", "redis", "elasticsearch", "web", "worker", "resolver", "scheduler"}
    cluster = {name for name, service in SERVICES.items() if "cluster" in service.get("profiles", [])}
    assert cluster == {"es-certs", *CLUSTER_NODES} and JOBS == {"es-certs"}


def test_every_service_has_a_healthcheck():
    assert all("healthcheck" in service for service in LONG_RUNNING.values())


def test_elasticsearch_is_the_official_9_image_with_security_on():
    es = SERVICES["elasticsearch"]
    assert es["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:9.")
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert "ELASTIC_PASSWORD" in es["environment"]


def test_web_and_worker_wait_for_healthy_dependencies():
    for name in ("web", "worker"):
        depends = SERVICES[name]["depends_on"]
        for dependency in ("postgres", "redis", "elasticsearch", *CLUSTER_NODES):
            assert depends[dependency]["condition"] == "service_healthy"
        # Only the Elasticsearch nodes are optional: the single node or the cluster profile's three.
        optional = {dependency for dependency, condition in depends.items() if condition.get("required") is False}
        assert optional == {"elasticsearch", *CLUSTER_NODES}


def test_web_runs_gunicorn_and_the_app_talks_to_elasticsearch_with_credentials():
    assert "gunicorn" in SERVICES["web"]["command"]
    environment = SERVICES["web"]["environment"]
    assert environment["ELASTICSEARCH_USERNAME"] == "elastic"
    assert environment["ELASTICSEARCH_PASSWORD"] == "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}"


def test_the_scheduler_is_its_own_service_and_every_service_restarts_when_it_dies():
    assert "beat" in SERVICES["scheduler"]["command"] and "--beat" not in SERVICES["worker"]["command"]
    assert all(service.get("restart") == "unless-stopped" for service in LONG_RUNNING.values())
    assert all(SERVICES[job]["restart"] == "no" for job in JOBS)


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


def test_the_cluster_profile_is_three_nodes_of_one_secured_cluster():
    single = SERVICES["elasticsearch"]
    data_volumes = set()
    for name in CLUSTER_NODES:
        node = SERVICES[name]
        env = node["environment"]
        assert node["image"] == single["image"] and node["profiles"] == ["cluster"]
        assert env["node.name"] == name and env["cluster.name"] == SERVICES["es01"]["environment"]["cluster.name"]
        assert "discovery.type" not in env
        assert env["discovery.seed_hosts"].split(",") == list(CLUSTER_NODES)
        assert env["cluster.initial_master_nodes"].split(",") == list(CLUSTER_NODES)
        assert env["ELASTIC_PASSWORD"] == single["environment"]["ELASTIC_PASSWORD"]
        assert env["xpack.security.enabled"] == "true" and env["xpack.security.http.ssl.enabled"] == "false"
        # Security on with several nodes requires TLS between them, with the job's certificates.
        assert env["xpack.security.transport.ssl.enabled"] == "true"
        assert env["xpack.security.transport.ssl.key"] == f"certs/{name}/{name}.key"
        assert env["xpack.security.transport.ssl.certificate"] == f"certs/{name}/{name}.crt"
        assert env["xpack.security.transport.ssl.certificate_authorities"] == "certs/ca/ca.crt"
        assert f"- name: {name}" in SERVICES["es-certs"]["command"].replace("\\n", "\n")
        assert node["depends_on"] == {"es-certs": {"condition": "service_completed_successfully"}}
        assert "es-certs:/usr/share/elasticsearch/config/certs:ro" in node["volumes"]
        hunspell = next(v for v in single["volumes"] if "hunspell" in v)
        assert hunspell in node["volumes"]  # the mapping's English stemming needs the dictionary on every node
        (data,) = [v for v in node["volumes"] if v.endswith(":/usr/share/elasticsearch/data")]
        data_volumes.add(data.split(":")[0])
        assert env["ES_JAVA_OPTS"].startswith("-Xms")
    assert len(data_volumes) == 3 and data_volumes <= set(COMPOSE["volumes"])


def test_the_app_is_pointed_at_the_cluster_through_its_environment():
    environment = SERVICES["web"]["environment"]
    assert environment["ELASTICSEARCH_HOSTS"] == "${ELASTICSEARCH_HOSTS:-http://elasticsearch:9200}"
    assert environment["ELASTICSEARCH_SHARDS"] == "${ELASTICSEARCH_SHARDS:-1}"
    assert environment["ELASTICSEARCH_REPLICAS"] == "${ELASTICSEARCH_REPLICAS:-0}"
    assert SERVICES["worker"]["environment"] == environment == SERVICES["scheduler"]["environment"] \
        == SERVICES["resolver"]["environment"]
    # The documented command names every node of the profile, and a replica on another node.
    documented = re.search(r"ELASTICSEARCH_HOSTS=(\S+) ELASTICSEARCH_REPLICAS=1", COMPOSE_TEXT).group(1)
    assert documented.split(",") == [f"http://{name}:9200" for name in CLUSTER_NODES]
    assert "docker compose --profile cluster up" in COMPOSE_TEXT


def test_the_worker_and_scheduler_get_the_mail_settings_that_alerts_need():
    for name in ("worker", "scheduler"):
        environment = SERVICES[name]["environment"]
        assert {"SITE_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL"} <= set(environment)


def test_the_resolver_runs_in_a_worker_of_its_own_at_a_lower_cpu_priority_as_in_make_run():
    supervisord = (Path(__file__).resolve().parent.parent / "deploy" / "supervisord.conf").read_text()
    workers = {"worker": re.search(r"\[program:worker\]\ncommand=(.*)", supervisord).group(1),
               "resolver": re.search(r"\[program:resolver\]\ncommand=(.*)", supervisord).group(1)}

    for name, make_run in workers.items():
        assert make_run.split("-m celery ")[1].replace("%%h", "%h") == SERVICES[name]["command"].split("celery ")[1]
    assert SERVICES["resolver"]["command"].startswith("nice -n 10 celery") and "-Q resolution" in workers["resolver"]
    assert "-X resolution" in SERVICES["worker"]["command"]

"""Shared fixtures: the real services the suite runs against.

`make test` starts Redis, PostgreSQL and Elasticsearch and points the settings at
them; `worker` starts a real Celery worker process on the test database.
"""
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = SHARED_DATA / "seed" / "000_864237390d45e851.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_report_header(config):
    from elasticsearch import Elasticsearch

    try:
        info = Elasticsearch(settings.ELASTICSEARCH_URL).info()
        version = info["version"]["number"]
    except Exception as exc:  # the header must not hide the real failure below it
        version = f"unreachable ({exc})"
    return [
        f"Elasticsearch: {version} at {settings.ELASTICSEARCH_URL}",
        f"Database: {settings.DATABASES['default']['ENGINE']}",
        f"Broker: {settings.CELERY_BROKER_URL}",
    ]


def pytest_collection_modifyitems(items):
    """Each test gets its tier's marker (unit under tests/unit, integration elsewhere), so
    `-m unit`, `-m integration`, `-m browser` and `-m drill` select a tier.

    The worker sees only committed rows: started among transaction-wrapped tests, its
    reconciler would take their uncommitted articles' index copies for orphans and delete them.
    A worker test must be transactional, which pytest-django runs after those tests."""
    unit_folder = Path(__file__).parent / "unit"
    for item in items:
        item.add_marker(pytest.mark.unit if unit_folder in item.path.parents else pytest.mark.integration)
        if "worker" not in item.fixturenames:
            continue
        marker = item.get_closest_marker("django_db")
        if not (marker and (marker.kwargs.get("transaction") or "transactional_db" in item.fixturenames)):
            raise pytest.UsageError(f"{item.nodeid} uses the worker: mark it django_db(transaction=True)")


def wait_until(condition, timeout=60, interval=0.5, message="condition"):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {message}")


@pytest.fixture
def elasticsearch_down():
    """Point the client at a closed port (a real connection that fails), then restore it."""
    from elasticsearch.dsl.connections import connections

    connections.create_connection(alias="default", hosts=["http://127.0.0.1:9"], request_timeout=2)
    yield
    connections.create_connection(alias="default", **settings.ELASTICSEARCH_DSL["default"])


@pytest.fixture
def client():
    """Django's test client; every answer of an API view is checked against the OpenAPI description."""
    from .contract import ContractClient

    return ContractClient()


@pytest.fixture
def staff_login(db):
    """A superuser's (username, password)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("editor", "editor@example.com", "s3cret-pass")
    return "editor", "s3cret-pass"


def log_in_to_admin(page, base_url, credentials, next_path):
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.fill("#id_username", credentials[0])
    page.fill("#id_password", credentials[1])
    page.click("input[type=submit]")


@pytest.fixture
def search_index(db):
    """A fresh, empty test index (the prefix keeps the development index untouched)."""
    from articles import indexing

    indexing.delete_index()
    indexing.ensure_index()
    yield
    indexing.delete_index()


@pytest.fixture
def archive(search_index):
    """The small archive of tests/archive.py, stored and indexed."""
    from .archive import build_archive

    return build_archive()


FAR_DATES = {"far future": date(9999, 12, 31), "far past": date(2, 1, 1)}


@pytest.fixture
def archive_with_far_dates(search_index):
    """The small archive plus two Putin articles written straight to the database with dates
    the window refuses, as a store from before the window holds them, and indexed."""
    from articles.indexing import index_articles
    from articles.models import Article

    from .archive import PUTIN, build_archive, make_article

    rows = build_archive()
    for label, day in FAR_DATES.items():
        make_article(f"Putin item dated {label}", f"Vladimir Putin spoke ({label}).", "Wire", day,
                     [(PUTIN, "Vladimir Putin")])
    index_articles(Article.objects.all(), refresh=True)
    return rows


@pytest.fixture
def archive_with_a_far_date(search_index):
    """Twenty wires of 1987, one item dated 2005 and two undated ones (tests/archive.py, FAR_DATED)."""
    from .archive import FAR_DATED, build_archive

    return build_archive(FAR_DATED)


@pytest.fixture(scope="session")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """make run's worker and scheduler (deploy/supervisord.conf, without the web app) on
    the test database."""
    from celery import current_app

    test_db = settings.DATABASES["default"]["NAME"]
    run_dir = tmp_path_factory.mktemp("worker")
    env = {**os.environ, "NEWSARCHIVE_WEB": "false", "NEWSARCHIVE_RUN_DIR": str(run_dir),
           "NEWSARCHIVE_PYTHON": sys.executable, "WEB_PORT": "0"}
    # Batch searches in small, slow chunks, so that a test list of 20 lines runs in several
    # (its progress can be watched, a restart can fall between them), and a stalled one is
    # taken up within seconds.
    env = {"BATCH_CHUNK": "5", "BATCH_RATE_LIMIT": "30/m", "BATCH_STALL": "10", **env}
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{test_db}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{test_db}"
    current_app.connection_for_write().ensure_connection(max_retries=3)
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "newsarchive", "purge", "-f"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    log = open(run_dir / "supervisord.out", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "supervisor.supervisord", "-c", str(ROOT / "deploy" / "supervisord.conf")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: " ready." in Path(log.name).read_text() or process.poll() is not None,
            timeout=120, message="the Celery worker to start",
        )
        if process.poll() is not None:
            pytest.fail(f"supervisord exited:\n{Path(log.name).read_text()[-3000:]}")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def run_service_script(function):
    """Call a function of scripts/services.sh (the same code `make test` uses)."""
    subprocess.run(
        ["bash", "-c", f"source scripts/services.sh && {function}"], cwd=ROOT, check=True
    )


@pytest.fixture
def stopped_elasticsearch():
    """Really stop the Elasticsearch node; it is started again however the test ends."""
    run_service_script("stop_elasticsearch")
    try:
        yield lambda: run_service_script("start_elasticsearch")
    finally:
        run_service_script("start_elasticsearch")


@pytest.fixture
def stopped_redis():
    """Really stop the Redis broker; it is started again however the test ends."""
    run_service_script("stop_redis")
    try:
        yield
    finally:
        run_service_script("start_redis")

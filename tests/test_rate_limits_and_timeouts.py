"""Bounded work: one client over its rate gets a 429 at once, the others are served; a slow
search ends as "unavailable". Counted in the real Redis of the test stack, per client address
(each test uses addresses of its own, so counts never carry over)."""
import socket
import threading
import time

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

LIMITS = {"search": "3/m", "api": "3/m", "login": "3/m", "upload": "3/h"}


def reader(address):
    return Client(REMOTE_ADDR=address)


@override_settings(RATE_LIMITS=LIMITS)
def test_a_client_over_its_search_rate_gets_a_429_and_others_are_served(search_index):
    flooder = reader("203.0.113.10")
    answers = [flooder.get("/", {"q": "oil"}).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 429, 429]
    refused = flooder.get("/", {"q": "oil"})
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()
    assert reader("203.0.113.11").get("/", {"q": "oil"}).status_code == 200
    assert flooder.get("/healthz").status_code == 200  # the health probe is never limited


@override_settings(RATE_LIMITS=LIMITS)
def test_the_api_over_its_rate_answers_429_in_json(search_index):
    flooder = reader("203.0.113.20")
    for _ in range(3):
        assert flooder.get("/api/search", {"q": "oil"}).status_code == 200

    refused = flooder.get("/api/search", {"q": "oil"})

    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert "Too many requests" in refused.json()["detail"]


@override_settings(RATE_LIMITS=LIMITS)
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_login_attempts_over_the_rate_are_refused_before_any_password_is_checked(path, staff_login):
    flooder = reader("203.0.113.30")
    for _ in range(3):
        flooder.post(path, {"username": "editor", "password": "wrong"})

    refused = flooder.post(path, {"username": "editor", "password": staff_login[1]})

    assert refused.status_code == 429
    assert "_auth_user_id" not in flooder.session
    assert reader("203.0.113.31").post(path, {"username": "editor", "password": staff_login[1]}).status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_sign_in_while_the_process_checks_another_password_gets_a_429_at_once(path, staff_login):
    from newsarchive import limits

    assert limits._password_checks.acquire(blocking=False)  # another reader's check under way
    try:
        refused = reader("203.0.113.35").post(path, {"username": "editor", "password": staff_login[1]})
    finally:
        limits._password_checks.release()
    signed_in = reader("203.0.113.35").post(path, {"username": "editor", "password": staff_login[1]})

    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert "busy checking other sign-ins" in refused.content.decode()
    assert signed_in.status_code == 302  # the slot was given back


@override_settings(RATE_LIMITS={**LIMITS, "search": "1/m"})
def test_a_signed_in_reader_is_one_client_from_any_address(search_index):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("reader", "reader@example.com", "a-long-passphrase")
    at_work, at_home = reader("203.0.113.40"), reader("203.0.113.41")
    at_work.force_login(user)
    at_home.force_login(user)

    assert at_work.get("/", {"q": "oil"}).status_code == 200
    assert at_home.get("/", {"q": "oil"}).status_code == 429


@override_settings(RATE_LIMITS=LIMITS, CACHES={"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}})
def test_search_goes_on_unlimited_when_the_cache_cannot_be_reached(search_index):
    flooder = reader("203.0.113.50")

    assert [flooder.get("/", {"q": "oil"}).status_code for _ in range(5)] == [200] * 5


@pytest.fixture
def elasticsearch_silent(search_index):
    """The app's client pointed at a server that takes the connection and the request and never
    answers (a hung node), at the client's own 30 s timeout; restored after."""
    from django.conf import settings
    from elasticsearch.dsl.connections import connections

    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # read nothing, answer nothing
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    connections.create_connection(alias="default", **{**settings.ELASTICSEARCH_DSL["default"],
                                                      "hosts": [f"http://127.0.0.1:{port}"]})
    yield
    connections.create_connection(alias="default", **settings.ELASTICSEARCH_DSL["default"])
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


@override_settings(ELASTICSEARCH_SEARCH_TIMEOUT=0.5)
@pytest.mark.parametrize("path", ["/", "/api/search"])
def test_a_search_that_outlasts_its_timeout_says_search_is_unavailable_at_once(elasticsearch_silent, path):
    started = time.monotonic()
    answer = reader("203.0.113.60").get(path, {"q": "oil"})

    assert answer.status_code == 503
    assert time.monotonic() - started < 5  # the reader's timeout, not the client's 30 s

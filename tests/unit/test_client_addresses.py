"""A client's address for rate limits and lockouts: the connection's, or, behind the proxies
we run, the one they saw; never what the client itself wrote into X-Forwarded-For."""
from django.test import RequestFactory, override_settings

from newsarchive.clients import client_ip


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_ip(request("198.51.100.7", forwarded="203.0.113.9")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_client_is_the_address_it_appended():
    assert client_ip(request("10.0.0.2", forwarded="203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=1)
def test_addresses_the_client_wrote_before_the_proxys_are_not_believed():
    assert client_ip(request("10.0.0.2", forwarded="1.2.3.4, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_client_is_two_hops_from_the_right():
    assert client_ip(request("10.0.0.3", forwarded="1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_an_ipv6_client_is_its_64_network():
    assert client_ip(request("2001:db8:1:2:aaaa::1")) == client_ip(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"


@override_settings(TRUSTED_PROXIES=1)
def test_a_garbled_header_is_no_address_not_an_error():
    assert client_ip(request("10.0.0.2", forwarded="not-an-address")) is None

"""Rate limits are read as a count per period; a rate the settings cannot mean stops the start."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from newsarchive.limits import parse_rate


@pytest.mark.parametrize("rate, expected", [
    ("120/m", (120, 60)), ("10/m", (10, 60)), ("60/h", (60, 3600)), ("5/10s", (5, 10)),
    ("1000/d", (1000, 86400)), (" 3 / 2m ", (3, 120)),
])
def test_a_rate_is_requests_and_seconds(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["", "120", "120/", "120/w", "m/120", "5/0s", "-1/m", "1.5/m"])
def test_a_rate_that_means_nothing_is_refused_with_the_expected_form(rate):
    with pytest.raises(ImproperlyConfigured, match="120/m"):
        parse_rate(rate)

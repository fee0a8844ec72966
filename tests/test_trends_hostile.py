"""Hostile input to the trends never gives a 5xx: generated requests to compare and rising.

The same checks as tests/test_hostile_input.py (a 2xx, or a 4xx with a message, JSON from
the API, no answer over its size cap), with its value strategies and its archive with two
far-dated records, on the trends' own parameters.
"""
import hypothesis
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from trends.params import DATE_FIELDS, SERIES_FIELDS

from .test_hostile_input import FUZZ, check, parameters, query_string, values

COMPARE_URLS = ["/compare", "/api/compare", "/api/compare.csv"]
RISING_URLS = ["/rising", "/api/rising"]
names = st.one_of(
    st.tuples(st.sampled_from(SERIES_FIELDS), st.integers(min_value=0, max_value=6).map(str)).map("".join),
    st.tuples(st.sampled_from(SERIES_FIELDS), st.sampled_from(["١", "²", "01", "9" * 30, "-1", " 1"])).map("".join),
    st.sampled_from([*DATE_FIELDS, "measure"]),
    st.text(max_size=5),
)
compare_parameters = st.lists(st.tuples(names, values), max_size=12)


@pytest.mark.slow
@hypothesis.settings(FUZZ, max_examples=250)
@given(pairs=compare_parameters)
@example(pairs=[("q1", "oil"), ("date_from", "0001-01-01"), ("date_to", "9998-12-31")])
@example(pairs=[("q1", "oil"), ("date_from", "9998-12-01")])
@example(pairs=[("q1", "\x00"), ("person2", "\x00")])
@example(pairs=[(f"q{n}", "x") for n in range(1, 5)] + [("measure", "share")])
@example(pairs=[("country1", "us")] * 1001)  # more than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
def test_compare_parameters_never_give_a_5xx(archive_with_far_dates, pairs):
    query = query_string(pairs)
    for path in COMPARE_URLS:
        check(f"{path}?{query}")


@pytest.mark.slow
@hypothesis.settings(FUZZ, max_examples=150)
@given(pairs=parameters)
@example(pairs=[("date_from", "0001-01-01")])
@example(pairs=[("date_to", "0001-01-02")])
@example(pairs=[("date_from", "0001-01-01"), ("date_to", "9998-12-31")])
def test_rising_parameters_never_give_a_5xx(archive_with_far_dates, pairs):
    query = query_string(pairs)
    for path in RISING_URLS:
        check(f"{path}?{query}")

"""Dates anywhere Python can hold them, through every piece of period arithmetic: the
accepted-date window, the search's date filter, the histogram, the date trail, the
comparison's periods and rising's periods (property-based, no service needed).

One article dated 9999-12-31 once made every search answer 500: these properties say that
no date, range or count of that kind can raise, and that the histogram stays bounded."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import datewindow
from articles.models import Article
from articles.search import SearchParamError, SearchParams, parse_search_params
from articles.search.clauses import date_range_query
from articles.search.dates import MAX_FILLED_BARS, date_buckets, period_end, period_start
from articles.search.params import LAST_DATE
from articles.web.pages import date_trail, timeline_bars
from trends.compare import aligned_buckets
from trends.periods import rising_periods

ANY_DAY = st.dates()
IN_WINDOW = st.dates(min_value=date(1800, 1, 1), max_value=date.today())
COUNTS = st.dictionaries(ANY_DAY, st.integers(min_value=1, max_value=10**6), max_size=30)
UNITS = st.sampled_from(["day", "month", "year"])


@st.composite
def date_ranges(draw, days=ANY_DAY):
    """SearchParams with no range, an open one or a closed one, as the search form allows."""
    first = draw(st.none() | days.filter(lambda d: d <= LAST_DATE))
    last = draw(st.none() | days.filter(lambda d: d <= LAST_DATE and (first is None or d >= first)))
    return SearchParams(date_from=first, date_to=last)


def check_buckets(buckets, counts):
    """Every article counted once, in periods that follow one another without overlap."""
    assert sum(b["count"] for b in buckets) == sum(counts.values())
    spans = [(date.fromisoformat(b["date_from"]), date.fromisoformat(b["date_to"])) for b in buckets]
    assert all(first <= last for first, last in spans)
    assert all(before[1] < after[0] for before, after in zip(spans, spans[1:]))


@given(ANY_DAY, UNITS)
def test_every_day_lies_in_its_period(day, unit):
    start = period_start(day, unit)
    assert start <= day <= period_end(start, unit)


@given(COUNTS, date_ranges())
def test_the_histogram_never_fails_and_counts_every_article_once(counts, params):
    counts = {day: n for day, n in counts.items()
              if (params.date_from or date.min) <= day <= (params.date_to or date.max)}
    check_buckets(date_buckets(counts, params), counts)


@given(st.dictionaries(IN_WINDOW, st.integers(min_value=1, max_value=100), max_size=30), date_ranges())
def test_the_histogram_of_accepted_dates_has_a_bounded_number_of_bars(counts, params):
    counts = {day: n for day, n in counts.items()
              if (params.date_from or date.min) <= day <= (params.date_to or date.max)}
    assert len(date_buckets(counts, params)) <= MAX_FILLED_BARS


def test_a_histogram_from_year_2_to_9999_does_not_fail():
    counts = {date(2, 1, 1): 1, date(9999, 12, 31): 1}
    buckets = date_buckets(counts, SearchParams())
    assert [b["value"] for b in buckets] == ["0002", "9999"]
    assert buckets[-1]["date_to"] == "9999-12-31"


@given(COUNTS, COUNTS, date_ranges())
def test_a_comparisons_series_share_the_periods_of_all_articles(series, others, params):
    everything = {day: series.get(day, 0) + others.get(day, 0) for day in {*series, *others}}
    periods = aligned_buckets(everything, everything, params)
    points = aligned_buckets(series, everything, params)
    assert [p["value"] for p in points] == [p["value"] for p in periods]


@given(date_ranges(), ANY_DAY)
def test_rising_compares_two_periods_of_the_same_length_that_do_not_overlap(params, latest):
    (start, end), (before_start, before_end) = rising_periods(params.date_from, params.date_to, latest)
    assert start <= end and before_start <= before_end
    assert before_end < start or start == date.min


@given(date_ranges())
def test_the_date_filter_only_ever_asks_for_accepted_dates(params):
    bounds = date_range_query(params.date_from, params.date_to).to_dict()["range"]["published_at"]
    assert bounds["gte"] >= datewindow.earliest().isoformat()
    assert bounds["lt"] <= (datewindow.latest() + timedelta(days=1)).isoformat()


@given(date_ranges())
def test_the_date_trail_and_timeline_draw_any_range(params):
    assert date_trail(params, "/")[0]["label"] == "All dates"
    counts = {day: 1 for day in (params.date_from, params.date_to) if day}
    assert len(timeline_bars(date_buckets(counts, params), params, "/")) == len(date_buckets(counts, params))


@given(st.datetimes(timezones=st.just(timezone.utc)))
def test_an_article_date_is_kept_exactly_when_the_window_accepts_it(published_at):
    kept, note = datewindow.checked(published_at)
    if datewindow.earliest() <= published_at.date() <= datewindow.latest():
        assert (kept, note) == (published_at, "")
    else:
        assert kept is None and published_at.date().isoformat() in note


def test_the_window_runs_from_1800_to_two_days_ahead():
    today = datetime.now(timezone.utc).date()
    assert datewindow.checked(datetime.combine(date(1800, 1, 1), time(0), timezone.utc))[1] == ""
    assert datewindow.checked(datetime.combine(today + timedelta(days=2), time(0), timezone.utc))[1] == ""
    assert datewindow.checked(datetime.combine(date(1799, 12, 31), time(0), timezone.utc))[0] is None
    assert datewindow.checked(datetime.combine(today + timedelta(days=3), time(0), timezone.utc))[0] is None


@settings(max_examples=300)
@given(st.text(max_size=12) | ANY_DAY.map(date.isoformat), st.text(max_size=12) | ANY_DAY.map(date.isoformat))
def test_any_date_parameters_give_params_or_a_clear_refusal(date_from, date_to):
    data = QueryDict(mutable=True)
    data.update({"date_from": date_from, "date_to": date_to})
    try:
        params = parse_search_params(data)
    except SearchParamError as exc:
        assert str(exc)
    else:
        date_range_query(params.date_from, params.date_to)


def test_staff_cannot_type_an_article_date_outside_the_window():
    field = Article._meta.get_field("published_at")

    with pytest.raises(ValidationError, match="Article dates must be from 1800-01-01"):
        field.run_validators(datetime(9999, 12, 31, tzinfo=timezone.utc))
    field.run_validators(datetime(1987, 3, 5, tzinfo=timezone.utc))

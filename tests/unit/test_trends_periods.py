"""The two periods "what is rising" compares (no service needed)."""
from datetime import date

from trends.periods import rising_periods, span_label

LATEST = date(1987, 6, 16)


def test_without_dates_the_archives_last_30_days_are_compared_with_the_30_before():
    assert rising_periods(None, None, LATEST) == (
        (date(1987, 5, 18), date(1987, 6, 16)), (date(1987, 4, 18), date(1987, 5, 17)),
    )


def test_a_chosen_range_is_compared_with_the_days_just_before_it_of_the_same_length():
    assert rising_periods(date(1987, 3, 1), date(1987, 3, 31), LATEST) == (
        (date(1987, 3, 1), date(1987, 3, 31)), (date(1987, 1, 29), date(1987, 2, 28)),
    )


def test_an_open_end_is_the_archives_latest_day():
    assert rising_periods(date(1987, 6, 1), None, LATEST)[0] == (date(1987, 6, 1), LATEST)


def test_an_open_start_is_30_days_before_the_end():
    assert rising_periods(None, date(1987, 4, 30), LATEST)[0] == (date(1987, 4, 1), date(1987, 4, 30))


def test_a_start_after_the_archives_last_day_is_a_period_of_one_day():
    assert rising_periods(date(2030, 1, 1), None, LATEST)[0] == (date(2030, 1, 1), date(2030, 1, 1))


def test_the_widest_range_does_not_overflow_the_calendar():
    current, previous = rising_periods(date(1, 1, 1), date(9998, 12, 31), LATEST)

    assert previous == (date.min, date.min)


def test_a_span_reads_as_its_first_and_last_day():
    assert span_label(date(1987, 3, 1), date(1987, 3, 31)) == "1 Mar 1987 – 31 Mar 1987"
    assert span_label(date(1987, 3, 1), date(1987, 3, 1)) == "1 Mar 1987"

"""The two periods "what is rising" compares: the chosen one and the one just before it.

Without a date range the chosen period is the archive's last 30 days (ending on its
latest dated article, far dates aside: see the timeline's `far_dates`), not a calendar
month: a month that has only begun, or follows a month without articles, would compare a
handful of articles with nothing.
"""
from datetime import date, timedelta

from articles.search import period_label

DEFAULT_DAYS = 30


def _shifted(day, days):
    """`day` moved by `days`, kept within the dates Python can hold."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.min if days < 0 else date.max


def rising_periods(date_from, date_to, latest):
    """((start, end) chosen, (start, end) before it, of the same length), inclusive days.

    An open end is the archive's latest day (`latest`); an open start is DEFAULT_DAYS
    before the end.
    """
    end = date_to or max(latest, date_from or latest)
    start = date_from or _shifted(end, 1 - DEFAULT_DAYS)
    length = (end - start).days + 1
    return (start, end), (_shifted(start, -length), _shifted(start, -1))


def span_label(start, end):
    """"1 Mar 1987 – 31 Mar 1987", or the day alone."""
    first, last = period_label(start, "day"), period_label(end, "day")
    return first if start == end else f"{first} – {last}"

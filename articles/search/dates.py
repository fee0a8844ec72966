"""Date periods: the histogram's interval, and its counts as a timeline of periods.

Short ranges are counted by day, the rest by month, rolled up into years over long
spans; gaps are filled so the timeline shows quiet periods as empty, not missing.
"""
from datetime import date, timedelta

DAY_INTERVAL_MAX_DAYS = 62  # narrower date ranges get a histogram by day
MAX_MONTH_BARS = 36  # longer spans are shown by year
MAX_FILLED_BARS = 400  # a chosen range is drawn whole (empty bars included) up to this many bars

# unit: (length of the period's ISO value, its label)
PERIOD_FORMATS = {
    "year": (4, "{d.year}"),
    "month": (7, "{d:%b} {d.year}"),
    "day": (10, "{d.day} {d:%b} {d.year}"),
}


def histogram_interval(date_from, date_to):
    """By day inside a short range, else by month (rolled up into years over long spans)."""
    if date_from and date_to and (date_to - date_from).days < DAY_INTERVAL_MAX_DAYS:
        return "day"
    return "month"


def period_start(day, unit):
    if unit == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1) if unit == "month" else day


def period_end(start, unit):
    """The last day of the period that begins on `start` (date.max for the last one Python holds)."""
    following = _next_period(start, unit)
    return following - timedelta(days=1) if following else date.max


def period_label(start, unit):
    return PERIOD_FORMATS[unit][1].format(d=start)


def _next_period(day, unit):
    """The first day of the period after the one that begins on `day`; None past date.max."""
    try:
        if unit == "year":
            return date(day.year + 1, 1, 1)
        if unit == "month":
            return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return day + timedelta(days=1)
    except (ValueError, OverflowError):
        return None


def _periods(first, last, unit):
    day = period_start(first, unit)
    while day is not None and day <= last:
        yield day
        day = _next_period(day, unit)


def _period_count(first, last, unit):
    """How many periods of `unit` the days [first, last] touch (counted, not listed)."""
    if unit == "year":
        return last.year - first.year + 1
    if unit == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days + 1


def date_buckets(counts, params):
    """{first day of period: count} as periods, gaps filled, months rolled into years over
    long spans; each period's dates are clipped to the chosen range.

    A chosen range is drawn whole when it fits in MAX_FILLED_BARS periods, else the span of
    the counts; a span longer even than that shows only its non-empty periods.
    """
    if not counts:
        return []
    span = (min(counts), max(counts))
    if params.date_from and params.date_to:
        span = (params.date_from, params.date_to)
    unit = histogram_interval(params.date_from, params.date_to)
    if unit == "month" and _period_count(*span, unit) > MAX_MONTH_BARS:
        unit = "year"
    if _period_count(*span, unit) > MAX_FILLED_BARS:
        span = (min(counts), max(counts))
    totals = dict.fromkeys(_periods(*span, unit), 0) if _period_count(*span, unit) <= MAX_FILLED_BARS else {}
    for day, count in counts.items():
        start = period_start(day, unit)
        totals[start] = totals.get(start, 0) + count
    return [_date_bucket(start, unit, count, params) for start, count in sorted(totals.items())]


def _date_bucket(start, unit, count, params):
    end = period_end(start, unit)
    date_from = max(start, params.date_from) if params.date_from else start
    date_to = min(end, params.date_to) if params.date_to else end
    return {
        "value": start.isoformat()[: PERIOD_FORMATS[unit][0]],
        "label": period_label(start, unit),
        "count": count,
        "selected": (date_from, date_to) == (params.date_from, params.date_to),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }

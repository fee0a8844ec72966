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
    """The last day of the period that begins on `start`."""
    return _next_period(start, unit) - timedelta(days=1)


def period_label(start, unit):
    return PERIOD_FORMATS[unit][1].format(d=start)


def _next_period(day, unit):
    if unit == "year":
        return date(day.year + 1, 1, 1)
    if unit == "month":
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return day + timedelta(days=1)


def _periods(first, last, unit):
    day = period_start(first, unit)
    while day <= last:
        yield day
        day = _next_period(day, unit)


def _months_between(first, last):
    return (last.year - first.year) * 12 + last.month - first.month + 1


def date_buckets(counts, params):
    """{first day of period: count} as periods, gaps filled, months rolled into years over
    long spans; each period's dates are clipped to the chosen range."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if params.date_from and params.date_to:
        first, last = params.date_from, params.date_to
    unit = histogram_interval(params.date_from, params.date_to)
    if unit == "month" and _months_between(first, last) > MAX_MONTH_BARS:
        unit = "year"
    periods = list(_periods(first, last, unit))
    if len(periods) > MAX_FILLED_BARS:
        periods = list(_periods(min(counts), max(counts), unit))
    totals = dict.fromkeys(periods, 0)
    for day, count in counts.items():
        totals[period_start(day, unit)] += count
    return [_date_bucket(start, unit, count, params) for start, count in totals.items()]


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

"""Date periods: the histogram's interval, and its counts as a timeline of periods.

Short ranges are counted by day, the rest by month, rolled up into years over long
spans; gaps are filled so the timeline shows quiet periods as empty, not missing.
A few articles dated far from all the others are left off the timeline and named
beside it (`far_dates`), so that they do not squeeze the rest into one bar.
"""
from datetime import date, timedelta

DAY_INTERVAL_MAX_DAYS = 62  # narrower date ranges get a histogram by day
MAX_MONTH_BARS = 36  # longer spans are shown by year
MAX_FILLED_BARS = 400  # a chosen range is drawn whole (empty bars included) up to this many bars

# Far dates (see `far_dates`): at most one dated article in a hundred (one, below two hundred)
# is left off the timeline, never any among fewer than FAR_MIN_ARTICLES, and only across an
# empty stretch longer than FAR_MIN_GAP.
FAR_SHARE = 0.01
FAR_MIN_ARTICLES = 20  # fewer dated articles are too few to tell a stray date from a sparse archive
FAR_MIN_GAP = timedelta(days=366)  # a shorter stretch still fits the timeline by month

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


def period_unit(value):
    """The unit of a period's ISO value ("1987" a year, "1987-03" a month, "1987-03-05" a day)."""
    return next(unit for unit, (length, _) in PERIOD_FORMATS.items() if length == len(value))


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


def far_dates(counts, params):
    """({day: count} of the timeline's articles, [{day: count} of far dates before them,
    of far dates after them], the empty ones left out) from {first day of period: count}.

    Far dates are the articles at either end that are separated from all the others by an
    empty stretch longer than the others' own span (drawn, they would squeeze the others
    into less than half of the timeline) and longer than FAR_MIN_GAP, and that together
    are few: at most FAR_SHARE of the dated articles (one article below two hundred), none
    among fewer than FAR_MIN_ARTICLES. Gaps rather than percentiles: a percentile cut
    drops the ends of any archive, near or far, and has nothing to cut below a hundred
    articles. A chosen range (both ends) is drawn whole, as the reader asked.
    """
    total = sum(counts.values())
    if (params.date_from and params.date_to) or total < FAR_MIN_ARTICLES:
        return counts, []
    allowed = max(1, int(total * FAR_SHARE))
    kept = sorted(counts)
    before: list[date] = []
    after: list[date] = []
    while True:  # an end cut off can make the other end's gap the longer one
        early = _far_end(kept[::-1], counts, allowed - _articles(before + after, counts))
        before, kept = before + kept[:early], kept[early:]
        late = _far_end(kept, counts, allowed - _articles(before + after, counts))
        after, kept = kept[len(kept) - late:] + after, kept[: len(kept) - late]
        if not (early or late):
            break
    groups = [{day: counts[day] for day in days} for days in (before, after) if days]
    return {day: counts[day] for day in kept}, groups


def _articles(days, counts):
    return sum(counts[day] for day in days)


def _far_end(days, counts, allowed):
    """How many days at the end of `days` (ordered towards that end) are far from the rest:
    the most of them, holding at most `allowed` articles, that an empty stretch longer than
    the rest's span and than FAR_MIN_GAP separates from the rest."""
    far = articles = 0
    for k in range(1, len(days)):
        articles += counts[days[-k]]
        if articles > allowed:
            break
        rest_span = abs(days[-k - 1] - days[0])
        if abs(days[-k] - days[-k - 1]) > max(rest_span, FAR_MIN_GAP):
            far = k
    return far


def far_group(counts, params):
    """One group of far dates (`far_dates`) as the timeline names it: its articles, years and range."""
    first, last = min(counts), period_end(max(counts), histogram_interval(params.date_from, params.date_to))
    years = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    return {
        "label": years,
        "count": sum(counts.values()),
        "date_from": max(first, params.date_from).isoformat() if params.date_from else first.isoformat(),
        "date_to": min(last, params.date_to).isoformat() if params.date_to else last.isoformat(),
    }


def timeline(counts, params):
    """(the timeline's periods (`date_buckets`), its far dates (`far_group`)) of {first day of
    a period of the histogram: count}."""
    kept, far = far_dates(counts, params)
    return date_buckets(kept, params), [far_group(group, params) for group in far]

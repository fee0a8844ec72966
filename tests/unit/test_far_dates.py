"""The timeline scales to where the articles are: a few articles dated far from all the others
are left off it and named beside it (articles/search/dates.py, `far_dates`; no service needed).

One 2005 item among 1987 news once stretched the timeline over nineteen years, 1987 a single bar."""
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from articles.search import SearchParams
from articles.search.dates import FAR_MIN_ARTICLES, far_dates, timeline

ALL = SearchParams()


def months_of_1987(articles_each=10, months=range(2, 11)):
    """Reuters-like news: `articles_each` articles in each month of 1987 from February to October."""
    return {date(1987, month, 1): articles_each for month in months}


def test_an_article_decades_from_the_rest_is_left_off_and_the_rest_is_drawn_by_month():
    counts = {**months_of_1987(), date(2005, 6, 1): 1}

    buckets, outliers = timeline(counts, ALL)

    assert [b["value"] for b in buckets] == [f"1987-{month:02}" for month in range(2, 11)]
    assert outliers == [{"label": "2005", "count": 1, "date_from": "2005-06-01", "date_to": "2005-06-30"}]


def test_far_dates_at_both_ends_are_two_groups_each_with_the_range_that_selects_it():
    counts = {date(1850, 5, 1): 1, **months_of_1987(articles_each=40), date(2004, 1, 1): 1, date(2005, 6, 1): 1}

    kept, groups = far_dates(counts, ALL)

    assert kept == months_of_1987(articles_each=40)
    assert groups == [{date(1850, 5, 1): 1}, {date(2004, 1, 1): 1, date(2005, 6, 1): 1}]
    assert timeline(counts, ALL)[1][1] == {"label": "2004–2005", "count": 2, "date_from": "2004-01-01",
                                           "date_to": "2005-06-30"}


def test_a_part_of_the_archive_is_no_outlier_however_far():
    """Reuters-21578's 1987 wires beside the Reuters news of 2006-2013: an eighth of the archive."""
    counts = {**months_of_1987(articles_each=12), **{date(year, 6, 1): 100 for year in range(2006, 2014)}}

    assert far_dates(counts, ALL) == (counts, [])


def test_at_most_one_article_in_a_hundred_is_left_off():
    more = {**months_of_1987(articles_each=30), date(2005, 6, 1): 3}  # 3 of 273: more than 1%
    fewer = {**months_of_1987(articles_each=30), date(2005, 6, 1): 2}  # 2 of 272

    assert far_dates(more, ALL) == (more, [])
    assert far_dates(fewer, ALL)[1] == [{date(2005, 6, 1): 2}]


def test_an_article_a_few_years_past_an_archive_of_decades_is_drawn():
    """Its empty stretch is shorter than the span of all the others."""
    counts = {**{date(year, 1, 1): 10 for year in range(1980, 1991)}, date(1995, 1, 1): 1}

    assert far_dates(counts, ALL) == (counts, [])


def test_an_empty_stretch_of_a_year_or_less_is_drawn():
    counts = {date(1987, 3, 1): 40, date(1988, 3, 1): 1}

    assert far_dates(counts, ALL) == (counts, [])
    assert far_dates({date(1987, 3, 1): 40, date(1988, 4, 1): 1}, ALL)[1] == [{date(1988, 4, 1): 1}]


def test_too_few_articles_tell_no_outlier():
    nineteen = {date(1987, 3, day): 1 for day in range(1, FAR_MIN_ARTICLES)}
    eighteen = {date(1987, 3, day): 1 for day in range(2, FAR_MIN_ARTICLES)}

    assert far_dates({**nineteen, date(2005, 6, 1): 1}, ALL)[1] == [{date(2005, 6, 1): 1}]
    assert far_dates({**eighteen, date(2005, 6, 1): 1}, ALL)[1] == []


def test_a_range_the_reader_chose_is_drawn_whole():
    counts = {**months_of_1987(), date(2005, 6, 1): 1}
    chosen = SearchParams(date_from=date(1980, 1, 1), date_to=date(2010, 12, 31))

    assert far_dates(counts, chosen) == (counts, [])


def test_an_open_range_still_scales_and_its_far_dates_are_clipped_to_it():
    counts = {**months_of_1987(), date(2005, 6, 1): 1}
    from_mid_june_2005 = SearchParams(date_to=date(2005, 6, 15))

    assert timeline(counts, from_mid_june_2005)[1] == [
        {"label": "2005", "count": 1, "date_from": "2005-06-01", "date_to": "2005-06-15"}]


def test_far_dates_at_the_ends_of_the_calendar_do_not_fail():
    counts = {date(1, 1, 1): 1, **months_of_1987(articles_each=100), date(9999, 12, 1): 1}

    buckets, outliers = timeline(counts, ALL)

    assert [o["label"] for o in outliers] == ["1", "9999"]
    assert outliers[1]["date_to"] == "9999-12-31"
    assert sum(b["count"] for b in buckets) + sum(o["count"] for o in outliers) == sum(counts.values())


@given(st.dictionaries(st.dates(), st.integers(min_value=1, max_value=50), max_size=40), st.booleans())
def test_far_dates_are_few_at_the_ends_and_every_article_is_counted_once(counts, open_end):
    params = SearchParams(date_to=date(9998, 12, 31)) if open_end else ALL
    kept, groups = far_dates(counts, params)
    far = [day for group in groups for day in group]

    assert sorted([*kept, *far]) == sorted(counts)
    assert all(counts[day] == n for group in [kept, *groups] for day, n in group.items())
    assert sum(counts[day] for day in far) <= max(1, sum(counts.values()) // 100)
    assert all(day < min(kept) or day > max(kept) for day in far)

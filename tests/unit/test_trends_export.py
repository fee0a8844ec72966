"""A comparison as CSV, and the links the trends block builds (no service needed)."""
import csv
import io

from trends.export import compare_csv
from trends.templatetags.trends import compare_url, query_part

RESULT = {
    "count": "articles",
    "periods": [{"value": "1987-03", "date_from": "1987-03-01", "date_to": "1987-03-31", "total": 200},
                {"value": "1987-05", "date_from": "1987-05-01", "date_to": "1987-05-31", "total": 0}],
    "series": [{"label": "“oil”", "points": [{"count": 50, "share": 0.25}, {"count": 0, "share": None}]},
               {"label": "=HYPERLINK(\"x\")", "points": [{"count": 1, "share": 1 / 200}, {"count": 0, "share": None}]}],
    "date_outliers": [],
}


def rows():
    return list(csv.reader(io.StringIO(compare_csv(RESULT))))


def test_a_row_per_period_with_each_series_count_and_share():
    assert rows()[1] == ["1987-03", "1987-03-01", "1987-03-31", "200", "50", "0.25", "1", "0.005"]


def test_counted_by_story_the_columns_say_stories():
    header = next(csv.reader(io.StringIO(compare_csv({**RESULT, "count": "stories"}))))

    assert header[3:6] == ["all_stories", "“oil”: stories", "“oil”: share"]


def test_a_period_without_articles_has_an_empty_share():
    assert rows()[2][-1] == ""


def test_the_far_dates_left_off_the_chart_are_rows_in_date_order():
    far = {"label": "2005", "date_from": "2005-06-01", "date_to": "2005-06-30", "total": 2,
           "points": [{"count": 1, "share": 0.5}, {"count": 0, "share": 0}]}
    early = {**far, "label": "1901", "date_from": "1901-01-01", "date_to": "1901-01-31"}

    table = list(csv.reader(io.StringIO(compare_csv({**RESULT, "date_outliers": [early, far]}))))

    assert [row[0] for row in table[1:]] == ["1901", "1987-03", "1987-05", "2005"]
    assert table[-1] == ["2005", "2005-06-01", "2005-06-30", "2", "1", "0.5", "0", "0"]


def test_series_are_named_in_the_header_and_a_formula_in_a_label_is_defused():
    assert rows()[0][4:] == ["“oil”: articles", "“oil”: share", "'=HYPERLINK(\"x\"): articles",
                             "'=HYPERLINK(\"x\"): share"]


def test_the_block_takes_the_query_string_of_a_search_url():
    assert (query_part("/?person=Xi+Jinping"), query_part("?q=oil"), query_part("?")) == (
        "?person=Xi+Jinping", "?q=oil", "")


def test_the_block_links_to_a_comparison_starting_from_the_search():
    assert compare_url("/?person=Xi+Jinping&page=3") == "/compare?person1=Xi+Jinping"
    assert compare_url("?") == "/compare"

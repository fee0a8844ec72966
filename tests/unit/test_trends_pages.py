"""What the compare page adds: the form's rows and the measure toggle (no service needed)."""
from django.http import QueryDict

from trends.pages import compare_page_context
from trends.params import parse_compare_params


def context(query):
    return compare_page_context(parse_compare_params(QueryDict(query)), None, "/compare")


def test_the_form_always_has_four_rows_the_series_first():
    rows = context("q1=oil&q2=gold")["rows"]

    assert [row["q"] for row in rows] == ["oil", "gold", "", ""]


def test_a_series_facet_values_are_kept_in_hidden_inputs_and_each_can_be_removed():
    (row, *_) = context("q1=gold&country1=US&country1=SA&q2=oil")["rows"]

    assert row["hidden"] == [("country1", "US"), ("country1", "SA")]
    assert [(chip["label"], chip["url"]) for chip in row["chips"]] == [
        ("Country: United States", "/compare?q1=gold&country1=SA&q2=oil"),
        ("Country: Saudi Arabia", "/compare?q1=gold&country1=US&q2=oil"),
    ]


def test_a_series_can_be_removed_and_an_empty_row_cannot():
    rows = context("q1=oil&q2=gold&measure=share")["rows"]

    assert rows[0]["remove_url"] == "/compare?q1=gold&measure=share"
    assert rows[2]["remove_url"] is None


def test_the_measure_toggle_keeps_the_series_and_marks_the_current_measure():
    measures = context("q1=oil&count=articles")["measures"]

    assert [(m["label"], m["url"], m["current"]) for m in measures] == [
        ("Number of articles", "/compare?q1=oil&count=articles", True),
        ("Share of all articles", "/compare?q1=oil&count=articles&measure=share", False),
    ]


def test_the_count_toggle_switches_between_stories_the_default_and_articles():
    page = context("q1=oil&measure=share")

    assert [(c["label"], c["url"], c["current"]) for c in page["counts"]] == [
        ("Stories", "/compare?q1=oil&measure=share", True), ("Articles", "/compare?q1=oil&count=articles&measure=share", False),
    ]
    assert [m["label"] for m in page["measures"]] == ["Number of stories", "Share of all stories"]


def test_each_far_date_left_off_the_chart_says_its_series_counts_and_links_to_its_dates_alone():
    params = parse_compare_params(QueryDict("q1=oil&q2=gold&measure=share"))
    far = {"label": "2005", "date_from": "2005-06-01", "date_to": "2005-06-30", "total": 3,
           "points": [{"count": 1, "share": 1 / 3}, {"count": 0, "share": 0.0}]}
    result = {"periods": [], "series": [{"label": "“oil”", "points": []}, {"label": "“gold”", "points": []}],
              "date_outliers": [far]}

    (note,) = compare_page_context(params, result, "/compare")["far"]

    assert (note["label"], note["total"]) == ("2005", 3)
    assert note["series"] == [{"label": "“oil”", "count": 1}, {"label": "“gold”", "count": 0}]
    assert note["url"] == "/compare?q1=oil&q2=gold&date_from=2005-06-01&date_to=2005-06-30&measure=share"

"""Compare parameters: numbered series checked by the search form, one shared date range
(no service needed)."""
from datetime import date

import pytest
from django.http import QueryDict

from articles.search import SearchParamError, SearchParams
from trends.params import CompareParams, compare_query, parse_compare_params, series_label


def parse(query):
    return parse_compare_params(QueryDict(query))


def test_numbered_parameters_make_one_series_each_in_number_order():
    params = parse("q2=gold&country2=us&q1=oil&source1=Reuters")

    assert params.series == (SearchParams(q="oil", source=("Reuters",)), SearchParams(q="gold", country=("US",)))


def test_the_date_range_is_shared_by_every_series():
    params = parse("q1=oil&q2=gold&date_from=1987-03-01&date_to=1987-04-30")

    assert (params.dates.date_from, params.dates.date_to) == (date(1987, 3, 1), date(1987, 4, 30))
    assert all(series.date_from is None for series in params.series)


def test_an_empty_row_of_the_form_is_no_series():
    assert parse("q1=&q2=gold&q3=+").series == (SearchParams(q="gold"),)


def test_a_fifth_series_is_refused():
    with pytest.raises(SearchParamError, match="At most 4 series"):
        parse("q1=a&q2=b&q3=c&q4=d&q5=e")


def test_series_zero_is_refused_like_any_number_outside_one_to_four():
    with pytest.raises(SearchParamError, match="number their parameters 1 to 4"):
        parse("country0=US")


def test_a_bad_value_names_its_series():
    with pytest.raises(SearchParamError, match=r"^Series 2: q is longer than 500 characters\.$"):
        parse(f"q1=oil&q2={'x' * 501}")


def test_bad_shared_dates_are_refused_with_the_search_forms_message():
    with pytest.raises(SearchParamError, match="date_from must be a date"):
        parse("q1=oil&date_from=1987-02-30")


def test_a_bad_value_is_reported_under_its_numbered_parameter():
    with pytest.raises(SearchParamError) as refusal:
        parse("q1=oil&successors2=yes")

    assert refusal.value.errors == (("successors2", "successors must be 1 or 0."),)


def test_no_series_is_a_comparison_of_none():
    assert parse("date_from=1987-01-01").series == ()


def test_the_measure_is_count_or_share():
    assert parse("q1=oil&measure=share").measure == "share"
    with pytest.raises(SearchParamError, match="measure must be one of: count, share"):
        parse("q1=oil&measure=percent")


def test_digits_other_than_ascii_do_not_number_a_series():
    assert parse("q\u0661=oil").series == ()


def test_the_url_numbers_each_series_and_leaves_out_defaults():
    params = CompareParams(series=(SearchParams(q="oil"), SearchParams(country=("SA",))),
                           dates=SearchParams(date_from=date(1987, 3, 1)), measure="share")

    assert params.url("/compare") == "/compare?q1=oil&country2=SA&date_from=1987-03-01&measure=share"
    assert parse(params.url()[1:]) == params


def test_removing_a_series_renumbers_the_rest():
    params = parse("q1=oil&q2=gold&q3=wheat")

    assert params.without_series(1).url() == "?q1=oil&q2=wheat"


def test_a_search_becomes_the_first_series_of_a_comparison_with_its_dates():
    assert compare_query("?q=oil&country=SA&country=IR&date_from=1987-03-01&page=2&sort=date") == (
        "q1=oil&country1=SA&country1=IR&date_from=1987-03-01"
    )


def test_a_series_reads_as_its_words_and_its_facet_values():
    params = SearchParams(q="oil", country=("SA", "IR"), source=("Reuters",))

    assert series_label(params) == "“oil” · Country: Saudi Arabia or Iran · Source: Reuters"
    assert series_label(SearchParams()) == "All articles"

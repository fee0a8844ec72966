"""The compare chart's SVG geometry (no service needed)."""
from trends.chart import HEIGHT, LEFT, RIGHT, TOP, WIDTH, axis_indices, format_share, line_chart, line_path, nice_step

BOTTOM = HEIGHT - 32


def point(count, share, url="/?q=x"):
    return {"count": count, "share": share, "url": url}


def result(*rows, what="articles"):
    periods = [{"value": f"p{i}", "label": f"P{i}", "date_from": "", "date_to": "", "total": 100}
               for i in range(len(rows[0]))]
    series = [{"label": f"S{n}", "search_url": "/", "total": 0, "points": row} for n, row in enumerate(rows)]
    return {"count": what, "periods": periods, "series": series}


def test_axis_steps_are_one_two_two_and_a_half_or_five_times_a_power_of_ten():
    assert [nice_step(v) for v in (0.7, 3, 12, 0.0031, 0.25)] == [1, 5, 20, 0.005, 0.25]


def test_counts_step_by_whole_numbers():
    assert [nice_step(v, whole=True) for v in (0.3, 2.2, 22)] == [1, 5, 25]


def test_each_period_is_a_slot_and_its_points_sit_in_the_middle():
    chart = line_chart(result([point(1, 0.01), point(2, 0.02)]), "count")
    slot = (WIDTH - LEFT - RIGHT) / 2

    assert [p["x"] for p in chart["lines"][0]["points"]] == [round(LEFT + slot / 2, 2), round(LEFT + 1.5 * slot, 2)]


def test_the_axis_tops_out_at_a_round_number_above_the_peak():
    chart = line_chart(result([point(0, 0), point(7, 0.07)]), "count")

    assert [t["label"] for t in chart["y_ticks"]] == ["0", "2", "4", "6", "8"]
    assert chart["y_ticks"][0]["y"] == BOTTOM and chart["y_ticks"][-1]["y"] == TOP
    assert chart["lines"][0]["points"][0]["y"] == BOTTOM


def test_shares_are_drawn_against_an_axis_in_percent():
    chart = line_chart(result([point(1, 0.004), point(3, 0.012)]), "share")

    assert [t["label"] for t in chart["y_ticks"]] == ["0.0%", "0.5%", "1.0%", "1.5%", "2.0%"]


def test_a_period_without_a_share_breaks_the_line():
    chart = line_chart(result([point(1, 0.1), point(0, None), point(2, 0.2), point(3, 0.3)]), "share")

    assert chart["lines"][0]["path"].count("M") == 2
    assert len(chart["lines"][0]["points"]) == 3


def test_a_point_without_articles_is_not_a_link():
    chart = line_chart(result([point(0, 0.0), point(4, 0.04)]), "count")

    assert [p["url"] for p in chart["lines"][0]["points"]] == [None, "/?q=x"]


def test_a_point_says_its_series_period_count_and_share():
    chart = line_chart(result([point(12, 0.12)]), "count")

    assert chart["lines"][0]["points"][0]["text"] == "S0, P0: 12 articles, 12.0% of 100"
    counted_by_story = line_chart(result([point(1, 0.01), point(0, None)], what="stories"), "count")
    assert [p["text"] for p in counted_by_story["lines"][0]["points"]] == [
        "S0, P0: 1 story, 1.0% of 100", "S0, P1: 0 stories (no stories at all in this period)"]
    assert counted_by_story["title"] == "Matching stories"


def test_each_series_has_its_own_colour_and_dash():
    chart = line_chart(result([point(1, 0.1)], [point(2, 0.2)]), "count")

    first, second = chart["lines"]
    assert first["colour"] != second["colour"] and first["dash"] != second["dash"]


def test_a_path_moves_to_its_first_point_and_draws_to_the_next():
    assert line_path([(1, 2), (3, 4), None, (5, 6)]) == "M1 2 L3 4 M5 6"


def test_long_axes_label_six_periods_spread_evenly_with_both_ends():
    assert axis_indices(3) == [0, 1, 2]
    assert axis_indices(31) == [0, 6, 12, 18, 24, 30]


def test_small_shares_keep_two_decimals():
    assert (format_share(0.0004), format_share(0.25), format_share(0)) == ("0.04%", "25.0%", "0.0%")


def test_no_periods_no_chart():
    assert line_chart({"periods": [], "series": []}, "count") is None

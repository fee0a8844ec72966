"""What the trends pages add to their results: the compare form's rows, the measure
toggle, the chart's geometry and the table of its numbers; shares as text. Plain
functions, no index access."""
from articles.search import COUNTS, FACETS, WIDENED

from .chart import STYLES, format_count, format_share, line_chart
from .compare import period_params
from .params import MAX_SERIES, MEASURES, series_label
from .periods import DEFAULT_DAYS

MEASURE_LINKS = {"count": "Number of {what}", "share": "Share of all {what}"}  # what: stories or articles


def _row(params, index, path):
    """Row `index` of the form: the series' words, its facet values (kept in hidden inputs,
    each removable) and its style in the chart."""
    number = index + 1
    series = params.series[index] if index < len(params.series) else None
    row = {"number": number, "q": series.q if series else "", "hidden": [], "chips": [], "remove_url": None,
           **STYLES[index % len(STYLES)]}
    if series is None:
        return row
    for name, facet in FACETS.items():
        for value in getattr(series, name):
            row["hidden"].append((f"{name}{number}", value))
            fewer = params.series[:index] + (series.toggled(name, value),) + params.series[number:]
            row["chips"].append({"label": f"{facet.title}: {facet.label(value)}",
                                 "url": params.changed(series=fewer).url(path)})
    if series.widened:
        row["hidden"].append((f"successors{number}", "1"))
        narrower = params.series[:index] + (series.changed(successors=False),) + params.series[number:]
        row["chips"].append({"label": WIDENED, "url": params.changed(series=narrower).url(path)})
    row["remove_url"] = params.without_series(index).url(path)
    return row


def measure_links(params, path):
    what = params.counted
    return [{"label": MEASURE_LINKS[measure].format(what=what),
             "url": params.changed(measure=measure).url(path), "current": measure == params.measure}
            for measure in MEASURES]


def count_links(params, path):
    """The switch between counting stories and articles."""
    return [{"label": what.capitalize(), "url": params.changed(dates=params.dates.changed(count=what)).url(path),
             "current": what == params.counted} for what in COUNTS]


def _share_text(share):
    return "–" if share is None else format_share(share)


def data_table(result):
    """The chart's numbers, a row per period: each series' count and share."""
    return [
        {"period": period, "cells": [
            {"count": format_count(series["points"][i]["count"]),
             "share": _share_text(series["points"][i]["share"])}
            for series in result["series"]
        ]}
        for i, period in enumerate(result["periods"])
    ]


def far_notes(params, result, path):
    """The far dates left off the chart (`compare_result`'s `date_outliers`), each with its
    series' counts and the link to the comparison of their dates alone."""
    return [{**group, "series": [{"label": series["label"], "count": point["count"]}
                                 for series, point in zip(result["series"], group["points"])],
             "url": params.changed(dates=period_params(params.dates, group)).url(path)}
            for group in result["date_outliers"]]


def compare_page_context(params, result, path):
    """Everything the compare page shows; `result` is None before any series is given."""
    context = {
        "params": params,
        "rows": [_row(params, index, path) for index in range(MAX_SERIES)],
        "measures": measure_links(params, path),
        "counts": count_links(params, path),
        "result": result,
        "query": params.url()[1:],
    }
    if result:
        context["chart"] = line_chart(result, params.measure)
        context["table"] = data_table(result)
        context["far"] = far_notes(params, result, path)
    return context


def rising_page_context(params, rising, path):
    """The rising page: what was searched, the result, its shares as text, the switch between
    counting stories and articles."""
    groups = [
        {**group, "values": [{**item, "share_text": _share_text(item["share"]),
                              "previous_share_text": _share_text(item["previous_share"])}
                             for item in group["values"]]}
        for group in rising["groups"]
    ]
    return {"search_label": series_label(params), "rising": rising, "groups": groups,
            "default_days": DEFAULT_DAYS,
            "counts": [{"label": what.capitalize(), "url": params.changed(count=what).url(path),
                        "current": what == rising["count"]} for what in COUNTS]}

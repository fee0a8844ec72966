"""A comparison as CSV: a row per period, each series' count and share in columns.

The far dates the chart leaves off (`compare_result`'s `date_outliers`) are rows too, in
date order, labelled as the page names them: the CSV counts every article of the chart.
"""
import csv
import io

from articles.web import csv_cell

FIXED_COLUMNS = ["period", "date_from", "date_to"]


def _row(value, period, points):
    row = [value, period["date_from"], period["date_to"], period["total"]]
    for point in points:
        row += [point["count"], "" if point["share"] is None else round(point["share"], 6)]
    return row


def compare_rows(result):
    """The header, then a row per period and per group of far dates, by date (a share is
    empty for a period without articles); counts are of stories or articles, as the
    comparison counts (all_stories, ...: stories)."""
    what = result["count"]
    yield FIXED_COLUMNS + [f"all_{what}"] + [f"{series['label']}: {column}" for series in result["series"]
                                             for column in (what, "share")]
    rows = [_row(period["value"], period, [series["points"][i] for series in result["series"]])
            for i, period in enumerate(result["periods"])]
    rows += [_row(group["label"], group, group["points"]) for group in result["date_outliers"]]
    yield from sorted(rows, key=lambda row: row[1])


def compare_csv(result):
    """The CSV text, every cell defused against spreadsheet formulas (labels are user text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in compare_rows(result):
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()

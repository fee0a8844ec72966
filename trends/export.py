"""A comparison as CSV: a row per period, each series' count and share in columns."""
import csv
import io

from articles.web import csv_cell

FIXED_COLUMNS = ["period", "date_from", "date_to"]


def compare_rows(result):
    """The header, then a row per period (a share is empty for a period without articles);
    counts are of stories or articles, as the comparison counts (all_stories, ...: stories)."""
    what = result["count"]
    yield FIXED_COLUMNS + [f"all_{what}"] + [f"{series['label']}: {column}" for series in result["series"]
                                             for column in (what, "share")]
    for i, period in enumerate(result["periods"]):
        row = [period["value"], period["date_from"], period["date_to"], period["total"]]
        for series in result["series"]:
            point = series["points"][i]
            row += [point["count"], "" if point["share"] is None else round(point["share"], 6)]
        yield row


def compare_csv(result):
    """The CSV text, every cell defused against spreadsheet formulas (labels are user text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in compare_rows(result):
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()

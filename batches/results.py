"""A batch's results as the page, the API and the downloads show them: one row per line, in a
chosen order, and the CSV and XLSX files. Every text cell of a download is defused as the
search's CSV export defuses it (articles.web.csv_cell: text a spreadsheet would run as a
formula starts with an apostrophe), and XLSX cells are written as text, never as formulas."""
import csv
import io
from datetime import date

from django.db.models import F
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from articles.web import csv_cell

from .models import Line

PAGE_SIZE = 100  # lines per page of the results table
API_PAGE_SIZE = 1000  # lines per page of the API's results
# The table's orders: URL name -> (field, first on a click: descending for counts and dates).
SORTS = {"line": ("number", False), "query": ("query", False), "hits": ("hits", True), "stories": ("stories", True),
         "new": ("new", True),
         "first_seen": ("first_seen", False), "last_seen": ("last_seen", True)}
COLUMNS = ["line", "query", "date_from", "date_to", "source", "country", "status", "error", "hits", "stories",
           "new_since_last_run", "hits_last_run", "first_seen", "last_seen", "top_sources",
           "entities_mentioned_with_it", "entities_it_names", "search_url"]


def ordered(batch, sort="line", descending=False):
    """The batch's lines in the order of `sort` (a SORTS name), blanks last, then by line."""
    field, _ = SORTS[sort]
    key = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    return batch.lines.order_by(key, "number")


def search_url(line):
    """The line's own search page (its words and filters; the articles of an entity it names
    are on that entity's page)."""
    return f"{reverse('articles:search')}?{line.search_query}" if line.search_query else None


def entity_url(kind, ref):
    return reverse("articles:entity", args=[kind, ref])


def line_dict(line):
    """A line for the API."""
    return {
        "line": line.number, "query": line.query,
        **{name: getattr(line, name) for name in ("date_from", "date_to", "source", "country")},
        "status": line.status, "error": line.error, "hits": line.hits, "stories": line.stories, "new": line.new,
        "previous_hits": line.previous_hits,
        "first_seen": _iso(line.first_seen), "last_seen": _iso(line.last_seen),
        "sources": line.sources, "entities": line.entities, "named": line.named,
        "search_url": search_url(line),
    }


def _iso(day):
    return day.isoformat() if day else None


def status_dict(batch):
    """Where a batch stands, for the API and the page's progress."""
    refused = batch.lines.filter(status=Line.Status.REFUSED).count()
    urls = {name: reverse(f"batches:{view}", args=[batch.pk]) for name, view in (
        ("url", "batch"), ("status_url", "api-batch"), ("results_url", "api-results"), ("csv_url", "api-results-csv"),
        ("xlsx_url", "api-results-xlsx"))}
    return {
        "id": batch.pk, "name": batch.name, "status": batch.status,
        "lines": batch.total, "runnable": batch.runnable, "done": batch.done, "refused": refused,
        "progress": round(batch.done / batch.runnable, 4) if batch.runnable else 1.0,
        "runs": batch.runs, "created_at": batch.created_at, "started_at": batch.started_at,
        "finished_at": batch.finished_at, "new_since": batch.previous_started_at, "notes": batch.notes, **urls,
    }


def _row(line, site_url):
    """A download's row: the values of COLUMNS."""
    url = search_url(line)
    return [
        line.number, line.query, line.date_from, line.date_to, line.source, line.country, line.status, line.error,
        line.hits, line.stories, line.new, line.previous_hits, line.first_seen, line.last_seen,
        "; ".join(f"{item['name']} ({item['count']})" for item in line.sources),
        "; ".join(f"{item['label']} ({item['count']})" for item in line.entities),
        "; ".join(item["label"] for item in line.named),
        site_url.rstrip("/") + url if url else None,
    ]


def _rows(batch, site_url):
    for line in batch.lines.order_by("number").iterator(chunk_size=1000):
        yield _row(line, site_url)


def csv_text(batch, site_url):
    """The batch's results as CSV text (a header, then a row per line)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in _rows(batch, site_url):
        writer.writerow([csv_cell(value.isoformat() if isinstance(value, date) else value) for value in row])
    return out.getvalue()


def xlsx_bytes(batch, site_url):
    """The batch's results as an XLSX workbook: numbers and days as such, text as text cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Results")
    sheet.append([_text_cell(sheet, name) for name in COLUMNS])
    for row in _rows(batch, site_url):
        sheet.append([_text_cell(sheet, value) if isinstance(value, str) else _date_cell(sheet, value)
                      for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet, text):
    """A text cell: defused as in the CSV, without the control characters XLSX cannot hold, and
    typed as text, so that even an "=" left in it is never a formula."""
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", csv_cell(text)))
    cell.data_type = "s"
    return cell


def _date_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell

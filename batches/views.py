"""Thin views of a reader's batch searches: the list with its upload form, one batch's progress
and results table, running it again, deleting it. Every lookup is by owner, so another
reader's batch is a 404; forms that change anything are POSTs with CSRF tokens."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from articles.web import MAX_ID

from . import access, lists, results, runs
from .models import Batch


class UploadForm(forms.Form):
    file = forms.FileField(label="List", help_text=f"A plain-text or CSV file, one search per line, up to "
                                                   f"{lists.MAX_LINES:,} lines.")
    name = forms.CharField(label="Name (optional)", max_length=200, required=False)


@login_required
def batches_page(request):
    """GET: the reader's batches and the upload form; POST: upload a list."""
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                read = lists.read_list(upload.name, upload.read(lists.MAX_BYTES + 1))
            except lists.ListRefused as exc:
                form.add_error("file", str(exc))
            else:
                batch = runs.create(request.user, form.cleaned_data["name"].strip() or upload.name, read)
                return redirect("batches:batch", batch.pk)
        status = 400
    return render(request, "batches/batches.html", {
        "form": form, "batches": request.user.batches.all(), "token": access.api_token(request.user),
        "max_lines": lists.MAX_LINES,
    }, status=status)


def _owned(request, batch_id):
    return get_object_or_404(Batch, pk=batch_id if batch_id <= MAX_ID else 0, owner=request.user)


@login_required
def batch_page(request, batch_id):
    """A batch's progress and its results, sorted by any column, a page of lines at a time."""
    batch = _owned(request, batch_id)
    sort = request.GET.get("sort", "line")
    sort = sort if sort in results.SORTS else "line"
    descending = request.GET.get("order") == "desc"
    page = Paginator(results.ordered(batch, sort, descending), results.PAGE_SIZE).get_page(request.GET.get("page"))
    columns = [_column(name, label, sort, descending) for name, label in (
        ("line", "Line"), ("query", "Search"), ("hits", "Articles"), ("stories", "Stories"), ("new", "New since last run"),
        ("first_seen", "First seen"), ("last_seen", "Last seen"))]
    return render(request, "batches/batch.html", {
        "batch": batch, "status": results.status_dict(batch), "page": page, "columns": columns,
        "sort": sort, "order": "desc" if descending else "asc",
        "rows": [{"line": line, "search_url": results.search_url(line),
                  "named": [{**item, "url": results.entity_url(item["kind"], item["id"])} for item in line.named],
                  "entities": [{**item, "url": results.entity_url(item["kind"], item["id"])} for item in line.entities]}
                 for line in page],
    })


def _column(name, label, sort, descending):
    """A sortable column's heading: its link sorts by it (again: the other way), `aria_sort` says how now."""
    current = name == sort
    default_descending = results.SORTS[name][1]
    next_descending = not descending if current else default_descending
    return {"name": name, "label": label, "url": f"?sort={name}&order={'desc' if next_descending else 'asc'}",
            "aria_sort": ("descending" if descending else "ascending") if current else None}


@login_required
@require_POST
def run_page(request, batch_id):
    batch = _owned(request, batch_id)
    if runs.run_again(batch):
        messages.success(request, f"Running “{batch.name}” again: each line counts what is new since the last run.")
    else:
        messages.info(request, f"“{batch.name}” is still running; run it again once it is done.")
    return redirect("batches:batch", batch.pk)


@login_required
@require_POST
def delete_page(request, batch_id):
    batch = _owned(request, batch_id)
    batch.delete()
    messages.success(request, f"Deleted “{batch.name}”.")
    return redirect("batches:batches")

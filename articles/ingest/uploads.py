"""Staff uploads: files are stored under UPLOAD_DIR/batch-<id>/ until the worker imports them.

The stored copies outlive a crash of the importing worker, so an interrupted import is
resumed from them (`resume_stalled_imports`, a step of the reconciler); they are removed when it ends.
"""
import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from articles.models import ImportBatch
from articles.pipeline import queue_import

logger = logging.getLogger(__name__)

# Bytes of a stored file's name after its number, and of the extensions kept in it.
MAX_NAME_BYTES = 150
MAX_SUFFIX_BYTES = 20


def batch_folder(batch):
    return Path(settings.UPLOAD_DIR) / f"batch-{batch.pk}"


def store_upload(files, user, default_source="", default_date=None, enrich=True):
    """Create the batch and store its files; queueing the import is the caller's step."""
    names = ", ".join(f.name for f in files)
    batch = ImportBatch.objects.create(
        created_by=user,
        label=f"Upload: {names}"[:300],
        default_source=default_source,
        default_date=default_date,
        enrich=enrich,
    )
    folder = batch_folder(batch)
    folder.mkdir(parents=True, exist_ok=True)
    for number, upload in enumerate(files):
        target = folder / stored_name(number, upload.name)
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return batch


def stored_name(number, client_name):
    """A numbered, sanitised name for an uploaded file (no path from the client is ever used),
    short enough for any file system (255 bytes), with the extensions that tell the reader
    its format kept."""
    try:
        name = get_valid_filename(Path(client_name).name)
    except SuspiciousFileOperation:  # "..", "." or nothing usable
        name = "upload"
    suffix = _fit("".join(Path(name).suffixes), MAX_SUFFIX_BYTES)
    stem = name[:len(name) - len(suffix)] if name.endswith(suffix) else name
    return f"{number:04d}-{_fit(stem, MAX_NAME_BYTES - len(suffix.encode()))}{suffix}"


def _fit(text, limit):
    """`text` cut to at most `limit` bytes of UTF-8, never inside a character."""
    return text.encode()[:limit].decode(errors="ignore")


def uploaded_files(batch):
    folder = batch_folder(batch)
    return sorted(folder.iterdir()) if folder.exists() else []


def remove_uploaded_files(batch):
    shutil.rmtree(batch_folder(batch), ignore_errors=True)


def resume_stalled_imports():
    """Upload batches whose import never started or stopped part-way: start them again.

    A command-line import has no stored files to resume from; when its process stops,
    the batch is closed as failed with a message that says how to finish it.
    """
    grace = timezone.now() - timedelta(seconds=settings.RECONCILE_GRACE)
    stalled = ImportBatch.objects.filter(
        Q(status=ImportBatch.Status.QUEUED, queued_at__isnull=True, created_at__lt=grace)
        | Q(status=ImportBatch.Status.QUEUED, queued_at__lt=grace)
        | Q(status=ImportBatch.Status.RUNNING, updated_at__lt=grace)
    )
    resumed = 0
    for batch in stalled:
        if uploaded_files(batch):
            logger.info("Reconciler: (re)starting import %s", batch.pk)
            resumed += queue_import(batch)
        else:
            batch.close_interrupted()
    return resumed

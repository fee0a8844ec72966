"""Staff uploads: files are stored under UPLOAD_DIR/batch-<id>/ until the worker imports them.

The stored copies outlive a crash of the importing worker, so an interrupted import is
resumed from them (see pipeline.resume_stalled_imports); they are removed when it ends.
"""
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.text import get_valid_filename

from .models import ImportBatch


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
        # A numbered, sanitised name: no path from the client is ever used.
        target = folder / f"{number:04d}-{get_valid_filename(Path(upload.name).name) or 'upload'}"
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return batch


def uploaded_files(batch):
    folder = batch_folder(batch)
    return sorted(folder.iterdir()) if folder.exists() else []


def remove_uploaded_files(batch):
    shutil.rmtree(batch_folder(batch), ignore_errors=True)

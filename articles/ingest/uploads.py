"""Staff uploads: files are stored under UPLOAD_DIR/batch-<id>/ until the worker imports them.

The stored copies outlive a crash of the importing worker, so an interrupted import is
resumed from them (see pipeline.resume_stalled_imports); they are removed when it ends.
"""
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from articles.models import ImportBatch

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

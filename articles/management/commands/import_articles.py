"""manage.py import_articles PATH... : files, folders, zips, or - for JSON Lines on stdin."""
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import datewindow
from articles.ingest.importing import run_import
from articles.ingest.readers import read_path, read_stream
from articles.models import ImportBatch


class Command(BaseCommand):
    help = "Import articles (txt, JSON, JSON Lines, CSV, HTML, ZIP) from paths or stdin."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, folders or zips; - reads JSON Lines from stdin")
        parser.add_argument("--source", default="", help="source for articles that name none")
        parser.add_argument("--date", help="YYYY-MM-DD, the date of articles that carry none")
        parser.add_argument("--no-enrich", action="store_true", help="store and index without entity enrichment")

    def handle(self, *args, **options):
        paths = options["paths"]
        missing = [p for p in paths if p != "-" and not Path(p).exists()]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        try:
            default_date = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}")
        if default_date and not datewindow.accepts(default_date):
            raise CommandError(f"--date must be {datewindow.describe()}, not {options['date']!r}")
        batch = ImportBatch.objects.create(
            label=" ".join(paths)[:300],
            default_source=options["source"],
            default_date=default_date,
            enrich=not options["no_enrich"],
        )
        progress = tqdm(unit=" articles", file=sys.stderr, disable=options["verbosity"] == 0)
        run_import(self._items(paths), batch, on_progress=lambda outcome: progress.update(1))
        progress.close()
        self._report(batch)
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(f"Import stopped part-way: {batch.failed} item(s) not imported; see above.")
        if batch.failed:
            raise CommandError(f"{batch.failed} item(s) failed; see the list above.")

    def _items(self, paths):
        for path in paths:
            if path == "-":
                yield from read_stream("stdin.jsonl", sys.stdin.buffer)
            else:
                yield from read_path(Path(path))

    def _report(self, batch):
        for problem in batch.problems:
            if problem["outcome"] == "failed":
                self.stderr.write(f"{problem['outcome']}: {problem['where']}: {problem['reason']}")
        self.stdout.write(
            f"Import #{batch.pk}: {batch.created} created, {batch.updated} updated, "
            f"{batch.skipped} skipped (duplicates), {batch.failed} failed."
        )

"""manage.py sync_index : bring the search index up to date with the database."""
from django.core.management.base import BaseCommand

from articles import indexing


class Command(BaseCommand):
    help = "Index every article whose search-index copy is missing or stale (--rebuild: all)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="drop and recreate the index first")

    def handle(self, **options):
        if options["rebuild"]:
            indexing.recreate_index()
        count = indexing.sync_stale(refresh=True)
        self.stdout.write(f"{count} article(s) indexed.")

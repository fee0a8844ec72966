"""manage.py sync_index : bring the search index up to date with the database (and with the
document's mapping: an index made for an older one is rebuilt)."""
from django.core.management.base import BaseCommand

from articles import indexing


class Command(BaseCommand):
    help = ("Index every article whose search-index copy is missing or stale. --rebuild: copy the whole "
            "archive into a new index (after a mapping or analyser change) while search keeps answering.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="build a new index from the database, then switch search to it atomically")

    def handle(self, **options):
        if not options["rebuild"] and not indexing.index_is_current():
            self.stdout.write("The search index was made for an older mapping or analysis: rebuilding it "
                              "from the database (search keeps answering from the old one meanwhile).")
            options["rebuild"] = True
        if options["rebuild"]:
            count = indexing.rebuild_index()
            self.stdout.write(f"Index rebuilt: {count} article(s); search now reads {indexing.physical_indices()[0]}.")
            return
        count = indexing.sync_stale(refresh=True)
        self.stdout.write(f"{count} article(s) indexed.")

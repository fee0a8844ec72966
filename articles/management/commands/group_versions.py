"""manage.py group_versions: place the enriched articles that have no story yet.

Enrichment places each article as it is enriched; this is for an archive enriched before
stories existed (or with STORY_GROUPING off). The articles placed are re-indexed by the
reconciler (or `manage.py sync_index`), so their search documents carry their story.
"""
from django.core.management.base import BaseCommand

from articles.stories import place_unplaced


class Command(BaseCommand):
    help = "Place the enriched articles that have no story yet among the versions of their stories."

    def handle(self, *args, **options):
        placed = place_unplaced(progress=lambda done: self.stdout.write(f"{done} placed", ending="\r"))
        self.stdout.write(f"{placed} article(s) placed in stories; `manage.py sync_index` re-indexes them.")

"""manage.py resolve_entities: run the archive-level resolver until it has read every mention.

The worker does this in the background every RESOLVE_INTERVAL seconds; the command is for
an archive enriched before the resolver existed, or to see its joins at once.
"""
from django.core.management.base import BaseCommand, CommandError

from articles.enrichment.resolution import resolve_new_mentions, unread_mentions


class Command(BaseCommand):
    help = "Join the entities the archive's evidence shows are one, until every mention is read."

    def handle(self, *args, **options):
        joined = 0
        while True:
            run = resolve_new_mentions()
            if run is None:
                raise CommandError("The resolver is running in the worker; try again when it is done.")
            joined += run
            if not unread_mentions():
                break
        self.stdout.write(f"{joined} entities joined into others.")

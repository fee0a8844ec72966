"""manage.py search_index: django-elasticsearch-dsl's command, which this archive replaces.

Its --rebuild deletes the index before filling it (search is down meanwhile) and its
--populate reads model objects that ArticleDocument does not take (it indexes the plain rows
of `documents.for_index`), and neither records what reached the index. This command, found
first because the articles app comes before django_elasticsearch_dsl in INSTALLED_APPS, says
what to run instead.
"""
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not used here: run `manage.py sync_index` (stale articles) or `manage.py sync_index --rebuild`."

    def run_from_argv(self, argv):
        super().run_from_argv(argv[:2])  # whatever its options, the answer is the same

    def handle(self, *args, **options):
        raise CommandError(
            "newsarchive indexes through its own command: `manage.py sync_index` indexes every article "
            "whose copy is missing or stale; `manage.py sync_index --rebuild` builds a new index while "
            "search keeps answering from the old one, then switches to it."
        )

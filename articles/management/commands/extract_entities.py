"""manage.py extract_entities [FILE] : add extracted entities to JSON Lines articles.

Reads objects with `title` and `text` (or `body`) from FILE or stdin and writes
each back as one line with an `entities` field. Touches neither the database
nor Elasticsearch; runs the same extract_entities as the enrichment task.
"""
import json
import sys
from collections import deque

from django.core.management.base import BaseCommand, CommandError

from articles.enrichment.nlp import get_nlp
from articles.entities import BATCH_SIZE, article_text, extract_entities


def entities_json(found):
    """The `entities` field: names per kind, countries with their ISO code."""
    by_kind = {"person": [], "country": [], "organization": []}
    for entity in found:
        by_kind[entity.kind].append(entity)
    return {
        "persons": [{"name": e.name} for e in by_kind["person"]],
        "countries": [{"code": e.key, "name": e.name} for e in by_kind["country"]],
        "organizations": [{"name": e.name} for e in by_kind["organization"]],
    }


def record_text(record):
    """A record's text in the form the enrichment task analyses."""
    return article_text(record.get("title"), record.get("text") or record.get("body"))


class Command(BaseCommand):
    help = "Add extracted persons, countries and organizations to JSON Lines articles."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="JSON Lines file (default: stdin)")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, **options):
        path = options["file"]
        try:
            stream = open(path, encoding="utf-8") if path and path != "-" else sys.stdin
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}")
        with stream:
            bad_lines = self._annotate(stream, options["batch_size"])
        if bad_lines:
            raise CommandError(f"{bad_lines} invalid line(s) skipped")

    def _annotate(self, stream, batch_size):
        """Write each valid record with its entities; return how many lines were bad."""
        pending = deque()
        bad_lines = 0

        def texts():
            nonlocal bad_lines
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    record, reason = None, str(error)
                else:
                    reason = "not a JSON object"
                if not isinstance(record, dict):
                    bad_lines += 1
                    self.stderr.write(f"line {number}: invalid JSON ({reason}), skipped")
                    continue
                pending.append(record)
                yield record_text(record)

        for found in extract_entities(texts(), nlp=get_nlp(), batch_size=batch_size):
            record = pending.popleft()
            record["entities"] = entities_json(found)
            self.stdout.write(json.dumps(record, ensure_ascii=False))
        return bad_lines

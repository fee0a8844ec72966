"""manage.py pipeline_status : how far along enrichment and indexing are."""
import json

from django.core.management.base import BaseCommand
from elastic_transport import TransportError
from elasticsearch import ApiError

from articles import indexing, pipeline


class Command(BaseCommand):
    help = "Show articles by enrichment status, what the index lacks, and unfinished imports."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, **options):
        report = pipeline.status()
        try:
            report["index_documents"] = indexing.document_count()
        except (TransportError, ApiError) as exc:
            report["index_documents"] = None
            report["index_unavailable"] = str(exc)
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        for name, value in report.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in value.items())
            self.stdout.write(f"{name.replace('_', ' ')}: {value}")

"""The project's benchmarks: not part of the product (no app ships them, the Docker image
leaves them out), run by the make targets through scripts/benchmark.sh as
`python -m benchmarks.<name> [OPTIONS]`:

- `enrichment`: the whole enrichment pipeline against raw spaCy (`make benchmark`);
- `resolution`: end-to-end enrichment with and without the archive-level resolver
  (`make benchmark-resolution`);
- `search`: /api/search under gunicorn against raw Elasticsearch, and reindexing against raw
  `_bulk`, on a 100,000-article archive (`make benchmark-search`);
- `alerts`: matching new articles against many saved searches (`make benchmark-alerts`);
- `export`: the memory and time of the CSV and JSON Lines exports of a small and a large result
  set (`make benchmark-export`).

Each benchmark imports the app's models at its top, so importing this package sets Django up
first (`common.setup_django`; nothing happens when Django is already set up, as under
pytest). What they measured is in docs/performance.md, with the command and the date.
"""
from .common import setup_django

setup_django()

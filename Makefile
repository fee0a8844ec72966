.PHONY: run dev test test-fast benchmark benchmark-search benchmark-resolution benchmark-alerts benchmark-export benchmark-stories benchmark-batches

## make run: set up everything and run the web app (gunicorn, DEBUG off), a worker and the scheduler (Ctrl-C stops all)
run:
	bash scripts/run.sh

## make dev: the same with Django's autoreloading development server and DEBUG=1, for contributors
dev:
	bash scripts/run.sh --dev

## make test: set up everything and run the whole test suite against real services
test:
	bash scripts/test.sh

## make test-fast: the fast tier only (readers, cleaning, entities, search params and requests, pages), its slow tests left out: no service needed
test-fast:
	bash scripts/setup.sh --test
	DEBUG=1 .venv/bin/python -m pytest tests/unit -m "not slow"

## make benchmark: enrichment throughput (benchmarks/, python -m benchmarks.enrichment), end to end against raw spaCy (not a test)
benchmark:
	bash scripts/benchmark.sh enrichment

## make benchmark-search: /api/search under gunicorn against raw Elasticsearch, and reindexing, on a 100,000-article archive (not a test)
benchmark-search:
	bash scripts/benchmark.sh search

## make benchmark-resolution: reuters2006 enriched end to end with and without the archive-level resolver (not a test)
benchmark-resolution:
	bash scripts/benchmark.sh resolution

## make benchmark-alerts: new articles matched against 1,000 saved searches, two ways, on the search benchmark's archive (not a test; run make benchmark-search first)
benchmark-alerts:
	bash scripts/benchmark.sh alerts

## make benchmark-export: memory and time of the CSV and JSON Lines exports of 10,000 and 100,000 articles (not a test)
benchmark-export:
	bash scripts/benchmark.sh export

## make benchmark-stories: version groups' precision and recall on a labelled set from reuters2006, the archive's share in groups, enrichment with and without grouping (not a test)
benchmark-stories:
	bash scripts/benchmark.sh stories

## make benchmark-batches: a 1,000-line batch search on the search benchmark's archive, timed, with readers' search p95 during it against idle (not a test; run make benchmark-search first)
benchmark-batches:
	bash scripts/benchmark.sh batches

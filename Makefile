.PHONY: run test test-fast benchmark

## make run: set up everything and run the web app, a worker and the scheduler (Ctrl-C stops all)
run:
	bash scripts/run.sh

## make test: set up everything and run the whole test suite against real services
test:
	bash scripts/test.sh

## make test-fast: the fast tier only (readers, cleaning, entities, search params and requests, pages): no service needed
test-fast:
	bash scripts/setup.sh --test
	DEBUG=1 .venv/bin/python -m pytest tests/unit

## make benchmark: enrichment throughput, end to end against raw spaCy (not a test)
benchmark:
	bash scripts/benchmark.sh

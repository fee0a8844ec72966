.PHONY: run test benchmark

## make run: set up everything and run the web app and a worker (Ctrl-C stops all)
run:
	bash scripts/run.sh

## make test: set up everything and run the whole test suite against real services
test:
	bash scripts/test.sh

## make benchmark: enrichment throughput, end to end against raw spaCy (not a test)
benchmark:
	bash scripts/benchmark.sh

# The two commands of the README. Everything they need, they install (idempotently).
.PHONY: run test bench lint format

run:
	scripts/run.sh

test:
	scripts/test.sh

# After the two commands: benchmarks write docs/benchmarks.md.
bench:
	scripts/bench.sh

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

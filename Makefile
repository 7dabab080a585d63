# The two commands of the README. Everything they need, they install (idempotently).
.PHONY: run test bench bench-load prod-check lint format

run:
	scripts/run.sh

test:
	scripts/test.sh

# After the two commands: benchmarks write docs/benchmarks.md.
bench:
	scripts/bench.sh

# Load: Locust against the production stack, then a 30-minute soak (about 45 minutes).
bench-load:
	scripts/bench.sh load

# The production shape from deploy/ (nginx, TLS, the systemd units) with the main journey.
prod-check:
	scripts/test.sh tests/test_production_shape.py

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Thin wrappers over scripts/ (ARCHITECTURE.md). `make run` and `make test` are all a new user needs.
.PHONY: run test lint e2e demo bench web setup

run:            ## install what is missing, build the web app, migrate, start Shoal on :8000
	@scripts/run.sh

test:           ## install what tests need and run every test (lint, SQLite, PostgreSQL, web, browser)
	@scripts/test.sh

lint:           ## ruff check + format check
	@scripts/setup.sh dev >/dev/null && .venv/bin/ruff check . && .venv/bin/ruff format --check .

e2e:            ## browser tests only (builds the web app first)
	@scripts/setup.sh dev && scripts/web.sh && scripts/e2e.sh

demo:           ## reset the demo organisation and data
	@scripts/setup.sh base && .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py shoal_setup --reset-demo

bench:          ## benchmarks on realistic volumes; results in bench/results/
	@scripts/setup.sh dev && scripts/bench.sh

web:            ## build the web app only
	@scripts/setup.sh base && scripts/web.sh

# Thin wrappers over scripts/ (ARCHITECTURE.md). `make run` and `make test` are all a new user needs.
.PHONY: run test lint e2e demo bench web setup fuzz fault backup restore

run:            ## install what is missing, build the web app, migrate, start Shoal on :8000
	@scripts/run.sh

test:           ## install what tests need and run every test (lint, SQLite, PostgreSQL, web, browser)
	@scripts/test.sh

lint:           ## ruff check + format check, bandit, pip-audit
	@scripts/lint.sh

e2e:            ## browser tests only (builds the web app first)
	@scripts/setup.sh dev && scripts/web.sh && scripts/e2e.sh

demo:           ## reset the demo organisation and data
	@scripts/setup.sh base && .venv/bin/python manage.py migrate -v0 && .venv/bin/python manage.py shoal_setup --reset-demo

bench:          ## benchmarks on realistic volumes; results in bench/results/
	@scripts/setup.sh dev && scripts/bench.sh

web:            ## build the web app only
	@scripts/setup.sh base && scripts/web.sh

fuzz:           ## deep schema fuzzing and property tests (slow; not part of make test)
	@scripts/fuzz.sh

fault:          ## fault test: restart a scratch PostgreSQL under load, expect 503s then recovery
	@scripts/setup.sh dev && scripts/fault.sh

backup:         ## write a backup archive (database + media + manifest) to var/backups/
	@scripts/setup.sh base && .venv/bin/python manage.py shoal_backup

restore:        ## replace the database and media with a backup: make restore FILE=var/backups/…
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/shoal-backup-….tar.gz" >&2; exit 2; }
	@scripts/setup.sh base && .venv/bin/python manage.py shoal_restore "$(FILE)"

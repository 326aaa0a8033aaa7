# Stockroom: every target installs what it needs first (uv, then the locked dependencies).
PYTHON ?= python3
PORT ?= 5000
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := .tools/bin/uv
endif
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: help install run test lint imports pytest bench migrate seed clean browser screenshots

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' -v port='$(PORT)' \
		'{gsub(/\$$\(PORT\)/, port, $$2); printf "  make %-12s %s\n", $$1, $$2}'

.tools/bin/uv:
	@echo "==> uv not found: installing it into .tools/ with pip"
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced  ## Install the locked dependencies into .venv

migrate: install  ## Upgrade the database to the newest migration
	$(FLASK) db upgrade heads

seed: migrate  ## Seed the demo accounts
	$(FLASK) seed demo

run: migrate  ## Serve the API, the dashboard and a worker on http://127.0.0.1:$(PORT)
	$(FLASK) seed demo
	@rm -rf instance/prometheus && mkdir -p instance/prometheus
	PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/instance/prometheus $(BIN)/python scripts/run_procfile.py start -f Procfile -p $(PORT)

prod-like: install  ## Production topology on PostgreSQL + Redis: gunicorn, 2 workers, beat (deploy/)
	PORT=$(PORT) deploy/prod-like.sh

# One process each, in the foreground, for containers and supervisors (deploy/): no install step.
.PHONY: prod-like web worker beat
web:  ## Run gunicorn only (gunicorn.conf.py; HOST, PORT, WEB_CONCURRENCY from the environment)
	exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

worker:  ## Run one Celery worker (CELERY_CONCURRENCY processes, default: one per core)
	exec $(BIN)/celery -A celery_worker worker --loglevel info $(if $(CELERY_CONCURRENCY),--concurrency $(CELERY_CONCURRENCY))

beat:  ## Run the one Celery beat of the deployment (schedule in BEAT_SCHEDULE)
	exec $(BIN)/celery -A celery_worker beat --loglevel info --schedule $(or $(BEAT_SCHEDULE),instance/celerybeat-schedule)

lint: install  ## ruff format --check, ruff check, mypy (strict)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

imports: install  ## Check the architecture contracts (import-linter)
	$(BIN)/lint-imports

browser:  ## Install Debian's Chromium for the e2e tests (apt-get as root; else say how)
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "==> /usr/bin/chromium is missing: installing it with apt-get (for tests/e2e)"; \
		apt-get update && apt-get install -y chromium; \
	else \
		echo "make browser: /usr/bin/chromium is missing and this is not root. Run:"; \
		echo "    sudo apt-get update && sudo apt-get install -y chromium"; \
		exit 1; \
	fi

pytest: install browser  ## Run the test suite with branch coverage (e2e in headless Chromium)
	$(BIN)/pytest --cov --cov-report=term $(PYTEST_ARGS)

test: lint imports browser pytest  ## Every check: lint, types, architecture, tests with coverage

screenshots: install browser  ## PNGs of the dashboard at 1280x800 and 390x844 into docs/screenshots/
	$(BIN)/python -m scripts.screenshots

bench: install  ## Benchmarks against a raw WSGI + sqlite3 baseline (writes benchmarks/results/latest.json)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& echo "==> installing wrk (the load generator) with apt-get" \
		&& { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null 2>&1; } \
		|| echo "==> wrk is not installed and cannot be: using the Python load generator"
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:  ## Remove the virtualenv, caches and local data (instance/)
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache .coverage htmlcov instance
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

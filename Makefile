# Upstream: two commands do all the set-up on a fresh machine (Python 3.11 with pip, Node with npm).
#   make demo   the service with a synthetic demo world on SQLite, at http://127.0.0.1:8000
#   make test   the whole test suite: SQLite, then PostgreSQL, browser tests in Chromium
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# The hashed locks (docs/adr/0001): runtime alone for a deployment; test = runtime + test tools.
LOCKS := requirements/runtime.txt requirements/test.txt

.PHONY: setup demo serve test lint test-sqlite test-postgres benchmarks lock clean

$(VENV)/.installed: $(LOCKS) pyproject.toml
	bash scripts/ensure-pango
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes $(addprefix -r ,$(LOCKS))
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

demo: setup
	$(BIN)/upstream demo

serve: setup
	$(BIN)/upstream serve

test: setup
	bash scripts/ensure-chromium
	bash scripts/ensure-java
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

lint:
	$(BIN)/ruff check src tests

test-sqlite:
	@echo "== Test suite on SQLite (and DuckDB, SQLite, PostgreSQL for the analytics specs) =="
	$(BIN)/pytest -n 2 -m "not postgres" $(PYTEST_ARGS)

test-postgres:
	@echo "== Service tests on PostgreSQL ($(POSTGRES_URL)) =="
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n 2 tests/integration tests/system $(PYTEST_ARGS)

# Figures for docs/benchmarks.md (1M people; takes several minutes).
benchmarks: setup
	$(BIN)/python tests/benchmarks/bench_synth.py --people 1000000 --out var/bench/synth
	$(BIN)/python tests/benchmarks/bench_cohorts.py --data var/bench/synth

# Regenerate the hashed locks from pyproject.toml with pip-tools, against PyPI alone (any local
# pip configuration, such as mirrors, extra indexes or constraint files, is ignored so the hashes
# are PyPI's). Versions already pinned are kept; to move one: make lock UPGRADE="-P django".
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null /tmp/upstream-lock/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	--index-url https://pypi.org/simple $(UPGRADE)
lock:
	rm -rf /tmp/upstream-lock && $(PYTHON) -m venv /tmp/upstream-lock
	/tmp/upstream-lock/bin/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements/runtime.txt pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/runtime.txt \
		--output-file requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules var

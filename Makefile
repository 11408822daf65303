# Two commands for everything: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never

PYTHON ?= python3.11
# uv from PATH, else a private copy installed from PyPI on first use.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
VENV_STAMP := .venv/.synced
UI_SOURCES := $(shell find builder_ui/src -type f 2>/dev/null) builder_ui/index.html \
              builder_ui/vite.config.ts builder_ui/tsconfig.json
UI_BUILT := builder_ui/dist/index.html
UI_MODULES := builder_ui/node_modules/.package-lock.json

.PHONY: help run test lint typecheck ui-test pytest bench chaos setup clean api-client

help:
	@echo "make run    set up what is missing, then start Boomerang (boomerang dev)"
	@echo "make test   ruff, the import rules, mypy, the UI's vitest, and pytest (browser tests included)"
	@echo "make bench  email render time, event intake, wake-ups (1,000 journeys due at once,"
	@echo "            catching up after an outage), capacity (5,000 waiting journeys), time"
	@echo "            to value in the browser, results overview on 1,000,000 carts,"
	@echo "            simulation of 10,000 past carts (see"
	@echo "            docs/BENCHMARKS.md)"
	@echo "make chaos  2,000 journeys while Temporal, the worker and the API are SIGKILLed at"
	@echo "            random; then checks nothing was lost, stuck, sent twice or sent after a"
	@echo "            purchase (python -m chaos --help for the sizes; see docs/BENCHMARKS.md)"

setup: $(VENV_STAMP) $(UI_BUILT)

run: setup
	.venv/bin/boomerang dev

test: lint typecheck ui-test pytest

lint: $(VENV_STAMP)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

typecheck: $(VENV_STAMP)
	.venv/bin/mypy

ui-test: $(UI_MODULES)
	cd builder_ui && npm test

# One pytest process per core (pytest-xdist), each with its own Temporal servers, PostgreSQL
# schema and browser; a file's tests stay together. `.venv/bin/pytest -n 0` runs in one.
pytest: $(VENV_STAMP) $(UI_BUILT)
	.venv/bin/pytest -n auto --dist loadfile

# Not part of `make test`: timings are reported, never asserted.
bench: $(VENV_STAMP) $(UI_BUILT)
	.venv/bin/python -m bench.render
	.venv/bin/python -m bench.ingest
	.venv/bin/python -m bench.fanout
	.venv/bin/python -m bench.capacity --journeys 5000
	.venv/bin/python -m bench.time_to_value
	.venv/bin/python -m bench.analytics
	.venv/bin/python -m bench.simulation

# Not part of `make test` at this size (tests/chaos runs a small one): minutes of faults.
chaos: $(VENV_STAMP)
	.venv/bin/python -m chaos --journeys 2000

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

$(UI_MODULES): builder_ui/package.json builder_ui/package-lock.json
	cd builder_ui && npm ci --no-audit --no-fund
	@touch $@

$(UI_BUILT): $(UI_MODULES) $(UI_SOURCES)
	cd builder_ui && npm run build

# After changing an API route: the builder's copy of the OpenAPI document and its types.
api-client: $(VENV_STAMP) $(UI_MODULES)
	.venv/bin/python -m builder_api.export_openapi
	cd builder_ui && npm run gen:api

clean:
	rm -rf .venv .tools builder_ui/node_modules builder_ui/dist .pytest_cache .mypy_cache .ruff_cache

# The two commands a newcomer needs are `make run` and `make test`; everything else is for developers.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
CHROMIUM := /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint types contracts unit bench load docs clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## run: set up .venv and start the web app at http://127.0.0.1:8000 with a demo applicant
run: $(STAMP)
	$(BIN)/imgpath serve --demo

## test: lint, types, layer contracts and every test
test: lint types contracts unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

$(CHROMIUM):
	@echo "Installing Debian's chromium package for the browser tests"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

unit: $(STAMP) $(CHROMIUM)
	$(BIN)/pytest -n 2 --dist loadgroup

## bench: run the benchmarks (medians of several runs) and print a table
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## load: a bounded load test of the program search page on 127.0.0.1 (50 users, about a minute)
load: $(STAMP)
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis

## docs: regenerate the reference pages derived from code (CLI help, JSON Schema)
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

## load-mixed: 50 applicants searching while 8 sign-ups and a 5 MB import run (ARGS="--postgres --workers 4" for PostgreSQL)
.PHONY: load-mixed
load-mixed: $(STAMP)
	$(BIN)/python benchmarks/load_mixed.py $(ARGS)

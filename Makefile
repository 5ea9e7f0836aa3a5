# b2bkit: two commands (see README.md)
#   make        set up .venv from the lock, install b2bkit, render the reports from the demo data
#   make test   run the whole test suite (lint, unit tests, doctests, notebooks)
#   make test-fast  the quick loop: all but the render/postgres/wheel/slow tests

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all setup reports test test-fast lint postgres lab demo docs bench bench-load bench-clv bench-forecast notebooks catalogue lock clean

all: reports

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "b2bkit needs Python 3.11 or newer; set PYTHON=python3.x"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The reports of the latest full quarter of the demo data (as_of 2025-12-31).
PERIOD ?= 2025-Q4

reports: setup
	$(BIN)/b2bkit validate data/demo
	$(BIN)/b2bkit report --data data/demo --period $(PERIOD) --out reports

# PostgreSQL for the SQL-source tests (the suite starts and stops its own server);
# installed from the system's packages when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ echo "installing PostgreSQL for the tests"; \
		  $(SUDO) apt-get install -y -q postgresql >/dev/null 2>&1 || \
		  { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql; }; }

lint: setup
	$(BIN)/ruff check .

test: setup lint postgres
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval --nbval-current-env notebooks/*.ipynb

# The quick loop while coding: lint and every test but those that render reports, start
# PostgreSQL, build a wheel or sweep the corpus (markers in pyproject.toml).
test-fast: setup lint
	$(BIN)/python -m pytest -q -n auto -m "not render and not postgres and not wheel and not slow"

# JupyterLab for exploring (kept out of the render/test environment: it
# slows every kernel start).
lab: setup
	$(BIN)/python -m pip install --quiet -r requirements-lab.lock
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

# Sync each notebook from its source (notebooks/NAME.py, jupytext percent format),
# re-run it on data/demo and store the outputs in notebooks/NAME.ipynb (what nbval
# compares against). NAMES=funnel_diagnosis limits it to some.
notebooks: setup
	$(BIN)/python tools/run_notebooks.py $(NAMES)

# Regenerate the committed demo dataset (deterministic: same bytes).
demo: setup
	$(BIN)/b2bkit demo --out data/demo

# The metric glossary, generated from the docstrings (a test checks it is current).
docs: setup
	$(BIN)/python -m b2bkit.metrics.glossary

# Speed and memory figures on a large generated dataset (prints; not a test).
bench: setup
	$(BIN)/python benchmarks/bench_catalogue.py

# Load + validate at scales 5..200 and the whole kpis process against a DuckDB SQL peer.
bench-load: setup
	$(BIN)/python benchmarks/bench_load.py

# The pipeline forecast with its backtest of four quarters at scale 200 (prints; not a test).
bench-forecast: setup
	$(BIN)/python benchmarks/bench_forecast.py

# BG/NBD and Gamma-Gamma on 100,000 simulated customers (beside lifetimes: see README).
bench-clv: setup
	$(BIN)/python benchmarks/bench_clv.py

# Re-resolve the locks after changing pins in pyproject.toml.
# The message catalogue of the reports: extract the shown texts, update the .po, compile the .mo.
catalogue: setup
	$(BIN)/python tools/catalogue.py

lock: setup
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --extra dev --extra lab --no-emit-index-url \
		--no-emit-find-links --output-file requirements-lab.lock pyproject.toml

clean:
	rm -rf $(VENV) reports build *.egg-info

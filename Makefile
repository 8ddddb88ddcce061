# Two commands on a fresh machine with Python 3.11:
#   make quickstart   install everything, ingest the bundled sample minutes, run a query
#   make test         run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data

.PHONY: install quickstart serve test test-fast lint bench clean

$(BIN)/kkr: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install -qq -e '.[test]'  # -qq: setuptools' notes on editable installs are not warnings for users
	touch $(BIN)/kkr

install: $(BIN)/kkr

quickstart: install
	$(BIN)/kkr ingest samples/ --data $(DATA)
	$(BIN)/kkr sparql @samples/meetings.rq --data $(DATA) --format csv

serve: install
	$(BIN)/kkr serve --data $(DATA)

test: install
	$(BIN)/python -m pytest -q

# ruff (lint and format check) and mypy over the package laid out as installed.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -rf build/typecheck && $(BIN)/python setup.py -q build_py -d build/typecheck 2>/dev/null
	cd build/typecheck && ../../$(BIN)/mypy --config-file ../../pyproject.toml kkr

# The edit-test loop: everything but the browser tests and the Schemathesis run (CI runs all).
test-fast: install
	KKR_SKIP_BROWSER=1 $(BIN)/python -m pytest -q -x --ignore=tests/browser --ignore=tests/test_openapi_fuzz.py

bench: install
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/ask_bench.py

clean:
	rm -rf $(VENV) $(DATA) build dist *.egg-info

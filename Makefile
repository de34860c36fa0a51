# Two commands matter: `make serve` (the site at http://127.0.0.1:8000) and `make test`.
# Both create the local virtual environment from the pinned requirements when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test lint clean

$(BIN)/.site: requirements.txt plugins/chronicle/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e plugins/chronicle
	touch $@

$(BIN)/.test: $(BIN)/.site requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

serve: $(BIN)/.site  ## Serve the site with live reload at http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(BIN)/.site  ## Write the static site to site/
	$(BIN)/mkdocs build --strict --site-dir site

check: $(BIN)/.site  ## Validate events, sources and places without building
	$(BIN)/chronicle check

lint: $(BIN)/.test
	$(BIN)/ruff check plugins tests
	$(BIN)/mypy

test: $(BIN)/.test lint  ## Lint, type-check, validate the content and run every test layer
	$(BIN)/chronicle check
	$(BIN)/python -m pytest

clean:
	rm -rf site dist $(VENV) .pytest_cache .mypy_cache .ruff_cache

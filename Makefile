# Two commands matter: `make serve` (the site at http://127.0.0.1:8000) and `make test`.
# Both create the local virtual environment from the pinned requirements when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test test-fast lint clean bench offline

$(BIN)/.site: requirements.txt plugins/chronicle/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e plugins/chronicle
	touch $@

$(BIN)/.test: $(BIN)/.site requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# The editions besides English: each has its config (mkdocs.<language>.yml, inheriting mkdocs.yml) and is built
# into site/<language>/ after the English one (which empties site/ first).
EDITIONS := ru kk
LANGUAGE ?= en
CONFIG   := $(if $(filter en,$(LANGUAGE)),mkdocs.yml,mkdocs.$(LANGUAGE).yml)

serve: $(BIN)/.site  ## Serve the site with live reload at http://127.0.0.1:$(PORT) (PORT=8001, LANGUAGE=ru or kk)
	$(BIN)/mkdocs serve --no-strict --dev-addr 127.0.0.1:$(PORT) --config-file $(CONFIG)

build: $(BIN)/.site  ## Write the static site to site/, the Russian and Kazakh editions to site/ru/ and site/kk/
	$(BIN)/mkdocs build --strict --site-dir site
	$(foreach e,$(EDITIONS),$(BIN)/mkdocs build --strict --config-file mkdocs.$(e).yml --site-dir site/$(e) &&) true

check: $(BIN)/.site  ## Validate events, sources and places without building
	$(BIN)/chronicle check

# The shutdown kit: for each edition its site zip, full and phone single files, PDF, ZIM and EPUB, then SHA256SUMS
# over them all, signed when QANTAR_MINISIGN_KEY holds the secret key (see docs/verify.md; KIT_COMMENT, read from
# the environment, is the signature's trusted comment). dist/ is emptied first, so the checksums list only this kit.
offline: $(BIN)/.site node_modules/.installed  ## Write the shutdown kit of every edition to dist/, with SHA256SUMS
	rm -rf dist
	$(BIN)/chronicle export --output-dir dist
	$(foreach e,$(EDITIONS),$(BIN)/chronicle export --config mkdocs.$(e).yml --name qantar-$(e) --output-dir dist &&) true
	$(BIN)/chronicle checksums dist $${KIT_COMMENT:+--comment "$$KIT_COMMENT"}

lint: $(BIN)/.test
	$(BIN)/ruff check plugins tests
	$(BIN)/mypy

# From the npm registry, as locked: iframe-worker (offline search), axe-core and vnu-jar (browser tests).
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime; we use the system's.
# Without npm (only Python and make on the machine) the tests that need these skip and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "npm not found: skipping iframe-worker, axe-core and vnu-jar (their tests will skip)"; fi

test: $(BIN)/.test node_modules/.installed lint  ## Lint, type-check, validate the content and run every test layer
	$(BIN)/chronicle check
	$(BIN)/python -m pytest

test-fast: $(BIN)/.test  ## The unit, Markdown, hostile and fuzz layers only (no site build, no browser): seconds
	$(BIN)/python -m pytest -m "not build and not browser and not slow"

bench: $(BIN)/.site  ## Time the plugin against MkDocs' own rendering at 100, 1 000 and 10 000 synthetic events
	$(BIN)/python bench/bench.py

clean:
	rm -rf site dist $(VENV) .pytest_cache .mypy_cache .ruff_cache

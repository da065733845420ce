# Two commands set up a fresh machine: `make up` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/bottle-caps/campaign.yaml

.PHONY: up test lint typecheck pytest stress docs goldens bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The example starts in 2027: serve it on a rehearsal clock set to its first registration day.
UP_ARGS ?= --clock start
up: $(STAMP)
	$(BIN)/campaignctl up $(EXAMPLE) $(UP_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# npm tools of the site tests (axe-core, vnu-jar), pinned in tests/browser/package-lock.json.
NPM_STAMP := tests/browser/node_modules/.installed
$(NPM_STAMP): tests/browser/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the site's browser and HTML tests will skip"; exit 0; }; \
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund && touch $(NPM_STAMP)

pytest: $(STAMP) $(NPM_STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

# The flake hunt: tests/runtime/ STRESS_RUNS times in a row while busy loops hold every core.
STRESS_RUNS ?= 20
STRESS_PATHS ?= tests/runtime
stress: $(STAMP) $(NPM_STAMP)
	$(BIN)/python tests/stress.py --runs $(STRESS_RUNS) $(STRESS_PATHS)

# Regenerate files derived from the code: docs/spec.md and docs/cli.md.
docs: $(STAMP)
	$(BIN)/python -m campaignctl.docs

bench: $(STAMP)
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/render.py

# Regenerate the golden files of rendered outputs; review the diff before committing.
goldens: $(STAMP)
	UPDATE_GOLDENS=1 $(BIN)/pytest -q tests/render

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache

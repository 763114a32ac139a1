# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint serve bench clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The distribution was called `almanac` before `mkdocs-almanac`: an old install (and its egg-info in
# this folder) would register the command and the MkDocs plugins a second time.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip uninstall --quiet --yes almanac 2>/dev/null || true
	rm -rf almanac.egg-info
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	$(BIN)/almanac build --site-dir site
	@echo "Site built: open site/index.html (Almanac's docs; the demo is site/demo/index.html), or run 'make serve'."

serve: $(STAMP)
	$(BIN)/almanac serve

lint: $(STAMP)
	$(BIN)/ruff check generator site_plugins tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/history_walk.py

# Re-extract the pages' labels from the templates and merge them into the catalogues (then translate).
translations: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -o build/almanac.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i build/almanac.pot -d generator/locale -D almanac --no-fuzzy-matching --width 120

clean:
	rm -rf site .almanac

# civicgrid: `make run` sets up and serves the demo; `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean assets

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Set up, migrate the SQLite database, load the Zhengzhou demo and serve http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/civicgrid db upgrade
	$(BIN)/civicgrid demo load
	$(BIN)/civicgrid serve

## Set up, then lint, type-check, check layer contracts and run the test suite on both engines
test: $(STAMP) lint
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

## Every benchmark; figures go to docs/performance.md by hand
bench: $(STAMP)
	$(BIN)/python bench/run_all.py

## Refresh the vendored browser assets from the pinned npm packages (needs npm; commit the result)
assets:
	$(PYTHON) scripts/vendor_assets.py

clean:
	rm -rf $(VENV) var build *.egg-info

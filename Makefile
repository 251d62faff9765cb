# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench faults clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/python -m pytest -q

# The fault-injection suite alone (also part of `make test`); what it injected and what survived
# goes to build/fault-figures.json (quoted in the README).
faults: install
	NOTICES_FAULT_FIGURES=build/fault-figures.json $(BIN)/python -m pytest -q tests/faults
	@cat build/fault-figures.json

# Serve the bundled sample portal on 127.0.0.1, run `notices nightly` against it, summarize.
demo: install
	$(BIN)/python -m tests.demo --db data/db/notices.db --raw-dir data/raw

# Speed and memory figures (printed, never asserted).
bench: install
	$(BIN)/python benchmarks/extract_speed.py tests/fixtures/dev
	$(BIN)/python benchmarks/underthesea_ner.py tests/fixtures/dev

clean:
	rm -rf $(VENV) build *.egg-info

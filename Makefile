# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench bench-large clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/python -m pytest -q

# Serve the bundled sample portal on 127.0.0.1, run `notices nightly` against it, summarize.
demo: install
	$(BIN)/python -m tests.demo --db data/db/notices.db --raw-dir data/raw

# Speed and memory figures (printed, never asserted). The first run builds synthetic archives of
# 1k, 10k and 100k pages and a 100k database under benchmarks/.cache/ (about 15 minutes); later
# runs reuse them. bench-large (or NOTICES_BENCH_LARGE=1) also times a rebuild of the 100k pages.
bench: install
	$(BIN)/python benchmarks/extract_speed.py tests/fixtures/dev
	$(BIN)/python benchmarks/underthesea_ner.py tests/fixtures/dev
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/nightly.py

bench-large: install
	$(BIN)/python benchmarks/scale.py --large

clean:
	rm -rf $(VENV) build *.egg-info

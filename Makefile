# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test demo bench bench-large faults clean chromium system-deps screenshots snapshot

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

# Headless Chromium for the browser tests: Debian's package, installed where it is missing
# (sudo when not root). The tests skip, saying why, on a machine without it.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }
	@chromium --version 2>/dev/null || /usr/bin/chromium --version

# The readers of attachments (pipeline/attach/): Tesseract with its Vietnamese model for scans,
# LibreOffice (no GUI) for .doc files, DejaVu fonts for the generated test PDFs. Debian's packages,
# installed where missing (sudo when not root); the tests that need them skip, saying why, without.
ATTACH_DEBS := tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui fonts-dejavu-core
system-deps:
	@missing=""; for p in $(ATTACH_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	@tesseract --version 2>&1 | head -1; tesseract --list-langs 2>/dev/null | grep -qx vie && echo "tesseract: vie"
	@soffice --version

# docs/audit-page.png, docs/report.png and the Datasette pages (home, overdue tasks, a unit,
# the dashboard) from the demo database, as the README shows them.
screenshots: install
	$(BIN)/python -m tests.browser --db data/db/notices.db --out docs --today 2024-09-20

# Speed and memory figures (printed, never asserted). The first run builds synthetic archives of
# 1k, 10k and 100k pages and a 100k database under benchmarks/.cache/ (about 15 minutes); later
# runs reuse them. bench-large (or NOTICES_BENCH_LARGE=1) also times a rebuild of the 100k pages.
bench: install
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/underthesea_ner.py tests/fixtures/dev
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/nightly.py
	$(BIN)/python benchmarks/attachments.py

bench-large: install
	$(BIN)/python benchmarks/scale.py --large

# The extractor's output on every gold text, under its EXTRACTOR_VERSION
# (tests/fixtures/extraction-snapshot.json): after a change of the rules, bump RULES_VERSION in
# extractors/__init__.py and run this; tests/test_extraction_snapshot.py holds the two together.
snapshot: install
	$(BIN)/python -m tests.snapshot

clean:
	rm -rf $(VENV) build *.egg-info

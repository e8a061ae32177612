# Sinoterm: `make demo` runs the dashboard on bundled data, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test bench lint snapshot-svg clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .  # compiles our bytecode too (scripts/sinoterm_build.py)
	touch $(STAMP)

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(TSTAMP)

demo: $(STAMP)
	$(BIN)/sinoterm --demo

test: $(TSTAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

lint: $(TSTAMP)
	$(BIN)/ruff check .

snapshot-svg: $(STAMP)
	$(BIN)/sinoterm snapshot --demo --format svg --size 140x45 > assets/screenshot.svg

clean:
	rm -rf $(VENV) build *.egg-info

# Sinoterm: `make demo` runs the dashboard on bundled data, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
NATIVE := $(VENV)/.native

.PHONY: demo test bench lint snapshot-svg clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[native]'  # compiles our bytecode and the extractor too (scripts/sinoterm_build.py)
	touch $(STAMP)

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,native]'
	touch $(TSTAMP)

# The extractor compiled by mypyc (news/__init__.py uses it only while it matches the sources):
# the install builds it, this rebuilds it after an edit. A failed build warns and leaves the
# pure-Python extractor in use.
$(NATIVE): $(STAMP) news/__init__.py news/extract.py news/tagging.py $(wildcard news/extract_*.py) scripts/build_native.py
	$(BIN)/python scripts/build_native.py
	touch $(NATIVE)

demo: $(STAMP) $(NATIVE)
	$(BIN)/sinoterm --demo

test: $(TSTAMP) $(NATIVE)
	$(BIN)/python -m pytest

bench: $(STAMP) $(NATIVE)
	$(BIN)/python benchmarks/run_all.py

lint: $(TSTAMP)
	$(BIN)/ruff check .

snapshot-svg: $(STAMP)
	$(BIN)/sinoterm snapshot --demo --format svg --size 140x45 > assets/screenshot.svg

clean:
	rm -rf $(VENV) build *.egg-info news/_native

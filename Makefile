# Two commands for a fresh machine with Python 3.11+:
#   make demo   - virtual environment, the package, and the CloudTrail demo
#   make test   - the same plus test dependencies, and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test bench clean

demo: $(VENV)/.installed
	$(BIN)/parthenon demo

test: $(VENV)/.installed-test
	scripts/system-deps.sh
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/python bench/cloudtrail.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

clean:
	rm -rf $(VENV) demo-data bench/data

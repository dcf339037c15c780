PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: running needs only the project; the dev tools (pytest, hypothesis, ruff, mypy) come
# on top for test, lint and bench. The dev stamp depends on the run stamp, so a pyproject.toml
# change reinstalls both, and `make run` after `make test` (or the other way round) installs
# only what is missing.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test bench lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

run: $(RUN_STAMP)
	$(BIN)/careerbot run

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/careerbot kb check
	$(BIN)/pytest

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

check: $(RUN_STAMP)
	$(BIN)/careerbot kb check

clean:
	rm -rf $(VENV) build *.egg-info

# Two commands on a fresh machine:  make demo   and   make test
# Both create .venv and install crosscheck into it first.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test test-fast bench clean

setup: $(STAMP)

# torch is installed alone first and pinned: torch==2.13.0 is the local CPU build; any looser
# requirement (sentence-transformers asks for torch) would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]" torch==2.13.0
	touch $(STAMP)

demo: setup
	$(VENV)/bin/crosscheck run examples/harbour-fire -o reports

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow"

bench: setup
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) reports/*/ reports/index.html .pytest_cache

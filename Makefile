# Two commands on a fresh machine:  make demo   and   make test
# Both create .venv and install crosscheck into it first.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup browser demo test test-fast package-check bench clean

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

# The browser test drives Debian's chromium; install it when we can (root with apt-get),
# otherwise that one test is skipped with a message.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "note: could not install chromium; the browser test will be skipped"; \
	else echo "note: chromium is not installed; the browser test will be skipped"; fi

# The package check runs first so that pytest's summary is the last line CI prints.
test: setup browser
	$(MAKE) package-check
	$(PY) -m pytest

# The wheel as a user installs it: built, checked, installed into a fresh venv outside the
# repository, and run on the example story from another folder.
package-check: setup
	scripts/check-package.sh $(PY)

test-fast: setup
	$(PY) -m pytest -m "not slow"

bench: setup
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf $(VENV) reports/*/ reports/index.html .pytest_cache

# Two commands set up everything: `make demo` and `make test`.
# Both create .venv and install the project into it when needed.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

DB ?= db/health.db

.PHONY: install demo crawl serve serve-demo browser nginx test test-slow bench bench-crawl clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# The optional Ray extra, for the tests and benchmarks that start a local Ray
# cluster (the pipeline itself, and `make demo`, need no Ray).
RAY_STAMP := $(VENV)/.installed-ray
$(RAY_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,ray]'
	touch $(RAY_STAMP)

# Byte-code for the project's own modules. pip compiles what it installs into
# site-packages, but this project is installed editable, and where
# PYTHONDONTWRITEBYTECODE is set (as on the machines it is built on) every
# start of every command compiled pipeline/ from source again: 30-40 ms of
# each cron run, 4 % of a 2,000-page crawl. Python still checks each file's
# stamp, so a stale .pyc is never run; this rebuilds them when a module changes.
PYC_STAMP := $(VENV)/.compiled
$(PYC_STAMP): $(STAMP) $(shell find pipeline -name '*.py')
	$(PY) -m compileall -q pipeline
	touch $(PYC_STAMP)

install: $(STAMP) $(PYC_STAMP)

## The whole job on the bundled demo site (no internet needed), into its own
## database and export: db/demo.db and exports-demo/.
demo: $(PYC_STAMP)
	$(PY) -m pipeline demo

## The scheduled job over sources.yaml (cron: see README): db/health.db, exports/.
crawl: $(PYC_STAMP)
	$(PY) -m pipeline run

## Browse the database in Datasette on http://127.0.0.1:8001/ (DB=... to choose).
serve: $(PYC_STAMP)
	$(PY) -m pipeline --db $(DB) serve

## Browse the demo's database.
serve-demo: $(PYC_STAMP)
	$(PY) -m pipeline --db db/demo.db serve

## Debian's Chromium, for the end-to-end test of Datasette's pages.
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium (browser test)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's nginx, the web server of the crawl benchmark's static site.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { echo "installing Debian's nginx (crawl benchmark)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; }

## The test suite (fast; slow scale tests are in test-slow).
test: $(RAY_STAMP) $(PYC_STAMP) browser
	$(PY) -m pytest -q

test-slow: $(RAY_STAMP) $(PYC_STAMP)
	$(PY) -m pytest -q -m slow

## Benchmarks print their figures and ratios against a baseline run alongside.
bench: $(RAY_STAMP) $(PYC_STAMP) nginx
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(PY) bench/crawl.py
	$(PY) bench/extract.py
	$(PY) bench/extract_quality.py
	$(PY) bench/facts.py
	$(PY) bench/dedupe.py
	$(PY) bench/recommend_quality.py
	$(PY) bench/faults.py
	$(PY) bench/warc_import.py
	$(PY) bench/scale.py

## Only the crawl benchmark (nginx and Scrapy installed when missing).
bench-crawl: $(PYC_STAMP) nginx
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(PY) bench/crawl.py

clean:
	rm -rf $(VENV) .pytest_cache db/*.db db/*.db-* db/*.lock exports-demo db/*.dataset db/*.crawl
	find pipeline -name __pycache__ -prune -exec rm -rf {} +

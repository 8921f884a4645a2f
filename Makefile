# The two commands a newcomer needs: `make crawl` and `make test`. Both create/refresh .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test crawl crawlall demo demo-archive snapshot lint bench bench-memory bench-extract bench-distributed bench-accuracy bench-real bench-archive bench-reading state

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# The end-to-end tests run twice: with the reading pool (the default) and with pages read
# in-process (READING_POOL_SIZE=0, through tests/settings_in_process.py): CI covers both modes.
E2E_TESTS := tests/test_e2e_*.py tests/test_faults.py tests/test_hostile.py tests/test_pool_e2e.py \
	tests/test_distributed.py

test: install
	$(PY) -m pytest -q
	SCRAPY_SETTINGS_MODULE=tests.settings_in_process $(PY) -m pytest -q $(E2E_TESTS)

crawl: install
	$(VENV)/bin/scrapy crawl sjfzxm

crawlall: install
	$(VENV)/bin/scrapy crawlall

demo: install
	$(PY) -m localsite.demo

demo-archive: install
	$(PY) -m localsite.demo_archive

snapshot: install
	$(PY) -m crawler.dataset snapshot

lint: install
	$(VENV)/bin/ruff check crawler spiders pipelines localsite tests benchmarks
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/crawl.py

bench-memory: install
	$(PY) benchmarks/crawl.py --articles 50000 --incremental --max-rss-mb 300

bench-accuracy: install
	$(PY) benchmarks/accuracy.py --articles 300 --seed 7

bench-real: install
	$(PY) benchmarks/real.py

bench-archive: install
	$(PY) benchmarks/archive.py --articles 400

bench-extract: install
	$(PY) benchmarks/extraction.py

state: install
	$(PY) -m crawler.state show --spider sjfzxm --state-dir $${STATE_DIR:-./state}

bench-distributed: install
	$(PY) benchmarks/distributed.py

bench-reading: install
	$(PY) benchmarks/reading.py

# skizzen – the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.synced
DATA ?= var

.PHONY: run test venv lint demo clean serve bench zoo evaluate-zoo

# A virtualenv with exactly the locked versions (uv.lock); uv itself comes from PyPI.
$(STAMP): pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip >/dev/null; \
	  $(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"; }
	$(UV) sync --frozen --inexact --compile-bytecode --python $(PY)
	@touch $(STAMP)

venv: $(STAMP)

# The main job on the embedded default: demo mailbox -> Prefect (no server) -> ./var/skizzen.db
run: $(STAMP)
	$(VENV)/bin/skizzen demo --out $(DATA)/demo-mail
	$(VENV)/bin/skizzen ingest $(DATA)/demo-mail --data-dir $(DATA)

# Staff server: Prefect UI/API on 127.0.0.1:$(PORT), work pool, deployments from prefect.yaml
# (nightly ingest 02:00, on-demand rerun via "Custom run"), a worker, and the review page when
# `skizzen web` exists. State under $(DATA)/prefect; stop with Ctrl+C (stops every child).
PORT ?= 4200
WEB_PORT ?= 8080
serve: $(STAMP)
	$(VENV)/bin/skizzen serve --data-dir $(DATA) --port $(PORT) --web-port $(WEB_PORT)

# Whole test suite (unit, flow tests under one prefect_test_harness, end-to-end over ../shared)
test: $(STAMP)
	$(PY) -m pytest -q

# Speed as figures, nothing asserted: extraction and parsing on one core (warm sketches/s, a
# 300-page sketch, parse vs pdfplumber), then the archive benchmark: SIZE unique sketches through
# ingest, rerun --all, export and report on SQLite and a temp PostgreSQL (needs `make zoo` for
# the layouts beyond the sample; SIZE=10000 for the archive figure), then the same archive's
# rerun with the Dask task runner on 1 and 2 workers
SIZE ?= 1000
BENCH_DIR = $(abspath $(DATA))/bench-archive
bench: $(STAMP)
	taskset -c 0 $(PY) scripts/bench.py || $(PY) scripts/bench.py
	rm -rf $(BENCH_DIR)
	$(PY) scripts/archive_bench.py --size $(SIZE) --postgres --keep $(BENCH_DIR)
	$(PY) scripts/dask_bench.py --database-url sqlite:///$(BENCH_DIR)/skizzen.db \
		--data-dir $(BENCH_DIR)/data-sqlite

# The layout zoo: 14 layouts from 11 producers with their own wording (scripts/zoo/README.md);
# installs the producers (Debian + a separate venv) and writes $(DATA)/zoo deterministically
zoo:
	bash scripts/zoo/setup.sh
	.venv-zoo/bin/python scripts/zoo/make_zoo.py --out $(DATA)/zoo

# Generalisation: every learned part refitted without each producer, that producer scored
evaluate-zoo: $(STAMP)
	$(VENV)/bin/skizzen evaluate --corpus $(DATA)/zoo --leave-out producer --also-train $(DATA)/heldout

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(DATA) .pytest_cache

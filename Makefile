# Kelisim — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in emails (also those the demo queues) point at the port served, unless SITE_URL says otherwise.
SITE_URL ?= http://127.0.0.1:$(PORT)
export PORT SITE_URL
STAMP := $(VENV)/.installed
# Every dependency, direct or not, pinned with the hashes of its files (docs/operations.md, "Dependencies").
LOCK := requirements/lock.txt
TOOLS := .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed
UV_COMPILE = $(TOOLS)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 --no-header

.PHONY: axe run test test-browser test-postgres lint lint-migrations bench bench-http bench-memory chaos cluster-test messages worker \
	clean-venv eval-duplicates lock upgrade-lock sbom audit

# Installs exactly the lock (pip refuses any file whose hash differs). If pyproject.toml asks for something the
# lock lacks (a dependency added without `make lock`), the lock is regenerated first, loudly.
$(STAMP): pyproject.toml $(LOCK) requirements/build.in
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PYTHON) requirements/check_lock.py || { \
		echo "*** Regenerating $(LOCK) from pyproject.toml: commit the result. ***"; \
		$(MAKE) --no-print-directory lock; }
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

$(TOOLS_STAMP): requirements/tools.txt
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r requirements/tools.txt
	@touch $(TOOLS_STAMP)

# The lock from pyproject.toml, keeping every pin that still fits; `make upgrade-lock` takes the newest releases.
lock: $(TOOLS_STAMP)
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev -o $(LOCK)
	@$(PYTHON) requirements/check_lock.py

upgrade-lock: $(TOOLS_STAMP)
	$(UV_COMPILE) --upgrade pyproject.toml requirements/build.in --extra dev -o $(LOCK)
	$(UV_COMPILE) --upgrade requirements/tools.in -o requirements/tools.txt

# A CycloneDX SBOM of what `make run` installs (the lock, with hashes and licences of the installed packages).
sbom: $(STAMP) $(TOOLS_STAMP)
	@mkdir -p var
	$(TOOLS)/bin/cyclonedx-py environment --output-reproducible --of JSON -o var/sbom.cdx.json $(PY)
	@echo "SBOM written to var/sbom.cdx.json"

# Known vulnerabilities in the locked versions (the PyPI advisory database); says so, and passes, when offline.
audit: $(TOOLS_STAMP)
	@$(TOOLS)/bin/python requirements/audit.py $(LOCK)

venv: $(STAMP)

# Compiled catalogues are built from the committed .po files, so no GNU gettext is needed.
compiled-messages: $(STAMP)
	@$(PY) manage.py compile_translations

run: $(STAMP) compiled-messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Kelisim on http://127.0.0.1:$(PORT)/ (background worker started; Ctrl+C stops both)"
	@$(PY) manage.py serve_local --port $(PORT)

worker: $(STAMP)
	$(PY) manage.py db_worker

test: $(STAMP) compiled-messages
	$(PY) -m pytest -m "not browser" -n 2 -q $(PYTEST_ARGS)

# axe-core (accessibility rules for the browser tests) from npm, outside git, at one pinned version.
AXE := var/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --no-save --no-audit --no-fund --prefix var/axe axe-core@4.14.1

axe: $(AXE)

test-browser: $(STAMP) compiled-messages $(AXE)
	$(PY) -m pytest -m browser -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Migrations added since kelisim/core/data/migrations_baseline.txt must survive a rolling upgrade (docs/deployment.md).
lint-migrations: $(STAMP)
	$(PY) manage.py lint_migrations


bench: $(STAMP) compiled-messages
	$(PY) bench/run.py

# Public pages over HTTP (gunicorn) at ten times the seed's volume, SQLite and PostgreSQL (docs/performance.md).
# BENCH_REUSE=1 keeps the seeded databases; see bench/pages_http/run.py for the other knobs.
bench-http: $(STAMP) compiled-messages
	$(PY) bench/pages_http/run.py

# A gunicorn worker's memory after serving every page type (issue 13: ≤ 120 MB RSS), on the demo data in a
# throw-away directory (docs/performance.md); see bench/worker_memory.py for the knobs.
bench-memory: $(STAMP) compiled-messages
	$(PY) bench/worker_memory.py

# The duplicate finder scored on labelled pairs (DATASET=folder with duplicate-pairs.tsv and distractors.txt),
# sent through the submission service into a fresh SQLite database; figures in var/eval-duplicates.json.
DATASET ?= ../shared/testdata/duplicates-dev
EVAL_DB := var/eval-duplicates.sqlite3
eval-duplicates: $(STAMP) compiled-messages
	@mkdir -p var && rm -f $(EVAL_DB) $(EVAL_DB)-wal $(EVAL_DB)-shm
	@DATABASE_URL=sqlite:///$(CURDIR)/$(EVAL_DB) $(PY) manage.py migrate --no-input --verbosity 0
	DATABASE_URL=sqlite:///$(CURDIR)/$(EVAL_DB) $(PY) manage.py eval_duplicates --dataset "$(DATASET)" --output var/eval-duplicates.json
	@rm -f $(EVAL_DB) $(EVAL_DB)-wal $(EVAL_DB)-shm

# Faults under load on PostgreSQL and Redis (restarts the machine's PostgreSQL; see docs/operations.md).
chaos: $(STAMP) compiled-messages
	$(PY) bench/chaos.py

# The production shape on this machine, loopback only (Linux, root; see docs/deployment.md): nginx, 3 nodes,
# 2 workers, 2 schedulers, PostgreSQL, Redis and SeaweedFS; browser journeys and a load while nodes come and go.
cluster-test: $(STAMP) compiled-messages
	$(PY) bench/cluster.py

# Refresh the .po catalogues after changing translatable strings (needs GNU gettext).
messages: $(STAMP)
	$(PY) manage.py make_all_messages

clean-venv:
	rm -rf $(VENV) $(TOOLS)

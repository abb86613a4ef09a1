# Gaoxin. `make demo` and `make test` are all a fresh machine with Python >= 3.11 needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
# The suite runs on every core (pytest-xdist); PYTEST_ARGS= runs it in one process.
PYTEST_ARGS ?= -n auto

.PHONY: demo serve test test-fast lint typecheck format messages bench bench-ci bench-excel bench-excel-writers bench-province bench-province-drop bench-cluster clean help

help:
	@echo "make demo    set up .venv, migrate, load the demo scenario and serve on http://$(HOST)"
	@echo "make test    install the dev extras and run the whole suite (browser tests too)"
	@echo "make serve   serve without reloading the demo"
	@echo "make lint    ruff"
	@echo "make typecheck  mypy with django-stubs on gaoxin/ (pyproject.toml [tool.mypy])"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gaoxin needs Python >= 3.11; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gaoxin migrate --noinput
	$(BIN)/gaoxin demo
	@echo ""
	@echo "Serving on http://$(HOST)  (Ctrl-C stops)"
	$(BIN)/gaoxin serve --bind $(HOST)

serve: $(STAMP)
	$(BIN)/gaoxin migrate --noinput
	$(BIN)/gaoxin serve --bind $(HOST)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check gaoxin tests
	$(BIN)/ruff format --check gaoxin tests

# Apart from lint: mypy loads Django (the plugin reads the settings) and takes longer; CI runs both.
typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix gaoxin tests
	$(BIN)/ruff format gaoxin tests

# Refreshing needs GNU gettext's xgettext on the developer's machine; compiling is done with
# polib, and the compiled .mo is committed so that users need nothing beyond Python.
CATALOGUE := gaoxin/locale/zh_Hans/LC_MESSAGES/django
messages: $(STAMP)
	cd gaoxin && ../$(BIN)/gaoxin makemessages --locale zh_Hans --no-obsolete --no-location
	$(BIN)/python -c 'import polib; polib.pofile("$(CATALOGUE).po").save_as_mofile("$(CATALOGUE).mo")'

# Synthetic city-scale data, then the main pages' latency, the cultivation radars' answers
# (p95 within 150 ms each) and the throughput under load
# (bench/README.md has the figures). A ten times smaller set in the same database checks that
# no page's query count grows with the data. BENCH_URL=postgres://… runs it on PostgreSQL (an
# existing database, which it empties).
BENCH_DB          ?= $(CURDIR)/var/bench.sqlite3
BENCH_URL         ?= sqlite:///$(BENCH_DB)
BENCH_ENTERPRISES ?= 100000
BENCH_PROJECTS    ?= 20000
BENCH_RUNS        ?= 20
bench: $(STAMP)
	rm -f $(BENCH_DB) $(BENCH_DB)-wal $(BENCH_DB)-shm
	DATABASE_URL=$(BENCH_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(BENCH_URL) $(BIN)/gaoxin flush --noinput
	DATABASE_URL=$(BENCH_URL) $(BIN)/gaoxin generate --enterprises $(BENCH_ENTERPRISES) --projects $(BENCH_PROJECTS)
	DATABASE_URL=$(BENCH_URL) $(BIN)/gaoxin generate --enterprises $$(( $(BENCH_ENTERPRISES) / 10 )) --projects $$(( $(BENCH_PROJECTS) / 10 )) --prefix tenth --seed 2
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/latency.py --runs $(BENCH_RUNS) --compare-prefix tenth
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/api.py --runs $(BENCH_RUNS) --max-p95 50
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/radars.py --runs $(BENCH_RUNS) --max-p95 150
	DATABASE_URL=$(BENCH_URL) $(BIN)/python bench/throughput.py --seconds 30

# A province (issue 19): 1,000,000 enterprises and 200,000 projects in 30 zones on PostgreSQL,
# then bench/province.py: one zone's main pages as at 100k, and a leader of all 30 zones on the
# dashboard and the briefing, warm and cold (p95 within 500 ms warm), the peak RSS and the
# plans of the slowest queries. BENCH_PROVINCE_URL names an existing PostgreSQL database, which
# it empties; the database is kept afterwards for another look (`make bench-province-drop`
# drops it; 100k enterprises in 30 zones took under 1 GB, a million about ten times that). The
# generation takes 10 minutes or more on an idle machine, over an hour on a busy one.
BENCH_PROVINCE_URL         ?= postgres://postgres@127.0.0.1:5432/gaoxin_province
BENCH_PROVINCE_ENTERPRISES ?= 1000000
BENCH_PROVINCE_PROJECTS    ?= 200000
BENCH_PROVINCE_ZONES       ?= 30
# The economy's monthly figures are about 55 rows an enterprise over 36 months: some 55 million
# rows for a province, hours on two cores. None by default; the 30-zone economy is measured on
# a small set (bench/README.md).
BENCH_PROVINCE_ECONOMY_MONTHS ?= 0
bench-province: $(STAMP)
	DATABASE_URL=$(BENCH_PROVINCE_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(BENCH_PROVINCE_URL) $(BIN)/gaoxin flush --noinput
	DATABASE_URL=$(BENCH_PROVINCE_URL) /usr/bin/env time -v $(BIN)/gaoxin generate --enterprises $(BENCH_PROVINCE_ENTERPRISES) --projects $(BENCH_PROVINCE_PROJECTS) --zones $(BENCH_PROVINCE_ZONES) --prefix prov --economy-months $(BENCH_PROVINCE_ECONOMY_MONTHS)
	DATABASE_URL=$(BENCH_PROVINCE_URL) $(BIN)/python bench/province.py --runs $(BENCH_RUNS) --max-p95 500

bench-province-drop:
	DATABASE_URL=$(BENCH_PROVINCE_URL) $(BIN)/python -c 'import os, urllib.parse as u, subprocess; d = u.urlparse(os.environ["DATABASE_URL"]); subprocess.run(["dropdb", "--if-exists", "-h", d.hostname or "127.0.0.1", "-p", str(d.port or 5432), "-U", d.username or "postgres", d.path.lstrip("/")], check=True)'

# Excel: import and export 100,000 enterprises (the import's write timed before and after issue 18
# on the same rows), and django-import-export on the same file.
BENCH_EXCEL_DB  ?= $(CURDIR)/var/bench-excel.sqlite3
BENCH_EXCEL_URL ?= sqlite:///$(BENCH_EXCEL_DB)
bench-excel: $(STAMP)
	rm -f $(BENCH_EXCEL_DB) $(BENCH_EXCEL_DB)-wal $(BENCH_EXCEL_DB)-shm
	DATABASE_URL=$(BENCH_EXCEL_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(BENCH_EXCEL_URL) $(BIN)/python bench/excel.py --rows $(BENCH_ENTERPRISES)
	DATABASE_URL=$(BENCH_EXCEL_URL) $(BIN)/python bench/statistics_import.py --rows 20000

# Several machines on this one (bench/cluster.py): two gunicorn web nodes (deploy/gunicorn.conf.py)
# and two workers on PostgreSQL and Redis, the mixed load spread over both nodes, a worker killed
# (SIGKILL) during an enterprise import; checks 0 lost writes, the import whole after its
# automatic retry, equal figures and sessions on both nodes. An existing PostgreSQL database,
# which it empties and fills with `gaoxin generate`.
CLUSTER_URL       ?= postgres://postgres@127.0.0.1:5432/gaoxin_cluster
CLUSTER_REDIS     ?= redis://127.0.0.1:6379/0
CLUSTER_PORTS     ?= 8001,8002
CLUSTER_ENTERPRISES ?= 10000
bench-cluster: $(STAMP)
	DATABASE_URL=$(CLUSTER_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(CLUSTER_URL) $(BIN)/gaoxin flush --noinput
	DATABASE_URL=$(CLUSTER_URL) $(BIN)/gaoxin generate --enterprises $(CLUSTER_ENTERPRISES) --projects $$(( $(CLUSTER_ENTERPRISES) / 5 )) --zones 1
	DATABASE_URL=$(CLUSTER_URL) REDIS_URL=$(CLUSTER_REDIS) $(BIN)/python bench/cluster.py --ports $(CLUSTER_PORTS)

# Excel writers: core/excel.py against xlsxwriter (constant_memory), pyexcelerate and
# rustpy-xlsxwriter on the rows of the 100k enterprise export, each file read back and checked.
# The two libraries the project does not use are installed into .venv for this run only.
BENCH_WRITERS_DB  ?= $(CURDIR)/var/bench-writers.sqlite3
BENCH_WRITERS_URL ?= sqlite:///$(BENCH_WRITERS_DB)
bench-excel-writers: $(STAMP)
	$(BIN)/python -m pip install --quiet pyexcelerate rustpy-xlsxwriter
	rm -f $(BENCH_WRITERS_DB) $(BENCH_WRITERS_DB)-wal $(BENCH_WRITERS_DB)-shm
	DATABASE_URL=$(BENCH_WRITERS_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(BENCH_WRITERS_URL) $(BIN)/gaoxin generate --enterprises $(BENCH_ENTERPRISES) --projects 0 --zones 1
	DATABASE_URL=$(BENCH_WRITERS_URL) $(BIN)/python bench/excel_writers.py

# The same, small (1,000 enterprises), with generous limits: CI runs it so that a page gone
# slow or a query count that grows with the data fails the build. Pages of 10 rows, so that
# the lists compared run to several pages on the small set too (and are counted on both).
# BENCH_CI_TEMPLATE=FILE starts from a copy of a database file just migrated (.ci/run's test
# template) instead of replaying every migration again; `migrate` then finds nothing to do.
BENCH_CI_DB := $(CURDIR)/var/bench-ci.sqlite3
BENCH_CI_URL := sqlite:///$(BENCH_CI_DB)
BENCH_CI_TEMPLATE ?=
bench-ci: $(STAMP)
	rm -f $(BENCH_CI_DB) $(BENCH_CI_DB)-wal $(BENCH_CI_DB)-shm
	$(if $(BENCH_CI_TEMPLATE),cp $(BENCH_CI_TEMPLATE) $(BENCH_CI_DB))
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/gaoxin generate --enterprises 1000 --projects 200 --zones 1
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/gaoxin generate --enterprises 300 --projects 60 --zones 1 --prefix small --seed 2
	DATABASE_URL=$(BENCH_CI_URL) GAOXIN_PAGE_SIZE=10 $(BIN)/python bench/latency.py --runs 10 --map-runs 3 --compare-prefix small --max-p95 1500
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/python bench/radars.py --runs 3 --sample 4 --max-p95 1500
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/python bench/api.py --runs 5 --max-p95 1500
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/python bench/throughput.py --seconds 5 --warmup 1
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/python bench/excel.py --rows 1000 --ie-bulk-rows 1000 --ie-row-rows 200
	DATABASE_URL=$(BENCH_CI_URL) $(BIN)/python bench/statistics_import.py --rows 1000

clean:
	rm -rf $(VENV) var/static .pytest_cache

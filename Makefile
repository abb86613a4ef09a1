# Gaoxin. `make demo` and `make test` are all a fresh machine with Python >= 3.11 needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: demo serve test test-fast lint format messages bench clean help

help:
	@echo "make demo    set up .venv, migrate, load the demo scenario and serve on http://$(HOST)"
	@echo "make test    install the dev extras and run the whole suite (browser tests too)"
	@echo "make serve   serve without reloading the demo"
	@echo "make lint    ruff"

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

format: $(STAMP)
	$(BIN)/ruff check --fix gaoxin tests
	$(BIN)/ruff format gaoxin tests

# Refreshing needs GNU gettext's xgettext on the developer's machine; compiling is done with
# polib, and the compiled .mo is committed so that users need nothing beyond Python.
CATALOGUE := gaoxin/locale/zh_Hans/LC_MESSAGES/django
messages: $(STAMP)
	cd gaoxin && ../$(BIN)/gaoxin makemessages --locale zh_Hans --no-obsolete --no-location
	$(BIN)/python -c 'import polib; polib.pofile("$(CATALOGUE).po").save_as_mofile("$(CATALOGUE).mo")'

# Synthetic city-scale data, then the main pages' latency (bench/README.md has the figures).
BENCH_DB          ?= $(CURDIR)/var/bench.sqlite3
BENCH_ENTERPRISES ?= 100000
BENCH_PROJECTS    ?= 20000
bench: $(STAMP)
	rm -f $(BENCH_DB) $(BENCH_DB)-wal $(BENCH_DB)-shm
	DATABASE_URL=sqlite:///$(BENCH_DB) $(BIN)/gaoxin migrate -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) $(BIN)/gaoxin generate --enterprises $(BENCH_ENTERPRISES) --projects $(BENCH_PROJECTS)
	DATABASE_URL=sqlite:///$(BENCH_DB) $(BIN)/python bench/latency.py

clean:
	rm -rf $(VENV) var/static .pytest_cache

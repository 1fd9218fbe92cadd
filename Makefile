# Samvirke: `make demo` serves the demo on http://127.0.0.1:8000 (another port: `make demo PORT=8123`);
# `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/samvirke
PORT ?= 8000
export SAMVIRKE_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test lint types translations pytest pytest-sqlite pytest-postgres bench assets \
        messages system-packages install serve clean makemessages mutation

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Samvirke needs Python 3.11 ($(PYTHON))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Third-party front-end assets come from the npm registry, never from a CDN at run time.
samvirke/web/static/vendor/htmx.min.js: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the front-end assets."; exit 1; }
	npm ci --no-audit --no-fund --silent
	mkdir -p samvirke/web/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js samvirke/web/static/vendor/htmx.min.js
	cp node_modules/htmx.org/LICENSE samvirke/web/static/vendor/htmx.LICENSE

assets: samvirke/web/static/vendor/htmx.min.js

messages: $(STAMP)
	SAMVIRKE_TESTING=1 $(BIN)/samvirke compile_translations

makemessages: $(STAMP)
	cd samvirke && SAMVIRKE_TESTING=1 ../$(BIN)/samvirke makemessages -l nb -l sv -l en \
	    --no-location --no-obsolete --ignore '*/tests/*' && cd ..

# Browser tests drive Debian's Chromium; install it when missing and we may. GNU PSPP (21 MB)
# reads the research export's .sav back in a test; WeasyPrint uses Pango, which Chromium pulls in.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null || ! command -v pspp >/dev/null \
	  || ! { { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libcairo\.so\.2'; }; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext pspp libcairo2 >/dev/null; \
	  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext pspp libcairo2 >/dev/null; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will be skipped."; fi; \
	fi

demo: $(STAMP) assets messages
	SAMVIRKE_DEMO=1 SAMVIRKE_REQUIRE_2FA=0 $(BIN)/samvirke migrate --noinput -v0
	SAMVIRKE_DEMO=1 SAMVIRKE_REQUIRE_2FA=0 $(BIN)/samvirke collectstatic --noinput -v0
	SAMVIRKE_DEMO=1 SAMVIRKE_REQUIRE_2FA=0 $(BIN)/samvirke demo
	@# gunicorn announces the address itself once it listens (samvirke/web/gunicorn_demo.py).
	PORT=$(PORT) SAMVIRKE_DEMO=1 SAMVIRKE_REQUIRE_2FA=0 $(BIN)/gunicorn samvirke.wsgi:application \
	    --config python:samvirke.web.gunicorn_demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	SAMVIRKE_TESTING=1 $(BIN)/mypy

translations: messages system-packages
	SAMVIRKE_TESTING=1 $(BIN)/samvirke check_translations

pytest-sqlite: $(STAMP) assets messages system-packages
	@echo "== pytest on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q -rs

pytest-postgres: $(STAMP) assets messages
	@if [ -n "$${DATABASE_URL:-}" ] && [[ "$${DATABASE_URL}" == postgres* ]]; then url="$$DATABASE_URL"; \
	elif $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null; then url="$(PG_URL)"; \
	else url=""; fi; \
	if [ -z "$$url" ]; then \
	  echo "== pytest on PostgreSQL: SKIPPED — DATABASE_URL does not point to PostgreSQL and nothing answers on 127.0.0.1:5432 =="; \
	else echo "== pytest on PostgreSQL ($${url%%@*}@…) =="; DATABASE_URL="$$url" $(BIN)/pytest -q -rs; fi

# The two lanes run side by side (each prints its own output when it ends): a lane spends much
# of its time waiting on the database and the browser, so together they take far less than
# one after the other.
pytest: $(STAMP) assets messages system-packages
	@$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres

test: lint types translations pytest

bench: $(STAMP) assets messages
	$(BIN)/python bench/run.py
	$(BIN)/python bench/mapping_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/measures_bench.py
	$(BIN)/python bench/upload_bench.py
	$(BIN)/python bench/ventures_bench.py
	$(BIN)/python bench/research_export_bench.py
	$(BIN)/python bench/analysis_bench.py
	$(BIN)/python bench/questionnaire_bench.py

clean:
	rm -rf $(VENV) var node_modules samvirke/web/static/vendor/htmx.min.js

# Mutation testing (not part of `make test`: it takes ~15 min). mutmut runs the tests against a
# mutated copy in mutants/, which an editable install's import hook would bypass, so it gets a
# venv of its own with a plain path-based (compat) editable install.
MUTATION_VENV := .venv-mutation
mutation: assets messages
	test -x $(MUTATION_VENV)/bin/python || $(PYTHON) -m venv $(MUTATION_VENV)
	$(MUTATION_VENV)/bin/pip install --quiet -c constraints.txt \
	    --config-settings editable_mode=compat -e '.[dev]' 'mutmut==3.8.1'
	env -u DATABASE_URL SAMVIRKE_TESTING=1 $(MUTATION_VENV)/bin/mutmut run || true
	env -u DATABASE_URL SAMVIRKE_TESTING=1 $(MUTATION_VENV)/bin/mutmut results --all true \
	    | awk '{print $$NF}' | sort | uniq -c

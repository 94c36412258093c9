# Onderdak. Quick start: `make demo` (install everything and run the demo) and `make test`
# (install everything and run the whole suite). Works on a fresh Debian machine with only
# Python 3.11, pip, git, make and Node.js.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
BIN := .venv/bin
ONDERDAK := $(BIN)/onderdak
PG_URL ?= postgres://postgres@127.0.0.1:5432/onderdak
PG_REACHABLE = $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv

.PHONY: install demo serve test check lint typecheck architecture test-sqlite test-postgres \
        e2e fuzz crawl access browser bench schema messages translations clean

## install: Python packages (locked, uv), front-end assets (npm, served locally), translations,
##          static files collected (onderdak serve collects them again only when out of date);
##          the packages are compiled to bytecode once, so a server starts without compiling them
install: .venv/.installed

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target .tools uv==$(UV_VERSION)

.venv/.installed: $(UV) pyproject.toml uv.lock package.json package-lock.json
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	npm ci --no-audit --no-fund --loglevel=error
	$(ONDERDAK) compile-translations
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-onderdak.conf.dev} $(ONDERDAK) serve --collect-static
	@touch $@

## demo: the web app on SQLite with reference data and the demo municipality Diemen
demo: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-onderdak.conf.dev} $(ONDERDAK) demo

serve: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-onderdak.conf.dev} $(ONDERDAK) serve

## browser: Debian's Chromium for the browser tests (through apt when it is missing)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests ..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

## test: project health checks, then the whole suite on SQLite and (when reachable) PostgreSQL.
## The suite includes the checks that stay in CI (issue 11): the crawl of every link for every
## role (tests/web/test_crawl.py), the access matrix (tests/web/test_access_matrix.py) and the
## schema-driven API fuzzing against a live server (tests/fuzz, once, on SQLite; bounded by
## ONDERDAK_FUZZ_MAX_TIME seconds, report in var/fuzz/). Alone: make crawl / access / fuzz.
## The two suites run side by side (one per core; they share no files: only the SQLite run
## writes coverage, screenshots and the fuzz report), each one's output printed when it ends.
## The access matrix, the longest check, runs once: on PostgreSQL (the production database)
## when it answers, else on SQLite; so the two runs take about as long and CI stays well
## under 30 minutes.
test: install browser check
	@if $(PG_REACHABLE); then matrix=postgres; else matrix=sqlite; fi; \
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres MATRIX_ON=$$matrix

check: lint typecheck architecture
	DJANGO_SETTINGS_MODULE=onderdak.conf.test $(ONDERDAK) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=onderdak.conf.test $(ONDERDAK) spectacular --validate --fail-on-warn --file var/openapi.generated.yaml
	@diff -u openapi.yaml var/openapi.generated.yaml || { echo "openapi.yaml is out of date: run 'make schema'"; exit 1; }
	DJANGO_SETTINGS_MODULE=onderdak.conf.test $(ONDERDAK) check-translations

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

architecture:
	$(BIN)/lint-imports

test-sqlite:
	$(BIN)/pytest --cov --cov-report=term:skip-covered \
	  $(if $(filter postgres,$(MATRIX_ON)),--ignore=tests/web/test_access_matrix.py)

test-postgres:
	@if $(PG_REACHABLE); then \
	  echo "PostgreSQL reachable: running the suite against it"; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not e2e and not fuzz" -p no:cacheprovider; \
	elif [ -n "$$ONDERDAK_REQUIRE_POSTGRES" ]; then \
	  echo "PostgreSQL is required (ONDERDAK_REQUIRE_POSTGRES) but does not answer at $(PG_URL)"; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipped (set ONDERDAK_REQUIRE_POSTGRES=1 to require it)"; fi

e2e: install browser
	$(BIN)/pytest -m e2e

fuzz: install
	$(BIN)/pytest tests/fuzz -q -p no:cacheprovider

crawl: install
	$(BIN)/pytest tests/web/test_crawl.py -q -p no:cacheprovider

access: install
	$(BIN)/pytest tests/web/test_access_matrix.py -q -p no:cacheprovider

## bench: every engine benchmark, sizes, times and ratios against a reference method
bench: install
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## schema: regenerate openapi.yaml after an API change
schema: install
	DJANGO_SETTINGS_MODULE=onderdak.conf.test $(ONDERDAK) spectacular --validate --file openapi.yaml

## messages: collect new msgids into the catalogues (needs GNU gettext), then translate them
messages: install
	cd src/onderdak && ../../$(ONDERDAK) makemessages --locale nl --locale en --no-obsolete --no-location --ignore 'tests/*'

translations: install
	$(ONDERDAK) compile-translations

clean:
	rm -rf .venv .tools node_modules var .pytest_cache .mypy_cache .ruff_cache .coverage

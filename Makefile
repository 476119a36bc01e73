# CareBridge: two commands do all the set-up on a fresh machine with Python 3.11.
#   make run    the whole stack on embedded defaults (SQLite, in-memory bus)
#   make test   every test suite
#   make bench  the benchmarks (RabbitMQ, PostgreSQL and wrk; bench/results/latest.json)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SERVICE_DIRS := $(sort $(dir $(wildcard services/*/pyproject.toml)))
# The Python client and the coordinator console (with its browser-test tools).
CLIENT_PACKAGES := $(if $(wildcard clients/python/pyproject.toml),-e clients/python) \
	$(if $(wildcard clients/console/pyproject.toml),-e 'clients/console[browser-tests]')
STAMP := $(VENV)/.installed

.PHONY: run test test-kit test-services test-client test-console test-stack stack bench clean help

help:
	@echo "make run     start every service in one process (http://127.0.0.1:8001..8006) and the console (http://127.0.0.1:8000)"
	@echo "make test    run every test suite (RabbitMQ/PostgreSQL tests need AMQP_URL and DATABASE_URL)"
	@echo "make stack   the real stack as processes (needs DATABASE_URL and BROKER_URL)"
	@echo "make bench   the benchmarks (needs RabbitMQ, PostgreSQL and wrk)"

$(STAMP): constraints.txt requirements-dev.txt shared/pyproject.toml $(wildcard services/*/pyproject.toml) \
		$(wildcard clients/*/pyproject.toml)
	@test -n "$(PYTHON)" || { echo "Python 3.11+ is needed"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		-e shared $(foreach s,$(SERVICE_DIRS),-e $(s)) $(CLIENT_PACKAGES) -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/carebridge-console dev

test: $(STAMP)
	@$(PY) tools/run_tests.py

test-kit: $(STAMP)
	@$(PY) tools/run_tests.py kit

test-services: $(STAMP)
	@$(PY) tools/run_tests.py services

test-client: $(STAMP)
	@$(PY) tools/run_tests.py client

test-console: $(STAMP)
	@$(PY) tools/run_tests.py console

test-stack: $(STAMP)
	@$(PY) tools/run_tests.py stack

# DATABASE_URL (a server where it may create and drop databases) and AMQP_URL
# default to postgresql://postgres@127.0.0.1:5432/postgres and
# amqp://guest:guest@127.0.0.1:5672//. `make bench BENCH="api_read memory"` runs some.
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "wrk is needed for the benchmarks (Debian/Ubuntu: apt-get install wrk)"; exit 1; }
	$(PY) bench/run_all.py $(BENCH)

stack: $(STAMP)
	$(VENV)/bin/carebridge stack --database-url "$${DATABASE_URL:?set DATABASE_URL}" --broker-url "$${BROKER_URL:?set BROKER_URL}"

clean:
	rm -rf $(VENV) data stack-logs .pytest_cache

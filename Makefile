# Everything runs from a local virtualenv built by uv from uv.lock. The only thing needed on the
# machine is Python >= 3.12 (plus git and make); uv itself is bootstrapped into .uv/.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.13 || command -v python3.12 || command -v python3)
UV := .uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-pg test-ldap e2e lint typecheck messages check-messages ci clean

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python >= 3.12 is required (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check "uv>=0.13,<0.14"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

# Run the whole system locally: SQLite, demo province, web + worker + scheduler.
run: $(VENV)/.synced
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo
	$(PY) manage.py runall --host $(HOST) --port $(PORT)

# The test suite (SQLite by default; DATABASE_URL=postgres://… runs it on PostgreSQL).
# Tests needing a service the machine may not have (ldap: Debian's slapd) are deselected here by
# marker; CI installs the service and runs them in their own step (.ci/run).
NEEDS_SERVICE := -m "not ldap and not cluster"

test: $(VENV)/.synced
	$(PY) -m pytest -n 2 -q $(NEEDS_SERVICE) $(PYTEST_ARGS)

test-pg: $(VENV)/.synced
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nhiemvu} $(PY) -m pytest -n 2 -q $(NEEDS_SERVICE) $(PYTEST_ARGS)

e2e: $(VENV)/.synced
	$(PY) -m pytest -q e2e $(NEEDS_SERVICE) $(PYTEST_ARGS)

# The directory's tests against a throwaway slapd (apt-get install slapd ldap-utils).
test-ldap: $(VENV)/.synced
	$(PY) -m pytest -n 2 -q -m ldap nhiemvu $(PYTEST_ARGS)
	$(PY) -m pytest -q -m ldap e2e $(PYTEST_ARGS)

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m nhiemvu.lib.checksize
	$(PY) -m nhiemvu.lib.checkgettext

typecheck: $(VENV)/.synced
	$(VENV)/bin/mypy nhiemvu

messages: $(VENV)/.synced
	$(PY) manage.py makemessages -l vi --no-location --no-obsolete -i ".venv/*" -i ".uv/*" -i "static/*" -i "var/*"
	$(PY) manage.py compilemessages -l vi --ignore ".venv" --ignore ".uv"

# Every string in the code is in the catalogue, translated, not fuzzy; the .mo is current.
check-messages: $(VENV)/.synced
	$(PY) manage.py makemessages -l vi --no-location --no-obsolete -i ".venv/*" -i ".uv/*" -i "static/*" -i "var/*" -v0
	msgfmt -o /tmp/nhiemvu-check.mo locale/vi/LC_MESSAGES/django.po
	$(PY) -m nhiemvu.lib.checkmessages locale/vi/LC_MESSAGES/django.po --compiled /tmp/nhiemvu-check.mo

ci:
	bash .ci/run

clean:
	rm -rf .venv .uv var

# The upgrade test's fixture from a released version (issue 31; deploy/upgrade/make_fixture.sh):
# at each release, `make upgrade-fixture REF=<the released tag>`, then commit
# nhiemvu/web/tests/upgrade/.
.PHONY: upgrade-fixture
upgrade-fixture: $(VENV)/.synced
	PYTHON=$(PYTHON) bash deploy/upgrade/make_fixture.sh $(REF)

# Two nodes' web, scheduler and worker processes on one PostgreSQL, one of each killed (issue 31).
.PHONY: test-cluster
test-cluster: $(VENV)/.synced
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nhiemvu} $(PY) -m pytest -q -m cluster nhiemvu/tests/test_two_nodes.py $(PYTEST_ARGS)

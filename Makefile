# Two commands do all set-up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app feedback
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: bench-compare run test install install-dev assets migrate seed bench browser-deps clean security audit loadtest faults backup-check

# WeasyPrint (the evidence pack's PDF) needs Pango, HarfBuzz and a font on the machine; on
# Debian: apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled GOV.UK Frontend assets are committed in static/govuk; rebuild them only to
# upgrade (needs Node.js): see docs/frontend.md.
assets:
	./scripts/build-assets.sh

static/govuk/VERSION:
	./scripts/build-assets.sh

migrate: install static/govuk/VERSION
	$(FLASK) db upgrade

seed: migrate
	@if $(FLASK) db-is-empty; then $(FLASK) seed-demo; else echo "Database has data; demo data not loaded."; fi

run: seed
	@test -f instance/demo-users.txt && cat instance/demo-users.txt || true
	$(FLASK) run --host $(HOST) --port $(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist; 2 = one per core on CI's machine),
# each with its own databases, Redis database and ports (tests/conftest.py).
# `make test TEST_WORKERS=0` runs it in this one process, in order (for --pdb or -x).
TEST_WORKERS ?= 2
test: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install-dev
	$(PY) bench/run_all.py

# Redaction against Microsoft Presidio (docs/analysis.md); Presidio is installed only for this.
bench-compare: install-dev
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) bench/redaction_compare.py

$(VENV)/.installed-ops: $(VENV)/.installed-dev requirements-ops.txt
	$(PY) -m pip install --quiet -r requirements-ops.txt
	touch $@

# Security checks CI runs: bandit (medium and above) and the security tests.
security: install-dev
	$(VENV)/bin/bandit -q -r feedback -ll
	$(PY) -m pytest tests/test_security.py tests/test_security_*.py

# Known vulnerabilities in our pins (needs the PyPI advisory API; see docs/security.md).
audit: $(VENV)/.installed-ops
	$(VENV)/bin/pip-audit -r requirements.txt -r requirements-dev.txt

# 200 families and forum readers against gunicorn + PostgreSQL on loopback (docs/operations.md).
loadtest: $(VENV)/.installed-ops
	loadtest/run.sh load

# Worker killed, PostgreSQL restarted and Redis down, each under load: acknowledged = stored.
faults: $(VENV)/.installed-ops
	loadtest/run.sh faults

# Back up, wipe, restore and count, on a scratch PostgreSQL database.
backup-check: install
	deploy/backup-restore-check.sh

# Languages (docs/languages.md): extract marked text, merge it into each catalogue,
# compile the .mo files (committed, so a fresh clone runs), and fail on anything untranslated.
PYBABEL := $(VENV)/bin/pybabel
TRANSLATIONS := feedback/translations

translations-extract: install
	$(PYBABEL) extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k add_nav_item -k register_source:2 --no-location --sort-output --omit-header -o $(TRANSLATIONS)/messages.pot .

translations-update: translations-extract
	$(PYBABEL) update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete --width 100

translations-compile: install
	$(PYBABEL) compile -d $(TRANSLATIONS) --statistics

translations-check: install
	$(PY) scripts/translations_check.py

clean:
	rm -rf $(VENV) .pytest_cache

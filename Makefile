# Two commands do all set-up: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app feedback
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev assets migrate seed bench browser-deps clean

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

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache

# Trackify: `make run` serves the demo, `make test` runs every test. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-backend test-frontend test-postgres frontend venv migrate demo lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html frontend/vite.config.* -type f 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

migrate: venv
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

run: venv frontend migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C stops)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

test-frontend: frontend
	cd frontend && npm test
	cd frontend && npm run size

test-backend: venv frontend
	$(PY) -m pytest

test: test-backend test-frontend

test-postgres: venv frontend
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/trackify} $(PY) -m pytest

# Hot paths against Django's own floor, in one run (PostgreSQL: DATABASE_URL, default trackify_bench).
bench: venv
	$(PY) -m bench.run

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy payments/gateways payments/money.py payments/errors.py payments/state.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist staticfiles db.sqlite3

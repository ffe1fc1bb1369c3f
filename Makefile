# Trackify: `make run` serves the demo, `make test` runs every test. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The links the app prints and sends (the payment link, the webhook URL, the sandbox checkout's
# return) must reach this server: unless PUBLIC_BASE_URL is set, they use HOST and PORT. A wildcard
# bind address (0.0.0.0) is not an address a browser can open: the links use 127.0.0.1 then.
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
PUBLIC_BASE_URL ?= http://$(LINK_HOST):$(PORT)
DJANGO_ENV = DEBUG=$${DEBUG:-1} PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)
# The set-up commands keep quiet about the development keys: the server says it, once.
QUIET_DEV_KEYS = PYTHONWARNINGS="ignore:DEBUG is on and"

.PHONY: run serve setup-run test test-backend test-frontend test-postgres frontend frontend-dev venv venv-dev migrate demo lint bench clean

# Two stamps: `make run` installs what the product needs to run; `make test` adds the test tools.
$(VENV)/.installed-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

venv: $(VENV)/.installed-run

venv-dev: $(VENV)/.installed-dev

# Likewise for the web app: its build needs vite and react (dependencies); the test tools (vitest,
# jsdom, testing-library) are devDependencies, installed by `make test` only. After a full install
# the runtime stamp is satisfied too, so `make run` does not prune what `make test` installed.
frontend/node_modules/.installed-run: frontend/package.json frontend/package-lock.json
	if [ frontend/node_modules/.installed-dev -nt frontend/package-lock.json ] \
	  && [ frontend/node_modules/.installed-dev -nt frontend/package.json ]; then :; \
	else cd frontend && npm ci --omit=dev --no-audit --no-fund; fi
	touch $@

frontend/node_modules/.installed-dev: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@ frontend/node_modules/.installed-run

frontend/dist/index.html: frontend/node_modules/.installed-run $(shell find frontend/src frontend/index.html frontend/vite.config.* -type f -not -path '*/__tests__/*' 2>/dev/null)
	cd frontend && npm run build

frontend: frontend/dist/index.html

# migrate also creates the database cache's table (rate-limit counts), in the trackify app's migration.
migrate: venv
	$(QUIET_DEV_KEYS) $(DJANGO_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DJANGO_ENV) $(PY) manage.py seed_demo

# The Python and the web app's installs run side by side: a fresh clone serves sooner.
setup-run:
	$(MAKE) --no-print-directory -j2 venv frontend

run: setup-run migrate
	$(QUIET_DEV_KEYS) $(DJANGO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(QUIET_DEV_KEYS) $(DJANGO_ENV) $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT), links to $(PUBLIC_BASE_URL) (Ctrl-C stops)"
	$(DJANGO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The production shape on this machine (docs/operations.md): gunicorn, a Celery worker and beat,
# run by honcho from the Procfile, with DEBUG off, against PostgreSQL and Redis. The keys come from
# the environment, else from $(SERVE_ENV_FILE) (git-ignored), generated once. Over plain http://
# (a local try) the TLS redirect and secure-only cookies default to off; behind TLS they stay on.
SERVE_ENV_FILE ?= .env.serve
SERVE_KEYS = import secrets; from cryptography.fernet import Fernet; \
	print("SECRET_KEY=" + secrets.token_urlsafe(50)); print("CREDENTIALS_ENCRYPTION_KEYS=" + Fernet.generate_key().decode())
serve: setup-run
	@set -euo pipefail; \
	if [ -z "$${SECRET_KEY:-}" ] || [ -z "$${CREDENTIALS_ENCRYPTION_KEYS:-}" ]; then \
	  if [ ! -f "$(SERVE_ENV_FILE)" ]; then \
	    (umask 077; $(PY) -c '$(SERVE_KEYS)' > "$(SERVE_ENV_FILE)"); \
	    echo "Generated SECRET_KEY and CREDENTIALS_ENCRYPTION_KEYS into $(SERVE_ENV_FILE) (keep it: the keys decrypt stored credentials)"; \
	  fi; \
	  set -a; . "$(abspath $(SERVE_ENV_FILE))"; set +a; \
	fi; \
	case "$(PUBLIC_BASE_URL)" in http://*) insecure=0 ;; *) insecure=1 ;; esac; \
	export DEBUG=0 HOST=$(HOST) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) LOG_FORMAT=$${LOG_FORMAT:-json} \
	  DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/trackify} \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} DB_CONN_MAX_AGE=$${DB_CONN_MAX_AGE:-60} \
	  SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-$$insecure} SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-$$insecure} \
	  CSRF_COOKIE_SECURE=$${CSRF_COOKIE_SECURE:-$$insecure} \
	  PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-$(CURDIR)/var/prometheus} PATH="$(CURDIR)/$(VENV)/bin:$$PATH"; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"; rm -f "$$PROMETHEUS_MULTIPROC_DIR"/*.db; \
	echo "Serving on http://$(HOST):$(PORT) (web, worker, beat; Ctrl-C stops all three)"; \
	exec honcho start -f Procfile -p $(PORT)

# The test tools on top of the runtime packages, then the build.
frontend-dev: frontend/node_modules/.installed-dev frontend

test-frontend: frontend-dev
	cd frontend && npm test
	cd frontend && npm run size

test-backend: venv-dev frontend-dev
	$(PY) -m pytest

test: test-backend test-frontend

test-postgres: venv-dev frontend-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/trackify} $(PY) -m pytest

# Hot paths against Django's own floor, in one run of about 5 minutes (docs/performance.md): PostgreSQL
# (DATABASE_URL, default trackify_bench, emptied each run) and Redis (BENCH_REDIS_URL, default DB 3),
# the broker of the Celery workers the run starts and stops itself. Not part of `make test`.
bench: venv-dev
	$(PY) -m bench.run
	$(PY) -m bench.reports

# ruff, strict mypy on the gateways (the plugins' too) and the kernel, the import rules between the layers
# (.importlinter: a forbidden import fails here), the size budget (scripts/check_sizes.py),
# and ESLint on the web app (hooks rules and the import boundaries between its features).
lint: venv-dev frontend/node_modules/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy payments/gateways core/money.py core/errors.py core/prepared.py core/fast_shape.py payments/errors.py payments/state.py \
	  plugins/trackify-paypal/trackify_paypal plugins/trackify-razorpay/trackify_razorpay
	$(VENV)/bin/lint-imports
	$(PY) scripts/check_sizes.py
	cd frontend && npm run lint

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm

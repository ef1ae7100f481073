# The two commands of the README: `make run` and `make test`. Needs only Python >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgres,redis,dev]'
	touch $@

# Translations: the .po files are the source; .mo files are compiled here, in pure Python.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py compile_translations

messages: $(MO_FILES)

install: $(VENV)/.installed messages

# `make run` serves as production does (DEBUG off: the project's own 404 and 500 pages, static
# files from the ASGI application) with a secret key made once for this checkout, kept out of
# git in .local/, and cookies and pages over plain HTTP on this machine (no redirect to HTTPS).
SECRET_FILE := .local/secret_key
RUN_ENV = DEBUG=false SECRET_KEY="$$(cat $(SECRET_FILE))" SECURE_COOKIES=false SECURE_SSL_REDIRECT=false \
	ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1,[::1]" SITE_URL="http://$(HOST):$(PORT)"

$(SECRET_FILE):
	@mkdir -p $(dir $@)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Made a local secret key in $@ (not in git)."

run: install $(SECRET_FILE)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "Shenlianti: http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/v1/docs/)"
	@# The worker (background tasks, emails) and the scheduler (time-limit scan) run alongside
	@# the server and are stopped with it.
	$(RUN_ENV) $(BIN)/python manage.py db_worker & WORKER=$$!; \
	$(RUN_ENV) $(BIN)/python manage.py run_scheduler & SCHEDULER=$$!; \
	trap 'kill $$WORKER $$SCHEDULER 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media .pytest_media .pytest_cache

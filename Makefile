# The two commands of README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
HOST   ?= 127.0.0.1:8000

.PHONY: run test install install-dev lint format check-migrations pytest test-db messages \
	      collectstatic check-deploy clean-db vendor help serve worker beat

help:
	@echo "make run    - install, start the embedded database, migrate, load demo data, serve $(HOST)"
	@echo "make test   - install and run the whole suite: lint, migration check, tests, browser tests"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py setup_schedules
	$(BIN)/python manage.py load_demo
	@echo "\nServing http://$(HOST)/  (Ctrl-C stops it and the embedded database)\n"
	$(BIN)/python manage.py runserver $(HOST)

test: install-dev lint check-migrations pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install-dev
	DJANGO_SETTINGS_MODULE=inventory_site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install-dev
	$(BIN)/pytest

# The database tests alone (CI runs them a second time against DATABASE_URL).
test-db: install-dev
	$(BIN)/pytest

messages: install-dev
	$(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=var --ignore=static/vendor
	$(BIN)/python manage.py compilemessages --ignore=.venv

collectstatic: install
	$(BIN)/python manage.py collectstatic --noinput

check-deploy: install
	DJANGO_SETTINGS_MODULE=inventory_site.settings.production $(BIN)/python manage.py check --deploy --fail-level WARNING

# Production-like serving (README, Production): settings and secrets come from the environment
# or .env. One web server (gunicorn + WhiteNoise), workers and a single beat per site.
PROD := DJANGO_SETTINGS_MODULE=inventory_site.settings.production
serve: install
	$(PROD) $(BIN)/python manage.py collectstatic --noinput
	$(PROD) $(BIN)/gunicorn -c gunicorn.conf.py

worker: install
	$(PROD) $(BIN)/celery -A inventory_site worker -l info

beat: install
	$(PROD) $(BIN)/celery -A inventory_site beat -l info

clean-db:
	rm -rf var/pgdata

# Refresh the vendored front-end files from the npm registry (versions in static/vendor/README.md).
vendor:
	bash static/vendor/update.sh

# Legeplan: two commands do all set-up on a fresh machine.
#   make run    installs the app and starts it on the bundled data (http://localhost:8501)
#   make test   installs everything the tests need (incl. Debian's chromium and the DejaVu fonts
#               the PDF export embeds, poppler-utils to render it in a test, Debian's postgresql for the
#               shared-store tests, which start their own server, and axe-core from the
#               npm registry for the accessibility check, pinned in package-lock.json) and runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-dev chromium postgresql axe data lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt

chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || [ ! -x /usr/bin/pdftoppm ] || [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-dejavu-core poppler-utils nginx; \
	fi

# Debian's PostgreSQL server: the store tests start their own in a temporary directory (tests/pg_server.py).
# (The package's own cluster, if the install creates one, is not used.)
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q postgresql; \
	fi

axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

data: install
	$(BIN)/python -m data.build

run: data
	$(BIN)/streamlit run app.py

lint: install-dev
	$(BIN)/ruff check .

test: install-dev chromium postgresql axe data
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

bench: install-dev data
	$(BIN)/python -m bench.app_speed

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run cluster test test-unit test-browser lint typecheck bench chromium nginx axe screenshots clean

$(BIN)/activate: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/activate

venv: $(BIN)/activate

run: venv
	$(BIN)/wwe-host serve

nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx-light (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

# Several processes behind nginx on the local PostgreSQL and Redis (docs/architecture.md).
cluster: venv nginx
	$(BIN)/wwe-host cluster --config deploy/cluster.ini

chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# axe-core for the accessibility browser test: installed from npm into a test-only folder
# (tests/browser/node_modules, not served by wwe-host), at the version the lock file pins.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts --silent
	touch $(AXE)

axe: $(AXE)

# The README's screenshots (docs/screenshots/): desktop and phone widths, light and dark.
screenshots: venv chromium
	$(BIN)/python scripts/screenshots.py

lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: venv
	$(BIN)/mypy

test-unit: venv
	$(BIN)/pytest -q tests/unit

test-browser: venv chromium nginx axe
	$(BIN)/pytest -q tests/browser tests/integration

test: venv chromium nginx axe lint typecheck
	node --test tests/js/
	$(BIN)/pytest -q

bench: venv chromium nginx
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/websocket.py
	$(BIN)/python bench/browser.py
	$(BIN)/python bench/login_flood.py
	$(BIN)/python bench/sessions.py
	$(BIN)/python bench/cluster.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info tests/browser/node_modules

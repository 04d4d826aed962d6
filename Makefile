PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv run cluster test test-unit test-browser lint typecheck bench chromium nginx clean

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

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: venv
	$(BIN)/mypy

test-unit: venv
	$(BIN)/pytest -q tests/unit

test-browser: venv chromium nginx
	$(BIN)/pytest -q tests/browser tests/integration

test: venv chromium nginx lint typecheck
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
	rm -rf $(VENV) build *.egg-info src/*.egg-info

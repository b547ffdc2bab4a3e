# goodwill — the two commands are `make run` and `make test` (see README.md).
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: run test bench lint setup clean

$(BIN)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "Python's venv module is missing: install it (Debian/Ubuntu: apt-get install python3-venv)."; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/goodwill migrate --no-input -v 0
	$(BIN)/goodwill demo --if-empty
	$(BIN)/goodwill serve --host 127.0.0.1 --port 8000

test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy goodwill
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info

# The README's two commands: `make run` and `make test`. Both set up on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8765
DB     ?= whimbrel.duckdb

.PHONY: setup run test lock bench train clean

setup: $(STAMP)

# Re-installs only when the lock file or the package metadata change.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/whimbrel info >/dev/null
	touch $(STAMP)

# Codes the bundled example stories into the embedded database, then serves the dashboard.
run: setup
	$(BIN)/whimbrel ingest whimbrel/examples/stories.jsonl --db $(DB)
	@echo "dashboard: http://$(HOST):$(PORT)/"
	$(BIN)/whimbrel serve --db $(DB) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Pins every dependency with hashes from PyPI (needs the registry, not needed to install).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes \
	  --index-url https://pypi.org/simple --python-version 3.11 -o requirements.lock

bench: setup
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/events.py

train: setup
	$(BIN)/python training/train.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache

# The two commands a fresh machine needs (see README.md):
#   make plan   - `launchpad plan` of the `dev` stack under Pulumi's mocks; no cloud credentials
#   make test   - installs what the tests need, then runs lint, types and the whole test suite
UV_VERSION := 0.13.8
PYTHON ?= python3
UV := $(PYTHON) -m uv
STACK ?= dev

.PHONY: setup plan test lint typecheck pytest bench

# uv sync compiles bytecode (pyproject.toml [tool.uv] compile-bytecode) and installs the project editable,
# which gives .venv/bin/launchpad.
.venv/.synced: pyproject.toml uv.lock
	$(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	touch $@

setup: .venv/.synced

plan: setup
	.venv/bin/launchpad plan --stack $(STACK) $(PLAN_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup
	.venv/bin/mypy

pytest: setup
	bash scripts/install-test-services.sh
	.venv/bin/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: setup
	.venv/bin/python bench/plan_bench.py $(BENCH_ARGS)

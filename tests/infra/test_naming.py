"""Stack names every physical name can hold, and physical names that fit their limits without colliding."""

from __future__ import annotations

import pytest

from components.naming import fitted_name, fitted_prefix
from offline.program import run_program
from offline.stack_files import load_stack_config
from stack_config import ConfigError, stack_name_problems
from stack_config.loader import STACK_NAME_MAX
from tests.infra.conftest import GCP_PROJECT
from tests.infra.plan_query import Plan


@pytest.mark.parametrize("stack", ["dev", "prod", "local", "pr-12345", "staging-eu-central-1", "2026"])
def test_ordinary_stack_names_are_accepted(stack: str) -> None:
    assert stack_name_problems(stack) == []


@pytest.mark.parametrize(
    "stack",
    ["Dev", "staging-eu-central-12", "pr_12345", "pr--1", "-dev", "dev-", "feature.x", "", "prod 2"],
)
def test_names_that_break_a_physical_name_are_refused_with_one_message(stack: str) -> None:
    [problem] = stack_name_problems(stack)
    assert f"at most {STACK_NAME_MAX} characters" in problem and "Fix:" in problem


def test_the_program_refuses_such_a_stack_before_creating_anything() -> None:
    with pytest.raises(ConfigError, match="stack name: `Staging` cannot be deployed"):
        run_program("Staging", load_stack_config("dev"))


def test_a_name_that_fits_is_kept_whole() -> None:
    assert fitted_name("launchpad-dev-lb", "alb", 32) == "launchpad-dev-lb-alb"


def test_a_long_name_keeps_its_role_and_gets_a_hash_of_the_whole() -> None:
    first = fitted_name("launchpad-staging-eu-central-1", "nightly", 30)
    second = fitted_name("launchpad-staging-eu-central-2", "nightly", 30)
    assert len(first) == 30 and first.endswith(first[-6:]) and "-nightly-" in first
    assert first != second  # the shortened bases are equal; the hashes are not


def test_keepers_change_the_name_so_a_replacement_never_collides() -> None:
    before = fitted_name("launchpad-dev-lb", "tg", 32, keepers=["8000", "vpc-1"])
    assert before != fitted_name("launchpad-dev-lb", "tg", 32, keepers=["8000", "vpc-2"])
    assert before == fitted_name("launchpad-dev-lb", "tg", 32, keepers=["8000", "vpc-1"])


@pytest.mark.parametrize("base", ["launchpad-staging-eu-central-1-x", "a-" * 20])
def test_no_hyphen_is_doubled_or_last_when_shortening(base: str) -> None:
    for limit in range(20, 40):
        name = fitted_name(base, "run", limit)
        assert len(name) <= limit and "--" not in name and not name.endswith("-")


def test_prefixes_end_in_one_hyphen_within_their_limit() -> None:
    assert fitted_prefix("launchpad-dev-uploads", 37) == "launchpad-dev-uploads-"
    long = fitted_prefix("launchpad-staging-eu-central-1-token-sync", 37)
    assert len(long) <= 37 and long.endswith("-") and "--" not in long


@pytest.fixture(scope="module")
def longest() -> Plan:
    config = load_stack_config("staging-eu-central-1", config_from="prod").with_overrides(
        {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}
    )
    return Plan(run_program("staging-eu-central-1", config))


@pytest.mark.parametrize(
    ("resource_type", "prop", "limit"),
    [
        ("aws:lb/loadBalancer:LoadBalancer", "name", 32),
        ("aws:lb/targetGroup:TargetGroup", "name", 32),
        ("aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", 40),
        ("aws:iam/role:Role", "name", 64),
        ("aws:scheduler/schedule:Schedule", "name", 64),
        ("gcp:serviceaccount/account:Account", "accountId", 30),
        ("gcp:cloudrunv2/service:Service", "name", 49),
    ],
)
def test_the_longest_stack_name_fits_every_limited_name(
    longest: Plan, resource_type: str, prop: str, limit: int
) -> None:
    names = [r.inputs[prop] for r in longest.of_type(resource_type)]
    assert names and all(len(n) <= limit for n in names), names
    assert len(set(names)) == len(names)

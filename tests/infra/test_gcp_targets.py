"""Which clouds a stack deploys to comes from its `targets` key alone: both, AWS only or GCP only."""

from __future__ import annotations

import json
import re

import pytest

from offline.program import run_program
from offline.stack_files import load_stack_config
from stack_config import ConfigError
from tests.infra.conftest import GCP_PROJECT, plan_with_gcp
from tests.infra.gcp_plan import BUILD, REPOSITORY, SERVICE, container
from tests.infra.plan_query import Plan, settings_of


def clouds(plan: Plan) -> set[str]:
    return {r.type.split(":", 1)[0] for r in plan.resources if r.custom} & {"aws", "gcp"}


def test_dev_and_prod_deploy_both_clouds_from_one_image(gcp_stack_plan: Plan) -> None:
    assert clouds(gcp_stack_plan) == {"aws", "gcp"}
    (build,) = gcp_stack_plan.of_type(BUILD)
    # An image inside the repository: Artifact Registry refuses a push to the repository root.
    image = gcp_stack_plan.one(REPOSITORY).outputs["registryUri"] + "/app"
    assert any(tag.startswith(f"{image}:") for tag in build.inputs["tags"])
    # Cloud Run pins the digest that build pushed, never a tag.
    assert container(gcp_stack_plan.one(SERVICE))["image"] == f"{image}@{build.outputs['digest']}"
    assert "linux/amd64" in build.inputs["platforms"]


def test_gcp_alone_needs_no_aws_config_and_creates_nothing_on_aws() -> None:
    plan = plan_with_gcp("prod", {"targets": ["gcp"], "aws:region": None})
    assert clouds(plan) == {"gcp"}
    assert not [r for r in plan.resources if r.type == "pulumi:providers:aws"]
    assert plan.outputs["gcp_service_url"].startswith("https://")


def test_aws_alone_creates_nothing_on_gcp() -> None:
    plan = plan_with_gcp("dev", {"targets": ["aws"], "gcp:project": None, "gcp:region": None})
    assert clouds(plan) == {"aws"}
    assert not [r for r in plan.resources if r.type.startswith(("gcp:", "pulumi:providers:gcp"))]


@pytest.mark.parametrize("missing", ["gcp:project", "gcp:region"])
def test_gcp_target_requires_its_project_and_region(missing: str) -> None:
    both_clouds = {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}
    config = load_stack_config("dev").with_overrides(both_clouds | {missing: None})
    with pytest.raises(ConfigError, match=missing):
        run_program("dev", config)


def test_every_gcp_resource_goes_through_the_stack_provider_with_valid_labels(gcp_stack_plan: Plan) -> None:
    (provider,) = [r for r in gcp_stack_plan.resources if r.type == "pulumi:providers:gcp"]
    s = settings_of(gcp_stack_plan.run.stack)
    assert provider.inputs["project"] == GCP_PROJECT
    labels = json.loads(provider.inputs["defaultLabels"])
    assert labels["owner"] == s.owner and labels["stack"] == gcp_stack_plan.run.stack
    for key, value in labels.items():
        assert re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key) and re.fullmatch(r"[a-z0-9_-]{0,63}", value)
    gcp_resources = [r for r in gcp_stack_plan.resources if r.custom and r.type.startswith("gcp:")]
    assert all(r.provider and r.provider.startswith(provider.urn) for r in gcp_resources)

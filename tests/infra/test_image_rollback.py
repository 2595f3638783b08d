"""Rollback support in the program: `image_history` carries the digests a stack ran, read back from its own
last deployment, and `imageDigest` runs one of them again without a build."""

from __future__ import annotations

import json

import pytest

from components.app_image import IMAGE_HISTORY_LENGTH, merged_history
from offline import delivery_mocks
from offline.program import run_program
from offline.stack_files import load_stack_config
from stack_config import ConfigError
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan

OLD = "sha256:" + "a" * 64
OLDER = "sha256:" + "b" * 64


def test_a_first_deployment_records_only_its_own_digest(dev: Plan) -> None:
    assert dev.outputs["image_history"] == [dev.outputs["image_digest"]]
    reference = dev.one("pulumi:pulumi:StackReference")
    assert reference.inputs["name"] == "organization/launchpad/dev"  # the stack itself, any backend


def test_the_history_continues_the_last_deployments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        delivery_mocks.PREVIOUS_OUTPUTS, "organization/launchpad/dev", {"image_history": [OLD, OLDER]}
    )
    run = run_program("dev")
    assert run.outputs["image_history"] == [run.outputs["image_digest"], OLD, OLDER]


def test_history_is_newest_first_each_digest_once_and_bounded() -> None:
    previous = [f"sha256:{i:064x}" for i in range(10)]
    assert (
        merged_history(previous[3], previous)
        == [previous[3], *previous[:3], *previous[4:]][:IMAGE_HISTORY_LENGTH]
    )
    assert merged_history(OLD, [OLD, OLDER]) == [OLD, OLDER]  # a redeploy of the same image: no change
    assert merged_history(OLD, None) == [OLD]


def test_a_pinned_digest_builds_nothing_and_runs_that_image() -> None:
    plan = plan_with("prod", {"imageDigest": OLD})
    assert plan.count("docker-build:index:Image") == 0
    images = {
        c["image"]
        for task in plan.of_type("aws:ecs/taskDefinition:TaskDefinition")
        for c in json.loads(task.inputs["containerDefinitions"])
    }
    repository = plan.one("aws:ecr/repository:Repository").outputs["repositoryUrl"]
    assert images == {f"{repository}@{OLD}"}
    assert plan.outputs["image_digest"] == OLD and plan.outputs["image_history"][0] == OLD


@pytest.mark.parametrize(
    ("stack", "digest", "message"),
    [
        ("dev", "sha256:abc", "imageDigest"),
        ("dev", "latest", "imageDigest"),
        ("local", OLD, "local stack builds"),
    ],
)
def test_a_bad_or_misplaced_digest_is_refused(stack: str, digest: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        run_program(stack, load_stack_config(stack).with_overrides({"imageDigest": digest}))

"""Short-lived stacks can be destroyed and created again the same day; production refuses on purpose."""

from __future__ import annotations

from collections import Counter

from offline.lifecycle import destroy_blockers
from offline.program import run_program
from offline.stack_files import load_stack_config
from tests.infra.conftest import GCP_PROJECT, plan_with
from tests.infra.plan_query import Plan

WITH_GCP = {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}


def test_dev_and_per_pr_stacks_have_nothing_that_blocks_destroy_or_re_create() -> None:
    for stack in ("dev", "pr-12345"):
        run = run_program(stack, load_stack_config(stack, config_from="dev").with_overrides(WITH_GCP))
        assert destroy_blockers(run.resources) == [], stack


def test_production_blocks_destroy_exactly_where_it_keeps_data_or_serves_traffic() -> None:
    run = run_program("prod", load_stack_config("prod").with_overrides(WITH_GCP))
    kinds = Counter(b.resource_type.split(":")[-1] for b in destroy_blockers(run.resources))
    assert kinds == {
        "Bucket": 3,  # uploads, token sync and logs keep their objects
        "Repository": 1,  # the images rollbacks need
        "Secret": 7,  # five app secrets, the cache token and the reader's login stay recoverable 30 days
        "Instance": 1,  # the database's deletion protection
        "LoadBalancer": 1,
        "Service": 1,  # the Cloud Run service
    }


def test_secrets_of_a_stack_without_recovery_window_are_deleted_at_once(dev: Plan) -> None:
    secrets = dev.of_type("aws:secretsmanager/secret:Secret")
    assert secrets and {s.inputs["recoveryWindowInDays"] for s in secrets} == {0}


def test_final_snapshot_names_are_unique_per_instance() -> None:
    plan = plan_with("prod", {})
    [db] = plan.of_type("aws:rds/instance:Instance")
    assert db.inputs["finalSnapshotIdentifier"].startswith("launchpad-prod-db-final-")
    [suffix] = plan.of_type("random:index/randomId:RandomId")
    assert db.property_dependencies["finalSnapshotIdentifier"] == [suffix.urn]

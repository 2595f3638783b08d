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
    kinds = Counter(b.resource_type.rsplit("/", 1)[-1] for b in destroy_blockers(run.resources))
    assert kinds == {
        "bucket:Bucket": 4,  # uploads, token sync and logs keep their objects; the GCS uploads too
        "repository:Repository": 1,  # the images rollbacks need
        "secret:Secret": 7,  # app secrets, cache token, reader login: recoverable 30 days
        "instance:Instance": 2,  # deletion protection: RDS and Memorystore
        "databaseInstance:DatabaseInstance": 1,  # and Cloud SQL
        "loadBalancer:LoadBalancer": 1,
        "service:Service": 1,  # the Cloud Run service
        "workerPool:WorkerPool": 1,
        "job:Job": 2,  # the migration and nightly jobs
    }


def test_names_google_cloud_keeps_after_a_delete_are_fresh_per_create() -> None:
    # Cloud SQL keeps a deleted instance's name for about a week and Cloud KMS never deletes a key ring:
    # fixed names would stop a destroyed stack from being created again.
    run = run_program("dev", load_stack_config("dev").with_overrides(WITH_GCP))
    names = {r.type: r for r in run.resources}
    for kept in ("gcp:sql/databaseInstance:DatabaseInstance", "gcp:kms/keyRing:KeyRing"):
        assert "name" in names[kept].autonamed, kept
    for resource in run.resources:
        if resource.type == "gcp:sql/databaseInstance:DatabaseInstance":
            resource.autonamed = []  # as if the program had fixed the name
    [blocker] = destroy_blockers(run.resources)
    assert "about a week" in blocker.reason


def test_secrets_of_a_stack_without_recovery_window_are_deleted_at_once(dev: Plan) -> None:
    secrets = dev.of_type("aws:secretsmanager/secret:Secret")
    assert secrets and {s.inputs["recoveryWindowInDays"] for s in secrets} == {0}


def test_final_snapshot_names_are_unique_per_instance() -> None:
    plan = plan_with("prod", {})
    [db] = plan.of_type("aws:rds/instance:Instance")
    assert db.inputs["finalSnapshotIdentifier"].startswith("launchpad-prod-db-final-")
    [suffix] = plan.of_type("random:index/randomId:RandomId")
    assert db.property_dependencies["finalSnapshotIdentifier"] == [suffix.urn]

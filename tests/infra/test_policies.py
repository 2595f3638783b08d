"""The CrossGuard pack over the mocked plans: the real stacks pass, and each rule catches what it guards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from offline.mocks import Recorded
from offline.policy_check import Violation, check, load_pack_config, mandatory
from offline.program import ProgramRun
from offline.stack_files import REPO_ROOT
from policies.rules import POLICIES
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan


def test_real_stacks_have_no_mandatory_violations(stack_plan: Plan) -> None:
    assert mandatory(check(stack_plan.run)) == []


def test_prod_meets_the_availability_rules_too(prod: Plan) -> None:
    assert check(prod.run) == []


def test_dev_is_told_what_it_gives_up_but_not_blocked(dev: Plan) -> None:
    advisories = check(dev.run)
    assert advisories and all(v.level == "advisory" for v in advisories)
    assert {v.policy for v in advisories} == {"rds-availability", "elasticache-availability"}


def test_prod_config_blocks_a_single_az_database() -> None:
    plan = plan_with("prod", {"dbMultiAz": False, "dbBackupRetentionDays": 3})
    blocked = [v for v in mandatory(check(plan.run)) if v.policy == "rds-availability"]
    assert {v.message for v in blocked} == {"not multi-AZ (RDS.5)", "backups kept under 7 days (RDS.11)"}


def _run(*resources: tuple[str, dict[str, Any]], stack: str = "prod") -> ProgramRun:
    recorded = [
        Recorded(
            type_,
            f"r{i}",
            props,
            props,
            None,
            True,
            f"id-{i}",
            urn=f"urn:pulumi:{stack}::launchpad::{type_}::r{i}",
        )
        for i, (type_, props) in enumerate(resources)
    ]
    return ProgramRun(stack, recorded, {}, [])


def _messages(violations: list[Violation], policy: str) -> list[str]:
    return [v.message for v in violations if v.policy == policy]


def test_public_access_block_with_a_flag_off_is_blocked() -> None:
    props = {
        "bucket": "b",
        "blockPublicAcls": True,
        "blockPublicPolicy": False,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    found = check(_run(("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", props)))
    assert _messages(found, "s3-public-access-block") == [
        "public access block leaves blockPublicPolicy off (CKV_AWS_53-56, S3.1)"
    ]


def test_bucket_policy_without_a_tls_deny_is_blocked() -> None:
    allow_only = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
    found = check(
        _run(("aws:s3/bucketPolicy:BucketPolicy", {"bucket": "b", "policy": json.dumps(allow_only)}))
    )
    assert _messages(found, "s3-tls-only")


def test_a_bucket_missing_its_hardening_resources_is_blocked() -> None:
    found = check(
        _run(
            ("aws:s3/bucket:Bucket", {"bucket": "naked"}),
            (
                "aws:s3/bucketVersioning:BucketVersioning",
                {"bucket": "naked", "versioningConfiguration": {"status": "Enabled"}},
            ),
        )
    )
    missing = _messages(found, "s3-bucket-hardening-complete")
    assert len(missing) == 5 and not any("versioning" in m for m in missing)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"cidrIpv4": "0.0.0.0/0", "fromPort": 22, "toPort": 22}, True),
        ({"cidrIpv6": "::/0", "fromPort": 5432, "toPort": 5432}, True),
        ({"cidrIpv4": "0.0.0.0/0", "fromPort": 0, "toPort": 65535}, True),
        ({"cidrIpv4": "0.0.0.0/0", "fromPort": 443, "toPort": 443}, False),
        ({"referencedSecurityGroupId": "sg-1", "fromPort": 5432, "toPort": 5432}, False),
    ],
)
def test_only_web_ports_may_face_the_internet(rule: dict[str, Any], expected: bool) -> None:
    found = check(_run(("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", rule)))
    assert bool(_messages(found, "sg-rule-no-open-ingress")) is expected


def test_task_definitions_are_unprivileged_read_only_and_keep_secrets_out_of_env() -> None:
    containers = [
        {
            "name": "ok",
            "readonlyRootFilesystem": True,
            "environment": [{"name": "GEMINI_API_KEY_SECRET_ARN", "value": "arn:x"}],
        },
        {
            "name": "bad",
            "privileged": True,
            "environment": [{"name": "ANTHROPIC_API_KEY", "value": "sk-live"}],
        },
    ]
    props = {
        "networkMode": "awsvpc",
        "containerDefinitions": json.dumps(containers),
        "executionRoleArn": "a",
        "taskRoleArn": "a",
    }
    messages = _messages(check(_run(("aws:ecs/taskDefinition:TaskDefinition", props))), "ecs-task-definition")
    assert messages == [
        "execution role and task role are the same role (CKV_AWS_249)",
        "container bad is privileged (ECS.4)",
        "container bad has a writable root filesystem (ECS.5)",
        "container bad passes ANTHROPIC_API_KEY as plain environment; use secrets (ECS.8)",
    ]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_public_task_ips_follow_the_stacks_pack_config(stack: str) -> None:
    service = ("aws:ecs/service:Service", {"networkConfiguration": {"assignPublicIp": True}})
    found = _messages(check(_run(service, stack=stack)), "ecs-no-public-ip")
    allowed = load_pack_config(stack)["ecs-no-public-ip"]["allowPublicIp"]
    assert bool(found) is not allowed


def test_gcp_identity_rules() -> None:
    found = check(
        _run(
            (
                "gcp:cloudrunv2/service:Service",
                {"template": {"serviceAccount": "1234-compute@developer.gserviceaccount.com"}},
            ),
            ("gcp:projects/iAMMember:IAMMember", {"role": "roles/editor", "member": "serviceAccount:x"}),
            (
                "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
                {"role": "roles/run.invoker", "member": "allUsers"},
            ),
        )
    )
    assert _messages(found, "cloud-run-dedicated-identity")
    assert _messages(found, "gcp-no-basic-roles-project") == [
        "grants the basic role roles/editor; grant a predefined role instead"
    ]
    assert _messages(found, "cloud-run-no-public-invoker")


def test_unrotated_keys_unencrypted_secrets_and_star_actions_are_blocked() -> None:
    star = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    found = mandatory(
        check(
            _run(
                ("aws:kms/key:Key", {"enableKeyRotation": False}),
                ("aws:secretsmanager/secret:Secret", {"name": "s"}),
                ("aws:iam/rolePolicy:RolePolicy", {"policy": json.dumps(star)}),
                ("aws:cloudwatch/logGroup:LogGroup", {"name": "g"}),
            )
        )
    )
    assert {v.policy for v in found} == {
        "kms-rotation",
        "secrets-cmk",
        "iam-no-star-actions-role-policy",
        "log-group-retention-and-key",
    }


def test_hardening_is_matched_through_dependencies_when_names_are_unknown() -> None:
    # A preview of a new stack knows neither the bucket's name nor its id: only what depends on what.
    required = [
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketPolicy:BucketPolicy",
    ]
    run = _run(("aws:s3/bucket:Bucket", {}), *[(t, {"bucket": "id-0"}) for t in required])
    for child in run.resources[1:]:
        child.dependencies = [run.resources[0].urn]
        child.property_dependencies = {"bucket": [run.resources[0].urn]}
    assert _messages(check(run), "s3-bucket-hardening-complete") == []
    run.resources[-1].dependencies = []  # the policy no longer hangs off this bucket
    run.resources[-1].property_dependencies = {}
    run.resources[-1].inputs = {"bucket": "someone-elses"}
    assert _messages(check(run), "s3-bucket-hardening-complete") == ["bucket r0 lacks a bucket policy"]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"fromPort": 22, "toPort": 22, "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"]}, True),
        ({"fromPort": 22, "toPort": 22, "ipv6CidrBlocks": ["::/0"]}, True),
        ({"fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}, False),
        ({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.0.0/8"]}, False),
    ],
)
def test_inline_rules_are_checked_on_every_cidr(rule: dict[str, Any], expected: bool) -> None:
    found = check(_run(("aws:ec2/securityGroup:SecurityGroup", {"ingress": [rule]})))
    assert bool(_messages(found, "sg-no-open-inline-ingress")) is expected


def test_the_pack_starts_as_the_cli_starts_it_from_any_directory(tmp_path: Path) -> None:
    # `python -m pulumi.policy <engine> <pack dir>` runs the pack's __main__ with runpy; constructing the
    # pack would serve gRPC forever, so the child swaps PolicyPack for a recorder.
    child = (
        "import runpy, sys, pulumi_policy\n"
        "pulumi_policy.PolicyPack = lambda **kw: print(kw['name'], len(kw['policies']))\n"
        f"runpy.run_path({str(REPO_ROOT / 'policies')!r}, run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-1500:]
    assert result.stdout.split() == ["launchpad", str(len(POLICIES))]

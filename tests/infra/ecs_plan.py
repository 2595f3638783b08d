"""Reading the compute layer back out of a recorded plan: task definitions, services, security groups."""

from __future__ import annotations

import json
from typing import Any

from offline.mocks import Recorded
from tests.infra.plan_query import Plan

TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition"
SERVICE = "aws:ecs/service:Service"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SCHEDULE = "aws:scheduler/schedule:Schedule"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLES = ("web", "worker", "nightly")


def task_definition(plan: Plan, role: str) -> Recorded:
    return plan.one(TASK_DEF, f"-{role}-task")


def containers(plan: Plan, role: str) -> list[dict[str, Any]]:
    return list(json.loads(task_definition(plan, role).inputs["containerDefinitions"]))


def app_container(plan: Plan, role: str) -> dict[str, Any]:
    return next(c for c in containers(plan, role) if c["essential"])


def register_request(task: Recorded) -> dict[str, Any]:
    """The RegisterTaskDefinition request `pulumi up` would send, from the recorded inputs."""
    i = task.inputs
    request = {
        "family": i["family"],
        "containerDefinitions": json.loads(i["containerDefinitions"]),
        "cpu": i["cpu"],
        "memory": i["memory"],
        "networkMode": i["networkMode"],
        "requiresCompatibilities": i["requiresCompatibilities"],
        "executionRoleArn": i["executionRoleArn"],
        "taskRoleArn": i["taskRoleArn"],
        "runtimePlatform": i["runtimePlatform"],
        "volumes": i.get("volumes", []),
    }
    return {k: v for k, v in request.items() if v is not None}


def role_policy(plan: Plan, role_arn: str) -> Recorded:
    """The one inline policy of the role with this ARN."""
    role = plan.by_id(role_arn)
    policies = [p for p in plan.of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    assert len(policies) == 1, f"{role.name} has {len(policies)} inline policies"
    return policies[0]


def policy_of(plan: Plan, role_arn: str) -> dict[str, Any]:
    """The inline policy document of the role with this ARN."""
    return dict(json.loads(role_policy(plan, role_arn).inputs["policy"]))


def statement(document: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in document["Statement"] if s["Sid"] == sid)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def secret_arn(value_from: str) -> str:
    """`<secret arn>:<json key>::` -> the secret's ARN (seven colon-separated parts)."""
    return ":".join(value_from.split(":")[:7])


def service(plan: Plan, role: str) -> Recorded:
    return plan.one(SERVICE, f"-{role}-service")

"""Small lookups shared by the GCP tests: the service, its container, env and identities in a plan."""

from __future__ import annotations

from typing import Any

from offline.mocks import Recorded
from tests.infra.plan_query import Plan

SERVICE = "gcp:cloudrunv2/service:Service"
JOB = "gcp:cloudrunv2/job:Job"
POOL = "gcp:cloudrunv2/workerPool:WorkerPool"
ACCOUNT = "gcp:serviceaccount/account:Account"
SECRET = "gcp:secretmanager/secret:Secret"
SECRET_VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
SECRET_BINDING = "gcp:secretmanager/secretIamMember:SecretIamMember"
SERVICE_INVOKER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"
JOB_INVOKER = "gcp:cloudrunv2/jobIamMember:JobIamMember"
SCHEDULER = "gcp:cloudscheduler/job:Job"
BUCKET = "gcp:storage/bucket:Bucket"
BUCKET_BINDING = "gcp:storage/bucketIAMMember:BucketIAMMember"
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS = "gcp:redis/instance:Instance"
API = "gcp:projects/service:Service"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
BUILD = "docker-build:index:Image"


def template_of(resource: Recorded) -> dict[str, Any]:
    """The revision template: jobs nest a task template inside the execution template."""
    template = resource.inputs["template"]
    return template.get("template", template)


def container(resource: Recorded) -> dict[str, Any]:
    (only,) = template_of(resource)["containers"]
    return only


def env_of(resource: Recorded) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in container(resource).get("envs", [])}


def runtime_account(plan: Plan) -> Recorded:
    return plan.one(ACCOUNT, "run-identity")


def urns_of(plan: Plan, type_: str) -> set[str]:
    return {r.urn for r in plan.of_type(type_)}

"""Mock answers for what the delivery pieces add: the stack's reference to itself (the image history) and
the bootstrap program's identity resources (GitHub OIDC, Workload Identity), shaped as the providers
return them."""

from __future__ import annotations

from typing import Any

from offline.aws_answers import ACCOUNT_ID, Answer, hexed
from offline.gcp_docker_mocks import GCP_PROJECT, GCP_PROJECT_NUMBER

# Outputs of the last deployment per referenced stack name; empty: a stack that has never been deployed.
PREVIOUS_OUTPUTS: dict[str, dict[str, Any]] = {}


def _stack_reference(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    referenced = str(inputs.get("name") or name)
    outputs = PREVIOUS_OUTPUTS.get(referenced, {})
    return referenced, {"name": referenced, "outputs": outputs, "secretOutputNames": []}


def _oidc_provider(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    host = str(inputs["url"]).removeprefix("https://")
    arn = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{host}"
    return arn, {"arn": arn}


def _managed_policy(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs.get("name") or f"{name}-{hexed(name, 7)}"
    arn = f"arn:aws:iam::{ACCOUNT_ID}:policy{inputs.get('path') or '/'}{own}"
    return arn, {"arn": arn, "name": own, "policyId": f"ANPA{hexed(name, 17).upper()}"}


def _pool(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project = inputs.get("project") or GCP_PROJECT
    pool_id = inputs["workloadIdentityPoolId"]
    resource = f"projects/{GCP_PROJECT_NUMBER}/locations/global/workloadIdentityPools/{pool_id}"
    return f"projects/{project}/locations/global/workloadIdentityPools/{pool_id}", {
        "name": resource,
        "state": "ACTIVE",
    }


def _pool_provider(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project = inputs.get("project") or GCP_PROJECT
    pool_id, provider_id = inputs["workloadIdentityPoolId"], inputs["workloadIdentityPoolProviderId"]
    path = f"locations/global/workloadIdentityPools/{pool_id}/providers/{provider_id}"
    return f"projects/{project}/{path}", {
        "name": f"projects/{GCP_PROJECT_NUMBER}/{path}",
        "state": "ACTIVE",
    }


def _sa_iam_member(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    binding = f"{inputs['serviceAccountId']}/{inputs['role']}/{inputs['member']}"
    return binding, {"etag": f"BwY{hexed(name, 9)}="}


ANSWERS: dict[str, Answer] = {
    "pulumi:pulumi:StackReference": _stack_reference,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": _oidc_provider,
    "aws:iam/policy:Policy": _managed_policy,
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": _pool,
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": _pool_provider,
    "gcp:serviceaccount/iAMMember:IAMMember": _sa_iam_member,
}

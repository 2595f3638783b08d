"""Offline IAM linting with parliament, knowing which findings are by design for each kind of policy."""

from __future__ import annotations

import json
import warnings
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # parliament imports the deprecated pkg_resources
    from parliament import analyze_policy_string

from offline.mocks import Recorded

# Resource policies (key, bucket, topic) govern one resource, so "Resource": "*" means "this one".
RESOURCE_POLICY_TYPES = {
    "aws:kms/key:Key",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
}


def is_trust_policy(resource: Recorded, key: str) -> bool:
    return key == "assumeRolePolicy"


def findings(resource: Recorded, key: str, document: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """parliament's findings as (issue, severity, detail), minus those that are by design here."""
    if is_trust_policy(resource, key):
        return _trust_policy_findings(document)
    policy = analyze_policy_string(json.dumps(document), include_community_auditors=False)
    found = [(f.issue, _severity(f.issue), f.detail) for f in policy.findings]
    if resource.type in RESOURCE_POLICY_TYPES:
        found = [f for f in found if f[0] != "RESOURCE_STAR"]
    return found


def _severity(issue: str) -> str:
    from parliament import config  # loaded from parliament's own config.yaml

    return str(config.get(issue, {}).get("severity", "UNKNOWN"))


def _trust_policy_findings(document: dict[str, Any]) -> list[tuple[str, str, Any]]:
    # parliament reads identity policies; a trust policy is checked for its own shape instead.
    problems = []
    for statement in document["Statement"]:
        if "Resource" in statement or statement.get("Action") != "sts:AssumeRole":
            problems.append(("TRUST_SHAPE", "HIGH", statement))
        if set(statement.get("Principal", {})) - {"Service"}:
            problems.append(("TRUST_PRINCIPAL_NOT_SERVICE", "HIGH", statement))
    return problems

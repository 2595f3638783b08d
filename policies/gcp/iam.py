"""GCP grants: no basic roles, nothing public on the image registry, secrets granted one by one."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pulumi_policy import Severity

from policies.base import Props, as_list, resource_rule
from policies.meta import RuleMeta

PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
SECRET_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember"  # noqa: S105 - a type token
RUN_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember"
REGISTRY_MEMBER = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"
BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")
SECRET_ROLES = ("roles/secretmanager.secretAccessor", "roles/secretmanager.admin")


def _no_basic_roles(props: Props) -> list[str]:
    role = str(props.get("role", ""))
    return [f"grants the basic role {role}; grant a predefined role"] if role in BASIC_ROLES else []


def _registry_private(props: Props) -> list[str]:
    members = set(as_list(props.get("member") or [])) & set(PUBLIC_MEMBERS)
    return [f"the image repository is readable by {sorted(members)}"] if members else []


# An IAM Condition naming whole secrets, one `startsWith` per secret id (the trailing "/" ends the id): a
# project-level grant under it reaches exactly those secrets, as a grant on each would.
_NAMED_SECRET = re.compile(r'resource\.name\.startsWith\("projects/[^/"]+/secrets/[A-Za-z0-9_-]+/"\)')


def _names_secrets(condition: object) -> bool:
    expression = str(condition.get("expression") or "") if isinstance(condition, Mapping) else ""
    clauses = [c.strip() for c in expression.split("||")]
    return bool(expression) and all(_NAMED_SECRET.fullmatch(c) for c in clauses)


def _secrets_per_secret(props: Props) -> list[str]:
    role = str(props.get("role", ""))
    if role in SECRET_ROLES and not _names_secrets(props.get("condition")):
        return [f"{role} on the whole project reaches every secret; grant it on each secret"]
    return []


GCP_IAM_POLICIES = [
    resource_rule(
        RuleMeta(
            "gcp-no-basic-roles",
            "No basic roles (owner, editor, viewer).",
            Severity.HIGH,
            "Grant the predefined role that covers what the member does.",
            checkov=("CKV_GCP_117",),
        ),
        (PROJECT_MEMBER, SECRET_MEMBER, RUN_MEMBER, REGISTRY_MEMBER),
        _no_basic_roles,
    ),
    resource_rule(
        RuleMeta(
            "gcp-artifact-registry-private",
            "Image repositories are not public.",
            Severity.HIGH,
            "Grant roles/artifactregistry.reader to the service accounts that pull.",
            checkov=("CKV_GCP_101",),
        ),
        REGISTRY_MEMBER,
        _registry_private,
    ),
    resource_rule(
        RuleMeta(
            "gcp-secret-access-per-secret",
            "Secret Manager access is granted per secret.",
            Severity.MEDIUM,
            "Use secretmanager.SecretIamMember on each secret the service reads.",
        ),
        PROJECT_MEMBER,
        _secrets_per_secret,
    ),
]

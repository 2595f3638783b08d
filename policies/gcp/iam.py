"""GCP grants: no basic roles, nothing public on the image registry, secrets granted one by one."""

from __future__ import annotations

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


def _secrets_per_secret(props: Props) -> list[str]:
    role = str(props.get("role", ""))
    if role in SECRET_ROLES:
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

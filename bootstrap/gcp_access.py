"""Workload Identity Federation for GitHub Actions, and one service account per environment family and use.

The provider admits only tokens of this repository (by its immutable owner and repository ids) on main:
deploys and drift checks run there, pull requests get no Google credentials. Each service account may be
impersonated by exactly the `sub` of the GitHub environments that use it (a `principal://.../subject/...`
member), so the dev deploy, the review stacks and the drift check cannot act as prod's deploy identity:
- launchpad-deploy-<family>: the predefined roles that manage what the program creates.
- launchpad-preview-<family>: viewer roles only, for previews and the nightly drift check.
Within one project the service-account roles a deploy identity needs let it act as the project's other
service accounts: prod belongs in a project of its own (run the bootstrap there with families [prod]).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_gcp as gcp

from bootstrap import github_oidc as oidc
from bootstrap.aws_access import subjects
from bootstrap.settings import BootstrapConfig, Family
from targets.generated_secrets import GCP_GENERATED_SECRETS

# What the launchpad program manages on Google Cloud (targets/gcp.py), each a predefined role; the
# permission closure (launchpad/access/gcp_*.py) checks the plan's resources against these.
DEPLOY_ROLES = (
    "roles/run.admin",
    "roles/artifactregistry.admin",
    "roles/secretmanager.admin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/monitoring.editor",
    "roles/cloudscheduler.admin",
    # The managed data tier (targets/gcp_data.py): its network, key, database, cache, bucket, log metrics.
    "roles/compute.networkAdmin",
    "roles/servicenetworking.networksAdmin",
    "roles/cloudkms.admin",
    "roles/cloudsql.admin",
    "roles/redis.admin",
    "roles/storage.admin",
    "roles/logging.configWriter",
)
PREVIEW_ROLES = (
    "roles/run.viewer",
    "roles/artifactregistry.reader",
    "roles/secretmanager.viewer",
    "roles/serviceusage.serviceUsageViewer",
    "roles/iam.serviceAccountViewer",
    "roles/monitoring.viewer",
    "roles/cloudscheduler.viewer",
    "roles/compute.networkViewer",
    "roles/cloudkms.viewer",
    "roles/cloudsql.viewer",
    "roles/redis.viewer",
    "roles/storage.bucketViewer",
    "roles/logging.viewer",
    "roles/iam.securityReviewer",  # reads the IAM policies the plan's ...IAMMember resources edit
)
# What a refresh reads back beyond the viewer roles, as on AWS: the values the program generates, which the
# state it decrypts already holds. Memorystore's AUTH string (read on every refresh of an AUTH-enabled
# instance) through a custom role; the generated secrets' versions through Secret Manager's accessor role,
# conditioned on those secrets' names (targets/gcp_data.py: "<base>-<role>").
PREVIEW_READS_ROLE_ID = "launchpadPreviewGeneratedReads"
PREVIEW_READS = ("redis.instances.getAuthString",)
GENERATED_SECRETS = GCP_GENERATED_SECRETS
# A budget lives on the billing account, not the project: its roles are granted there.
BILLING_ROLES = {"deploy": "roles/billing.costsManager", "preview": "roles/billing.viewer"}
# The Cloud Resource Manager API serves every project lookup and every `projects.Service` read, so it must be
# on before anything else; Service Usage enables the rest. Then the APIs the token exchange needs.
FOUNDATION_APIS = ("cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com")
FEDERATION_APIS = ("iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com")
ATTRIBUTE_MAPPING = {
    "google.subject": "assertion.sub",
    "attribute.repository_id": "assertion.repository_id",
    "attribute.ref": "assertion.ref",
}


@dataclass
class FamilyAccounts:
    family: Family
    deploy: gcp.serviceaccount.Account
    preview: gcp.serviceaccount.Account


@dataclass
class GcpAccess:
    provider_name: pulumi.Output[str]
    accounts: list[FamilyAccounts]
    project_number: pulumi.Output[str]

    def of(self, family: str) -> FamilyAccounts:
        """The service accounts of one family (each family has exactly one pair)."""
        [found] = [a for a in self.accounts if a.family.name == family]
        return found


def attribute_condition(config: BootstrapConfig) -> str:
    return (
        f'assertion.repository_id == "{config.repository_id}" && '
        f'assertion.repository_owner_id == "{config.owner_id}" && assertion.ref == "{oidc.MAIN_REF}"'
    )


def subject_principal(pool_name: pulumi.Input[str], subject: str) -> pulumi.Output[str]:
    return pulumi.Output.concat("principal://iam.googleapis.com/", pool_name, f"/subject/{subject}")


def _apis(project: str) -> list[gcp.projects.Service]:
    first = [
        gcp.projects.Service(
            f"api-{api.split('.')[0]}", project=project, service=api, disable_on_destroy=False
        )
        for api in FOUNDATION_APIS[:1]
    ]
    after = pulumi.ResourceOptions(depends_on=first)
    return first + [
        gcp.projects.Service(
            f"api-{api.split('.')[0]}", project=project, service=api, disable_on_destroy=False, opts=after
        )
        for api in (*FOUNDATION_APIS[1:], *FEDERATION_APIS)
    ]


@dataclass(frozen=True)
class GeneratedReads:
    """The preview identities' reads of generated values: the custom role, and the project's number that
    secret resource names (and so the accessor condition) carry."""

    role: gcp.projects.IAMCustomRole
    project_number: pulumi.Output[str]


def generated_secrets_condition(project_number: str, stacks: Sequence[str]) -> str:
    """CEL over the resource name: the generated secrets, and their versions, of these stacks. A `pr-*`
    family has none on Google Cloud: review stacks get no Google identity."""
    names = [
        f'resource.name.startsWith("projects/{project_number}/secrets/launchpad-{stack}-{role}/")'
        for stack in stacks
        if not stack.endswith("*")
        for role in GENERATED_SECRETS
    ]
    return " || ".join(names) or "false"


def _grant(
    name: str, config: BootstrapConfig, role: pulumi.Input[str], member: pulumi.Input[str], **kw: Any
) -> None:
    gcp.projects.IAMMember(name, project=config.gcp_project, role=role, member=member, **kw)


def _generated_reads(
    name: str, config: BootstrapConfig, family: Family, member: pulumi.Output[str], reads: GeneratedReads
) -> None:
    _grant(f"{name}-generated-reads", config, reads.role.name, member)
    condition = gcp.projects.IAMMemberConditionArgs(
        title=f"generated secrets of {family.name}",
        description="The values the program generates, which the stacks' state already holds",
        expression=reads.project_number.apply(lambda n: generated_secrets_condition(n, family.stacks)),
    )
    _grant(
        f"{name}-generated-secrets", config, "roles/secretmanager.secretAccessor", member, condition=condition
    )


def _account(
    config: BootstrapConfig,
    family: Family,
    use: str,
    *,
    principals: Sequence[pulumi.Output[str]],
    after_apis: pulumi.ResourceOptions,
    generated_reads: GeneratedReads | None = None,
) -> gcp.serviceaccount.Account:
    """A service account for the family's deploy or preview jobs, impersonable by exactly `principals`."""
    name = f"launchpad-{use}-{family.name}"
    account = gcp.serviceaccount.Account(
        name,
        project=config.gcp_project,
        account_id=name,
        display_name=f"Launchpad {use} {family.name}",
        description=f"Acted as by the {use} jobs of {config.repository} for {' '.join(family.stacks)}",
        opts=after_apis,
    )
    member = account.email.apply(lambda email: f"serviceAccount:{email}")
    for index, principal in enumerate(principals):
        gcp.serviceaccount.IAMMember(
            f"{name}-federation-{index}",
            service_account_id=account.name,
            role="roles/iam.workloadIdentityUser",
            member=principal,
        )
    for role in DEPLOY_ROLES if use == "deploy" else PREVIEW_ROLES:
        _grant(f"{name}-{role.split('/')[1].replace('.', '-')}", config, role, member)
    if generated_reads is not None:
        _generated_reads(name, config, family, member, generated_reads)
    if config.gcp_billing_account:
        gcp.billing.AccountIamMember(
            f"{name}-billing",
            billing_account_id=config.gcp_billing_account,
            role=BILLING_ROLES[use],
            member=member,
        )
    return account


def _workload_identity(config: BootstrapConfig, after_apis: pulumi.ResourceOptions) -> tuple[Any, Any]:
    pool = gcp.iam.WorkloadIdentityPool(
        "github-pool",
        project=config.gcp_project,
        workload_identity_pool_id=config.gcp_pool_id,
        display_name="GitHub Actions",
        description=f"GitHub Actions workflows of {config.repository}",
        opts=after_apis,
    )
    provider = gcp.iam.WorkloadIdentityPoolProvider(
        "github-provider",
        project=config.gcp_project,
        workload_identity_pool_id=pool.workload_identity_pool_id,
        workload_identity_pool_provider_id=config.gcp_provider_id,
        display_name="GitHub OIDC",
        description=f"Tokens of {config.repository} on main",
        attribute_mapping=ATTRIBUTE_MAPPING,
        attribute_condition=attribute_condition(config),
        oidc=gcp.iam.WorkloadIdentityPoolProviderOidcArgs(issuer_uri=oidc.ISSUER_URL),
    )
    return pool, provider


def create_gcp_access(config: BootstrapConfig) -> GcpAccess:
    after_apis = pulumi.ResourceOptions(depends_on=_apis(config.gcp_project))
    pool, provider = _workload_identity(config, after_apis)
    reads = GeneratedReads(
        gcp.projects.IAMCustomRole(
            "launchpad-preview-reads",
            project=config.gcp_project,
            role_id=PREVIEW_READS_ROLE_ID,
            title="Launchpad preview: generated values",
            description="What a refresh of a Launchpad stack reads back beyond the viewer roles",
            permissions=list(PREVIEW_READS),
            stage="GA",
            opts=after_apis,
        ),
        gcp.organizations.get_project_output(project_id=config.gcp_project).number,
    )
    accounts = []
    for family in config.families:
        deploy = [
            subject_principal(pool.name, s) for s in subjects(config, family.google_deploy_environments)
        ]
        preview = [subject_principal(pool.name, s) for s in subjects(config, [family.preview_environment])]
        accounts.append(
            FamilyAccounts(
                family,
                _account(config, family, "deploy", principals=deploy, after_apis=after_apis),
                _account(
                    config,
                    family,
                    "preview",
                    principals=preview,
                    after_apis=after_apis,
                    generated_reads=reads,
                ),
            )
        )
    return GcpAccess(provider.name, accounts, reads.project_number)

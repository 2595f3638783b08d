"""Workload Identity Federation for GitHub Actions, and the service account the deploy jobs act as.

The provider admits only tokens of this repository's main branch (its attribute condition), which is
where the deploy jobs and the nightly drift check run; pull requests get no Google credentials. The
deploy service account may be impersonated by the pool's principals of this repository only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from bootstrap import github_oidc as oidc
from bootstrap.settings import BootstrapConfig

DEPLOY_ACCOUNT_ID = "launchpad-github-deploy"
# What the launchpad program manages on Google Cloud (targets/gcp.py), each a predefined role.
DEPLOY_ROLES = (
    "roles/run.admin",
    "roles/artifactregistry.admin",
    "roles/secretmanager.admin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
)
# APIs the token exchange and impersonation need.
FEDERATION_APIS = ("iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com")
ATTRIBUTE_MAPPING = {
    "google.subject": "assertion.sub",
    "attribute.repository": "assertion.repository",
    "attribute.ref": "assertion.ref",
}


@dataclass
class GcpAccess:
    provider_name: pulumi.Output[str]
    service_account_email: pulumi.Output[str]


def attribute_condition(repository: str) -> str:
    return f'assertion.repository == "{repository}" && assertion.ref == "{oidc.MAIN_REF}"'


def repository_principal_set(pool_name: pulumi.Input[str], repository: str) -> pulumi.Output[str]:
    return pulumi.Output.concat(
        "principalSet://iam.googleapis.com/", pool_name, f"/attribute.repository/{repository}"
    )


def create_gcp_access(config: BootstrapConfig) -> GcpAccess:
    project = config.gcp_project
    apis = [
        gcp.projects.Service(
            f"api-{api.split('.')[0]}", project=project, service=api, disable_on_destroy=False
        )
        for api in FEDERATION_APIS
    ]
    after_apis = pulumi.ResourceOptions(depends_on=apis)
    pool = gcp.iam.WorkloadIdentityPool(
        "github-pool",
        project=project,
        workload_identity_pool_id=config.gcp_pool_id,
        display_name="GitHub Actions",
        description=f"GitHub Actions workflows of {config.repository}",
        opts=after_apis,
    )
    provider = gcp.iam.WorkloadIdentityPoolProvider(
        "github-provider",
        project=project,
        workload_identity_pool_id=pool.workload_identity_pool_id,
        workload_identity_pool_provider_id=config.gcp_provider_id,
        display_name="GitHub OIDC",
        description=f"Tokens of {config.repository} on main",
        attribute_mapping=ATTRIBUTE_MAPPING,
        attribute_condition=attribute_condition(config.repository),
        oidc=gcp.iam.WorkloadIdentityPoolProviderOidcArgs(issuer_uri=oidc.ISSUER_URL),
    )
    account = gcp.serviceaccount.Account(
        "github-deploy",
        project=project,
        account_id=DEPLOY_ACCOUNT_ID,
        display_name="Launchpad GitHub deploy",
        description=f"Acted as by the deploy workflows of {config.repository}",
        opts=after_apis,
    )
    gcp.serviceaccount.IAMMember(
        "github-deploy-federation",
        service_account_id=account.name,
        role="roles/iam.workloadIdentityUser",
        member=repository_principal_set(pool.name, config.repository),
    )
    for role in DEPLOY_ROLES:
        gcp.projects.IAMMember(
            f"github-deploy-{role.split('/')[1].replace('.', '-')}",
            project=project,
            role=role,
            member=account.email.apply(lambda email: f"serviceAccount:{email}"),
        )
    return GcpAccess(provider.name, account.email)

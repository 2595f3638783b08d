"""The bootstrap program: `pulumi up` once per cloud account from this directory (docs/delivery.md).

The Pulumi CLI runs this file with bootstrap/ as the working directory; the repository root goes on the
path so the shared components (bucket, key, IAM documents) import as they do in the main program.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pulumi
import pulumi_aws as aws

from bootstrap import settings
from bootstrap.aws_access import Account, create_roles, oidc_provider_arn
from bootstrap.gcp_access import create_gcp_access
from bootstrap.state_backend import StateBackend, create_state_backend

config = settings.load()
account_id = aws.get_caller_identity_output().account_id
region = aws.get_region_output().region
state = create_state_backend("launchpad-pulumi") if config.self_managed_state else None
roles = create_roles(config, Account(account_id, oidc_provider_arn(config), state))
gcp = create_gcp_access(config) if config.gcp_enabled else None

# Each output is a repository variable of the same name in upper case (docs/delivery.md).
variables: dict[str, pulumi.Input[str]] = {
    "AWS_REGION": region,
    "AWS_PREVIEW_ROLE_ARN": roles.preview.arn,
    "AWS_DEPLOY_DEV_ROLE_ARN": roles.deploy_dev.arn,
    "AWS_DEPLOY_PROD_ROLE_ARN": roles.deploy_prod.arn,
    "PULUMI_BACKEND_URL": state.backend_url(region) if state else "",
    "PULUMI_SECRETS_PROVIDER": StateBackend.secrets_provider(region) if state else "",
    "GCP_WORKLOAD_IDENTITY_PROVIDER": gcp.provider_name if gcp else "",
    "GCP_DEPLOY_SERVICE_ACCOUNT": gcp.service_account_email if gcp else "",
}
pulumi.export("repository_variables", variables)
for name, value in variables.items():
    pulumi.export(name.lower(), value)

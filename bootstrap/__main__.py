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
from bootstrap.outputs import access_map, environment_variables
from bootstrap.state_backend import create_state_backend

config = settings.load()
account_id = aws.get_caller_identity_output().account_id
region = aws.get_region_output().region
state = create_state_backend("launchpad-pulumi") if config.self_managed_state else None
roles = create_roles(config, Account(account_id, oidc_provider_arn(config), state))
gcp = create_gcp_access(config) if config.gcp_enabled else None

# Each environment's variables, to set in that GitHub environment (docs/delivery.md, step 2).
pulumi.export("environment_variables", environment_variables(roles, region, state, gcp))
# Which identity serves which stacks: `launchpad plan` checks each against what the stack's plan does.
pulumi.export("access", access_map(config, roles, region, state, gcp))

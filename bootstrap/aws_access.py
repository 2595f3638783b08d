"""The GitHub OIDC provider and the three roles the workflows assume.

- preview (pull requests of this repository, and main for the nightly drift check): AWS's ReadOnlyAccess,
  with explicit denies on reading data (objects, secret values, parameters, logs, queues, tables, key
  decryption) except what a preview itself needs: the state, the locks it takes, and the values of the
  secrets Pulumi generated and so already keeps (encrypted) in the state the role can decrypt anyway.
- deploy-dev (the dev and review GitHub environments): the program's services, IAM on dev's names.
- deploy-prod (the prod environment, with required reviewers): the same on prod's names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from bootstrap import github_oidc as oidc
from bootstrap.deploy_permissions import data_statements, iam_statements, service_statements
from bootstrap.settings import BootstrapConfig
from bootstrap.state_backend import StateBackend, deploy_state_statements, preview_state_statements
from components.iam_policy import Condition, Statement, policy_json

READ_ONLY_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ROLE_PREFIX = "github-launchpad"  # outside `launchpad-*`, which the deploy roles may edit
DEPLOY_SESSION_SECONDS = 7200  # a first `pulumi up` (RDS, CloudFront) can pass IAM's default hour
# Secrets whose values the launchpad program generates and writes (targets/aws/foundation.py): a refresh
# reads them back, and they are already in the state a preview decrypts.
GENERATED_SECRETS = ("cache-auth-token", "db-readonly")
DATA_READS = (
    "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "ssm:GetParameter",
    "ssm:GetParameters", "ssm:GetParametersByPath", "logs:GetLogEvents", "logs:FilterLogEvents",
    "logs:StartQuery", "logs:GetQueryResults", "sqs:ReceiveMessage", "dynamodb:GetItem",
    "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "ecr:GetDownloadUrlForLayer",
    "lambda:GetFunction", "rds-data:ExecuteStatement",
)  # fmt: skip


@dataclass
class GitHubRoles:
    preview: aws.iam.Role
    deploy_dev: aws.iam.Role
    deploy_prod: aws.iam.Role


def _role(name: str, description: str, trust: pulumi.Output[str], seconds: int = 3600) -> aws.iam.Role:
    return aws.iam.Role(
        name, name=name, description=description, assume_role_policy=trust, max_session_duration=seconds
    )


def _inline(role: aws.iam.Role, name: str, statements: list[Statement]) -> None:
    aws.iam.RolePolicy(f"{role._name}-{name}", name=name, role=role.name, policy=policy_json(statements))


def generated_secret_arns(account: pulumi.Input[str]) -> list[pulumi.Output[str]]:
    return [
        pulumi.Output.concat("arn:aws:secretsmanager:*:", account, f":secret:launchpad/*/{name}-*")
        for name in GENERATED_SECRETS
    ]


def _deny(sid: str, actions: Sequence[str], allowed: Sequence[pulumi.Input[str]], **kw: object) -> Statement:
    """Deny everywhere but `allowed` (everywhere when nothing is)."""
    where = {"not_resources": list(allowed)} if allowed else {"resources": ["*"]}
    return Statement(sid=sid, effect="Deny", actions=list(actions), **where, **kw)  # type: ignore[arg-type]


def preview_statements(account: pulumi.Input[str], state: StateBackend | None) -> list[Statement]:
    generated = generated_secret_arns(account)
    state_objects = [state.bucket_arn.apply(lambda arn: f"{arn}/*")] if state else []
    object_reads, other_reads = DATA_READS[:2], DATA_READS[2:]
    statements = [
        _deny("NoDataReads", other_reads, generated),
        _deny("NoObjectReadsOutsideState", object_reads, state_objects),
        _deny(
            "NoDecryptOutsideStateAndGeneratedSecrets",
            ["kms:Decrypt"],
            [state.key_arn] if state else [],
            conditions=[Condition("StringNotLike", "kms:EncryptionContext:SecretARN", generated)],
        ),
        Statement(
            sid="RefreshGeneratedSecrets", actions=["secretsmanager:GetSecretValue"], resources=generated
        ),
        Statement(
            sid="DecryptGeneratedSecrets",
            actions=["kms:Decrypt"],
            resources=["*"],
            conditions=[
                Condition("StringLike", "kms:ViaService", ["secretsmanager.*.amazonaws.com"]),
                Condition("StringLike", "kms:EncryptionContext:SecretARN", generated),
            ],
        ),
    ]
    return statements + (preview_state_statements(state) if state else [])


@dataclass(frozen=True)
class Account:
    """Where the roles live: the account, its GitHub OIDC provider, and the state backend if self-managed."""

    account_id: pulumi.Input[str]
    provider_arn: pulumi.Input[str]
    state: StateBackend | None


def create_roles(config: BootstrapConfig, where: Account) -> GitHubRoles:
    repo = config.repository
    preview = _role(
        f"{ROLE_PREFIX}-preview",
        f"Read-only previews and drift checks for {repo} (pull requests and main)",
        oidc.trust_policy(
            where.provider_arn, [oidc.pull_request_subject(repo), oidc.main_branch_subject(repo)]
        ),
    )
    aws.iam.RolePolicyAttachment(
        f"{ROLE_PREFIX}-preview-read-only", role=preview.name, policy_arn=READ_ONLY_POLICY
    )
    _inline(preview, "preview-boundaries", preview_statements(where.account_id, where.state))
    dev_environments = [config.dev_environment, config.review_environment]
    dev = _deploy_role("dev", config, where, dev_environments, config.dev_stacks)
    prod = _deploy_role("prod", config, where, [config.prod_environment], config.prod_stacks)
    return GitHubRoles(preview, dev, prod)


def _deploy_role(
    kind: str, config: BootstrapConfig, where: Account, environments: Sequence[str], stacks: Sequence[str]
) -> aws.iam.Role:
    subjects = [oidc.environment_subject(config.repository, env) for env in environments]
    role = _role(
        f"{ROLE_PREFIX}-deploy-{kind}",
        f"Deploys stacks {' '.join(stacks)} of {config.repository} from {' '.join(environments)}",
        oidc.trust_policy(where.provider_arn, subjects),
        DEPLOY_SESSION_SECONDS,
    )
    _inline(role, "services", service_statements())
    scoped = iam_statements(where.account_id, stacks) + data_statements(where.account_id, stacks)
    state = deploy_state_statements(where.state, stacks) if where.state else []
    _inline(role, "stack-scoped", scoped + state)
    return role


def oidc_provider_arn(config: BootstrapConfig) -> pulumi.Output[str]:
    """The account's GitHub provider: the one named in config, or a new one (an account holds one per URL)."""
    if config.existing_oidc_provider_arn:
        return pulumi.Output.from_input(config.existing_oidc_provider_arn)
    provider = aws.iam.OpenIdConnectProvider(
        "github-actions-oidc", url=oidc.ISSUER_URL, client_id_lists=[oidc.AWS_AUDIENCE]
    )
    return provider.arn

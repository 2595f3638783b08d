"""The GitHub OIDC provider and two roles per environment family the workflows assume.

- deploy-<family> (the family's deploy environments: dev and review, or prod): the program's services, IAM,
  buckets, secrets and state on the family's stack names only.
- preview-<family> (the family's preview environment: previews and the nightly drift check): AWS's
  ReadOnlyAccess, with explicit denies on reading data (objects, secret values, parameters, logs, queues,
  tables, key decryption) except what a preview of the family's stacks needs: their state and the secrets
  Pulumi generated for them, whose values that state already holds (encrypted). A preview writes nothing:
  the S3 backend takes no lock for `pulumi preview` or `refresh --preview-only` and saves no checkpoint or
  history on a dry run (pulumi/pulumi pkg/backend/diy/backend.go: Preview and Refresh with PreviewOnly
  skip b.Lock; apply persists snapshots and history only `if !opts.DryRun`).
A pull request's branch reaches only dev-preview (the environment allows every branch), so no code under
review can read prod's state or secrets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from bootstrap import github_oidc as oidc
from bootstrap.deploy_permissions import data_statements, iam_statements, name_patterns, service_statements
from bootstrap.settings import BootstrapConfig, Family
from bootstrap.state_backend import StateBackend, deploy_state_statements, preview_state_statements
from components.iam_policy import Condition, Statement, policy_json
from targets.generated_secrets import AWS_GENERATED_SECRETS

READ_ONLY_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ROLE_PREFIX = "github-launchpad"  # outside `launchpad-*`, which the deploy roles may edit
DEPLOY_SESSION_SECONDS = 7200  # a first `pulumi up` (RDS, CloudFront) can pass IAM's default hour
# Secrets whose values the launchpad program generates and writes (targets/generated_secrets.py): a
# refresh reads them back, and they are already in the state a preview decrypts.
GENERATED_SECRETS = AWS_GENERATED_SECRETS
DATA_READS = (
    "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "ssm:GetParameter",
    "ssm:GetParameters", "ssm:GetParametersByPath", "logs:GetLogEvents", "logs:FilterLogEvents",
    "logs:StartQuery", "logs:GetQueryResults", "sqs:ReceiveMessage", "dynamodb:GetItem",
    "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "ecr:GetDownloadUrlForLayer",
    "lambda:GetFunction", "rds-data:ExecuteStatement",
)  # fmt: skip


@dataclass
class FamilyRoles:
    family: Family
    deploy: aws.iam.Role
    preview: aws.iam.Role


def _role(name: str, description: str, trust: pulumi.Output[str], seconds: int = 3600) -> aws.iam.Role:
    return aws.iam.Role(
        name, name=name, description=description, assume_role_policy=trust, max_session_duration=seconds
    )


def _inline(role: aws.iam.Role, name: str, statements: list[Statement]) -> None:
    aws.iam.RolePolicy(f"{role._name}-{name}", name=name, role=role.name, policy=policy_json(statements))


def _managed(role: aws.iam.Role, name: str, description: str, statements: list[Statement]) -> None:
    """A customer managed policy of the role's own: up to 6,144 characters of its own, outside the 10,240
    that all of a role's inline policies share (IAM User Guide, reference_iam-quotas.html)."""
    policy = aws.iam.Policy(
        f"{role._name}-{name}",
        name=f"{role._name}-{name}",
        description=description,
        policy=policy_json(statements),
    )
    aws.iam.RolePolicyAttachment(f"{role._name}-{name}", role=role.name, policy_arn=policy.arn)


def generated_secret_arns(account: pulumi.Input[str], stacks: Sequence[str]) -> list[pulumi.Output[str]]:
    """The generated secrets of these stacks (a trailing * in a stack name matches a family: pr-*)."""
    return [
        pulumi.Output.concat("arn:aws:secretsmanager:*:", account, f":secret:{prefix}/{name}-*")
        for prefix in (p.removesuffix("/*") for p in name_patterns(stacks, separator="/"))
        for name in GENERATED_SECRETS
    ]


def _deny(sid: str, actions: Sequence[str], allowed: Sequence[pulumi.Input[str]], **kw: object) -> Statement:
    """Deny everywhere but `allowed` (everywhere when nothing is)."""
    where = {"not_resources": list(allowed)} if allowed else {"resources": ["*"]}
    return Statement(sid=sid, effect="Deny", actions=list(actions), **where, **kw)  # type: ignore[arg-type]


def preview_statements(
    account: pulumi.Input[str], family: Family, state: StateBackend | None
) -> list[Statement]:
    generated = generated_secret_arns(account, family.stacks)
    state_reads = preview_state_statements(state, family.stacks) if state else []
    state_objects = [r for s in state_reads if "s3:GetObject" in s.actions for r in s.resources]
    object_reads, other_reads = DATA_READS[:2], DATA_READS[2:]
    statements = [
        _deny("NoDataReads", other_reads, generated),
        _deny("NoObjectReadsOutsideOwnState", object_reads, state_objects),
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
    return statements + state_reads


@dataclass(frozen=True)
class Account:
    """Where the roles live: the account, its GitHub OIDC provider, and the state backend if self-managed."""

    account_id: pulumi.Input[str]
    provider_arn: pulumi.Input[str]
    state: StateBackend | None


def subjects(config: BootstrapConfig, environments: Sequence[str]) -> list[str]:
    claim = config.subject_prefix or oidc.repository_claim(
        config.repository, config.owner_id, config.repository_id, config.subject_form
    )
    return [oidc.environment_subject(claim, env) for env in environments]


def create_roles(config: BootstrapConfig, where: Account) -> list[FamilyRoles]:
    return [
        FamilyRoles(family, _deploy_role(family, config, where), _preview_role(family, config, where))
        for family in config.families
    ]


def _preview_role(family: Family, config: BootstrapConfig, where: Account) -> aws.iam.Role:
    role = _role(
        f"{ROLE_PREFIX}-preview-{family.name}",
        f"Read-only previews and drift checks of {' '.join(family.stacks)} of {config.repository} "
        f"from {family.preview_environment}",
        oidc.trust_policy(where.provider_arn, subjects(config, [family.preview_environment])),
    )
    aws.iam.RolePolicyAttachment(f"{role._name}-read-only", role=role.name, policy_arn=READ_ONLY_POLICY)
    _inline(role, "preview-boundaries", preview_statements(where.account_id, family, where.state))
    return role


def _deploy_role(family: Family, config: BootstrapConfig, where: Account) -> aws.iam.Role:
    environments = family.deploy_environments
    role = _role(
        f"{ROLE_PREFIX}-deploy-{family.name}",
        f"Deploys stacks {' '.join(family.stacks)} of {config.repository} from {' '.join(environments)}",
        oidc.trust_policy(where.provider_arn, subjects(config, environments)),
        DEPLOY_SESSION_SECONDS,
    )
    # The service actions are the same for every family and the largest document: a managed policy of
    # their own leaves the inline share to the stack-scoped statements, which grow with the family's stacks.
    _managed(
        role,
        "services",
        f"The AWS services Launchpad stacks {' '.join(family.stacks)} use",
        service_statements(),
    )
    scoped = iam_statements(where.account_id, family.stacks) + data_statements(
        where.account_id, family.stacks
    )
    state = deploy_state_statements(where.state, family.stacks) if where.state else []
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

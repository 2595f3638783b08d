"""The bootstrap stack's config, validated before any resource exists (one error naming every problem).

A bootstrap stack serves one or both environment families of the repository's workflows:
- `dev`: the `dev` and `review` environments deploy the dev stacks (dev, pr-*); `dev-preview` previews them.
- `prod`: the `prod` environment deploys prod; `prod-preview` previews it and checks it for drift.
Prod belongs in an account (and GCP project) of its own: run the bootstrap there with `families: [prod]`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pulumi

from stack_config.errors import ConfigError

REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
# GitHub environment names become part of the OIDC `sub`; keep to characters that need no escaping there.
ENVIRONMENT = re.compile(r"[A-Za-z0-9._-]{1,255}")
STACK_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(-\*)?")
# Workload Identity pool and provider ids (iam.googleapis.com: 4-32 of [a-z0-9-], "gcp-" is reserved).
WIF_ID = re.compile(r"(?!gcp-)[a-z0-9-]{4,32}")
# A billing account id as Cloud Billing shows it: three groups of six upper-case hex digits.
BILLING_ACCOUNT = re.compile(r"[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}")
BACKENDS = ("s3", "cloud")
FAMILIES = ("dev", "prod")
# GitHub's OIDC `sub` forms: the name form, and (repositories created or renamed after 2026-06-18, or opted
# in) the immutable form with owner and repository ids (GitHub changelog 2026-04-23).
SUBJECT_FORMS = ("immutable", "name")
# What GitHub's subject preview shows between `repo:` and the next `:`, for a form neither of the above
# describes (GitHub's docs have been revised once already): used as it is.
SUBJECT_PREFIX = re.compile(r"[A-Za-z0-9._@/-]{3,300}")


@dataclass(frozen=True)
class Family:
    """One environment family: the stacks it deploys and the GitHub environments its identities trust."""

    name: str  # dev | prod
    stacks: tuple[str, ...]
    deploy_environments: tuple[str, ...]  # jobs that deploy (dev and review; prod)
    preview_environment: str  # jobs that only read: previews and drift checks
    # Environments whose jobs run pull-request branches (review): Google admits only main's tokens, so they
    # get no Google identity.
    pull_request_environments: tuple[str, ...] = ()

    @property
    def google_deploy_environments(self) -> tuple[str, ...]:
        return tuple(e for e in self.deploy_environments if e not in self.pull_request_environments)


@dataclass(frozen=True)
class BootstrapConfig:
    repository: str
    owner_id: int
    repository_id: int
    subject_form: str
    families: tuple[Family, ...]
    state_backend: str
    existing_oidc_provider_arn: str
    gcp_enabled: bool
    gcp_project: str
    gcp_pool_id: str
    gcp_provider_id: str
    gcp_billing_account: str
    subject_prefix: str = ""  # overrides the form: the repository part of `sub`, verbatim
    environment_keys: tuple[tuple[str, str], ...] = ()  # (config key, environment): errors name the key

    @property
    def self_managed_state(self) -> bool:
        return self.state_backend == "s3"


def _environment_problems(c: BootstrapConfig) -> list[tuple[str, str]]:
    found = [
        (key, f"{value!r} is not a GitHub environment name (letters, digits, . _ -)")
        for key, value in c.environment_keys
        if not ENVIRONMENT.fullmatch(value)
    ]
    seen: dict[str, str] = {}
    for key, value in c.environment_keys:
        if value in seen:
            found.append((key, f"{value!r} is also {seen[value]}: each environment serves one purpose"))
        seen.setdefault(value, key)
    return found


def _stack_problems(c: BootstrapConfig) -> list[tuple[str, str]]:
    found = [
        (f"{family.name}Stacks", f"{s!r} is not a stack name (a trailing -* allowed)")
        for family in c.families
        for s in family.stacks
        if not STACK_PATTERN.fullmatch(s)
    ]
    stacks = [s for family in c.families for s in family.stacks]
    if len(set(stacks)) != len(stacks):
        found.append(("prodStacks", "a stack cannot belong to both the dev and the prod family"))
    return found


def _github_problems(c: BootstrapConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not REPOSITORY.fullmatch(c.repository):
        found.append(("githubRepository", f"{c.repository!r} is not owner/name, e.g. example-org/launchpad"))
    for key, value in (("githubOwnerId", c.owner_id), ("githubRepositoryId", c.repository_id)):
        if value <= 0:
            found.append(
                (key, "the numeric id GitHub gives it: gh api repos/OWNER/NAME --jq '.owner.id, .id'")
            )
    if c.subject_prefix and not SUBJECT_PREFIX.fullmatch(c.subject_prefix):
        found.append(("githubSubjectPrefix", f"{c.subject_prefix!r}: the part between repo: and the next :"))
    if c.subject_form not in SUBJECT_FORMS:
        found.append(("githubSubjectForm", f"{c.subject_form!r} is not one of {SUBJECT_FORMS}"))
    return found


def problems(c: BootstrapConfig, families: list[str]) -> list[tuple[str, str]]:
    found = _github_problems(c)
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown or not families or len(set(families)) != len(families):
        found.append(("families", f"{families!r}: a non-empty list of {FAMILIES}, each once"))
    found += _environment_problems(c) + _stack_problems(c)
    if c.state_backend not in BACKENDS:
        found.append(("stateBackend", f"{c.state_backend!r} is not one of {BACKENDS}"))
    if c.existing_oidc_provider_arn and not c.existing_oidc_provider_arn.startswith("arn:aws:iam::"):
        found.append(("existingOidcProviderArn", "is not an IAM OIDC provider ARN"))
    if c.gcp_enabled:
        if not c.gcp_project:
            found.append(("gcp:project", "required when gcpEnabled. Fix: pulumi config set gcp:project <id>"))
        for key, pool_id in (("gcpPoolId", c.gcp_pool_id), ("gcpProviderId", c.gcp_provider_id)):
            if not WIF_ID.fullmatch(pool_id):
                found.append((key, f"{pool_id!r}: 4-32 of a-z, 0-9 and -, not starting with gcp-"))
    if c.gcp_billing_account and not BILLING_ACCOUNT.fullmatch(c.gcp_billing_account):
        found.append(("gcpBillingAccount", f"{c.gcp_billing_account!r} is not like 012345-6789AB-CDEF01"))
    return found


# Each family's config keys: its stacks, the environments that deploy them, the one that previews them.
FAMILY_KEYS = {
    "dev": ("devStacks", ("devEnvironment", "reviewEnvironment"), "devPreviewEnvironment"),
    "prod": ("prodStacks", ("prodEnvironment",), "prodPreviewEnvironment"),
}


def _family(config: pulumi.Config, name: str) -> Family:
    stacks, deploy, preview = FAMILY_KEYS[name]
    return Family(
        name,
        tuple(json.loads(config.require(stacks))),
        tuple(config.require(key) for key in deploy),
        config.require(preview),
        tuple(config.require(key) for key in deploy if key == "reviewEnvironment"),
    )


def load() -> BootstrapConfig:
    config = pulumi.Config()
    gcp = pulumi.Config("gcp")
    families = [str(f) for f in json.loads(config.require("families"))]
    loaded = BootstrapConfig(
        repository=config.require("githubRepository"),
        owner_id=config.require_int("githubOwnerId"),
        repository_id=config.require_int("githubRepositoryId"),
        subject_form=config.require("githubSubjectForm"),
        families=tuple(_family(config, f) for f in families if f in FAMILIES),
        state_backend=config.require("stateBackend"),
        existing_oidc_provider_arn=config.get("existingOidcProviderArn") or "",
        gcp_enabled=config.require_bool("gcpEnabled"),
        gcp_project=gcp.get("project") or "",
        gcp_pool_id=config.require("gcpPoolId"),
        gcp_provider_id=config.require("gcpProviderId"),
        gcp_billing_account=config.get("gcpBillingAccount") or "",
        subject_prefix=config.get("githubSubjectPrefix") or "",
        environment_keys=tuple(
            (key, config.require(key))
            for f in families
            if f in FAMILY_KEYS
            for key in (*FAMILY_KEYS[f][1], FAMILY_KEYS[f][2])
        ),
    )
    found = problems(loaded, families)
    if found:
        raise ConfigError([f"launchpad-bootstrap:{key}: {message}" for key, message in found])
    return loaded

"""The bootstrap stack's config, validated before any resource exists (one error naming every problem)."""

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
BACKENDS = ("s3", "cloud")


@dataclass(frozen=True)
class BootstrapConfig:
    repository: str
    dev_environment: str
    review_environment: str
    prod_environment: str
    dev_stacks: tuple[str, ...]
    prod_stacks: tuple[str, ...]
    state_backend: str
    existing_oidc_provider_arn: str
    gcp_enabled: bool
    gcp_project: str
    gcp_pool_id: str
    gcp_provider_id: str

    @property
    def self_managed_state(self) -> bool:
        return self.state_backend == "s3"


def problems(c: BootstrapConfig) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not REPOSITORY.fullmatch(c.repository):
        found.append(("githubRepository", f"{c.repository!r} is not owner/name, e.g. example-org/launchpad"))
    for key, value in (
        ("devEnvironment", c.dev_environment),
        ("reviewEnvironment", c.review_environment),
        ("prodEnvironment", c.prod_environment),
    ):
        if not ENVIRONMENT.fullmatch(value):
            found.append((key, f"{value!r} is not a GitHub environment name (letters, digits, . _ -)"))
    if len({c.dev_environment, c.review_environment, c.prod_environment}) != 3:
        found.append(("prodEnvironment", "dev, review and prod need three different environments"))
    for key, stacks in (("devStacks", c.dev_stacks), ("prodStacks", c.prod_stacks)):
        found += [
            (key, f"{s!r} is not a stack name (a trailing -* allowed)")
            for s in stacks
            if not STACK_PATTERN.fullmatch(s)
        ]
    if set(c.dev_stacks) & set(c.prod_stacks):
        found.append(("prodStacks", "a stack cannot belong to both the dev and the prod deploy role"))
    if c.state_backend not in BACKENDS:
        found.append(("stateBackend", f"{c.state_backend!r} is not one of {BACKENDS}"))
    if c.existing_oidc_provider_arn and not c.existing_oidc_provider_arn.startswith("arn:aws:iam::"):
        found.append(("existingOidcProviderArn", "is not an IAM OIDC provider ARN"))
    if c.gcp_enabled:
        if not c.gcp_project:
            found.append(("gcp:project", "required when gcpEnabled. Fix: pulumi config set gcp:project <id>"))
        for key, value in (("gcpPoolId", c.gcp_pool_id), ("gcpProviderId", c.gcp_provider_id)):
            if not WIF_ID.fullmatch(value):
                found.append((key, f"{value!r}: 4-32 of a-z, 0-9 and -, not starting with gcp-"))
    return found


def load() -> BootstrapConfig:
    config = pulumi.Config()
    gcp = pulumi.Config("gcp")
    loaded = BootstrapConfig(
        repository=config.require("githubRepository"),
        dev_environment=config.require("devEnvironment"),
        review_environment=config.require("reviewEnvironment"),
        prod_environment=config.require("prodEnvironment"),
        dev_stacks=tuple(json.loads(config.require("devStacks"))),
        prod_stacks=tuple(json.loads(config.require("prodStacks"))),
        state_backend=config.require("stateBackend"),
        existing_oidc_provider_arn=config.get("existingOidcProviderArn") or "",
        gcp_enabled=config.require_bool("gcpEnabled"),
        gcp_project=gcp.get("project") or "",
        gcp_pool_id=config.require("gcpPoolId"),
        gcp_provider_id=config.require("gcpProviderId"),
    )
    found = problems(loaded)
    if found:
        raise ConfigError([f"launchpad-bootstrap:{key}: {message}" for key, message in found])
    return loaded

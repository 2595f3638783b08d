"""Entry point the Pulumi CLI runs: `pulumi preview --policy-pack policies [--policy-pack-config ...]`."""

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.rules import POLICIES

PolicyPack(
    name="launchpad",
    description="Security and availability rules for Launchpad stacks (policy-catalogue.md).",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)

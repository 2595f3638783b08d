"""Entry point the Pulumi CLI runs: `pulumi preview --policy-pack policies [--policy-pack-config ...]`.

The CLI starts the pack with `python -m pulumi.policy <engine> <pack dir>`, which runs this file with the
pack's own directory first on sys.path and the CLI's working directory after it; the rules import as the
`policies` package, so the repository root goes on the path whatever directory the CLI runs in.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack

from policies.rules import POLICIES

PolicyPack(
    name="launchpad",
    description="Security, availability and deploy-constraint rules for Launchpad stacks.",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)

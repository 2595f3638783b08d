"""`launchpad`: the reviewer's view of a stack before `pulumi up` (plan, findings, cost, diff)."""

"""The bootstrap project: keyless access for the GitHub workflows, run once per cloud account."""

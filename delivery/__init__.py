"""What the workflows run besides Pulumi: PR comments, preview reports, code scanning uploads, drift issues,
review stacks, rollback."""

"""What the workflows run besides Pulumi: PR comments, drift issues, review-stack sweeps, rollback."""

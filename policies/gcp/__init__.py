"""Google Cloud rules: `cloud_run.py` (the service and who may call it) and `iam.py` (grants)."""

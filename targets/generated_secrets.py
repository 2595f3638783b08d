"""The names of the secrets the program generates and writes itself (passwords, AUTH tokens), which the
bootstrap's preview roles may read back and `launchpad secrets` / `verify` list; the app's own secrets are
app/contract.py APP_SECRETS. Nothing here imports a provider SDK, so the CLI reads it cheaply."""

from __future__ import annotations

# Secrets Manager, "<project>/<stack>/<name>" (targets/aws/foundation.py).
AWS_DB_READONLY, AWS_CACHE_AUTH = "db-readonly", "cache-auth-token"
AWS_GENERATED_SECRETS = (AWS_CACHE_AUTH, AWS_DB_READONLY)
# Secret Manager, "<stack base>-<name>" (targets/gcp_data.py).
GCP_DATABASE_PASSWORD, GCP_READONLY_PASSWORD, GCP_REDIS_AUTH = (
    "database-password",
    "database-readonly-password",
    "redis-auth",
)
GCP_GENERATED_SECRETS = (GCP_DATABASE_PASSWORD, GCP_READONLY_PASSWORD, GCP_REDIS_AUTH)

"""What the infrastructure needs to know about the app, and nothing else.

Standard library only: the Pulumi program imports this module without pulling in FastAPI or pydantic.
The app reads the same constants, so renaming a route or a variable here changes both sides at once.
"""

# ruff: noqa: S105 - these are names of variables that hold secrets, not secrets

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

SERVICE_NAME = "launchpad"
CONTAINER_PORT: int = 8000
HEALTH_PATH = "/health"
# The header clients send their API key in (the app's guard reads it; WAF logs redact it).
API_KEY_HEADER = "X-API-Key"
LIVE_PATH = "/health/live"
# Every response carries these (the app adds each one a response lacks); CloudFront's response headers
# policy sets the same values at the edge, so a response CloudFront makes itself carries them too.
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Cloud Run sends SIGTERM and kills 10 s later; uvicorn must finish in-flight requests before that.
SHUTDOWN_GRACE_SECONDS: int = 8

# The image's unprivileged user; containers never run as root.
APP_UID: int = 10001
# Every directory the app or its SDKs write at runtime; the root filesystem is read-only everywhere else.
# TMPDIR, HOME and HF_HOME (the image's ENV), the spooled uploads and the embedded SQLite all live here.
# The image creates each owned by APP_UID, mode 1777, and declares it a VOLUME (a Fargate bind mount takes
# the image's owner and mode only then); ECS mounts a task volume on each, the local stack a tmpfs.
WRITABLE_PATHS: tuple[str, ...] = ("/tmp",)  # noqa: S108 - a task-local volume, not a shared /tmp

WORKER_COMMAND: list[str] = ["python", "-m", "app.worker"]
MIGRATE_COMMAND: list[str] = ["python", "-m", "app.migrate"]
NIGHTLY_COMMAND: list[str] = ["python", "-m", "app.nightly"]
# The container health check (GET LIVE_PATH on $PORT): the image has no curl. Dockerfile and ECS both use it.
PROBE_COMMAND: list[str] = ["python", "-c", "from app.serve import probe; probe()"]
# The worker's health check: a worker of this host is registered in Redis (it serves no HTTP).
WORKER_PROBE_COMMAND: list[str] = ["python", "-m", "app.worker_probe"]
NIGHTLY_SCHEDULE_CRON = "0 2 * * *"

# The deployment environments (DEPLOYMENT_ENV): each picks the app's AI chain and its production checks.
DeploymentEnv = Literal["local", "development", "production"]
DEPLOYMENT_ENVIRONMENTS: tuple[str, ...] = get_args(DeploymentEnv)
# The PostgreSQL role that may only read (seed 004): created by the migrations, its login set by
# `app.migrate` from DATABASE_READONLY_SECRET_ARN.
READONLY_DATABASE_ROLE = "launchpad_reader"


@dataclass(frozen=True)
class EnvNames:
    """Names of the environment variables the infrastructure injects."""

    DEPLOYMENT_ENV: str = "DEPLOYMENT_ENV"
    AI_PROVIDERS: str = "AI_PROVIDERS"
    AI_DISABLED: str = "AI_DISABLED"
    DATABASE_URL: str = "DATABASE_URL"
    DATABASE_HOST: str = "DATABASE_HOST"
    DATABASE_PORT: str = "DATABASE_PORT"
    DATABASE_NAME: str = "DATABASE_NAME"
    DATABASE_USER: str = "DATABASE_USER"
    DATABASE_PASSWORD: str = "DATABASE_PASSWORD"
    DATABASE_SSLMODE: str = "DATABASE_SSLMODE"
    # An RDS-managed secret ({"username", "password"}) read at connect time, so rotation never locks out.
    DATABASE_SECRET_ARN: str = "DATABASE_SECRET_ARN"
    # The read-only role's login ({"username", "password"}): migrations grant it, reports and reads use it.
    DATABASE_READONLY_SECRET_ARN: str = "DATABASE_READONLY_SECRET_ARN"
    # Google Cloud: the read-only role's password itself (mounted from Secret Manager by Cloud Run).
    DATABASE_READONLY_PASSWORD: str = "DATABASE_READONLY_PASSWORD"
    # The CA (PEM) that signed the database server's certificate, for sslmode verify-ca/verify-full (Cloud
    # SQL's per-instance CA); a certificate, not a secret.
    DATABASE_CA_CERT: str = "DATABASE_CA_CERT"
    REDIS_URL: str = "REDIS_URL"
    REDIS_HOST: str = "REDIS_HOST"
    REDIS_PORT: str = "REDIS_PORT"
    REDIS_TLS: str = "REDIS_TLS"
    REDIS_AUTH_TOKEN: str = "REDIS_AUTH_TOKEN"
    # The CA (PEM) that signed the Redis server's TLS certificate (Memorystore's per-instance CA).
    REDIS_CA_CERT: str = "REDIS_CA_CERT"
    UPLOADS_BUCKET: str = "UPLOADS_BUCKET"
    # Google Cloud: uploads go to this Cloud Storage bucket (credentials from the runtime's identity).
    UPLOADS_GCS_BUCKET: str = "UPLOADS_GCS_BUCKET"
    HUGGINGFACE_API_KEY: str = "HUGGINGFACE_API_KEY"
    HUGGINGFACE_API_KEY_SECRET_ARN: str = "HUGGINGFACE_API_KEY_SECRET_ARN"
    GEMINI_API_KEY: str = "GEMINI_API_KEY"
    GEMINI_API_KEY_SECRET_ARN: str = "GEMINI_API_KEY_SECRET_ARN"
    ANTHROPIC_API_KEY: str = "ANTHROPIC_API_KEY"
    ANTHROPIC_API_KEY_SECRET_ARN: str = "ANTHROPIC_API_KEY_SECRET_ARN"
    SYNCED_TOKEN_SECRET_ARN: str = "SYNCED_TOKEN_SECRET_ARN"
    # Which provider the synced token is a key for (claude, gemini, huggingface); a name, not a secret.
    SYNCED_TOKEN_PROVIDER: str = "SYNCED_TOKEN_PROVIDER"
    API_KEYS: str = "API_KEYS"
    API_KEYS_SECRET_ARN: str = "API_KEYS_SECRET_ARN"
    CORS_ORIGINS: str = "CORS_ORIGINS"
    ALLOWED_HOSTS: str = "ALLOWED_HOSTS"
    AWS_EMF_ENVIRONMENT: str = "AWS_EMF_ENVIRONMENT"
    PORT: str = "PORT"
    LOG_LEVEL: str = "LOG_LEVEL"
    # How many proxies in front of the app append to X-Forwarded-For (CloudFront -> ALB: 2; ALB: 1;
    # none: 0, the socket peer is the client). The client IP is the entry that many hops from the right.
    TRUSTED_PROXY_HOPS: str = "TRUSTED_PROXY_HOPS"


ENV = EnvNames()


@dataclass(frozen=True)
class AppSecret:
    """One secret the app reads whose value an operator provides (the stack generates the others)."""

    # The secret's name: "<project>/<stack>/<name>" in Secrets Manager, "<stack base>-<name>" in Secret
    # Manager, and what `launchpad secrets set` and `verify` call it.
    name: str
    env: str  # the variable the app reads the value from; on AWS it reads `<env>_SECRET_ARN` and fetches it
    description: str  # the secret's description in the store
    config_key: str | None  # the stack key `pulumi config set --secret` may write it from; None: never
    provider: str | None  # the AI provider it is the key of (optional: the chain skips a provider without)
    clouds: tuple[str, ...]  # the targets whose secret store holds it ("aws", "gcp")


# The secret `launchpad token-sync push` writes (with its expiry), not `launchpad secrets set`.
SYNCED_TOKEN_SECRET = "synced-token"
# Adding a secret is one row here: the stores of both clouds, the stack config's keys, the env of every
# workload, `launchpad secrets` and `launchpad verify` all read this table.
APP_SECRETS: tuple[AppSecret, ...] = (
    AppSecret(
        "huggingface-api-key",
        ENV.HUGGINGFACE_API_KEY,
        "Hugging Face token for the production primary provider",
        "huggingfaceApiKey",
        "huggingface",
        ("aws", "gcp"),
    ),
    AppSecret(
        "gemini-api-key", ENV.GEMINI_API_KEY, "Gemini API key", "geminiApiKey", "gemini", ("aws", "gcp")
    ),
    AppSecret(
        "anthropic-api-key",
        ENV.ANTHROPIC_API_KEY,
        "Anthropic API key (API key, not a consumer OAuth token)",
        "anthropicApiKey",
        "claude",
        ("aws", "gcp"),
    ),
    AppSecret(
        SYNCED_TOKEN_SECRET,
        ENV.SYNCED_TOKEN_SECRET_ARN.removesuffix("_SECRET_ARN"),
        "Credential minted on a machine with a browser and synced here",
        "syncedToken",
        None,
        ("aws",),
    ),
    # The app refuses to start in production without client API keys.
    AppSecret(
        "api-keys",
        ENV.API_KEYS,
        "Comma-separated API keys the service accepts from its clients",
        None,
        None,
        ("aws", "gcp"),
    ),
)


def app_secrets(cloud: str) -> tuple[AppSecret, ...]:
    """The rows whose value `cloud`'s secret store holds."""
    return tuple(secret for secret in APP_SECRETS if cloud in secret.clouds)


# Variables whose values are secrets: the infra must inject them from a secret store, never as plain values.
SECRET_ENV_VARS: tuple[str, ...] = (
    ENV.DATABASE_URL,
    ENV.DATABASE_PASSWORD,
    ENV.DATABASE_READONLY_PASSWORD,
    ENV.REDIS_URL,
    ENV.REDIS_AUTH_TOKEN,
    # The app secrets a platform mounts as variables (Cloud Run); AWS injects their ARNs instead.
    *(secret.env for secret in app_secrets("gcp")),
)

# Provider keys that may instead be read from Secrets Manager through `<NAME>_SECRET_ARN`.
PROVIDER_KEY_ENV_VARS: dict[str, str] = {
    secret.provider: secret.env for secret in APP_SECRETS if secret.provider is not None
}


def secret_arn_env(name: str) -> str:
    """The `<NAME>_SECRET_ARN` variable that replaces the plain `<NAME>` variable."""
    return f"{name}_SECRET_ARN"


# ---- Metrics catalogue: the app emits exactly these, the alarms are built from them. ----

METRICS_NAMESPACE = "Launchpad"


@dataclass(frozen=True)
class Dimensions:
    SERVICE: str = "Service"
    ENVIRONMENT: str = "Environment"
    ROUTE: str = "Route"
    PROVIDER: str = "Provider"
    DEPENDENCY: str = "Dependency"


DIM = Dimensions()
SERVICE_DIMS: tuple[str, ...] = (DIM.SERVICE, DIM.ENVIRONMENT)
ROUTE_DIMS: tuple[str, ...] = (DIM.SERVICE, DIM.ENVIRONMENT, DIM.ROUTE)
PROVIDER_DIMS: tuple[str, ...] = (DIM.SERVICE, DIM.ENVIRONMENT, DIM.PROVIDER)
DEPENDENCY_DIMS: tuple[str, ...] = (DIM.SERVICE, DIM.ENVIRONMENT, DIM.DEPENDENCY)


@dataclass(frozen=True)
class MetricSpec:
    """One metric. `dimensions` lists the dimension sets it is published under (each an exact set);
    `statistic` is the one alarms and scaling should read it with."""

    name: str
    unit: str
    dimensions: tuple[tuple[str, ...], ...]
    description: str
    statistic: str = "Sum"


REQUESTS = MetricSpec("requests", "Count", (SERVICE_DIMS, ROUTE_DIMS), "HTTP requests answered")
REQUEST_LATENCY = MetricSpec(
    "request_latency", "Milliseconds", (SERVICE_DIMS, ROUTE_DIMS), "Time to answer an HTTP request", "p99"
)
HTTP_5XX = MetricSpec("http_5xx", "Count", (SERVICE_DIMS, ROUTE_DIMS), "Responses with a 5xx status")
AI_CALLS = MetricSpec("ai_calls", "Count", (SERVICE_DIMS, PROVIDER_DIMS), "Calls made to an AI provider")
AI_FAILURES = MetricSpec(
    "ai_failures",
    "Count",
    (SERVICE_DIMS, PROVIDER_DIMS),
    "AI calls that failed (timeout, 429, 5xx, auth, malformed answer)",
)
AI_LATENCY = MetricSpec(
    "ai_latency", "Milliseconds", (SERVICE_DIMS, PROVIDER_DIMS), "Duration of an AI call", "p99"
)
AI_COST_USD = MetricSpec(
    "ai_cost_usd", "None", (SERVICE_DIMS, PROVIDER_DIMS), "Estimated cost of AI calls in USD"
)
AI_TOKENS_IN = MetricSpec("ai_tokens_in", "Count", (SERVICE_DIMS, PROVIDER_DIMS), "Prompt tokens sent")
AI_TOKENS_OUT = MetricSpec(
    "ai_tokens_out", "Count", (SERVICE_DIMS, PROVIDER_DIMS), "Completion tokens received"
)
CACHE_HITS = MetricSpec("cache_hits", "Count", (SERVICE_DIMS,), "Decisions answered from the cache")
CACHE_MISSES = MetricSpec("cache_misses", "Count", (SERVICE_DIMS,), "Decisions computed afresh")
QUEUE_DEPTH = MetricSpec(
    "queue_depth",
    "Count",
    (SERVICE_DIMS,),
    "Jobs waiting for a worker: queued, or started by a worker that died (every API task samples it)",
    "Maximum",
)
JOB_DURATION = MetricSpec("job_duration", "Seconds", (SERVICE_DIMS,), "Run time of an analysis job", "p99")
# The queue sampler publishes the oldest job's age beside queue_depth; `launchpad token-sync` and the nightly
# job publish the synced token's age (app/core/synced_token.py says how an expired token counts).
QUEUE_OLDEST_JOB_AGE = MetricSpec(
    "queue_oldest_job_age",
    "Seconds",
    (SERVICE_DIMS,),
    "Time the oldest waiting job has been queued (every API task samples it)",
    "Maximum",
)
# Published beside queue_depth by the same sampler, so the two always share their timestamps: the worker
# service's scale-from-zero alarm reads them together and never depends on a series that may be empty.
QUEUE_WORKERS = MetricSpec(
    "queue_workers",
    "Count",
    (SERVICE_DIMS,),
    "Workers listening on the queue, a dead one's registration dropped (every API task samples it)",
    "Maximum",
)
SYNCED_TOKEN_AGE = MetricSpec(
    "synced_token_age",
    "Seconds",
    (SERVICE_DIMS,),
    "Time since the synced token was minted; an expired one reports over 8761 h "
    "(launchpad token-sync and the nightly job publish it)",
    "Maximum",
)
CIRCUIT_OPENED = MetricSpec(
    "circuit_opened",
    "Count",
    (SERVICE_DIMS, DEPENDENCY_DIMS),
    "Circuit breaker trips: calls to the dependency are skipped for the cool-down",
)
CIRCUIT_CLOSED = MetricSpec(
    "circuit_closed",
    "Count",
    (SERVICE_DIMS, DEPENDENCY_DIMS),
    "Circuit breakers closed again after a successful half-open probe",
)

METRICS: tuple[MetricSpec, ...] = (
    REQUESTS,
    REQUEST_LATENCY,
    HTTP_5XX,
    AI_CALLS,
    AI_FAILURES,
    AI_LATENCY,
    AI_COST_USD,
    AI_TOKENS_IN,
    AI_TOKENS_OUT,
    CACHE_HITS,
    CACHE_MISSES,
    QUEUE_DEPTH,
    JOB_DURATION,
    QUEUE_OLDEST_JOB_AGE,
    QUEUE_WORKERS,
    SYNCED_TOKEN_AGE,
    CIRCUIT_OPENED,
    CIRCUIT_CLOSED,
)
# The values of the Provider dimension: every provider the app can call (rules is not one).
AI_PROVIDER_NAMES: tuple[str, ...] = ("claude", "gemini", "huggingface")


@dataclass(frozen=True)
class DependencyNames:
    DATABASE: str = "database"
    REDIS: str = "redis"
    SECRETS: str = "secrets"


# The values of the Dependency dimension (circuit breakers): the stores, Secrets Manager, each provider.
DEPENDENCY = DependencyNames()
DEPENDENCY_NAMES: tuple[str, ...] = (
    DEPENDENCY.DATABASE,
    DEPENDENCY.REDIS,
    DEPENDENCY.SECRETS,
    *AI_PROVIDER_NAMES,
)

# The largest `alarmSyncedTokenAgeHours` a stack may set; an expired token reports an age above it.
SYNCED_TOKEN_ALARM_MAX_HOURS = 8760

# Alarm thresholds the service is designed around (seed 001).
ALARM_ERROR_RATE = 0.05
ALARM_LATENCY_MS = 2000
ALARM_AI_FAILURE_RATE = 0.20

"""The one settings class. Environment variable names come from `app.contract`."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal
from urllib.parse import quote

from pydantic import AliasChoices, BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL

from app import contract
from app.contract import ENV

DeploymentEnv = Literal["local", "development", "production"]

# Provider order when AI_PROVIDERS is not set (seed 000): production cannot mint Claude credentials headless.
DEFAULT_CHAINS: dict[str, tuple[str, ...]] = {
    "production": ("huggingface", "gemini", "rules"),
    "development": ("claude", "huggingface", "gemini", "rules"),
    "local": ("claude", "huggingface", "gemini", "rules"),
}
KNOWN_PROVIDERS = frozenset({"claude", "huggingface", "gemini", "rules"})


def _env(name: str) -> AliasChoices:
    """Read a field from the contract's variable name and also accept the field name in code."""
    return AliasChoices(name, name.lower())


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


Seconds = Annotated[float, Field(gt=0, le=120)]


class ModelPrice(BaseModel):
    """USD per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    deployment_env: DeploymentEnv = Field("local", validation_alias=_env(ENV.DEPLOYMENT_ENV))
    debug: bool = False
    version: str = "0.1.0"
    log_level: str = Field("INFO", validation_alias=_env(ENV.LOG_LEVEL))
    port: int = Field(contract.CONTAINER_PORT, validation_alias=_env(ENV.PORT))

    ai_providers: str = Field("", validation_alias=_env(ENV.AI_PROVIDERS))
    ai_disabled: bool = Field(False, validation_alias=_env(ENV.AI_DISABLED))
    huggingface_model: str = "Qwen/Qwen2.5-72B-Instruct"
    huggingface_base_url: str = "https://router.huggingface.co/v1"
    gemini_model: str = "gemini-2.5-flash"
    claude_model: str = "claude-haiku-4-5"
    huggingface_timeout_seconds: Seconds = 8.0
    gemini_timeout_seconds: Seconds = 6.0
    claude_timeout_seconds: Seconds = 6.0
    ai_max_output_tokens: int = Field(300, ge=16, le=4096)
    model_prices: dict[str, ModelPrice] = {
        "Qwen/Qwen2.5-72B-Instruct": ModelPrice(input_per_mtok=0.13, output_per_mtok=0.40),
        "gemini-2.5-flash": ModelPrice(input_per_mtok=0.30, output_per_mtok=2.50),
        "claude-haiku-4-5": ModelPrice(input_per_mtok=1.00, output_per_mtok=5.00),
    }
    rules_confidence_threshold: float = Field(0.8, ge=0, le=1)

    huggingface_api_key: str | None = Field(None, validation_alias=_env(ENV.HUGGINGFACE_API_KEY))
    huggingface_api_key_secret_arn: str | None = Field(
        None, validation_alias=_env(ENV.HUGGINGFACE_API_KEY_SECRET_ARN)
    )
    gemini_api_key: str | None = Field(None, validation_alias=_env(ENV.GEMINI_API_KEY))
    gemini_api_key_secret_arn: str | None = Field(None, validation_alias=_env(ENV.GEMINI_API_KEY_SECRET_ARN))
    anthropic_api_key: str | None = Field(None, validation_alias=_env(ENV.ANTHROPIC_API_KEY))
    anthropic_api_key_secret_arn: str | None = Field(
        None, validation_alias=_env(ENV.ANTHROPIC_API_KEY_SECRET_ARN)
    )
    synced_token_secret_arn: str | None = Field(None, validation_alias=_env(ENV.SYNCED_TOKEN_SECRET_ARN))
    # Which provider the synced token is a key for (used when that provider has no key of its own).
    synced_token_provider: Literal["claude", "gemini", "huggingface"] | None = Field(
        None, validation_alias=_env(ENV.SYNCED_TOKEN_PROVIDER)
    )
    secret_cache_ttl_seconds: int = Field(3600, ge=1)
    # The synced token is re-read at most this long after `launchpad token-sync push` (a DescribeSecret per
    # interval and task; a new version only then costs a GetSecretValue), so a pushed token reaches running
    # tasks within this bound without a restart. A 401 re-reads it at once anyway.
    synced_token_refresh_seconds: int = Field(300, ge=1, le=3600)

    database_url: str | None = Field(None, validation_alias=_env(ENV.DATABASE_URL))
    database_host: str | None = Field(None, validation_alias=_env(ENV.DATABASE_HOST))
    database_port: int = Field(5432, validation_alias=_env(ENV.DATABASE_PORT))
    database_name: str = Field("launchpad", validation_alias=_env(ENV.DATABASE_NAME))
    database_user: str | None = Field(None, validation_alias=_env(ENV.DATABASE_USER))
    database_password: str | None = Field(None, validation_alias=_env(ENV.DATABASE_PASSWORD))
    database_sslmode: str | None = Field(None, validation_alias=_env(ENV.DATABASE_SSLMODE))
    database_secret_arn: str | None = Field(None, validation_alias=_env(ENV.DATABASE_SECRET_ARN))
    database_readonly_secret_arn: str | None = Field(
        None, validation_alias=_env(ENV.DATABASE_READONLY_SECRET_ARN)
    )
    database_readonly_password: str | None = Field(
        None, validation_alias=_env(ENV.DATABASE_READONLY_PASSWORD)
    )
    database_sslrootcert: str | None = None
    database_ca_cert: str | None = Field(None, validation_alias=_env(ENV.DATABASE_CA_CERT))
    migrate_wait_seconds: Seconds = 120  # how long `app.migrate` waits for the database to accept
    sqlite_path: str = "/tmp/launchpad.db"  # noqa: S108 - the only writable place on a read-only root FS

    redis_url: str | None = Field(None, validation_alias=_env(ENV.REDIS_URL))
    redis_host: str | None = Field(None, validation_alias=_env(ENV.REDIS_HOST))
    redis_port: int = Field(6379, validation_alias=_env(ENV.REDIS_PORT))
    redis_tls: bool = Field(False, validation_alias=_env(ENV.REDIS_TLS))
    redis_auth_token: str | None = Field(None, validation_alias=_env(ENV.REDIS_AUTH_TOKEN))
    redis_ca_cert: str | None = Field(None, validation_alias=_env(ENV.REDIS_CA_CERT))
    redis_timeout_seconds: Seconds = 0.25

    uploads_bucket: str | None = Field(None, validation_alias=_env(ENV.UPLOADS_BUCKET))
    uploads_gcs_bucket: str | None = Field(None, validation_alias=_env(ENV.UPLOADS_GCS_BUCKET))
    local_uploads_dir: str = "/tmp/launchpad-uploads"  # noqa: S108 - see sqlite_path
    max_upload_bytes: int = Field(10 * 1024 * 1024, gt=0)
    max_body_bytes: int = Field(64 * 1024, gt=0)

    api_keys: str | None = Field(None, validation_alias=_env(ENV.API_KEYS))
    api_keys_secret_arn: str | None = Field(None, validation_alias=_env(ENV.API_KEYS_SECRET_ARN))
    cors_origins: str = Field("", validation_alias=_env(ENV.CORS_ORIGINS))
    allowed_hosts: str = Field("*", validation_alias=_env(ENV.ALLOWED_HOSTS))
    rate_limit_per_key: str = "600/minute"
    rate_limit_per_ip: str = "10/second"
    # Proxies in front of the app that append to X-Forwarded-For (the stacks set it: CloudFront -> ALB 2).
    trusted_proxy_hops: int = Field(1, ge=0, le=10, validation_alias=_env(ENV.TRUSTED_PROXY_HOPS))
    # The time budget of every request: dependency waits are capped by what is left of it, and a decision
    # whose providers have not answered by then is answered by the rules. Under seed 001's 2 s alarm.
    request_budget_seconds: float = Field(1.5, gt=0, le=30)
    database_timeout_seconds: Seconds = 1.0
    secrets_timeout_seconds: Seconds = 1.0
    # Circuit breakers (every dependency): open after this many outages in a row, probe after the cool-down.
    breaker_fail_max: int = Field(5, ge=1, le=1000)
    breaker_reset_seconds: float = Field(10.0, gt=0, le=3600)
    # API keys found in (or missing from) the database are remembered this long, this many of each; a key
    # the database confirmed stays accepted for api_key_stale_seconds while the database is unreachable.
    api_key_cache_seconds: float = Field(30.0, gt=0, le=3600)
    api_key_cache_size: int = Field(10_000, ge=1)
    api_key_stale_seconds: float = Field(3600.0, gt=0, le=86400)
    max_header_bytes: int = Field(64 * 1024, ge=1024, le=1024 * 1024)
    aws_emf_environment: str = Field("Local", validation_alias=_env(ENV.AWS_EMF_ENVIRONMENT))
    metrics_enabled: bool = True
    metrics_flush_seconds: float = Field(1.0, ge=0, le=60)

    cache_ttl_seconds: int = Field(3600, ge=1)
    # The in-process layer in front of Redis (app/core/cache.py NearCache); 0 turns it off.
    near_cache_seconds: int = Field(30, ge=0, le=3600)
    near_cache_entries: int = Field(2000, ge=1, le=1_000_000)
    job_timeout_seconds: int = Field(600, ge=1)
    job_result_ttl_seconds: int = Field(24 * 3600, ge=1)
    queue_name: str = "analysis"
    # A job whose worker died is rerun this many times (then failed, with the reason, for the client).
    job_max_reruns: int = Field(2, ge=0, le=10)
    # RQ worker: heartbeat every interval; a job whose heartbeat is older than interval + grace lost its
    # worker, which the maintenance pass (this often) notices and reruns.
    worker_heartbeat_seconds: int = Field(30, ge=1, le=600)
    worker_heartbeat_grace_seconds: int = Field(60, ge=1, le=600)
    worker_maintenance_seconds: int = Field(60, ge=1, le=3600)
    queue_depth_interval_seconds: float = Field(30.0, ge=0, le=300)
    audit_retention_days: int = Field(90, ge=1)
    # Audit rows wait at most this long (or until a batch is full) for their one insert, off the request path.
    audit_flush_seconds: float = Field(0.5, gt=0, le=60)
    upload_retention_days: int = Field(30, ge=1)

    @model_validator(mode="after")
    def _one_uploads_store(self) -> Settings:
        if self.uploads_bucket and self.uploads_gcs_bucket:
            raise ValueError(
                f"set {ENV.UPLOADS_BUCKET} (S3) or {ENV.UPLOADS_GCS_BUCKET} (Cloud Storage), not both"
            )
        return self

    @model_validator(mode="after")
    def _one_readonly_login(self) -> Settings:
        # The migration would grant one password and the read-only engine log in with the other: the
        # engine's connect hook reads the secret over the given password, `app.migrate` the reverse.
        if self.database_readonly_password and self.database_readonly_secret_arn:
            raise ValueError(
                f"set {ENV.DATABASE_READONLY_SECRET_ARN} (AWS) or {ENV.DATABASE_READONLY_PASSWORD} "
                "(Google Cloud), not both"
            )
        return self

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.deployment_env != "production":
            return self
        problems = []
        if "*" in self.cors_origin_list:
            problems.append(f"{ENV.CORS_ORIGINS} must not contain '*'")
        if not (self.api_keys or self.api_keys_secret_arn):
            problems.append(f"set {ENV.API_KEYS} or {ENV.API_KEYS_SECRET_ARN}")
        if self.debug:
            problems.append("debug must be off")

        unknown = set(self.provider_chain) - KNOWN_PROVIDERS
        if unknown:
            problems.append(f"unknown providers in {ENV.AI_PROVIDERS}: {sorted(unknown)}")
        if problems:
            raise ValueError("insecure production settings: " + "; ".join(problems))
        return self

    @property
    def cors_origin_list(self) -> list[str]:
        return _csv(self.cors_origins)

    @property
    def allowed_host_list(self) -> list[str]:
        return _csv(self.allowed_hosts) or ["*"]

    @property
    def provider_chain(self) -> tuple[str, ...]:
        """The providers to try in order; always ends in rules, so a decision is always returned."""
        if self.ai_disabled:
            return ("rules",)
        chosen = tuple(_csv(self.ai_providers.lower())) or DEFAULT_CHAINS[self.deployment_env]
        chosen = tuple(name for name in chosen if name != "rules")
        return (*chosen, "rules")

    @property
    def sqlalchemy_url(self) -> str | URL:
        if self.database_url:
            url = self.database_url
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url.removeprefix(prefix)
            return url
        if self.database_host:
            query = {"sslmode": self.database_sslmode} if self.database_sslmode else {}
            if self.database_sslrootcert:
                query["sslrootcert"] = self.database_sslrootcert
            return URL.create(
                "postgresql+psycopg",
                username=self.database_user,
                password=self.database_password,
                host=self.database_host,
                port=self.database_port,
                database=self.database_name,
                query=query,
            )
        return f"sqlite:///{self.sqlite_path}"

    @property
    def redis_dsn(self) -> str | None:
        """None means the embedded profile: in-process cache, limiter and jobs."""
        if self.redis_url:
            return self.redis_url
        if not self.redis_host:
            return None
        scheme = "rediss" if self.redis_tls else "redis"
        auth = f":{quote(self.redis_auth_token, safe='')}@" if self.redis_auth_token else ""
        return f"{scheme}://{auth}{self.redis_host}:{self.redis_port}/0"


@lru_cache
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]  # mypy cannot see pydantic's aliased defaults

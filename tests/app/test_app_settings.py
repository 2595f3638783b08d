"""Settings: production refuses insecure values; provider chains; database and Redis URLs."""

from __future__ import annotations

import psycopg
import pytest
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from app.core.config import DEFAULT_CHAINS, Settings
from app.core.db import make_engine
from app.core.redis import make_async_redis

SAFE_PRODUCTION = {
    "deployment_env": "production",
    "api_keys": "k-123",
    "cors_origins": "https://app.example.com",
}


def test_safe_production_settings_load() -> None:
    assert Settings(**SAFE_PRODUCTION).deployment_env == "production"


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"cors_origins": "https://app.example.com,*"}, "CORS_ORIGINS"),
        ({"api_keys": None}, "API_KEYS"),
        ({"debug": True}, "debug"),
        ({"ai_providers": "claude,openai"}, "unknown providers"),
    ],
)
def test_production_refuses_insecure_values(change, complaint) -> None:
    with pytest.raises(ValidationError, match=complaint):
        Settings(**{**SAFE_PRODUCTION, **change})


def test_a_secret_is_an_api_key_source_in_production() -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:keys"
    assert Settings(**{**SAFE_PRODUCTION, "api_keys": None, "api_keys_secret_arn": arn}).api_keys_secret_arn


def test_development_tolerates_what_production_refuses() -> None:
    assert Settings(deployment_env="development", cors_origins="*", debug=True).debug


@pytest.mark.parametrize("environment", ["local", "development", "production"])
def test_default_chain_per_environment_always_ends_in_rules(environment) -> None:
    chain = Settings(**{**SAFE_PRODUCTION, "deployment_env": environment}).provider_chain
    assert chain == DEFAULT_CHAINS[environment]
    assert chain[-1] == "rules"
    assert ("claude" in chain) == (environment != "production")


def test_ai_providers_override_and_kill_switch() -> None:
    assert Settings(ai_providers="Gemini, rules, claude").provider_chain == ("gemini", "claude", "rules")
    assert Settings(ai_providers="gemini", ai_disabled=True).provider_chain == ("rules",)


def test_database_parts_build_a_psycopg_url_with_verify_full() -> None:
    settings = Settings(
        database_host="db.internal",
        database_user="app",
        database_password="p@ss/word:1",
        database_name="launchpad",
        database_sslmode="verify-full",
    )
    url = make_url(settings.sqlalchemy_url)
    assert (url.drivername, url.host, url.username, url.password) == (
        "postgresql+psycopg",
        "db.internal",
        "app",
        "p@ss/word:1",
    )
    assert url.query["sslmode"] == "verify-full"


def test_verify_full_really_reaches_libpq(postgres) -> None:
    """The test server has no TLS: with verify-full libpq must refuse instead of falling back to plaintext."""
    settings = Settings(
        database_host="127.0.0.1",
        database_port=postgres.port,
        database_user="postgres",
        database_sslmode="verify-full",
    )
    engine = make_engine(settings)
    with pytest.raises(Exception, match=r"(?i)ssl") as caught:
        engine.connect()
    assert isinstance(caught.value.__cause__, psycopg.OperationalError)
    engine.dispose()


def test_database_url_from_rds_style_scheme_uses_psycopg() -> None:
    assert str(Settings(database_url="postgres://u:p@h:5432/d").sqlalchemy_url).startswith(
        "postgresql+psycopg://"
    )


def test_no_database_configured_means_sqlite_under_tmp() -> None:
    assert str(Settings().sqlalchemy_url).startswith("sqlite:////tmp/")


def test_redis_tls_uses_rediss_with_certificate_verification() -> None:
    settings = Settings(redis_host="cache.internal", redis_tls=True, redis_auth_token="t/ok+en")
    assert settings.redis_dsn == "rediss://:t%2Fok%2Ben@cache.internal:6379/0"
    client = make_async_redis(settings)
    assert client is not None
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["password"] == "t/ok+en"
    assert kwargs.get("ssl_cert_reqs", "required") == "required"
    assert client.connection_pool.connection_class.__name__ == "SSLConnection"


def test_no_redis_configured_means_embedded() -> None:
    assert Settings().redis_dsn is None

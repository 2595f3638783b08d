"""The app's secrets are one table (app/contract.py APP_SECRETS): a row added there reaches both clouds'
secret stores, the workloads' environment, the stack config's keys and `launchpad verify`, with nothing
else to edit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app import contract
from launchpad.outputs import StackOutputs
from launchpad.verify.gcp import gcp_secret_checks
from launchpad.verify.storage import secret_checks
from stack_config import ConfigError, secret_keys
from tests.infra.conftest import plan_with_gcp
from tests.infra.ecs_plan import app_container
from tests.infra.gcp_plan import SECRET, SERVICE, env_of
from tests.infra.plan_query import Plan, settings_of

SHIPPED = contract.APP_SECRETS
NEW = contract.AppSecret(
    "mistral-api-key", "MISTRAL_API_KEY", "Mistral API key", "mistralApiKey", "mistral", ("aws", "gcp")
)
AWS_SECRET = "aws:secretsmanager/secret:Secret"
AWS_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"


@pytest.fixture(scope="module")
def one_more_row() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contract, "APP_SECRETS", (*SHIPPED, NEW))
        yield


@pytest.fixture(scope="module")
def planned(one_more_row: None) -> Plan:
    """dev on both clouds, the new secret's value given with `pulumi config set --secret`."""
    return plan_with_gcp("dev", {}, secrets={"mistralApiKey": "a-mistral-key"})


def test_a_new_row_is_a_secret_on_aws_read_by_every_workload(planned: Plan) -> None:
    secret = planned.one(AWS_SECRET, NEW.name)
    assert secret.inputs["name"] == f"launchpad/dev/{NEW.name}"
    assert secret.inputs["description"] == NEW.description
    assert planned.one(AWS_VERSION, NEW.name).inputs["secretString"] == "a-mistral-key"
    arn_variable = contract.secret_arn_env(NEW.env)
    for workload in ("web", "worker", "nightly"):
        env = {e["name"]: e["value"] for e in app_container(planned, workload)["environment"]}
        assert env[arn_variable] == secret.outputs["arn"], workload
    assert NEW.name in planned.outputs["secret_arns"]


def test_a_new_row_is_a_secret_on_gcp_mounted_in_cloud_run(planned: Plan) -> None:
    secret = planned.one(SECRET, NEW.name)
    mounted = env_of(planned.one(SERVICE))[NEW.env]
    assert mounted["valueSource"]["secretKeyRef"]["secret"] == secret.outputs["secretId"]
    assert NEW.name in planned.outputs["gcp_secret_ids"]


def test_a_new_row_is_a_key_the_config_loader_knows(one_more_row: None) -> None:
    assert NEW.config_key in secret_keys()
    settings_of("dev", gcpPopulatedSecrets=[NEW.name])  # a secret the gcp target keeps
    with pytest.raises(ConfigError, match="mistralApiKey"):
        settings_of("dev", mistralApiKy="typo")  # the loader suggests the key it knows


def test_without_the_row_the_loader_refuses_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contract, "APP_SECRETS", SHIPPED)
    with pytest.raises(ConfigError, match="gcpPopulatedSecrets"):
        settings_of("dev", gcpPopulatedSecrets=[NEW.name])


class _EmptySecretsManager:
    def describe_secret(self, SecretId: str) -> dict[str, Any]:
        return {"VersionIdsToStages": {}}


class _EmptySecretManager:
    def list_secret_versions(self, request: dict[str, Any]) -> list[Any]:
        return []


def test_launchpad_verify_checks_a_new_row_in_both_stores(planned: Plan) -> None:
    values = {
        **planned.outputs,
        "secret_arns": {k: str(v) for k, v in planned.outputs["secret_arns"].items()},
    }
    outputs = StackOutputs("dev", values, "the plan")
    checks = {c.name: c for c in secret_checks(outputs, _EmptySecretsManager(), None)}
    aws_check = checks[f"secret {NEW.name} has a value"]
    assert aws_check.status == "warn"  # an AI provider's key: the chain skips a provider without one
    gcp_checks = {c.name: c for c in gcp_secret_checks(outputs, _EmptySecretManager())}
    assert gcp_checks[f"Secret Manager {NEW.name} has a value"].status == "warn"

"""Task definitions: valid for ECS's API, hardened, secrets only by reference, the image pinned."""

from __future__ import annotations

import copy
import re

import botocore.session
import pytest
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

from app import contract
from offline.stack_files import placeholder
from stack_config import secret_keys
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import (
    ROLES,
    app_container,
    containers,
    register_request,
    secret_arn,
    task_definition,
)
from tests.infra.plan_query import Plan

REGISTER = botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition")


@pytest.mark.parametrize("role", ROLES)
def test_task_definitions_validate_against_the_ecs_api_model(stack_plan: Plan, role: str) -> None:
    validate_parameters(register_request(task_definition(stack_plan, role)), REGISTER.input_shape)


@pytest.mark.parametrize(
    "overrides", [{"ecsExec": True}, {"cpuArchitecture": "x86_64", "webCpu": 4096, "webMemory": 30720}]
)
def test_variant_task_definitions_validate_too(overrides: dict) -> None:
    plan = plan_with("dev", overrides)
    for role in ROLES:
        validate_parameters(register_request(task_definition(plan, role)), REGISTER.input_shape)


def test_the_api_model_check_catches_a_malformed_definition(dev: Plan) -> None:
    request = copy.deepcopy(register_request(task_definition(dev, "web")))
    request["containerDefinitions"][0]["stopTimeout"] = "30"  # a string where ECS wants an integer
    request["containerDefinitions"][0]["portMapping"] = []  # misspelt key
    with pytest.raises(ParamValidationError):
        validate_parameters(request, REGISTER.input_shape)


@pytest.mark.parametrize("role", ROLES)
def test_containers_are_hardened(stack_plan: Plan, role: str) -> None:
    for c in containers(stack_plan, role):
        assert c["readonlyRootFilesystem"] is True
        assert c.get("privileged") is not True
        assert c["user"].split(":")[0] not in ("", "0", "root")
        # Exactly the contract's writable paths, each a task volume (ECS Exec's are off in these stacks).
        writable = {m["containerPath"] for m in c["mountPoints"] if m["readOnly"] is False}
        assert writable == set(contract.WRITABLE_PATHS)
        assert c["linuxParameters"]["capabilities"]["drop"] == ["ALL"]
    task = task_definition(stack_plan, role).inputs
    assert task["networkMode"] == "awsvpc" and task["requiresCompatibilities"] == ["FARGATE"]
    assert task["executionRoleArn"] != task["taskRoleArn"]


@pytest.mark.parametrize("role", ROLES)
def test_every_container_runs_the_digest_pinned_image(stack_plan: Plan, role: str) -> None:
    ref = stack_plan.outputs["image_ref"]
    repository = stack_plan.one("aws:ecr/repository:Repository").outputs["repositoryUrl"]
    assert re.fullmatch(rf"{re.escape(repository)}@sha256:[0-9a-f]{{64}}", ref)
    assert {c["image"] for c in containers(stack_plan, role)} == {ref}


@pytest.mark.parametrize("role", ROLES)
def test_logs_go_to_an_encrypted_group_with_the_configured_retention(stack_plan: Plan, role: str) -> None:
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    for c in containers(stack_plan, role):
        options = c["logConfiguration"]["options"]
        assert c["logConfiguration"]["logDriver"] == "awslogs"
        groups = stack_plan.of_type("aws:cloudwatch/logGroup:LogGroup")
        group = next(g for g in groups if g.id == options["awslogs-group"])
        assert group.inputs["kmsKeyId"] == key_arn
        assert group.inputs["retentionInDays"] > 0


def test_cpu_architecture_follows_config(dev: Plan) -> None:
    x86 = plan_with("dev", {"cpuArchitecture": "x86_64"})
    for plan, expected in ((dev, "ARM64"), (x86, "X86_64")):
        for role in ROLES:
            platform = task_definition(plan, role).inputs["runtimePlatform"]
            assert platform == {"cpuArchitecture": expected, "operatingSystemFamily": "LINUX"}


def test_web_runs_migrations_to_success_before_serving(stack_plan: Plan) -> None:
    by_name = {c["name"]: c for c in containers(stack_plan, "web")}
    migrate = next(c for c in by_name.values() if c.get("command") == contract.MIGRATE_COMMAND)
    assert migrate["essential"] is False
    web = app_container(stack_plan, "web")
    assert {"containerName": migrate["name"], "condition": "SUCCESS"} in web["dependsOn"]
    assert all(c.get("command") != contract.MIGRATE_COMMAND for c in containers(stack_plan, "worker"))


def test_roles_run_the_apps_commands(stack_plan: Plan) -> None:
    assert "command" not in app_container(stack_plan, "web")  # the image's CMD serves HTTP
    assert app_container(stack_plan, "worker")["command"] == contract.WORKER_COMMAND
    assert app_container(stack_plan, "nightly")["command"] == contract.NIGHTLY_COMMAND


def test_web_health_check_runs_the_images_own_probe(stack_plan: Plan) -> None:
    # The probe itself (GET LIVE_PATH, no curl) is exercised against a running server in the app tests.
    check = app_container(stack_plan, "web")["healthCheck"]["command"]
    assert check == ["CMD", *contract.PROBE_COMMAND]
    ports = app_container(stack_plan, "web")["portMappings"]
    assert [p["containerPort"] for p in ports] == [contract.CONTAINER_PORT]


def test_stop_timeouts_fit_the_app_and_fargate(stack_plan: Plan) -> None:
    web = app_container(stack_plan, "web")["stopTimeout"]
    assert contract.SHUTDOWN_GRACE_SECONDS < web <= 120
    assert app_container(stack_plan, "worker")["stopTimeout"] == 120


# --- secrets -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_secret_values() -> Plan:
    """dev with every optional secret set in config, so a leak into a container would show."""
    return plan_with("dev", {}, secrets={key: placeholder(f"launchpad:{key}") for key in secret_keys()})


@pytest.mark.parametrize("role", ROLES)
def test_no_environment_entry_carries_a_secret(with_secret_values: Plan, role: str) -> None:
    generated = [
        p.outputs["result"] for p in with_secret_values.of_type("random:index/randomPassword:RandomPassword")
    ]
    assert len(generated) == 2  # the cache token and the read-only role's password
    for c in containers(with_secret_values, role):
        for entry in c["environment"]:
            assert entry["name"] not in contract.SECRET_ENV_VARS, entry["name"]
            assert "OFFLINE-SECRET-PLACEHOLDER" not in entry["value"], entry["name"]
            assert not any(password in entry["value"] for password in generated), entry["name"]


@pytest.mark.parametrize("role", ROLES)
def test_secrets_are_references_to_secrets_created_in_the_stack(stack_plan: Plan, role: str) -> None:
    created = {s.outputs["arn"] for s in stack_plan.of_type("aws:secretsmanager/secret:Secret")}
    databases = stack_plan.of_type("aws:rds/instance:Instance")
    created |= {db.outputs["masterUserSecrets"][0]["secretArn"] for db in databases}
    for c in containers(stack_plan, role):
        injected = {s["name"]: s["valueFrom"] for s in c["secrets"]}
        assert set(injected) == {contract.ENV.REDIS_AUTH_TOKEN}
        assert {secret_arn(v) for v in injected.values()} <= created
        # The database login rotates, so it is read at connect time rather than injected at start.
        env = {e["name"] for e in c["environment"]}
        assert contract.ENV.DATABASE_PASSWORD not in env and contract.ENV.DATABASE_USER not in env


@pytest.mark.parametrize("role", ROLES)
def test_runtime_secret_arns_name_the_stacks_secrets(stack_plan: Plan, role: str) -> None:
    env = {e["name"]: e["value"] for e in app_container(stack_plan, role)["environment"]}
    arns = stack_plan.outputs["secret_arns"]
    expected = {
        contract.ENV.HUGGINGFACE_API_KEY_SECRET_ARN: arns["huggingface-api-key"],
        contract.ENV.GEMINI_API_KEY_SECRET_ARN: arns["gemini-api-key"],
        contract.ENV.ANTHROPIC_API_KEY_SECRET_ARN: arns["anthropic-api-key"],
        contract.ENV.SYNCED_TOKEN_SECRET_ARN: arns["synced-token"],
        contract.ENV.API_KEYS_SECRET_ARN: arns["api-keys"],
        contract.ENV.DATABASE_SECRET_ARN: stack_plan.outputs["db_master_secret_arn"],
    }
    assert {k: env.get(k) for k in expected} == expected
    assert env[contract.ENV.DEPLOYMENT_ENV] in contract.DEPLOYMENT_ENVIRONMENTS
    assert env[contract.ENV.AWS_EMF_ENVIRONMENT] == "Local"


def test_each_role_is_health_checked_by_the_probe_it_can_answer(stack_plan: Plan) -> None:
    def check(role: str) -> list[str] | None:
        health = app_container(stack_plan, role).get("healthCheck")
        return health["command"] if health else None

    assert check("web") == ["CMD", *contract.PROBE_COMMAND]
    assert check("worker") == ["CMD", *contract.WORKER_PROBE_COMMAND]
    assert check("nightly") is None

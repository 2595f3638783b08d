"""The Cloud Run service: settings per stack file, probes, ports, env, digest, outputs; and the embedded
profile's service, alone (test_gcp_data_tier.py covers the managed tier's workloads)."""

from __future__ import annotations

import pytest
from pulumi_gcp import cloudrunv2 as run

from app.contract import CONTAINER_PORT, ENV, HEALTH_PATH, LIVE_PATH, SECRET_ENV_VARS
from tests.infra.conftest import plan_with_gcp
from tests.infra.gcp_plan import (
    API,
    BUILD,
    JOB,
    POOL,
    SCHEDULER,
    SERVICE,
    container,
    env_of,
    runtime_account,
)
from tests.infra.plan_query import Plan, settings_of

INGRESS_VALUES = {
    "all": "INGRESS_TRAFFIC_ALL",
    "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_service_settings_follow_the_stack_file(stack: str, request: pytest.FixtureRequest) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    s = settings_of(stack)
    service = plan.one(SERVICE).inputs
    template = service["template"]
    assert template["scaling"] == {
        "minInstanceCount": s.cloud_run_min_instances,
        "maxInstanceCount": s.cloud_run_max_instances,
    }
    assert template["maxInstanceRequestConcurrency"] == s.cloud_run_concurrency
    assert template["timeout"] == f"{s.cloud_run_request_timeout_seconds}s"
    resources = container(plan.one(SERVICE))["resources"]
    assert resources["limits"] == {"cpu": str(s.cloud_run_cpu), "memory": s.cloud_run_memory}
    assert resources["cpuIdle"] is not s.cloud_run_cpu_always_allocated
    assert service["ingress"] == INGRESS_VALUES[s.cloud_run_ingress]
    assert service["deletionProtection"] is s.cloud_run_deletion_protection
    assert env_of(plan.one(SERVICE))[ENV.DEPLOYMENT_ENV]["value"] == s.deployment_env


def test_dev_scales_to_zero_and_can_be_torn_down(dev_gcp: Plan) -> None:
    service = dev_gcp.one(SERVICE).inputs
    assert service["template"]["scaling"]["minInstanceCount"] == 0
    assert service["deletionProtection"] is False


def test_prod_stays_warm_and_is_protected(prod_gcp: Plan) -> None:
    service = prod_gcp.one(SERVICE).inputs
    assert service["template"]["scaling"]["minInstanceCount"] >= 1
    assert service["deletionProtection"] is True


def test_second_generation_environment(gcp_stack_plan: Plan) -> None:
    assert (
        gcp_stack_plan.one(SERVICE).inputs["template"]["executionEnvironment"] == "EXECUTION_ENVIRONMENT_GEN2"
    )


def test_probes_use_the_apps_own_health_routes(gcp_stack_plan: Plan) -> None:
    main = container(gcp_stack_plan.one(SERVICE))
    assert main["startupProbe"]["httpGet"]["path"] == HEALTH_PATH
    # Liveness must not depend on the database: an outage would otherwise restart every instance.
    assert main["livenessProbe"]["httpGet"]["path"] == LIVE_PATH
    for probe in (main["startupProbe"], main["livenessProbe"]):
        assert probe["httpGet"].get("port", CONTAINER_PORT) == CONTAINER_PORT


def test_container_port_is_one_object_not_a_list(gcp_stack_plan: Plan) -> None:
    ports = container(gcp_stack_plan.one(SERVICE))["ports"]
    assert isinstance(ports, dict), f"pulumi-gcp 8+ wants an object, got {type(ports).__name__}"
    assert ports["containerPort"] == CONTAINER_PORT


def test_typed_args_refuse_a_misspelt_nested_key() -> None:
    # The reason nested inputs are built with Args classes: a raw dict would carry this typo to `pulumi up`.
    with pytest.raises(TypeError):
        run.ServiceTemplateContainerPortsArgs(containerPort=CONTAINER_PORT)  # type: ignore[call-arg]
    built = run.ServiceTemplateContainerPortsArgs(container_port=CONTAINER_PORT)
    assert built.container_port == CONTAINER_PORT


def test_secrets_reach_the_service_only_by_reference(gcp_stack_plan: Plan) -> None:
    env = env_of(gcp_stack_plan.one(SERVICE))
    assert ENV.PORT not in env, "Cloud Run injects PORT from the container port"
    for name, entry in env.items():
        if name in SECRET_ENV_VARS:
            assert "value" not in entry and entry["valueSource"]["secretKeyRef"]["secret"], name
        else:
            assert "valueSource" not in entry, name


@pytest.fixture(scope="module")
def embedded() -> Plan:
    return plan_with_gcp("dev", {"gcpDataTier": "embedded"})


def test_the_embedded_profile_is_one_service_with_sticky_clients_and_a_warning(embedded: Plan) -> None:
    # Per-instance state (SQLite, in-process jobs) wants a client kept on one instance.
    service = embedded.one(SERVICE)
    assert service.inputs["template"]["sessionAffinity"] is True
    assert not [name for name in env_of(service) if name.startswith(("DATABASE_", "REDIS_", "UPLOADS_"))]
    # Each job execution would open an empty SQLite of its own: nothing to maintain.
    assert embedded.count(JOB) == embedded.count(SCHEDULER) == embedded.count(POOL) == 0
    assert "gcp_nightly_job" not in embedded.outputs and embedded.outputs["gcp_data_tier"] == "embedded"
    [warning] = embedded.outputs["gcp_warnings"]
    assert warning.startswith("DATA LOSS") and "gcpDataTier managed" in warning
    assert not [
        r for r in embedded.resources if r.type.startswith(("gcp:sql/", "gcp:redis/", "gcp:storage/"))
    ]


def test_resources_wait_for_the_apis_they_call(gcp_stack_plan: Plan) -> None:
    apis = {r.inputs["service"]: r.urn for r in gcp_stack_plan.of_type(API)}
    assert all(r.inputs["disableOnDestroy"] is False for r in gcp_stack_plan.of_type(API))
    assert apis["run.googleapis.com"] in gcp_stack_plan.one(SERVICE).dependencies
    repo = gcp_stack_plan.one("gcp:artifactregistry/repository:Repository")
    assert apis["artifactregistry.googleapis.com"] in repo.dependencies


def test_outputs_name_the_url_digest_and_identity(gcp_stack_plan: Plan) -> None:
    outputs = gcp_stack_plan.outputs
    assert outputs["gcp_service_url"] == gcp_stack_plan.one(SERVICE).outputs["uri"]
    assert outputs["gcp_image_digest"] == gcp_stack_plan.one(BUILD).outputs["digest"]
    assert outputs["gcp_image_digest"].startswith("sha256:")
    assert outputs["gcp_service_account"] == runtime_account(gcp_stack_plan).outputs["email"]

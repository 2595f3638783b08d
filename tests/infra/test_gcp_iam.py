"""Identities and who may do what: dedicated accounts, no basic roles, secrets and invocation scoped."""

from __future__ import annotations

import pytest

from offline.program import run_program
from offline.stack_files import load_stack_config
from stack_config import ConfigError
from tests.infra.conftest import plan_with_gcp
from tests.infra.gcp_plan import (
    ACCOUNT,
    BUCKET,
    BUCKET_BINDING,
    JOB,
    JOB_INVOKER,
    SECRET,
    SECRET_BINDING,
    SERVICE,
    SERVICE_INVOKER,
    runtime_account,
)
from tests.infra.plan_query import Plan, settings_of

BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}
PUBLIC = {"allUsers", "allAuthenticatedUsers"}


def iam_grants(plan: Plan) -> list[tuple[str, str, str]]:
    """(resource type, role, member) of every IAM grant in the plan, whatever it is bound on."""
    return [
        (r.type, r.inputs["role"], r.inputs["member"])
        for r in plan.resources
        if r.type.startswith("gcp:") and "role" in r.inputs and "member" in r.inputs
    ]


def test_service_runs_as_its_own_account_not_the_default_compute_one(gcp_stack_plan: Plan) -> None:
    email = gcp_stack_plan.one(SERVICE).inputs["template"]["serviceAccount"]
    assert email == runtime_account(gcp_stack_plan).outputs["email"]
    assert not email.endswith("-compute@developer.gserviceaccount.com")
    assert not email.endswith("@appspot.gserviceaccount.com")


def test_no_basic_roles_and_nothing_granted_at_project_level(gcp_stack_plan: Plan) -> None:
    grants = iam_grants(gcp_stack_plan)
    assert grants, "expected secret, invoker and job bindings"
    assert not [g for g in grants if g[1] in BASIC_ROLES]
    project_level = [r for r in gcp_stack_plan.resources if r.type.startswith("gcp:projects/iAM")]
    assert not project_level, "roles are bound on the one secret or job that needs them"


def test_runtime_account_holds_one_accessor_per_secret_and_the_uploads_objects(gcp_stack_plan: Plan) -> None:
    member = runtime_account(gcp_stack_plan).outputs["member"]
    held = [g for g in iam_grants(gcp_stack_plan) if g[2] == member]
    secrets = {s.outputs["secretId"] for s in gcp_stack_plan.of_type(SECRET)}
    bindings = gcp_stack_plan.of_type(SECRET_BINDING)
    assert {b.inputs["secretId"] for b in bindings} == secrets and len(bindings) == len(secrets)
    for binding in bindings:
        assert binding.inputs["role"] == "roles/secretmanager.secretAccessor"
        assert binding.inputs["member"] == member
    assert sorted(g[1] for g in held if g[1] != "roles/secretmanager.secretAccessor") == [
        "roles/storage.objectUser"
    ]
    (objects,) = gcp_stack_plan.of_type(BUCKET_BINDING)
    assert objects.inputs["bucket"] == gcp_stack_plan.one(BUCKET).outputs["name"]


def test_two_identities_the_runtime_and_the_nightly_trigger_which_may_run_that_job_alone(
    gcp_stack_plan: Plan,
) -> None:
    runtime, scheduler = runtime_account(gcp_stack_plan), gcp_stack_plan.one(ACCOUNT, "nightly-scheduler")
    assert {a.name for a in gcp_stack_plan.of_type(ACCOUNT)} == {runtime.name, scheduler.name}
    grants = [g for g in iam_grants(gcp_stack_plan) if g[2] == scheduler.outputs["member"]]
    assert grants == [(JOB_INVOKER, "roles/run.invoker", scheduler.outputs["member"])]
    (invoker,) = gcp_stack_plan.of_type(JOB_INVOKER)
    assert invoker.inputs["name"] == gcp_stack_plan.one(JOB, "nightly-job").outputs["name"]


def test_the_key_is_granted_to_the_storage_services_agents_alone(gcp_stack_plan: Plan) -> None:
    grants = {
        g[2] for g in iam_grants(gcp_stack_plan) if g[1] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    }
    assert {member.split("@")[1].split(".")[0] for member in grants} == {
        "gcp-sa-cloud-sql",
        "cloud-redis",
        "gs-project-accounts",
    }


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_invokers_are_the_configured_members_and_never_public(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    invokers = plan.of_type(SERVICE_INVOKER)
    assert not settings_of(stack).cloud_run_public
    assert not [i for i in invokers if i.inputs["member"] in PUBLIC]
    assert sorted(i.inputs["member"] for i in invokers) == sorted(settings_of(stack).cloud_run_invokers)
    service_name = plan.one(SERVICE).outputs["name"]
    assert all(i.inputs["name"] == service_name and i.inputs["role"] == "roles/run.invoker" for i in invokers)


def test_removing_an_invoker_leaves_the_others_bindings_untouched() -> None:
    first, second = "group:first@launchpad.example", "serviceAccount:caller@p.iam.gserviceaccount.com"
    both = plan_with_gcp("dev", {"cloudRunInvokers": [first, second]})
    one = plan_with_gcp("dev", {"cloudRunInvokers": [second]})
    # Same logical name and inputs for the binding that stays: the engine sees no change to it.
    kept = {r.name: r.inputs["member"] for r in both.of_type(SERVICE_INVOKER) if r.inputs["member"] == second}
    assert kept == {r.name: r.inputs["member"] for r in one.of_type(SERVICE_INVOKER)}


def test_public_true_grants_all_users_and_only_that() -> None:
    plan = plan_with_gcp("prod", {"cloudRunPublic": True, "cloudRunInvokers": []})
    (invoker,) = plan.of_type(SERVICE_INVOKER)
    assert invoker.inputs["member"] == "allUsers"


@pytest.mark.parametrize("member", ["allUsers", "allAuthenticatedUsers", "someone@example.com"])
def test_invokers_must_name_principals(member: str) -> None:
    config = load_stack_config("dev").with_overrides({"cloudRunInvokers": [member]})
    with pytest.raises(ConfigError, match="cloudRunInvokers"):
        run_program("dev", config)

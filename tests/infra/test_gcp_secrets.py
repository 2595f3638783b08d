"""Secret Manager: every reference resolves, values come only by reference, write-only when set here."""

from __future__ import annotations

from app.contract import ENV
from offline.stack_files import placeholder
from tests.infra.conftest import plan_with_gcp
from tests.infra.gcp_plan import (
    BUILD,
    REPOSITORY,
    SECRET,
    SECRET_BINDING,
    SECRET_VERSION,
    SERVICE,
    env_of,
)
from tests.infra.plan_query import Plan, settings_of


def secret_refs(plan: Plan) -> dict[str, str]:
    """env name -> referenced secret id of the service."""
    refs: dict[str, str] = {}
    for resource in (plan.one(SERVICE),):
        for name, entry in env_of(resource).items():
            if "valueSource" in entry:
                refs[name] = entry["valueSource"]["secretKeyRef"]["secret"]
    return refs


def test_every_secret_key_ref_resolves_to_a_secret_in_the_stack(gcp_stack_plan: Plan) -> None:
    created = {s.outputs["secretId"] for s in gcp_stack_plan.of_type(SECRET)}
    for name, secret_id in secret_refs(gcp_stack_plan).items():
        assert secret_id in created, f"{name} references {secret_id}, which this stack does not create"


def test_the_service_waits_for_its_secret_bindings(gcp_stack_plan: Plan) -> None:
    # A revision whose account cannot yet read its secrets never becomes ready.
    bindings = {b.urn for b in gcp_stack_plan.of_type(SECRET_BINDING)}
    assert bindings <= set(gcp_stack_plan.one(SERVICE).dependencies)


def test_only_secrets_with_a_value_are_mounted(dev_gcp: Plan, prod_gcp: Plan) -> None:
    # dev declares no app secret populated and sets none in config: only the data tier's logins, which
    # the stack writes itself (Cloud Run would refuse a secret with no version).
    assert set(secret_refs(dev_gcp)) == {ENV.DATABASE_PASSWORD, ENV.REDIS_AUTH_TOKEN}
    populated = settings_of("prod").gcp_populated_secrets
    assert "api-keys" in populated, "production refuses to start without API keys"
    by_id = {s.outputs["secretId"]: s for s in prod_gcp.of_type(SECRET)}
    mounted = {
        by_id[secret_id].inputs["secretId"].rsplit("-", 0)[0] for secret_id in secret_refs(prod_gcp).values()
    }
    assert ENV.API_KEYS in secret_refs(prod_gcp)
    assert len(mounted) == len(populated) + 2


def test_a_key_set_in_config_is_written_write_only_as_a_secret_and_mounted() -> None:
    value = placeholder("launchpad:geminiApiKey")
    plan = plan_with_gcp("dev", {}, secrets={"geminiApiKey": value})
    (version,) = [v for v in plan.of_type(SECRET_VERSION) if v.name.startswith("launchpad-dev-gcp-secrets-")]
    assert version.inputs["secretDataWo"] == value and "secretData" not in version.inputs
    assert "secretDataWo" in version.secret_paths
    gemini = plan.one(SECRET, "gemini")
    assert version.inputs["secret"] == gemini.id
    assert secret_refs(plan)[ENV.GEMINI_API_KEY] == gemini.outputs["secretId"]
    assert version.urn in plan.one(SERVICE).dependencies
    stores = (SECRET_VERSION, "aws:secretsmanager/secretVersion:SecretVersion")
    leaked = [r.name for r in plan.resources if r.type not in stores and value in repr(r.inputs)]
    assert not leaked


def test_registry_is_docker_with_cleanup_and_logs_in_with_the_access_token(gcp_stack_plan: Plan) -> None:
    repo = gcp_stack_plan.one(REPOSITORY).inputs
    assert repo["format"] == "DOCKER"
    keep = [p for p in repo["cleanupPolicies"] if p["action"] == "KEEP"]
    assert [p["mostRecentVersions"]["keepCount"] for p in keep] == [
        settings_of(gcp_stack_plan.run.stack).artifact_keep_count
    ]
    assert any(p["action"] == "DELETE" for p in repo["cleanupPolicies"])
    build = gcp_stack_plan.one(BUILD)
    host = gcp_stack_plan.one(REPOSITORY).outputs["registryUri"].split("/")[0]
    (login,) = [r for r in build.inputs["registries"] if r["address"] == host]
    assert login["username"] == "oauth2accesstoken"
    assert login["password"] == "offline-gcp-access-token"
    index = build.inputs["registries"].index(login)
    # The whole list is secret once one element is: either way the token is never plain.
    assert {"registries", f"registries[{index}].password"} & build.secret_paths

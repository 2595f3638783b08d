"""The local stack: Docker only, loopback only, and web starts after Postgres, Valkey and migrations."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from app import contract
from app.contract import ENV, MIGRATE_COMMAND, PROBE_COMMAND, WORKER_COMMAND, WORKER_PROBE_COMMAND
from offline.mocks import Recorded
from offline.program import run_program
from offline.stack_files import REPO_ROOT
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan

CONTAINER = "docker:index/container:Container"
NETWORK = "docker:index/network:Network"
REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage"


@pytest.fixture(scope="module")
def local() -> Plan:
    return Plan(run_program("local"))


def containers(plan: Plan) -> dict[str, Recorded]:
    return {r.name.rsplit("-", 1)[-1]: r for r in plan.of_type(CONTAINER)}


def env(resource: Recorded) -> dict[str, str]:
    return dict(entry.split("=", 1) for entry in resource.inputs["envs"])


def test_local_stack_needs_and_creates_nothing_in_any_cloud(local: Plan) -> None:
    keys = yaml.safe_load((REPO_ROOT / "Pulumi.local.yaml").read_text())["config"]
    assert not [k for k in keys if k.startswith(("aws:", "gcp:"))]
    clouds = [
        r for r in local.resources if r.type.split(":")[0] in ("aws", "gcp") or "providers:aws" in r.type
    ]
    assert not clouds
    assert set(containers(local)) == {"postgres", "redis", "migrate", "web", "worker"}


@pytest.mark.parametrize("postgres_port", [55432, 0])
def test_every_published_port_is_bound_to_loopback(postgres_port: int) -> None:
    plan = plan_with("local", {"localPostgresPort": postgres_port})
    published = [(c.name, p) for c in plan.of_type(CONTAINER) for p in c.inputs.get("ports") or []]
    assert published, "the web container must be reachable from this machine"
    assert all(port["ip"] == "127.0.0.1" for _, port in published), published
    assert any(name.endswith("-postgres") for name, _ in published) is bool(postgres_port)


def test_web_and_worker_start_after_postgres_redis_and_migrations(local: Plan) -> None:
    c = containers(local)
    for role in ("web", "worker"):
        needed = {c["postgres"].urn, c["redis"].urn, c["migrate"].urn}
        assert needed <= set(c[role].dependencies), f"{role} may start before its dependencies"
    assert c["postgres"].urn in c["migrate"].dependencies


def test_each_container_is_checked_by_the_probe_it_can_answer(local: Plan) -> None:
    c = containers(local)
    for role in ("postgres", "redis", "web", "worker"):
        assert c[role].inputs["wait"] is True and c[role].inputs["healthcheck"]["tests"], role
    assert c["web"].inputs["healthcheck"]["tests"] == ["CMD", *PROBE_COMMAND]
    # The worker serves no HTTP: the image's web HEALTHCHECK would call it unhealthy forever.
    assert c["worker"].inputs["healthcheck"]["tests"] == ["CMD", *WORKER_PROBE_COMMAND]
    assert c["migrate"].inputs["healthcheck"]["tests"] == ["NONE"] and not c["migrate"].inputs.get("wait")


def test_postgres_counts_as_ready_only_on_tcp(local: Plan) -> None:
    # While a fresh volume initialises, the entrypoint's server listens on the Unix socket only.
    check = containers(local)["postgres"].inputs["healthcheck"]["tests"]
    assert check[:2] == ["CMD", "pg_isready"] and check[check.index("-h") + 1] == "127.0.0.1"


def test_migrations_run_to_completion_on_every_up(local: Plan) -> None:
    migrate = containers(local)["migrate"]
    assert migrate.inputs["command"] == MIGRATE_COMMAND
    assert migrate.inputs["mustRun"] is False and migrate.inputs["attach"] is True
    assert containers(local)["worker"].inputs["command"] == WORKER_COMMAND
    assert local.outputs["local_migrate_exit_code"] == 0
    # A new trigger each run replaces the one-shot container, so a failed migration is retried by the next
    # `pulumi up` instead of staying in state with its exit code.
    again = containers(Plan(run_program("local")))["migrate"]
    assert migrate.replacement_trigger and migrate.replacement_trigger != again.replacement_trigger


def test_replacing_the_migrate_container_on_every_up_leaves_web_and_worker_alone(local: Plan) -> None:
    # The engine replaces, before a delete-before-replace resource, every resource with an input computed
    # from it (pulumi/pulumi step_generator.go calculateDependentReplacements): web and worker must wait
    # for the migration without taking any input from it, or every `up` restarts them, and a failed
    # migration leaves none running.
    migrate = containers(local)["migrate"]
    assert migrate.delete_before_replace and migrate.replacement_trigger
    for resource in local.resources:
        if resource is migrate:
            continue
        fed = [key for key, urns in resource.property_dependencies.items() if migrate.urn in urns]
        assert not fed, f"{resource.name} reads {fed} from the migrate container"


# Runs the local program with the migrate container answering exit code 1 and prints what it registered.
# In a process of its own: a program that fails part-way leaves Pulumi's runtime in no state to reuse.
_FAILED_MIGRATION = """
import offline.mocks as mocks
import offline.program as program
real = mocks._ANSWERS["docker:index/container:Container"]
def failing(name, inputs):
    rid, outputs = real(name, inputs)
    return rid, {**outputs, "exitCode": 1} if name.endswith("-migrate") else outputs
mocks._ANSWERS["docker:index/container:Container"] = failing
seen = []
class Capturing(mocks.RecordingMocks):
    def __init__(self):
        super().__init__()
        seen.append(self)
program.RecordingMocks = Capturing
try:
    program.run_program("local")
except Exception as error:
    print("failed:", error)
print("registered:", " ".join(r.name for r in seen[0].resources))
"""


def test_a_failed_migration_stops_the_up_before_web_and_worker() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FAILED_MIGRATION],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "migrations exited with 1" in result.stdout, result.stdout + result.stderr
    registered = result.stdout.split("registered:", 1)[1].split()
    assert "launchpad-local-migrate" in registered
    assert not {"launchpad-local-web", "launchpad-local-worker"} & set(registered)


def test_an_app_image_a_new_build_replaces_is_removed_from_the_engine(local: Plan) -> None:
    # docker-build never removes what it loaded into the engine; a RemoteImage that does not keep the
    # image locally removes the old build when a new tag replaces it (and on destroy).
    build = local.one("docker-build:index:Image").inputs
    images = {r.inputs["name"]: r for r in local.of_type(REMOTE_IMAGE)}
    for tag in build["tags"]:
        assert tag in images and images[tag].inputs["keepLocally"] is False, tag
    app_image = images[build["tags"][0]].outputs["imageId"]
    for role in ("migrate", "web", "worker"):
        assert containers(local)[role].inputs["image"] == app_image, role


def test_editing_every_tag_keeps_the_database_volume(local: Plan) -> None:
    volume = local.one("docker:index/volume:Volume")
    relabelled = plan_with("local", {"owner": "another-team", "costCenter": "cc-elsewhere"})
    changed = relabelled.one("docker:index/volume:Volume")
    assert changed.inputs["labels"] != volume.inputs["labels"]  # the tags did reach the volume
    # Docker cannot relabel a volume, so labels would replace it (and delete_before_replace deletes first):
    # the engine must ignore them, and nothing else may differ.
    assert "labels" in changed.ignore_changes
    assert {k: v for k, v in changed.inputs.items() if k != "labels"} == {
        k: v for k, v in volume.inputs.items() if k != "labels"
    }


@pytest.mark.parametrize(("postgres_port", "internal_only"), [(0, True), (55432, False)])
def test_data_stores_stay_internal_unless_published(postgres_port: int, internal_only: bool) -> None:
    plan = plan_with("local", {"localPostgresPort": postgres_port})
    networks = {n.outputs["name"]: n for n in plan.of_type(NETWORK)}
    c = containers(plan)

    def internal(role: str) -> bool:
        attached = [networks[n["name"]] for n in c[role].inputs["networksAdvanced"]]
        return bool(attached) and all(n.inputs.get("internal") is True for n in attached)

    assert internal("redis") and internal("migrate")
    # Docker cannot publish a port from an internal-only network, so a published Postgres also joins `app`.
    assert internal("postgres") is internal_only


def test_app_is_wired_to_the_containers_by_name_with_the_generated_password(local: Plan) -> None:
    password = local.one("random:index/randomPassword:RandomPassword").outputs["result"]
    c = containers(local)
    attached = [n for r in ("postgres", "redis") for n in c[r].inputs["networksAdvanced"]]
    aliases = {a for n in attached for a in n.get("aliases", [])}
    for role in ("migrate", "web", "worker"):
        values = env(c[role])
        assert values[ENV.DATABASE_URL].startswith("postgresql://")
        assert f":{password}@postgres:" in values[ENV.DATABASE_URL]
        assert values[ENV.REDIS_URL].split("//")[1].split(":")[0] in aliases
        assert values[ENV.DEPLOYMENT_ENV] == "local"
        assert "envs" in c[role].secret_paths, f"{role} env carries the password in plain text"
    assert f"POSTGRES_PASSWORD={password}" in c["postgres"].inputs["envs"]
    assert local.outputs["local_postgres_url"].endswith(f":{password}@127.0.0.1:55432/launchpad")


def test_app_containers_run_the_locally_built_image_hardened(local: Plan) -> None:
    build = local.one("docker-build:index:Image").inputs
    assert build["load"] is True and not build.get("push")
    c = containers(local)
    built = {r.outputs["imageId"] for r in local.of_type(REMOTE_IMAGE) if r.inputs["name"] in build["tags"]}
    for role in ("migrate", "web", "worker"):
        inputs = c[role].inputs
        assert inputs["image"] in built
        assert inputs["readOnly"] is True and inputs["capabilities"]["drops"] == ["ALL"]
        # The contract's writable paths, owned by the app user as the image's VOLUMEs are on Fargate.
        assert set(inputs["tmpfs"]) == set(contract.WRITABLE_PATHS)
        assert all(f"uid={contract.APP_UID}," in options for options in inputs["tmpfs"].values())
    pulled = {r.inputs["name"] for r in local.of_type("docker:index/remoteImage:RemoteImage")}
    assert all(":" in name.rsplit("/", 1)[-1] and not name.endswith(":latest") for name in pulled)


def test_every_local_resource_is_a_named_child_of_a_component(local: Plan) -> None:
    components = {r.urn: r for r in local.resources if r.type.startswith("launchpad:")}
    for resource in local.resources:
        if resource.type.startswith(("pulumi:providers:", "launchpad:")):
            continue
        parent = components.get(resource.parent_urn)
        assert parent is not None and resource.name.startswith(f"{parent.name}-"), resource.name

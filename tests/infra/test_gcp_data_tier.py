"""The managed data tier on Google Cloud: private, TLS-only, authenticated, encrypted with the stack's key;
highly available and kept where the stack file says; and every workload wired to it on the app's contract."""

from __future__ import annotations

from typing import Any

import pytest

from app import contract
from app.contract import ENV
from app.core.config import Settings
from offline.policy_check import check, mandatory
from tests.infra.conftest import plan_with_gcp
from tests.infra.gcp_plan import (
    BUCKET,
    BUCKET_BINDING,
    JOB,
    POOL,
    REDIS,
    SCHEDULER,
    SERVICE,
    SQL,
    container,
    env_of,
    runtime_account,
    template_of,
)
from tests.infra.plan_query import Plan, settings_of

NETWORK, SUBNET = "gcp:compute/network:Network", "gcp:compute/subnetwork:Subnetwork"
PEERING = "gcp:servicenetworking/connection:Connection"
RANGE = "gcp:compute/globalAddress:GlobalAddress"
KEY = "gcp:kms/cryptoKey:CryptoKey"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"


def workloads(plan: Plan) -> dict[str, Any]:
    return {
        "web": plan.one(SERVICE),
        "worker": plan.one(POOL),
        "migrate": plan.one(JOB, "migrate"),
        "nightly": plan.one(JOB, "nightly"),
    }


def test_cloud_sql_is_private_tls_only_and_verified_against_its_own_ca(gcp_stack_plan: Plan) -> None:
    instance = gcp_stack_plan.one(SQL).inputs
    network = gcp_stack_plan.one(NETWORK)
    ip = instance["settings"]["ipConfiguration"]
    assert ip["ipv4Enabled"] is False and ip["privateNetwork"] == network.id
    assert ip["allocatedIpRange"] == gcp_stack_plan.one(RANGE).outputs["name"]
    assert ip["sslMode"] == "ENCRYPTED_ONLY"
    # A CA per instance: the app's verify-ca then accepts this instance alone.
    assert ip["serverCaMode"] == "GOOGLE_MANAGED_INTERNAL_CA"
    assert (
        gcp_stack_plan.one(SQL).dependencies
        and gcp_stack_plan.one(PEERING).urn in gcp_stack_plan.one(SQL).dependencies
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_cloud_sql_follows_the_database_keys_the_clouds_share(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    s, instance = settings_of(stack), plan.one(SQL).inputs
    settings = instance["settings"]
    assert settings["availabilityType"] == ("REGIONAL" if s.db_multi_az else "ZONAL")
    assert instance["deletionProtection"] is settings["deletionProtectionEnabled"] is s.db_deletion_protection
    backups = settings["backupConfiguration"]
    assert backups["enabled"] and backups["pointInTimeRecoveryEnabled"]
    assert backups["backupRetentionSettings"]["retainedBackups"] == s.db_backup_retention_days
    assert backups["transactionLogRetentionDays"] == min(7, s.db_backup_retention_days)
    assert (settings["diskSize"], settings["diskAutoresizeLimit"]) == (
        s.db_allocated_storage_gb,
        s.db_max_allocated_storage_gb,
    )
    assert instance["databaseVersion"] == f"POSTGRES_{s.db_engine_version.split('.')[0]}"
    # PostgreSQL 16+ defaults to Enterprise Plus, which refuses shared and custom tiers.
    assert (settings["tier"], settings["edition"]) == (s.cloud_sql_tier, "ENTERPRISE")
    assert "settings.diskSize" in plan.one(SQL).ignore_changes  # autoresize grows it; no shrink back


def test_prod_runs_highly_available_and_protected(prod_gcp: Plan) -> None:
    assert prod_gcp.one(SQL).inputs["settings"]["availabilityType"] == "REGIONAL"
    cache = prod_gcp.one(REDIS).inputs
    assert cache["tier"] == "STANDARD_HA" and cache["deletionProtection"] is True
    assert prod_gcp.one(POOL).inputs["scaling"]["manualInstanceCount"] >= 2


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_memorystore_needs_auth_and_tls_on_the_stacks_network(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    cache = plan.one(REDIS).inputs
    assert cache["authEnabled"] is True and cache["transitEncryptionMode"] == "SERVER_AUTHENTICATION"
    assert cache["connectMode"] == "PRIVATE_SERVICE_ACCESS"
    assert cache["authorizedNetwork"] == plan.one(NETWORK).id
    assert cache["reservedIpRange"] == plan.one(RANGE).outputs["name"]
    assert cache["tier"] == ("STANDARD_HA" if settings_of(stack).cache_node_count >= 2 else "BASIC")
    assert cache["persistenceConfig"]["persistenceMode"] == "RDB"
    assert len(cache["name"]) <= 40


def test_a_long_stack_name_still_fits_memorystores_40_characters() -> None:
    from offline.program import run_program
    from offline.stack_files import load_stack_config
    from tests.infra.conftest import GCP_PROJECT

    config = load_stack_config("staging-eu-central-1", config_from="prod").with_overrides(
        {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}
    )
    plan = Plan(run_program("staging-eu-central-1", config))
    assert len(plan.one(REDIS).inputs["name"]) <= 40
    assert len(plan.one(POOL).inputs["name"]) <= 49


def test_every_store_is_encrypted_with_the_stacks_key_whose_agents_hold_it(gcp_stack_plan: Plan) -> None:
    key = gcp_stack_plan.one(KEY)
    assert gcp_stack_plan.one(SQL).inputs["encryptionKeyName"] == key.id
    assert gcp_stack_plan.one(REDIS).inputs["customerManagedKey"] == key.id
    assert gcp_stack_plan.one(BUCKET).inputs["encryption"]["defaultKmsKeyName"] == key.id
    grants = {g.urn for g in gcp_stack_plan.of_type(GRANT)}
    assert all(g.inputs["cryptoKeyId"] == key.id for g in gcp_stack_plan.of_type(GRANT))
    for store in (SQL, REDIS, BUCKET):  # the agent must hold the key before the store is created
        assert grants <= set(gcp_stack_plan.one(store).dependencies), store
    assert int(key.inputs["rotationPeriod"].rstrip("s")) <= 90 * 86_400


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_uploads_bucket_is_private_versioned_and_expires_like_s3(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    s, bucket = settings_of(stack), plan.one(BUCKET).inputs
    assert bucket["uniformBucketLevelAccess"] is True and bucket["publicAccessPrevention"] == "enforced"
    assert bucket["versioning"] == {"enabled": True}
    assert bucket["forceDestroy"] is s.force_destroy_data
    conditions = [rule["condition"] for rule in bucket["lifecycleRules"]]
    assert {"age": s.uploads_expire_days, "withState": "LIVE"} in conditions
    assert {
        "daysSinceNoncurrentTime": s.noncurrent_version_expire_days,
        "withState": "ARCHIVED",
    } in conditions
    (binding,) = plan.of_type(BUCKET_BINDING)
    assert binding.inputs["member"] == runtime_account(plan).outputs["member"]


def test_every_workload_reaches_the_stores_through_direct_vpc_egress(gcp_stack_plan: Plan) -> None:
    network, subnet = gcp_stack_plan.one(NETWORK).id, gcp_stack_plan.one(SUBNET).id
    for role, resource in workloads(gcp_stack_plan).items():
        access = template_of(resource)["vpcAccess"]
        assert access["networkInterfaces"] == [{"network": network, "subnetwork": subnet}], role
        # Private ranges only: the AI providers stay on Cloud Run's internet path; no connector to pay for.
        assert access["egress"] == "PRIVATE_RANGES_ONLY" and "connector" not in access, role
    assert gcp_stack_plan.one(SUBNET).inputs["privateIpGoogleAccess"] is True


def _settings_seen_by(resource: Any) -> Settings:
    """The app's own settings, built from the env a workload gets (secret values stand in)."""
    env = {
        name: entry.get(
            "value", f"secret-from-{entry.get('valueSource', {}).get('secretKeyRef', {}).get('secret')}"
        )
        for name, entry in env_of(resource).items()
    }
    env.setdefault(ENV.API_KEYS, "stand-in")  # production refuses to start without keys
    return Settings(**{name.lower(): value for name, value in env.items()})


def test_the_app_reads_the_production_profile_from_every_workloads_env(gcp_stack_plan: Plan) -> None:
    sql, cache = gcp_stack_plan.one(SQL).outputs, gcp_stack_plan.one(REDIS).outputs
    for role, resource in workloads(gcp_stack_plan).items():
        settings = _settings_seen_by(resource)
        url = settings.sqlalchemy_url
        assert url.host == sql["privateIpAddress"] and url.query["sslmode"] == "verify-ca", role  # type: ignore[union-attr]
        assert settings.database_ca_cert == sql["serverCaCerts"][0]["cert"], role
        assert settings.redis_dsn.startswith(
            "rediss://:secret-from-launchpad-"
        ) and settings.redis_dsn.endswith(f"@{cache['host']}:{cache['port']}/0"), role
        assert settings.redis_ca_cert == cache["serverCaCerts"][0]["cert"], role
        assert settings.uploads_gcs_bucket == gcp_stack_plan.one(BUCKET).outputs["name"], role
        assert settings.database_password.startswith("secret-from-"), role


def test_the_read_only_password_reaches_only_the_migrations_and_the_nightly_job(gcp_stack_plan: Plan) -> None:
    holders = {
        role for role, r in workloads(gcp_stack_plan).items() if ENV.DATABASE_READONLY_PASSWORD in env_of(r)
    }
    assert holders == {"migrate", "nightly"}


def test_the_migrations_run_before_anything_serves_the_new_image(gcp_stack_plan: Plan) -> None:
    found = workloads(gcp_stack_plan)
    migrate = found["migrate"]
    assert container(migrate)["commands"] == contract.MIGRATE_COMMAND
    assert migrate.inputs["runExecutionToken"] and template_of(migrate)["maxRetries"] == 0
    # The provider refuses a job name and token past 62 characters together.
    assert len(migrate.inputs["name"]) + len(migrate.inputs["runExecutionToken"]) < 63
    for role in ("web", "worker", "nightly"):
        assert migrate.urn in found[role].dependencies, role
        assert container(found[role])["image"] == container(migrate)["image"], role
    # The migrations log in as the database's user, which no output of the instance carries.
    # A dependency on a component resolves to its children, so the user itself must be listed.
    assert gcp_stack_plan.one("gcp:sql/user:User").urn in migrate.dependencies


def test_a_new_image_runs_the_migrations_again() -> None:
    def token(digest: str) -> str:
        plan = plan_with_gcp("dev", {"imageDigest": "sha256:" + digest * 64})
        return str(plan.one(JOB, "migrate").inputs["runExecutionToken"])

    assert token("a") != token("b") and token("a") == token("a")


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_worker_pool_runs_the_rq_worker_at_the_configured_size(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    s, pool = settings_of(stack), plan.one(POOL)
    assert pool.inputs["scaling"] == {"scalingMode": "MANUAL", "manualInstanceCount": s.gcp_worker_instances}
    worker = container(pool)
    assert worker["commands"] == contract.WORKER_COMMAND
    assert worker["resources"]["limits"] == {"cpu": str(s.gcp_worker_cpu), "memory": s.gcp_worker_memory}
    assert template_of(pool)["serviceAccount"] == runtime_account(plan).outputs["email"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_scheduler_fires_the_nightly_job_on_the_configured_cron(
    stack: str, request: pytest.FixtureRequest
) -> None:
    plan: Plan = request.getfixturevalue(f"{stack}_gcp")
    s, job = settings_of(stack), plan.one(JOB, "nightly")
    assert container(job)["commands"] == contract.NIGHTLY_COMMAND
    trigger = plan.one(SCHEDULER).inputs
    assert (trigger["schedule"], trigger["timeZone"]) == (s.nightly_cron, s.nightly_timezone)
    assert trigger["httpTarget"]["uri"] == (
        f"https://run.googleapis.com/v2/projects/{plan.outputs['gcp_project']}/locations/"
        f"{plan.outputs['gcp_region']}/jobs/{job.outputs['name']}:run"
    )
    assert trigger["httpTarget"]["httpMethod"] == "POST" and "oidcToken" not in trigger["httpTarget"]
    assert plan.outputs["gcp_nightly_job"] == job.outputs["name"]


def test_the_data_tier_is_watched_and_the_queue_alerts_read_the_apps_own_metrics(
    gcp_stack_plan: Plan,
) -> None:
    policies = {
        p.name.rsplit("-data-alerts-", 1)[-1]: p.inputs
        for p in gcp_stack_plan.of_type("gcp:monitoring/alertPolicy:AlertPolicy")
        if "-data-alerts-" in p.name
    }
    assert set(policies) == {
        "db-cpu",
        "db-connections",
        "db-storage",
        "cache-memory",
        "queue-depth",
        "queue-age",
    }
    instance = gcp_stack_plan.one(SQL).outputs["name"]
    assert f':{instance}"' in policies["db-cpu"]["conditions"][0]["conditionThreshold"]["filter"]
    metrics = {m.inputs["name"]: m.inputs for m in gcp_stack_plan.of_type("gcp:logging/metric:Metric")}
    service = gcp_stack_plan.one(SERVICE).outputs["name"]
    for spec in (contract.QUEUE_DEPTH, contract.QUEUE_OLDEST_JOB_AGE):
        metric = metrics[f"{service}-{spec.name}"]
        assert metric["valueExtractor"] == f"EXTRACT(jsonPayload.{spec.name})"
        assert f'service_name = "{service}"' in metric["filter"]


def test_dev_and_prod_with_gcp_plan_with_no_mandatory_finding(gcp_stack_plan: Plan) -> None:
    assert mandatory(check(gcp_stack_plan.run)) == []


def test_dev_is_told_what_its_data_tier_gives_up(dev_gcp: Plan) -> None:
    found = {v.policy for v in check(dev_gcp.run)}
    assert {"gcp-cloud-sql-high-availability", "gcp-memorystore-high-availability"} <= found


def test_embedded_in_production_is_refused_by_the_prod_pack() -> None:
    embedded = plan_with_gcp("prod", {"gcpDataTier": "embedded"})
    assert [v.policy for v in mandatory(check(embedded.run))] == ["gcp-cloud-run-durable-data"]


def test_every_data_alert_says_what_to_do_and_links_its_runbook_section(gcp_stack_plan: Plan) -> None:
    from tests.infra.monitoring_plan import runbook_anchors

    anchors = runbook_anchors()
    for policy in gcp_stack_plan.of_type("gcp:monitoring/alertPolicy:AlertPolicy"):
        content = policy.inputs["documentation"]["content"]
        assert "First: " in content and content.rsplit("#", 1)[1] in anchors, policy.name

"""Data per real stack file: the stack key, buckets, policy documents, secrets, database and cache."""

from __future__ import annotations

import json
import string

from app import contract
from offline.stack_files import placeholder
from stack_config import secret_keys
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import app_container
from tests.infra.plan_query import Plan, settings_of
from tests.infra.policy_lint import findings

DB = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
BUCKET = "aws:s3/bucket:Bucket"


# --- encryption and buckets ----------------------------------------------------------------------


def test_stack_key_rotates_and_serves_the_storage_services(stack_plan: Plan) -> None:
    key = stack_plan.one("aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    policy = json.loads(key.inputs["policy"])
    via = next(s for s in policy["Statement"] if s["Sid"] == "AccountPrincipalsThroughStorageServices")
    services = {v.split(".")[0] for v in via["Condition"]["StringEquals"]["kms:ViaService"]}
    assert {"secretsmanager", "s3", "rds", "elasticache", "sns"} <= services
    logs = next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchLogsEncryptsItsGroups")
    assert logs["Principal"]["Service"].startswith("logs.")


def test_every_bucket_is_private_encrypted_versioned_and_tls_only(stack_plan: Plan) -> None:
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    buckets = stack_plan.of_type(BUCKET)
    assert len(buckets) >= 2
    for bucket in buckets:
        name = bucket.id

        def for_bucket(type_: str, name: str = name) -> dict:
            return next(r.inputs for r in stack_plan.of_type(type_) if r.inputs["bucket"] == name)

        block = for_bucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
        assert all(
            block[f]
            for f in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        )
        assert for_bucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls")["rule"][
            "objectOwnership"
        ] == ("BucketOwnerEnforced")
        assert (
            for_bucket("aws:s3/bucketVersioning:BucketVersioning")["versioningConfiguration"]["status"]
            == "Enabled"
        )
        rule = for_bucket(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        )["rules"][0]
        default = rule["applyServerSideEncryptionByDefault"]
        if "-logs-" in bucket.name:
            assert default["sseAlgorithm"] == "AES256"  # S3 log delivery cannot write with a CMK
        else:
            assert default == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}
            assert rule["bucketKeyEnabled"] is True
        lifecycle = {
            r["id"]: r
            for r in for_bucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")["rules"]
        }
        assert (
            lifecycle["abort-incomplete-multipart-uploads"]["abortIncompleteMultipartUpload"][
                "daysAfterInitiation"
            ]
            == 1
        )
        assert "expire-noncurrent-versions" in lifecycle
        policy = json.loads(for_bucket("aws:s3/bucketPolicy:BucketPolicy")["policy"])
        deny = next(s for s in policy["Statement"] if s["Sid"] == "DenyInsecureTransport")
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert set(deny["Resource"]) == {bucket.outputs["arn"], bucket.outputs["arn"] + "/*"}
        if "-logs-" not in bucket.name:
            _assert_writes_stay_on_the_stack_key(policy, bucket.outputs["arn"], key_arn)


def _assert_writes_stay_on_the_stack_key(policy: dict, bucket_arn: str, key_arn: str) -> None:
    refused = {
        variable: values
        for s in policy["Statement"]
        if s["Effect"] == "Deny" and s["Action"] == "s3:PutObject" and s["Resource"] == f"{bucket_arn}/*"
        for variable, values in s["Condition"].get("StringNotEqualsIfExists", {}).items()
    }
    assert refused == {
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn,
    }


def test_uploads_expire_after_the_configured_days(stack_plan: Plan) -> None:
    uploads = next(b for b in stack_plan.of_type(BUCKET) if "-uploads-" in b.name)
    lifecycle = next(
        r.inputs
        for r in stack_plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        if r.inputs["bucket"] == uploads.id
    )
    expiry = next(r for r in lifecycle["rules"] if r["id"] == "expire-current-objects")
    assert expiry["expiration"]["days"] == settings_of(stack_plan.run.stack).uploads_expire_days


def test_access_logs_go_to_the_log_bucket_when_configured(dev: Plan, prod: Plan) -> None:
    assert dev.count("aws:s3/bucketLogging:BucketLogging") == 0
    log_bucket = next(b for b in prod.of_type(BUCKET) if "-logs-" in b.name)
    logged = {r.inputs["bucket"] for r in prod.of_type("aws:s3/bucketLogging:BucketLogging")}
    assert all(
        r.inputs["targetBucket"] == log_bucket.id for r in prod.of_type("aws:s3/bucketLogging:BucketLogging")
    )
    assert logged == {b.id for b in prod.of_type(BUCKET)} - {log_bucket.id}


def test_every_policy_document_lints_clean(stack_plan: Plan) -> None:
    for resource, key, document in stack_plan.policies():
        assert document["Version"] == "2012-10-17"
        serious = [f for f in findings(resource, key, document) if f[1] in ("HIGH", "CRITICAL", "MEDIUM")]
        assert not serious, f"{resource.name}.{key}: {serious}"
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert "*" not in actions, f"{resource.name}: a statement grants every action"


# --- secrets --------------------------------------------------------------------------------------


def test_secret_containers_only_by_default(stack_plan: Plan) -> None:
    secrets = stack_plan.of_type("aws:secretsmanager/secret:Secret")
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    assert all(s.inputs["kmsKeyId"] == key_arn for s in secrets)
    names = {s.inputs["name"].rsplit("/", 1)[1] for s in secrets}
    assert {"huggingface-api-key", "gemini-api-key", "anthropic-api-key", "synced-token"} <= names
    # Only generated credentials get a value from Pulumi: the cache token and the read-only role's login.
    versions = stack_plan.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    stack = stack_plan.run.stack
    assert sorted(v.name for v in versions) == [
        f"launchpad-{stack}-cache-auth-secret-value",
        f"launchpad-{stack}-db-readonly-secret-value",
    ]
    assert all("secretString" in v.secret_paths for v in versions)


def test_api_keys_from_config_reach_only_secret_versions_and_stay_secret() -> None:
    placeholders = {key: placeholder(f"launchpad:{key}") for key in secret_keys()}
    plan = plan_with("dev", {}, secrets=placeholders)
    versions = plan.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    carried = {v.inputs["secretString"] for v in versions}
    assert set(placeholders.values()) <= carried
    for version in versions:
        assert "secretString" in version.secret_paths, f"{version.name} would store its value in plain text"
    for resource in plan.resources:
        # Secret versions are where keys belong (GCP's are checked in test_gcp_secrets.py).
        if resource.type in (
            "aws:secretsmanager/secretVersion:SecretVersion",
            "gcp:secretmanager/secretVersion:SecretVersion",
        ):
            continue
        text = json.dumps(resource.inputs, default=str)
        leaked = [v for v in placeholders.values() if v in text]
        assert not leaked, f"{resource.type} {resource.name} carries a key"


# --- database and cache ---------------------------------------------------------------------------


def test_the_read_only_role_has_its_login_in_secrets_manager_for_the_app_to_grant(stack_plan: Plan) -> None:
    secret = stack_plan.one("aws:secretsmanager/secret:Secret", "-db-readonly-")
    assert secret.inputs["kmsKeyId"] == stack_plan.one("aws:kms/key:Key").outputs["arn"]
    version = stack_plan.one("aws:secretsmanager/secretVersion:SecretVersion", "-db-readonly-")
    login = json.loads(version.inputs["secretString"])
    assert login["username"] == contract.READONLY_DATABASE_ROLE and len(login["password"]) >= 32
    assert "secretString" in version.secret_paths
    for role in ("web", "worker", "nightly"):
        env = {e["name"]: e["value"] for e in app_container(stack_plan, role)["environment"]}
        assert env[contract.ENV.DATABASE_READONLY_SECRET_ARN] == secret.outputs["arn"]


def test_database_is_encrypted_managed_and_tls_only(stack_plan: Plan) -> None:
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    db = stack_plan.one(DB).inputs
    assert db["storageEncrypted"] is True and db["kmsKeyId"] == key_arn
    assert db["manageMasterUserPassword"] is True and db["masterUserSecretKmsKeyId"] == key_arn
    assert "password" not in db
    assert db["autoMinorVersionUpgrade"] is True and db["maxAllocatedStorage"] > db["allocatedStorage"]
    assert set(db["enabledCloudwatchLogsExports"]) >= {"postgresql"}
    params = stack_plan.one("aws:rds/parameterGroup:ParameterGroup").inputs
    assert {"name": "rds.force_ssl", "value": "1"} in [
        {"name": p["name"], "value": p["value"]} for p in params["parameters"]
    ]
    assert params["family"] == f"postgres{db['engineVersion'].split('.')[0]}"


def test_prod_database_has_insights_and_enhanced_monitoring(prod: Plan) -> None:
    db = prod.one(DB).inputs
    assert db["performanceInsightsEnabled"] is True and db["performanceInsightsKmsKeyId"]
    assert db["monitoringInterval"] > 0
    assert db["monitoringRoleArn"] == prod.one("aws:iam/role:Role", "monitoring").outputs["arn"]


def test_cache_token_satisfies_elasticache_rules(stack_plan: Plan) -> None:
    token = stack_plan.one("random:index/randomPassword:RandomPassword", "-cache-").outputs["result"]
    assert 16 <= len(token) <= 128
    assert all(c in string.printable and not c.isspace() for c in token)
    assert not set(token) & set('@"/')
    group = stack_plan.one(CACHE)
    assert group.inputs["authToken"] == token and "authToken" in group.secret_paths
    stored = stack_plan.one("aws:secretsmanager/secretVersion:SecretVersion", "cache-auth").inputs[
        "secretString"
    ]
    assert stored == token


def test_cache_requires_tls_and_encrypts_at_rest(stack_plan: Plan) -> None:
    key_arn = stack_plan.one("aws:kms/key:Key").outputs["arn"]
    cache = stack_plan.one(CACHE).inputs
    assert cache["engine"] == "valkey"
    assert cache["transitEncryptionEnabled"] is True and cache["transitEncryptionMode"] == "required"
    assert cache["atRestEncryptionEnabled"] is True and cache["kmsKeyId"] == key_arn
    assert cache["authTokenUpdateStrategy"] in ("ROTATE", "SET")

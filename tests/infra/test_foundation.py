"""The whole program, per real stack file: network, encryption, buckets, secrets, database and cache."""

from __future__ import annotations

import json
import string

import pytest

from app import contract
from offline.stack_files import placeholder
from stack_config import SECRET_KEYS
from tests.infra.conftest import plan_with
from tests.infra.ecs_plan import app_container
from tests.infra.plan_query import Plan, settings_of
from tests.infra.policy_lint import findings

NAT = "aws:ec2/natGateway:NatGateway"
COST_TAG = "aws:costexplorer/costAllocationTag:CostAllocationTag"
DB = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SG = "aws:ec2/securityGroup:SecurityGroup"
BUCKET = "aws:s3/bucket:Bucket"


# --- availability and cost: each stack gets what its file asks for -------------------------------


def test_prod_is_highly_available(prod: Plan) -> None:
    db = prod.one(DB).inputs
    assert db["multiAz"] is True
    assert db["deletionProtection"] is True
    assert db["skipFinalSnapshot"] is False and db["finalSnapshotIdentifier"]
    assert db["backupRetentionPeriod"] >= 14
    cache = prod.one(CACHE).inputs
    assert cache["numCacheClusters"] >= 2
    assert cache["automaticFailoverEnabled"] is True and cache["multiAzEnabled"] is True
    assert cache["snapshotRetentionLimit"] > 0
    assert prod.count(NAT) == settings_of("prod").az_count  # per_az


def test_dev_is_cheap(dev: Plan) -> None:
    assert dev.count(NAT) == 0
    assert dev.count("aws:ec2/eip:Eip") == 0
    db = dev.one(DB).inputs
    assert db["multiAz"] is False
    assert 1 <= db["backupRetentionPeriod"] <= 3
    assert dev.one(CACHE).inputs["numCacheClusters"] == 1
    assert dev.one(CACHE).inputs["automaticFailoverEnabled"] is False


@pytest.mark.parametrize(("strategy", "expected"), [("none", 0), ("single", 1), ("per_az", 3)])
def test_nat_gateways_follow_the_strategy(strategy: str, expected: int) -> None:
    plan = plan_with("prod", {"natStrategy": strategy, "azCount": 3})
    assert plan.count(NAT) == expected
    private_tables = [r for r in plan.of_type("aws:ec2/routeTable:RouteTable") if "-private-rt-" in r.name]
    nat_ids = {r.id for r in plan.of_type(NAT)}
    for table in private_tables:
        targets = {route.get("natGatewayId") for route in table.inputs.get("routes", [])}
        assert (targets <= nat_ids and targets) if expected else not table.inputs.get("routes")


def test_nat_gateways_and_their_addresses_wait_for_the_internet_gateway(prod: Plan) -> None:
    # EC2 refuses an EIP or NAT in a VPC with no attached gateway; nothing else orders them after it.
    igw = prod.one("aws:ec2/internetGateway:InternetGateway")
    waiting = prod.of_type(NAT) + prod.of_type("aws:ec2/eip:Eip")
    assert len(waiting) == 6
    assert all(igw.urn in r.dependencies for r in waiting), [r.name for r in waiting]


def test_subnets_span_the_configured_zones_in_three_tiers(stack_plan: Plan) -> None:
    az_count = settings_of(stack_plan.run.stack).az_count
    subnets = stack_plan.of_type("aws:ec2/subnet:Subnet")
    assert len(subnets) == 3 * az_count
    for tier in ("public", "private", "isolated"):
        zones = {s.inputs["availabilityZone"] for s in subnets if s.inputs["tags"]["tier"] == tier}
        assert len(zones) == az_count
    assert not any(s.inputs.get("mapPublicIpOnLaunch") for s in subnets)


def test_isolated_subnets_have_no_route_out_and_hold_the_data_stores(stack_plan: Plan) -> None:
    isolated_rt = stack_plan.one("aws:ec2/routeTable:RouteTable", "-isolated-rt")
    assert not isolated_rt.inputs.get("routes")
    isolated_ids = {
        s.id for s in stack_plan.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["tier"] == "isolated"
    }
    assert set(stack_plan.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"]) == isolated_ids
    assert set(stack_plan.one("aws:elasticache/subnetGroup:SubnetGroup").inputs["subnetIds"]) == isolated_ids
    assert stack_plan.one(DB).inputs["publiclyAccessible"] is False


def test_s3_gateway_endpoint_serves_every_route_table(stack_plan: Plan) -> None:
    endpoint = stack_plan.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs
    assert endpoint["vpcEndpointType"] == "Gateway" and endpoint["serviceName"].endswith(".s3")
    assert set(endpoint["routeTableIds"]) == {
        r.id for r in stack_plan.of_type("aws:ec2/routeTable:RouteTable")
    }


def test_default_security_group_is_stripped(stack_plan: Plan) -> None:
    default = stack_plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs
    assert not default.get("ingress") and not default.get("egress")


def test_flow_logs_follow_the_stack_file(dev: Plan, prod: Plan) -> None:
    assert dev.count("aws:ec2/flowLog:FlowLog") == 0
    flow_log = prod.one("aws:ec2/flowLog:FlowLog").inputs
    group = prod.one("aws:cloudwatch/logGroup:LogGroup", "flow-logs")
    assert flow_log["logDestination"] == group.outputs["arn"] and flow_log["trafficType"] == "ALL"
    assert group.inputs["retentionInDays"] == settings_of("prod").flow_log_retention_days
    assert group.inputs["kmsKeyId"] == prod.one("aws:kms/key:Key").outputs["arn"]


# --- who may talk to whom ----------------------------------------------------------------------------


def test_data_stores_admit_only_the_app_group_on_their_own_port(stack_plan: Plan) -> None:
    app_sg = stack_plan.one(SG, "-app-sg").id
    for store_sg, port in ((stack_plan.one(SG, "-db-sg"), 5432), (stack_plan.one(SG, "-cache-sg"), 6379)):
        rules = [r.inputs for r in stack_plan.of_type(INGRESS) if r.inputs["securityGroupId"] == store_sg.id]
        assert rules, f"{store_sg.name} admits nothing"
        for rule in rules:
            assert rule["referencedSecurityGroupId"] == app_sg
            assert (rule["fromPort"], rule["toPort"]) == (port, port)
            assert "cidrIpv4" not in rule and "cidrIpv6" not in rule
        assert not store_sg.inputs.get("ingress"), "inline rules would bypass the graph"


def test_nothing_admits_the_internet(stack_plan: Plan) -> None:
    # The one exception, the public load balancer on 80/443, is covered by test_compute_network.
    alb_groups = {g.id for g in stack_plan.of_type(SG) if g.name.endswith("-alb-sg")}
    for rule in stack_plan.of_type(INGRESS):
        if rule.inputs["securityGroupId"] in alb_groups and rule.inputs["fromPort"] in (80, 443):
            continue
        assert rule.inputs.get("cidrIpv4") not in ("0.0.0.0/0",) and rule.inputs.get("cidrIpv6") != "::/0", (
            rule.name
        )
    for group in stack_plan.of_type(SG):
        assert not group.inputs.get("ingress"), group.name


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
    placeholders = {key: placeholder(f"launchpad:{key}") for key in SECRET_KEYS}
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


# --- tags, parents, outputs --------------------------------------------------------------------------


def test_every_aws_resource_goes_through_the_tagged_provider(stack_plan: Plan) -> None:
    provider = stack_plan.one("pulumi:providers:aws")
    default_tags = provider.inputs["defaultTags"]  # provider config travels JSON-encoded
    tags = (json.loads(default_tags) if isinstance(default_tags, str) else default_tags)["tags"]
    s = settings_of(stack_plan.run.stack)
    assert tags == tags | {
        "project": "launchpad",
        "stack": stack_plan.run.stack,
        "owner": s.owner,
        "cost-center": s.cost_center,
    }
    reference = f"{provider.urn}::{provider.id}"
    aws_resources = [r for r in stack_plan.resources if r.custom and r.type.startswith("aws:")]
    assert aws_resources
    untagged = [r.name for r in aws_resources if r.provider != reference]
    assert not untagged


def test_every_aws_data_source_is_read_through_the_stack_provider(stack_plan: Plan) -> None:
    # An invoke without the component's parent or provider falls back to the default provider: another
    # account or region than the stack's, if the environment says so.
    provider = stack_plan.one("pulumi:providers:aws")
    reference = f"{provider.urn}::{provider.id}"
    aws_calls = [(token, via) for token, _, via in stack_plan.run.calls if token.startswith("aws:")]
    assert aws_calls
    assert [token for token, via in aws_calls if via != reference] == []


def test_every_resource_is_a_named_child_of_a_component(stack_plan: Plan) -> None:
    components = {r.urn: r for r in stack_plan.resources if r.type.startswith("launchpad:")}
    for resource in stack_plan.resources:
        if resource.type.startswith(("pulumi:providers:", "launchpad:")):
            continue
        parent = components.get(resource.parent_urn)
        assert parent is not None, f"{resource.type} {resource.name} is not inside a component"
        assert resource.name.startswith(f"{parent.name}-"), (
            f"{resource.name} is not named after {parent.name}"
        )


def test_stack_exports_what_the_services_need(stack_plan: Plan) -> None:
    outputs = stack_plan.outputs
    assert outputs["vpc_id"] == stack_plan.one("aws:ec2/vpc:Vpc").id
    assert outputs["db_endpoint"] == stack_plan.one(DB).outputs["address"]
    assert outputs["db_master_secret_arn"].startswith("arn:aws:secretsmanager:")
    assert outputs["redis_endpoint"] == stack_plan.one(CACHE).outputs["primaryEndpointAddress"]
    assert (
        outputs["redis_auth_secret_arn"]
        == stack_plan.one("aws:secretsmanager/secret:Secret", "cache-auth").outputs["arn"]
    )
    assert set(outputs["secret_arns"]) == {
        "huggingface-api-key",
        "gemini-api-key",
        "anthropic-api-key",
        "synced-token",
        "api-keys",
    }
    assert {outputs["uploads_bucket"], outputs["token_sync_bucket"]} <= {
        b.id for b in stack_plan.of_type(BUCKET)
    }


def test_budget_notifies_the_alert_topic(stack_plan: Plan) -> None:
    budget = stack_plan.one("aws:budgets/budget:Budget").inputs
    s = settings_of(stack_plan.run.stack)
    assert float(budget["limitAmount"]) == s.monthly_budget_usd
    topic = stack_plan.one("aws:sns/topic:Topic")
    assert topic.inputs["kmsMasterKeyId"]
    kinds = {(n["threshold"], n["notificationType"]) for n in budget["notifications"]}
    assert {(80, "ACTUAL"), (100, "FORECASTED")} <= kinds
    for notification in budget["notifications"]:
        assert notification["subscriberSnsTopicArns"] == [topic.outputs["arn"]]
        assert notification["subscriberEmailAddresses"] == list(s.alert_addresses)
    emails = [
        r.inputs
        for r in stack_plan.of_type("aws:sns/topicSubscription:TopicSubscription")
        if r.inputs["protocol"] == "email"
    ]
    assert {e["endpoint"] for e in emails} == set(s.alert_addresses) and len(emails) == len(s.alert_addresses)
    assert all(e["topic"] == topic.outputs["arn"] for e in emails)


def test_every_budget_sees_the_stacks_spend_or_says_why_not(stack_plan: Plan) -> None:
    # A budget filtered on a tag Billing has not activated sees $0 and never fires.
    budget = stack_plan.one("aws:budgets/budget:Budget").inputs
    filters = budget.get("costFilters") or []
    activated = {t.inputs["tagKey"] for t in stack_plan.of_type(COST_TAG) if t.inputs["status"] == "Active"}
    tag_keys = {v.split(":", 1)[1].split("$")[0] for f in filters for v in f["values"]}
    warned = any(w.startswith("BUDGET:") for w in stack_plan.outputs["warnings"])
    assert not filters or tag_keys <= activated or warned


def test_prod_budget_watches_its_whole_account_from_the_first_day(prod: Plan) -> None:
    assert not prod.one("aws:budgets/budget:Budget").inputs.get("costFilters")
    assert not any(w.startswith("BUDGET:") for w in prod.outputs["warnings"])


def test_a_stack_budget_activates_its_tag_when_asked_and_leaves_it_on_destroy(dev: Plan) -> None:
    assert any(
        w.startswith("BUDGET: the budget counts spend tagged stack=dev") for w in dev.outputs["warnings"]
    )
    assert dev.count(COST_TAG) == 0
    activated = plan_with("dev", {"activateCostAllocationTag": True})
    [tag] = activated.of_type(COST_TAG)
    assert (tag.inputs["tagKey"], tag.inputs["status"]) == ("stack", "Active")
    assert tag.retain_on_delete  # deleting it would deactivate the tag for every other stack
    [scope] = activated.one("aws:budgets/budget:Budget").inputs["costFilters"]
    assert scope == {"name": "TagKeyValue", "values": ["user:stack$dev"]}
    assert not any(w.startswith("BUDGET:") for w in activated.outputs["warnings"])


def test_no_deprecated_v7_aliases_are_used(stack_plan: Plan) -> None:
    # pulumi-aws 7 renamed the split S3 resources; the V2 names survive only as deprecated aliases.
    deprecated = [r.type for r in stack_plan.resources if "V2:" in r.type or r.type.endswith("V2")]
    assert not deprecated

"""The stack as a whole: tags through the provider, named children, outputs, budgets, no v7 aliases."""

from __future__ import annotations

import json

from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan, settings_of

COST_TAG = "aws:costexplorer/costAllocationTag:CostAllocationTag"
DB = "aws:rds/instance:Instance"
CACHE = "aws:elasticache/replicationGroup:ReplicationGroup"
BUCKET = "aws:s3/bucket:Bucket"


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

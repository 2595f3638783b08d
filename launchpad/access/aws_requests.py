"""The AWS requests a stack's deployment makes: its rows' needs filled in for every planned resource, the data
sources the program calls, and the Pulumi state it reads and writes on the self-managed S3 backend."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from launchpad.access import aws_compute, aws_data, aws_edge, aws_network, aws_operations
from launchpad.access.model import ANY, SELF, Need, Op, Row, input_at, needs, row
from launchpad.access.sources import sar
from offline.aws_answers import ACCOUNT_ID, REGION
from offline.mocks import Recorded

PARTITION = "aws"
# Types that make no AWS call: the provider itself, generated values, and other clouds' resources (the GCP
# table covers those). Anything else without a row is reported: the table must grow with the program.
NO_AWS_CALLS = ("pulumi:providers:", "random:", "gcp:", "docker:", "command:")
ROWS: dict[str, Row] = {
    r.type: r
    for r in (*aws_network.ROWS, *aws_compute.ROWS, *aws_edge.ROWS, *aws_data.ROWS, *aws_operations.ROWS)
}
# The data sources the program calls (run.calls), each with what the provider's read needs.
CALLS: dict[str, tuple[Need, ...]] = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": needs(Need("ec2:DescribeAvailabilityZones", ANY)),
    # STS GetCallerIdentity needs no permission (STS API reference); getRegion and the ELB account are local.
    "aws:index/getCallerIdentity:getCallerIdentity": (),
    "aws:index/getRegion:getRegion": (),
    "aws:elb/getServiceAccount:getServiceAccount": (),
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": needs(Need("ecr:GetAuthorizationToken", ANY)),
    "aws:ec2/getSecurityGroup:getSecurityGroup": needs(Need("ec2:DescribeSecurityGroups", ANY)),
    "aws:cloudfront/getCachePolicy:getCachePolicy": needs(
        Need("cloudfront:ListCachePolicies", ANY),
        Need("cloudfront:GetCachePolicy", "arn:{partition}:cloudfront::{account}:cache-policy/*"),
    ),
    "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": needs(
        Need("cloudfront:ListOriginRequestPolicies", ANY),
        Need(
            "cloudfront:GetOriginRequestPolicy",
            "arn:{partition}:cloudfront::{account}:origin-request-policy/*",
        ),
    ),
}
CALL_SOURCES = (sar("amazonec2"), sar("amazoncloudfront"), sar("amazonelasticcontainerregistry"))


@dataclass(frozen=True)
class Request:
    """One authorisation AWS makes: `permission` on `resource` with `context`, for `subject`'s `op`."""

    permission: str
    resource: str
    context: Mapping[str, str | list[str]]
    subject: str  # "<type> <logical name>", "data source <token>" or "state of <stack>"
    op: Op
    shape: str  # the row and template behind it: the evaluator validates each shape once
    resource_policy: str = ""  # the planned resource policy (key policy, bucket policy) that also applies
    sources: tuple[str, ...] = field(default=(), compare=False)

    def key(self) -> tuple[str, str, str]:
        return (self.permission, self.resource, json.dumps(self.context, sort_keys=True))


class UnresolvedTemplate(ValueError):
    """A row names an input or output the planned resource does not have: the row is wrong, not the plan."""


_FIELD = re.compile(r"\{([a-z]+)(?::([^}]+))?\}")


@dataclass
class _Resolver:
    resource: Recorded
    region: str

    def values(self, template: str) -> list[str]:
        """Every string the template stands for (an input holding a list gives one per item)."""
        if template in (ANY, ""):
            return [template]
        if template.startswith("input:"):
            return _strings(input_at(self.resource.inputs, template.removeprefix("input:")))
        results = [""]
        position = 0
        for match in _FIELD.finditer(template):
            literal = template[position : match.start()]
            options = self._field(match[1], match[2])
            results = [f"{done}{literal}{option}" for done in results for option in options]
            position = match.end()
        return [f"{done}{template[position:]}" for done in results]

    def _field(self, kind: str, argument: str | None) -> list[str]:
        r = self.resource
        simple = {"partition": PARTITION, "region": self.region, "account": ACCOUNT_ID, "id": r.id}
        if kind in simple and argument is None:
            return [simple[kind]]
        if kind == "id" and argument == "uuid":
            return [r.id.rsplit("/", 1)[-1]]
        if kind == "uuid":
            return [str(uuid.uuid5(uuid.NAMESPACE_URL, r.urn or r.name))]
        if kind in ("input", "output") and argument:
            source = r.inputs if kind == "input" else {**r.inputs, **r.outputs}
            found = _strings(input_at(source, argument))
            if not found:
                raise UnresolvedTemplate(f"{r.type} {r.name}: no {kind} {argument!r}")
            return found
        if kind == "registry" and argument == "ecr":
            return _ecr_repositories(r)
        raise UnresolvedTemplate(f"{r.type} {r.name}: unknown template field {{{kind}}}")


def _strings(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


_ECR_HOST = re.compile(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/([^:@]+)")


def _ecr_repositories(image: Recorded) -> list[str]:
    """The ECR repositories an image build pushes to (its tags on ECR hosts); none when it does not push."""
    if not image.inputs.get("push"):
        return []
    return sorted({m[1] for tag in image.inputs.get("tags") or [] if (m := _ECR_HOST.match(str(tag)))})


def _regions(resources: Sequence[Recorded], default: str) -> dict[str, str]:
    """Each AWS provider's region, by the reference resources carry (`<urn>::<id>`)."""
    found = {}
    for r in resources:
        if r.type == "pulumi:providers:aws":
            found[f"{r.urn}::{r.id}"] = str(r.inputs.get("region") or default)
    return found


def _region_of(resource: Recorded, regions: Mapping[str, str], default: str) -> str:
    """The resource's own region (pulumi-aws 7 `region`), else its provider's."""
    return str(resource.inputs.get("region") or regions.get(resource.provider or "", default))


def resource_policies(resources: Sequence[Recorded], region: str = REGION) -> dict[str, tuple[str, Any]]:
    """The planned resource policies that govern requests on their resource: ARN -> (key, document). A key
    is found by the ARN its row builds (its provider's region) and by its `arn` output, which the
    resources that use it hold."""
    regions = _regions(resources, region)
    policies: dict[str, tuple[str, Any]] = {}
    for r in resources:
        if r.type == "aws:kms/key:Key" and r.inputs.get("policy"):
            arn = f"arn:{PARTITION}:kms:{_region_of(r, regions, region)}:{ACCOUNT_ID}:key/{r.id}"
            entry = (r.urn, json.loads(r.inputs["policy"]))
            policies |= {arn: entry, str(r.outputs.get("arn") or arn): entry}
        elif r.type == "aws:s3/bucketPolicy:BucketPolicy":
            policies[f"arn:{PARTITION}:s3:::{r.inputs['bucket']}"] = (r.urn, json.loads(r.inputs["policy"]))
    return policies


def governing_policy(resource: str, policies: Mapping[str, tuple[str, Any]]) -> str:
    if resource in policies:
        return policies[resource][0]
    bucket = re.match(r"^(arn:aws:s3:::[^/]+)/", resource)
    return policies[bucket[1]][0] if bucket and bucket[1] in policies else ""


@dataclass
class AwsPlan:
    """The requests of one stack's resources and calls, for the operations asked."""

    requests: list[Request]
    without_row: list[str]  # types the table does not cover (a gap in the table)
    resource_policies: dict[str, Any]  # key -> document, for the evaluator


def plan_requests(
    resources: Sequence[Recorded], calls: Iterable[tuple[str, Any, str]], ops: Sequence[Op], region: str
) -> AwsPlan:
    regions = _regions(resources, region)
    policies = resource_policies(resources, region)
    requests: list[Request] = []
    without_row: set[str] = set()
    for r in resources:
        if not r.custom or r.type.startswith(NO_AWS_CALLS):
            continue
        found = ROWS.get(r.type)
        if found is None:
            without_row.add(r.type)
            continue
        resolver = _Resolver(r, _region_of(r, regions, region))
        for op in ops:
            for need in found.needs_for(op, r.inputs):
                requests += _requests(need, found, resolver, op, policies=policies)
    for token in sorted({call[0] for call in calls}):
        call_needs = CALLS.get(token)
        if call_needs is None:
            if token.startswith("aws:"):
                without_row.add(token)
            continue
        call_row = row(token, sources=CALL_SOURCES)
        resolver = _Resolver(Recorded(token, token, {}, {}, None, False), region)
        for need in call_needs:
            requests += _requests(
                need, call_row, resolver, Op.READ, policies=policies, subject=f"data source {token}"
            )
    return AwsPlan(requests, sorted(without_row), {key: doc for key, doc in policies.values()})


def _requests(
    need: Need,
    source: Row,
    resolver: _Resolver,
    op: Op,
    *,
    policies: Mapping[str, tuple[str, Any]],
    subject: str = "",
) -> list[Request]:
    template = source.arn if need.resource == SELF else need.resource
    if need.resource == SELF and not template:
        raise UnresolvedTemplate(
            f"{source.type}: {need.permission} names the resource, but the row has no ARN"
        )
    context = {key: _context_value(resolver, value) for key, value in need.context.items()}
    who = subject or f"{resolver.resource.type} {resolver.resource.name}"
    return [
        Request(
            need.permission, arn, context, who, op, f"{source.type}|{template}",
            governing_policy(arn, policies), source.sources,
        )
        for arn in resolver.values(template)
    ]  # fmt: skip


def _context_value(resolver: _Resolver, value: str | tuple[str, ...]) -> str | list[str]:
    if isinstance(value, tuple):
        return [v for item in value for v in resolver.values(item)]
    resolved = resolver.values(value)
    return resolved[0] if len(resolved) == 1 else resolved

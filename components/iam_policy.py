"""Typed IAM policy documents whose ARNs may still be Outputs.

`aws.iam.get_policy_document` renders JSON inside the provider plugin, so offline the JSON would be the
mock's, not ours. Building the document here keeps it typed (no hand-concatenated strings) and lets the
tests lint the exact JSON that `pulumi up` sends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi

StrInput = pulumi.Input[str]


@dataclass(frozen=True)
class Condition:
    test: str  # e.g. "Bool", "StringEquals", "ArnLike"
    variable: str  # e.g. "aws:SecureTransport"
    values: Sequence[StrInput]


@dataclass(frozen=True)
class Statement:
    sid: str
    actions: Sequence[str]
    resources: Sequence[StrInput] = ()  # empty only for trust and resource policies
    effect: Literal["Allow", "Deny"] = "Allow"
    principals: dict[str, Sequence[StrInput]] = field(default_factory=dict)  # {"Service": [...]} etc.
    conditions: Sequence[Condition] = ()
    not_resources: Sequence[StrInput] = ()  # "everything but these" (a Deny's exceptions)

    def __post_init__(self) -> None:
        if not self.actions or any(a == "*" for a in self.actions):
            raise ValueError(f"statement {self.sid}: name the actions; a bare '*' is never granted")


def _resolved(value: Any) -> pulumi.Output[Any]:
    return pulumi.Output.from_input(value)


def _statement(s: Statement) -> pulumi.Output[dict[str, Any]]:
    def one_or_many(values: list[str]) -> str | list[str]:
        return values[0] if len(values) == 1 else values

    conditions: dict[str, dict[str, pulumi.Output[Any]]] = {}
    for c in s.conditions:
        conditions.setdefault(c.test, {})[c.variable] = pulumi.Output.all(*c.values).apply(one_or_many)
    body: dict[str, Any] = {
        "Sid": s.sid,
        "Effect": s.effect,
        "Action": one_or_many(list(s.actions)),
    }
    if s.resources:
        body["Resource"] = pulumi.Output.all(*s.resources).apply(one_or_many)
    if s.not_resources:
        body["NotResource"] = pulumi.Output.all(*s.not_resources).apply(one_or_many)
    if s.principals:
        body["Principal"] = {
            kind: pulumi.Output.all(*ids).apply(one_or_many) for kind, ids in s.principals.items()
        }
    if conditions:
        body["Condition"] = conditions
    return _resolved(body)


def policy_json(statements: Sequence[Statement]) -> pulumi.Output[str]:
    """The policy document as a JSON string, resolved once every ARN in it is known."""
    docs = [_statement(s) for s in statements]
    return pulumi.Output.all(*docs).apply(
        lambda resolved: json.dumps({"Version": "2012-10-17", "Statement": list(resolved)}, sort_keys=True)
    )


def deny_insecure_transport(bucket_arn: pulumi.Output[str]) -> Statement:
    return Statement(
        sid="DenyInsecureTransport",
        effect="Deny",
        actions=["s3:*"],
        resources=[bucket_arn, bucket_arn.apply(lambda arn: f"{arn}/*")],
        principals={"AWS": ["*"]},
        conditions=[Condition("Bool", "aws:SecureTransport", ["false"])],
    )


def assume_role_policy(service: str, source_account: StrInput | None = None) -> pulumi.Output[str]:
    conditions = [Condition("StringEquals", "aws:SourceAccount", [source_account])] if source_account else []
    return policy_json(
        [
            Statement(
                sid="AssumedByService",
                actions=["sts:AssumeRole"],
                principals={"Service": [service]},
                conditions=conditions,
            )
        ]
    )

"""What a deploy identity must be allowed to do, as data: one row per resource type, listing the cloud
permissions the provider's calls need to create, read, update, delete and tag it, each row with its sources.

A row's needs are turned into concrete requests (permission, resource, request context) for every planned
resource of its type, and the requests are evaluated against the identity's real policies (AWS) or granted
roles (GCP): `launchpad/access/closure.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SELF = "self"  # the planned resource's own ARN (AWS) or resource name (GCP)
ANY = "*"  # no resource: the action is authorised on "*" (list, describe, token calls)


class Op(StrEnum):
    """What an identity does to a resource. Deploy identities need all five; preview and drift ones READ."""

    CREATE = "create"  # the create call and the provider's read after it
    READ = "read"  # refresh, preview and every read after a change (tags read included)
    UPDATE = "update"
    DELETE = "delete"
    TAG = "tag"  # tag writes: provider default tags reach every taggable resource


DEPLOY_OPS = tuple(Op)
READ_OPS = (Op.READ,)


@dataclass(frozen=True)
class Need:
    """One permission a provider call needs.

    `resource` is SELF, ANY, an ARN template (`{partition}`, `{region}`, `{account}`, `{name}`, `{id}` and
    `{input:<camelCase path>}` are filled from the planned resource), or `input:<path>`: the ARNs the
    program passes in that input (a role to pass, a key to use). `context` is the request context AWS adds
    (iam:PassedToService, kms:ViaService, ...), whose keys the policies' conditions test.
    """

    permission: str
    resource: str = SELF
    context: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.permission, self.resource, tuple(sorted(self.context.items()))))


def needs(*items: str | Need) -> tuple[Need, ...]:
    """The items as Needs, each once, in order: a need listed twice would be checked, and counted, twice."""
    return tuple(dict.fromkeys(item if isinstance(item, Need) else Need(item) for item in items))


Predicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class When:
    """Needs that only some resources of a type have, decided by their inputs (an optional feature)."""

    applies: Predicate
    because: str  # what in the inputs brings the needs, for the report
    ops: Mapping[Op, tuple[str | Need, ...]]


@dataclass(frozen=True)
class Row:
    """The permissions one resource type needs, per operation, with where each fact was read."""

    type: str  # Pulumi type token
    ops: Mapping[Op, tuple[Need, ...]]
    sources: tuple[str, ...]
    arn: str = ""  # template of the resource's own ARN (AWS), "" where it has none
    api: str = ""  # the API its calls go to (GCP), which must be enabled first
    when: tuple[When, ...] = ()
    tag_read: tuple[Need, ...] = ()  # the tagging interceptor's read: part of READ for taggable types
    note: str = ""

    def needs_for(self, op: Op, inputs: Mapping[str, Any]) -> tuple[Need, ...]:
        found: list[str | Need] = list(self.ops.get(op, ()))
        if op is Op.READ:
            found += self.tag_read
        for extra in self.when:
            if extra.applies(inputs):
                found += extra.ops.get(op, ())
        return needs(*found)


def row(
    type_: str,
    *,
    sources: tuple[str, ...],
    arn: str = "",
    api: str = "",
    create: tuple[str | Need, ...] = (),
    read: tuple[str | Need, ...] = (),
    update: tuple[str | Need, ...] = (),
    delete: tuple[str | Need, ...] = (),
    tag: tuple[str | Need, ...] = (),
    tag_read: tuple[str | Need, ...] = (),
    when: tuple[When, ...] = (),
    note: str = "",
) -> Row:
    """A row; the provider reads back after every create and update, so READ's needs join both."""
    reads = needs(*read)
    return Row(
        type=type_,
        ops={
            Op.CREATE: needs(*create, *reads),
            Op.READ: reads,
            Op.UPDATE: needs(*update, *reads),
            Op.DELETE: needs(*delete),
            Op.TAG: needs(*tag),
        },
        sources=sources,
        arn=arn,
        api=api,
        when=when,
        tag_read=needs(*tag_read),
        note=note,
    )


def input_set(path: str) -> Predicate:
    """True when the input at a dotted camelCase path is set (not None, False, empty)."""

    def applies(inputs: Mapping[str, Any]) -> bool:
        return bool(input_at(inputs, path))

    return applies


def input_arn_of(service: str, path: str) -> Predicate:
    """True when the input at a dotted camelCase path is an ARN of `service`."""

    def applies(inputs: Mapping[str, Any]) -> bool:
        return str(input_at(inputs, path) or "").split(":")[2:3] == [service]

    return applies


def input_at(inputs: Mapping[str, Any], path: str) -> Any:
    value: Any = inputs
    for part in path.split("."):
        if isinstance(value, list):
            value = [item.get(part) for item in value if isinstance(item, Mapping)]
            value = [v for v in value if v not in (None, [], {})]
        elif isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value

"""Recording mocks that answer like the cloud would, so the program can run with no credentials.

Each resource gets the computed outputs the program reads (ARNs, endpoints, ports, DNS names, generated
passwords) in the shape the provider returns them, and every registration is recorded with its inputs,
provider and parent for the tests and the offline plan to inspect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs

from cloud_facts.autonaming import autoname_for, checked_inputs
from offline.aws_answers import FOUNDATION_ANSWERS, fallback, hexed, provider_answer
from offline.aws_calls import CALLS as AWS_CALLS
from offline.aws_service_answers import SERVICE_ANSWERS
from offline.delivery_mocks import ANSWERS as DELIVERY_ANSWERS
from offline.gcp_data_mocks import ANSWERS as GCP_DATA_ANSWERS
from offline.gcp_data_mocks import CALLS as GCP_DATA_CALLS
from offline.gcp_docker_mocks import ANSWERS as GCP_AND_DOCKER_ANSWERS
from offline.gcp_docker_mocks import CALLS as GCP_CALLS


@dataclass
class Recorded:
    """One registered resource: what the program asked for and what the mock answered."""

    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    provider: str | None
    custom: bool
    id: str = ""
    urn: str = ""
    parent_urn: str = ""
    secret_paths: set[str] = field(default_factory=set)  # input paths the program marked secret
    dependencies: list[str] = field(default_factory=list)
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)  # properties whose change replaces it
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    delete_before_replace: bool = False
    protect: bool = False
    retain_on_delete: bool = False
    replacement_trigger: Any = None  # replaced whenever this value changes between deployments
    autonamed: list[str] = field(default_factory=list)  # input properties the provider named
    autoname_error: str | None = None  # the bridge's refusal when the autoname passes Pulumi's maximum

    @property
    def parent_type(self) -> str:
        # A URN's type segment is "<parent type>$<own type>"; the part before the last "$" is the parent's.
        qualified = self.urn.split("::")[2] if self.urn else ""
        return qualified.rsplit("$", 2)[-2] if qualified.count("$") else ""


_SIG_KEY = rpc._special_sig_key  # the wire envelope of a secret: {sig key: secret sig, "value": ...}
_SECRET_SIG = rpc._special_secret_sig


def unwrap_secrets(value: Any, path: str, secret_paths: set[str]) -> Any:
    """Removes Pulumi's secret envelopes, noting the path of each secret value."""
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            secret_paths.add(path)
            return unwrap_secrets(value.get("value"), path, secret_paths)
        return {k: unwrap_secrets(v, f"{path}.{k}" if path else k, secret_paths) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v, f"{path}[{i}]", secret_paths) for i, v in enumerate(value)]
    return value


# Type token -> answer. Anything absent gets an id and an ARN shaped from its token.
_ANSWERS = {
    **FOUNDATION_ANSWERS,
    **SERVICE_ANSWERS,
    **GCP_AND_DOCKER_ANSWERS,
    **GCP_DATA_ANSWERS,
    **DELIVERY_ANSWERS,
}


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers registrations and data-source calls, and records every registration."""

    def __init__(self) -> None:
        self.resources: list[Recorded] = []
        self.calls: list[tuple[str, dict[str, Any], str]] = []  # (token, args, provider reference)

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        secret_paths: set[str] = set()
        given = unwrap_secrets(dict(args.inputs), "", secret_paths)
        # As the provider's Check does before any policy sees the resource: fill in the autoname.
        inputs = checked_inputs(args.typ, args.name, given, hexed(args.typ + args.name, 7))
        autonamed = {k: v for k, v in inputs.items() if k not in given}
        answer = _ANSWERS.get(args.typ)
        if args.typ.startswith("pulumi:providers:"):
            answer = provider_answer
        rid, computed = answer(args.name, inputs) if answer else fallback(args.typ, args.name)
        recorded = Recorded(
            args.typ, args.name, inputs, {**inputs, **computed}, args.provider, bool(args.custom), rid
        )
        recorded.secret_paths = secret_paths
        recorded.autonamed = sorted(autonamed)
        rule = autoname_for(args.typ)
        recorded.autoname_error = rule.overflow(args.name) if rule and autonamed else None
        self.resources.append(recorded)
        return rid, {**args.inputs, **autonamed, **computed}

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        self.calls.append((args.token, dict(args.args), args.provider))
        answer = _CALLS.get(args.token)
        if answer is None:
            raise NotImplementedError(f"offline mocks do not answer data source {args.token}")
        return answer(args.args), []


_CALLS = {**AWS_CALLS, **GCP_CALLS, **GCP_DATA_CALLS}


def answer_call(token: str, args: dict[str, Any]) -> dict[str, Any]:
    """What the mocks answer a data source with: lets a test name what the program received."""
    return _CALLS[token](args)


class RecordingMonitor(MockMonitor):
    """Adds the URN, parent and dependencies of each registration to its record."""

    def __init__(self, mocks: RecordingMocks) -> None:
        super().__init__(mocks)
        self.recording = mocks

    def ReadResource(self, request: Any) -> Any:
        # A read (a stack reference, a `get`) is recorded as well, with its URN and parent.
        response = super().ReadResource(request)
        recorded = self._unregistered(request)
        if recorded is not None:
            recorded.urn, recorded.parent_urn = response.urn, request.parent
        return response

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        recorded = self._unregistered(request) if request.type != "pulumi:pulumi:Stack" else None
        if recorded is not None:
            recorded.urn = response.urn
            recorded.parent_urn = request.parent
            recorded.dependencies = list(request.dependencies)
            recorded.ignore_changes = list(request.ignoreChanges)
            recorded.replace_on_changes = list(request.replaceOnChanges)
            recorded.property_dependencies = {
                key: list(deps.urns) for key, deps in request.propertyDependencies.items()
            }
            recorded.delete_before_replace = bool(request.deleteBeforeReplace)
            recorded.protect = bool(request.protect)
            recorded.retain_on_delete = bool(request.retainOnDelete)
            if request.HasField("replacement_trigger"):
                recorded.replacement_trigger = json_format.MessageToDict(request.replacement_trigger)
        return response

    def _unregistered(self, request: Any) -> Recorded | None:
        """The latest record of `request`'s resource that has no URN yet (the mock recorded it first)."""
        for recorded in reversed(self.recording.resources):
            if recorded.type == request.type and recorded.name == request.name and not recorded.urn:
                return recorded
        return None

"""Cloud Run's latest revision ready and its secrets populated, when `gcp` is a target."""

from __future__ import annotations

from functools import partial
from typing import Any

from launchpad.errors import OperateError
from launchpad.gcp_errors import gcp_error, gcp_secret_name
from launchpad.outputs import StackOutputs
from launchpad.verify.checks import Check, Status, ai_provider_keys

SUCCEEDED = "CONDITION_SUCCEEDED"  # a google.cloud.run_v2.Condition.State


def _guarded(name: str, action: str, probe: Any) -> Check:
    try:
        result: Check = probe()
    except OperateError as error:
        if error.field == "Google credentials":
            raise
        return Check(name, "fail", f"{error.problem}; fix: {error.fix}")
    except Exception as error:
        failed = gcp_error(error, action)
        if failed.field == "Google permissions" and "Unauthenticated" in failed.problem:
            raise failed from None
        return Check(name, "fail", f"{failed.problem}; fix: {failed.fix}")
    return result


def cloud_run_check(outputs: StackOutputs, run: Any) -> Check:
    project, region = outputs.require("gcp_project"), outputs.require("gcp_region")
    service = outputs.require("gcp_service_name")
    name = f"Cloud Run {service} latest revision ready"
    path = f"projects/{project}/locations/{region}/services/{service}"
    return _guarded(name, "run.services.get", lambda: _ready(run.get_service(name=path), name))


def _ready(service: Any, name: str) -> Check:
    latest, ready = service.latest_created_revision, service.latest_ready_revision
    condition = service.terminal_condition
    if service.reconciling:
        return Check(name, "fail", "a revision is still rolling out: run verify again shortly")
    if latest != ready:
        reason = condition.message or "see the revision's logs"
        return Check(name, "fail", f"latest {latest.rsplit('/', 1)[-1]} is not ready: {reason}")
    state = getattr(condition.state, "name", str(condition.state))
    if state != SUCCEEDED:
        return Check(name, "fail", f"service condition {state}: {condition.message or 'no message'}")
    return Check(name, "pass", f"{ready.rsplit('/', 1)[-1]} ready")


def gcp_secret_checks(outputs: StackOutputs, secrets: Any) -> list[Check]:
    checks = []
    for role in sorted(outputs.values.get("gcp_secret_ids") or {}):
        name = f"Secret Manager {role} has a value"
        parent = gcp_secret_name(outputs, role) or ""  # every listed role has a name
        checks.append(
            _guarded(
                name,
                "secretmanager.versions.list",
                partial(_populated, secrets, parent, role, name),
            )
        )
    return checks


def _populated(secrets: Any, parent: str, role: str, name: str) -> Check:
    enabled = list(secrets.list_secret_versions(request={"parent": parent, "filter": "state:ENABLED"}))
    if enabled:
        return Check(name, "pass", f"{len(enabled)} enabled versions")
    status: Status = "warn" if role in ai_provider_keys() else "fail"
    return Check(name, status, f"no enabled version: `launchpad secrets set {role} --stack S`")

"""In-memory stand-ins for the two Google clients the commands call, answering with Google's own types
(run_v2.Service, secretmanager.SecretVersion) and raising google-api-core's own exceptions."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)
    from google.cloud import run_v2, secretmanager


class FakeSecretManager:
    def __init__(self, project: str) -> None:
        self.project = project
        self.versions: dict[str, list[secretmanager.SecretVersion]] = {}
        self.payloads: dict[str, list[bytes]] = {}
        self.deny_writes = False

    def create(self, secret_id: str) -> str:
        name = f"projects/{self.project}/secrets/{secret_id}"
        self.versions[name], self.payloads[name] = [], []
        return name

    def _known(self, name: str) -> None:
        if name not in self.versions:
            raise exceptions.NotFound(f"Secret [{name}] not found.")

    def get_secret(self, request: dict[str, Any]) -> secretmanager.Secret:
        self._known(request["name"])
        return secretmanager.Secret(name=request["name"])

    def add_secret_version(self, request: dict[str, Any]) -> secretmanager.SecretVersion:
        parent = request["parent"]
        self._known(parent)
        if self.deny_writes:
            raise exceptions.PermissionDenied("Permission 'secretmanager.versions.add' denied")
        version = secretmanager.SecretVersion(
            name=f"{parent}/versions/{len(self.versions[parent]) + 1}",
            create_time=datetime.now(UTC),
            state=secretmanager.SecretVersion.State.ENABLED,
        )
        self.versions[parent].append(version)
        self.payloads[parent].append(request["payload"]["data"])
        return version

    def list_secret_versions(self, request: dict[str, Any]) -> list[secretmanager.SecretVersion]:
        self._known(request["parent"])
        assert request.get("filter") == "state:ENABLED"
        return list(self.versions[request["parent"]])


class FakeRun:
    def __init__(self) -> None:
        self.services: dict[str, run_v2.Service] = {}

    def put(self, name: str, *, ready: bool, reconciling: bool = False, message: str = "") -> None:
        state = run_v2.Condition.State
        self.services[name] = run_v2.Service(
            name=name,
            latest_created_revision=f"{name}/revisions/web-00002",
            latest_ready_revision=f"{name}/revisions/web-0000{2 if ready else 1}",
            reconciling=reconciling,
            terminal_condition=run_v2.Condition(
                type_="Ready",
                state=state.CONDITION_SUCCEEDED if ready else state.CONDITION_FAILED,
                message=message,
            ),
        )

    def get_service(self, name: str) -> run_v2.Service:
        if name not in self.services:
            raise exceptions.NotFound(f"Resource '{name}' was not found")
        return self.services[name]

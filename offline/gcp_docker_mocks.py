"""Mock answers for the Google Cloud and Docker resources, in the shape each provider returns them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

GCP_PROJECT = "launchpad-offline"
GCP_PROJECT_NUMBER = "412345678901"
GCP_REGION = "us-central1"

Answer = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]


def _hex(seed: str, length: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:length]


def _where(inputs: dict[str, Any]) -> tuple[str, str]:
    return inputs.get("project") or GCP_PROJECT, inputs.get("location") or GCP_REGION


def _api(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project, _ = _where(inputs)
    return f"{project}/{inputs['service']}", {"project": project}


def _service_account(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project, _ = _where(inputs)
    email = f"{inputs['accountId']}@{project}.iam.gserviceaccount.com"
    resource = f"projects/{project}/serviceAccounts/{email}"
    unique = str(int(_hex(name, 12), 16)).rjust(21, "1")[:21]
    return resource, {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": resource,
        "uniqueId": unique,
    }


def _repository(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project, location = _where(inputs)
    repo = inputs["repositoryId"]
    resource = f"projects/{project}/locations/{location}/repositories/{repo}"
    return resource, {"name": repo, "registryUri": f"{location}-docker.pkg.dev/{project}/{repo}"}


def _secret(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project, _ = _where(inputs)
    secret_id = inputs["secretId"]
    return f"projects/{project}/secrets/{secret_id}", {
        "secretId": secret_id,
        "name": f"projects/{GCP_PROJECT_NUMBER}/secrets/{secret_id}",
    }


def _secret_version(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    resource = f"{inputs['secret']}/versions/1"
    return resource, {"name": resource, "version": "1", "enabled": True}


def iam_member(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Any `...IAMMember`: its id is the target, the role and the member; a new etag."""
    keys = ("secretId", "cryptoKeyId", "bucket", "name", "project")
    target = next((inputs[key] for key in keys if inputs.get(key)), None)
    return f"{target}/{inputs['role']}/{inputs['member']}", {"etag": f"BwY{_hex(name, 9)}="}


def _custom_role(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # The provider's id and `name` are the role's resource name, projects/<project>/roles/<roleId>.
    resource = f"projects/{inputs['project']}/roles/{inputs['roleId']}"
    return resource, {"name": resource, "deleted": False}


def _run_service(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    project, location = _where(inputs)
    own = inputs["name"]  # autonamed by the provider's Check when the program leaves it unset
    uri = f"https://{own}-{_hex(own, 10)}-uc.a.run.app"
    outputs: dict[str, Any] = {"name": own, "uid": _hex(own, 32), "generation": "1"}
    outputs |= {"uri": uri, "urls": [uri], "latestReadyRevision": f"{own}-00001-{_hex(own, 3)}"}
    return f"projects/{project}/locations/{location}/services/{own}", outputs


def _monitoring(collection: str) -> Answer:
    """Cloud Monitoring names what it creates `projects/<project>/<collection>/<server-chosen id>`."""

    def answer(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        project, _ = _where(inputs)
        server_id = str(int(_hex(name, 15), 16))
        resource = f"projects/{project}/{collection}/{server_id}"
        outputs: dict[str, Any] = {"name": resource}
        if collection == "uptimeCheckConfigs":
            outputs["uptimeCheckId"] = f"{inputs.get('displayName', name).split(':')[0]}-{_hex(name, 12)}"
        return resource, outputs

    return answer


def _billing_budget(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    budget_id = (
        f"{_hex(name, 8)}-{_hex(name + 'b', 4)}-{_hex(name + 'c', 4)}-{_hex(name + 'd', 4)}-{_hex(name, 12)}"
    )
    resource = f"billingAccounts/{inputs['billingAccount']}/budgets/{budget_id}"
    return resource, {"name": resource}


def _docker_object(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return _hex("docker" + name, 64), {"name": inputs["name"]}


def _volume(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs.get("name") or name
    return own, {"name": own, "driver": "local", "mountpoint": f"/var/lib/docker/volumes/{own}/_data"}


def _remote_image(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    image_id = f"sha256:{_hex('image' + inputs['name'], 64)}"
    repo = inputs["name"].rsplit(":", 1)[0]
    return f"{image_id}{inputs['name']}", {"imageId": image_id, "repoDigest": f"{repo}@{image_id}"}


def _container(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # A one-shot (attached) container has finished by the time the provider answers: exit code 0.
    finished = bool(inputs.get("attach")) and not inputs.get("mustRun", True)
    outputs: dict[str, Any] = {
        "name": inputs.get("name") or name,
        "bridge": "",
        "exitCode": 0 if finished else None,
    }
    return _hex("container" + name, 64), outputs


ANSWERS: dict[str, Answer] = {
    "gcp:projects/service:Service": _api,
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:artifactregistry/repository:Repository": _repository,
    "gcp:secretmanager/secret:Secret": _secret,
    "gcp:secretmanager/secretVersion:SecretVersion": _secret_version,
    "gcp:secretmanager/secretIamMember:SecretIamMember": iam_member,
    "gcp:cloudrunv2/service:Service": _run_service,
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember": iam_member,
    "gcp:projects/iAMMember:IAMMember": iam_member,
    "gcp:projects/iAMCustomRole:IAMCustomRole": _custom_role,
    "gcp:monitoring/notificationChannel:NotificationChannel": _monitoring("notificationChannels"),
    "gcp:monitoring/alertPolicy:AlertPolicy": _monitoring("alertPolicies"),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": _monitoring("uptimeCheckConfigs"),
    "gcp:billing/budget:Budget": _billing_budget,
    "docker:index/network:Network": _docker_object,
    "docker:index/volume:Volume": _volume,
    "docker:index/remoteImage:RemoteImage": _remote_image,
    "docker:index/container:Container": _container,
}


# The data sources the program reads on Google Cloud.
CALLS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:organizations/getProject:getProject": lambda a: {
        "projectId": a.get("projectId") or GCP_PROJECT,
        "number": GCP_PROJECT_NUMBER,
        "name": a.get("projectId") or GCP_PROJECT,
        "id": f"projects/{a.get('projectId') or GCP_PROJECT}",
    },
    "gcp:organizations/getClientConfig:getClientConfig": lambda _a: {
        "accessToken": "offline-gcp-access-token",
        "project": GCP_PROJECT,
        "region": GCP_REGION,
        "id": GCP_PROJECT,
    },
}

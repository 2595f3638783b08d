"""Mock answers for the Google Cloud data tier and its workloads, in the shape each provider returns them:
the ids the program passes on (network, subnet, key), the addresses and CA certificates Cloud SQL and
Memorystore compute, the AUTH string, the service agents' identities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from offline.aws_answers import hexed
from offline.gcp_docker_mocks import GCP_PROJECT, GCP_PROJECT_NUMBER, GCP_REGION, Answer, iam_member

# What a server CA looks like in the provider's outputs: PEM, one certificate.
CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIB{seed}offline\n-----END CERTIFICATE-----\n"
# The service agent a project's API uses, by service (projects/serviceIdentity).
AGENT_DOMAINS = {
    "sqladmin.googleapis.com": "gcp-sa-cloud-sql",
    "redis.googleapis.com": "cloud-redis",
}


def _project(inputs: dict[str, Any]) -> str:
    return inputs.get("project") or GCP_PROJECT


def _region(inputs: dict[str, Any]) -> str:
    return inputs.get("region") or inputs.get("location") or GCP_REGION


def _global(collection: str) -> Answer:
    """Compute's global resources: `projects/<p>/global/<collection>/<name>`."""

    def answer(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        own = inputs["name"]
        resource = f"projects/{_project(inputs)}/global/{collection}/{own}"
        outputs = {"name": own, "selfLink": f"https://www.googleapis.com/compute/v1/{resource}"}
        return resource, outputs

    return answer


def _subnetwork(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs["name"]
    resource = f"projects/{_project(inputs)}/regions/{_region(inputs)}/subnetworks/{own}"
    return resource, {"name": own, "gatewayAddress": inputs["ipCidrRange"].rsplit(".", 1)[0] + ".1"}


def _peering(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"{inputs['network']}:{inputs['service']}", {"peering": "servicenetworking-googleapis-com"}


def _key_ring(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs["name"]
    return f"projects/{_project(inputs)}/locations/{inputs['location']}/keyRings/{own}", {"name": own}


def _crypto_key(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"{inputs['keyRing']}/cryptoKeys/{inputs['name']}", {
        "primary": [{"name": "1", "state": "ENABLED"}]
    }


def _service_identity(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    email = f"service-{GCP_PROJECT_NUMBER}@{AGENT_DOMAINS[inputs['service']]}.iam.gserviceaccount.com"
    return f"projects/{_project(inputs)}/services/{inputs['service']}", {
        "email": email,
        "member": f"serviceAccount:{email}",
    }


def _sql_instance(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own, project, region = inputs["name"], _project(inputs), _region(inputs)
    return own, {
        "name": own,
        "connectionName": f"{project}:{region}:{own}",
        "privateIpAddress": f"10.91.0.{int(hexed(own, 2), 16) % 200 + 3}",
        "serverCaCerts": [
            {"cert": CA_PEM.format(seed=hexed(own, 12)), "commonName": f"C=US,O=Google,CN={own}"}
        ],
        "selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/{project}/instances/{own}",
    }


def _sql_child(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return f"{inputs['instance']}/{inputs['name']}", {"name": inputs["name"]}


def _redis_instance(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own, project, region = inputs["name"], _project(inputs), _region(inputs)
    tls = inputs.get("transitEncryptionMode") == "SERVER_AUTHENTICATION"
    outputs: dict[str, Any] = {
        "name": own,
        "host": f"10.91.1.{int(hexed(own, 2), 16) % 200 + 3}",
        "port": 6378 if tls else 6379,
        "serverCaCerts": [{"cert": CA_PEM.format(seed=hexed("redis" + own, 12))}] if tls else [],
    }
    if inputs.get("authEnabled"):
        outputs["authString"] = hexed("auth" + own, 8) + "-" + hexed("string" + own, 27)
    return f"projects/{project}/locations/{region}/instances/{own}", outputs


def _bucket(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs["name"]
    return own, {
        "name": own,
        "url": f"gs://{own}",
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{own}",
    }


def _run_named(collection: str) -> Answer:
    def answer(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        own = inputs["name"]
        resource = f"projects/{_project(inputs)}/locations/{_region(inputs)}/{collection}/{own}"
        return resource, {"name": own, "uid": hexed(own, 32), "generation": "1"}

    return answer


def _scheduler_job(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    own = inputs["name"]
    return f"projects/{_project(inputs)}/locations/{_region(inputs)}/jobs/{own}", {
        "name": own,
        "state": "ENABLED",
    }


def _log_metric(name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return inputs["name"], {"name": inputs["name"]}


ANSWERS: dict[str, Answer] = {
    "gcp:compute/network:Network": _global("networks"),
    "gcp:compute/subnetwork:Subnetwork": _subnetwork,
    "gcp:compute/globalAddress:GlobalAddress": _global("addresses"),
    "gcp:servicenetworking/connection:Connection": _peering,
    "gcp:kms/keyRing:KeyRing": _key_ring,
    "gcp:kms/cryptoKey:CryptoKey": _crypto_key,
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": iam_member,
    "gcp:projects/serviceIdentity:ServiceIdentity": _service_identity,
    "gcp:sql/databaseInstance:DatabaseInstance": _sql_instance,
    "gcp:sql/database:Database": _sql_child,
    "gcp:sql/user:User": _sql_child,
    "gcp:redis/instance:Instance": _redis_instance,
    "gcp:storage/bucket:Bucket": _bucket,
    "gcp:storage/bucketIAMMember:BucketIAMMember": iam_member,
    "gcp:cloudrunv2/workerPool:WorkerPool": _run_named("workerPools"),
    "gcp:cloudrunv2/job:Job": _run_named("jobs"),
    "gcp:cloudrunv2/jobIamMember:JobIamMember": iam_member,
    "gcp:cloudscheduler/job:Job": _scheduler_job,
    "gcp:logging/metric:Metric": _log_metric,
}

CALLS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": lambda a: {
        "emailAddress": f"service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
        "member": f"serviceAccount:service-{GCP_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com",
        "project": a.get("project") or GCP_PROJECT,
        "id": f"projects/{a.get('project') or GCP_PROJECT}",
    },
}

"""What Google Cloud, the Docker engine and the image registries refuse at create time."""

from __future__ import annotations

from cloud_facts.checks import AllOf, Between, Forbidden, Length, Pattern
from cloud_facts.gcp.cloud_run import RUN_NAME_MAX, CloudRunProbes, CloudRunSizing
from cloud_facts.gcp.formats import ArtifactRegistryImage, LabelMap
from policies.deploy.limit import Limit

GB = "https://github.com/hashicorp/terraform-provider-google-beta/blob/main/google-beta/services/"
GCP = "https://cloud.google.com/"
RFC1035 = Pattern(
    r"[a-z]([-a-z0-9]*[a-z0-9])?", "lower-case letters, digits and -, a letter first, no - last"
)
SERVICE = "gcp:cloudrunv2/service:Service"

_IDENTITY = (
    Limit(
        "gcp-service-account-id",
        "gcp:serviceaccount/account:Account",
        "accountId",
        AllOf([Length(30, minimum=6), RFC1035]),
        GB + "resourcemanager/resource_google_service_account.go (ValidateRFC1035Name(6, 30))",
    ),
    Limit(
        "gcp-service-account-display-name",
        "gcp:serviceaccount/account:Account",
        "displayName",
        Length(100, 0),
        GCP + "iam/docs/reference/rest/v1/projects.serviceAccounts",
        at="up",
    ),
    Limit(
        "gcp-secret-id",
        "gcp:secretmanager/secret:Secret",
        "secretId",
        Pattern(r"[A-Za-z0-9_-]{1,255}", "1-255 letters, digits, _ and -"),
        GCP + "secret-manager/docs/reference/rest/v1/projects.secrets/create",
        at="up",
    ),
    Limit(
        "gcp-labels",
        "pulumi:providers:gcp",
        "defaultLabels",
        LabelMap(),
        GCP + "resource-manager/docs/labels-overview#requirements",
        at="up",
    ),
)

_WIF_ID = AllOf(
    [Length(32, minimum=4), Pattern(r"[a-z0-9-]+", "a-z, 0-9 and -"), Forbidden(r"^gcp-", "gcp- is reserved")]
)
_POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool"
_POOL_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"
_WIF_REST = GCP + "iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools"
_FEDERATION = (
    Limit(
        "gcp-wif-pool-id",
        _POOL,
        "workloadIdentityPoolId",
        _WIF_ID,
        GB + "iambeta/resource_iam_workload_identity_pool.go (ValidateWorkloadIdentityPoolId)",
    ),
    Limit("gcp-wif-pool-display-name", _POOL, "displayName", Length(32, 0), _WIF_REST, at="up"),
    Limit("gcp-wif-pool-description", _POOL, "description", Length(256, 0), _WIF_REST, at="up"),
    Limit(
        "gcp-wif-provider-id",
        _POOL_PROVIDER,
        "workloadIdentityPoolProviderId",
        _WIF_ID,
        GB
        + "iambeta/resource_iam_workload_identity_pool_provider.go (ValidateWorkloadIdentityPoolProviderId)",
    ),
    Limit("gcp-wif-provider-display-name", _POOL_PROVIDER, "displayName", Length(32, 0), _WIF_REST, at="up"),
    Limit("gcp-wif-provider-description", _POOL_PROVIDER, "description", Length(256, 0), _WIF_REST, at="up"),
    Limit(
        "gcp-service-account-description",
        "gcp:serviceaccount/account:Account",
        "description",
        Length(256, 0),
        GCP + "iam/docs/reference/rest/v1/projects.serviceAccounts",
        at="up",
    ),
)

_RUN = (
    Limit(
        "gcp-run-service-name",
        SERVICE,
        "name",
        AllOf([Length(RUN_NAME_MAX), RFC1035]),
        GCP + "run/docs/reference/rest/v2/projects.locations.services/create (serviceId)",
        at="up",
    ),
    Limit(
        "gcp-run-service-limits",
        SERVICE,
        "template",
        CloudRunSizing(gen2_by_default=False),
        GCP + "run/docs/configuring/services/memory-limits (CPU: .../services/cpu)",
        at="up",
    ),
    Limit(
        "gcp-run-service-probes",
        SERVICE,
        "template",
        CloudRunProbes(),
        GB + "cloudrunv2/resource_cloud_run_v2_service.go (startup_probe, liveness_probe)",
        at="up",
    ),
    Limit(
        "gcp-run-port",
        SERVICE,
        "template.containers[].ports.containerPort",
        Between(1, 65535),
        GB + "cloudrunv2/resource_cloud_run_v2_service.go (container_port)",
        at="up",
    ),
    Limit(
        "gcp-run-timeout",
        SERVICE,
        "template.timeout",
        Pattern(r"([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|3600)s", "1s-3600s"),
        GCP + "run/docs/configuring/request-timeout",
        at="up",
    ),
    Limit(
        "gcp-artifact-repository-id",
        "gcp:artifactregistry/repository:Repository",
        "repositoryId",
        AllOf([Length(63), RFC1035]),
        GCP + "artifact-registry/docs/repositories/create-repos#repository-name",
        at="up",
    ),
)

AR_PATHS = GCP + "artifact-registry/docs/docker/names"
_IMAGES = (
    Limit(
        "gcp-image-path-build",
        "docker-build:index:Image",
        "tags[]",
        ArtifactRegistryImage(),
        AR_PATHS,
        at="up",
    ),
    Limit(
        "gcp-image-path-service",
        SERVICE,
        "template.containers[].image",
        ArtifactRegistryImage(),
        AR_PATHS,
        at="up",
    ),
)

DOCKER_NAME = Pattern(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+", "a letter or digit, then letters, digits and _.-")
MOBY = "https://github.com/moby/moby/blob/master/daemon/names/names.go (RestrictedNameChars)"
_DOCKER = (
    Limit("docker-container-name", "docker:index/container:Container", "name", DOCKER_NAME, MOBY, at="up"),
    Limit("docker-volume-name", "docker:index/volume:Volume", "name", DOCKER_NAME, MOBY, at="up"),
    Limit("docker-network-name", "docker:index/network:Network", "name", DOCKER_NAME, MOBY, at="up"),
    Limit(
        "image-tag",
        "docker-build:index:Image",
        "tags[]",
        Pattern(
            r"[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}",
            "a lower-case repository path, then :tag of at most 128 letters, digits, _ . -",
        ),
        "https://github.com/distribution/reference/blob/main/regexp.go",
        at="up",
    ),
)

GCP_LIMITS: tuple[Limit, ...] = (*_IDENTITY, *_FEDERATION, *_RUN, *_IMAGES, *_DOCKER)

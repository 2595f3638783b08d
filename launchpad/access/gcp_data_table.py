"""GCP permission rows for the managed data tier and its network: the VPC and private services access, the
stack's KMS key, Cloud SQL, Memorystore, Cloud Storage, the Cloud Run worker pool, log-based metrics.

Each permission is the one Google's API reference names for the REST method the provider calls (through
iam-dataset's method map, gcp_table.METHOD_MAP) and is checked against the predefined roles' published
permission lists (gcp_roles.json); a permission no granted role holds is a gap, a misspelt one too.
"""

from __future__ import annotations

from launchpad.access.gcp_table import ACT_AS, METHOD_MAP, RUNS_AS, iam_member_row
from launchpad.access.model import Op, When, input_set, row

COMPUTE_API, KMS_API = "compute.googleapis.com", "cloudkms.googleapis.com"
SQL_API, REDIS_API, STORAGE_API = "sqladmin.googleapis.com", "redis.googleapis.com", "storage.googleapis.com"
INTERNAL_ADDRESS = (
    "Compute Engine: an INTERNAL global address (the range private services access peers) is created and "
    "deleted with compute.globalAddresses.createInternal / deleteInternal"
)
SUBNET_ON_NETWORK = (
    "Compute Engine: creating a subnetwork also takes compute.networks.updatePolicy on its network"
)
KEY_DESTROY = (
    "Cloud KMS keys are never deleted: the provider destroys every version on destroy "
    "(cloudkms.cryptoKeyVersions.list and .destroy)"
)
AUTH_STRING = (
    "terraform-provider-google google_redis_instance: with auth_enabled the read also calls "
    "GetAuthString (redis.instances.getAuthString), every refresh"
)

ROWS = (
    row(
        "gcp:compute/network:Network",
        sources=(METHOD_MAP,),
        api=COMPUTE_API,
        create=("compute.networks.create",),
        read=("compute.networks.get",),
        update=("compute.networks.updatePolicy",),
        delete=("compute.networks.delete",),
    ),
    row(
        "gcp:compute/subnetwork:Subnetwork",
        sources=(METHOD_MAP, SUBNET_ON_NETWORK),
        api=COMPUTE_API,
        create=("compute.subnetworks.create", "compute.networks.updatePolicy"),
        read=("compute.subnetworks.get",),
        update=("compute.subnetworks.update",),
        delete=("compute.subnetworks.delete",),
    ),
    row(
        "gcp:compute/globalAddress:GlobalAddress",
        sources=(METHOD_MAP, INTERNAL_ADDRESS),
        api=COMPUTE_API,
        create=("compute.globalAddresses.create",),
        read=("compute.globalAddresses.get",),
        update=("compute.globalAddresses.setLabels",),
        delete=("compute.globalAddresses.delete",),
        when=(
            When(
                lambda inputs: inputs.get("addressType") == "INTERNAL",
                "an internal range (the peered services range)",
                {
                    Op.CREATE: ("compute.globalAddresses.createInternal", "compute.networks.use"),
                    Op.DELETE: ("compute.globalAddresses.deleteInternal",),
                },
            ),
        ),
    ),
    row(
        "gcp:servicenetworking/connection:Connection",
        sources=(METHOD_MAP,),
        api="servicenetworking.googleapis.com",
        create=("servicenetworking.services.addPeering", "compute.networks.addPeering"),
        read=("servicenetworking.services.get", "compute.networks.get"),
        update=("servicenetworking.services.addPeering",),
        delete=("servicenetworking.services.deleteConnection", "compute.networks.removePeering"),
    ),
    row(
        "gcp:kms/keyRing:KeyRing",
        sources=(METHOD_MAP, KEY_DESTROY),
        api=KMS_API,
        create=("cloudkms.keyRings.create",),
        read=("cloudkms.keyRings.get",),
        note="key rings cannot be deleted: destroy only forgets it",
    ),
    row(
        "gcp:kms/cryptoKey:CryptoKey",
        sources=(METHOD_MAP, KEY_DESTROY),
        api=KMS_API,
        create=("cloudkms.cryptoKeys.create",),
        read=("cloudkms.cryptoKeys.get",),
        update=("cloudkms.cryptoKeys.update",),
        delete=("cloudkms.cryptoKeyVersions.list", "cloudkms.cryptoKeyVersions.destroy"),
    ),
    iam_member_row("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "cloudkms.cryptoKeys", KMS_API),
    row(
        "gcp:projects/serviceIdentity:ServiceIdentity",
        sources=(METHOD_MAP,),
        api="serviceusage.googleapis.com",
        create=("serviceusage.services.use",),
        note="generateServiceIdentity is authorised by serviceusage.services.use on the project",
    ),
    row(
        "gcp:sql/databaseInstance:DatabaseInstance",
        sources=(METHOD_MAP,),
        api=SQL_API,
        create=("cloudsql.instances.create",),
        read=("cloudsql.instances.get",),
        update=("cloudsql.instances.update",),
        delete=("cloudsql.instances.delete",),
    ),
    row(
        "gcp:sql/database:Database",
        sources=(METHOD_MAP,),
        api=SQL_API,
        create=("cloudsql.databases.create",),
        read=("cloudsql.databases.get",),
        update=("cloudsql.databases.update",),
        delete=("cloudsql.databases.delete",),
    ),
    row(
        "gcp:sql/user:User",
        sources=(
            METHOD_MAP,
            "terraform-provider-google google_sql_user: the read lists the instance's users",
        ),
        api=SQL_API,
        create=("cloudsql.users.create",),
        read=("cloudsql.users.list",),
        update=("cloudsql.users.update",),
        delete=("cloudsql.users.delete",),
    ),
    row(
        "gcp:redis/instance:Instance",
        sources=(METHOD_MAP, AUTH_STRING),
        api=REDIS_API,
        create=("redis.instances.create",),
        read=("redis.instances.get",),
        update=("redis.instances.update",),
        delete=("redis.instances.delete",),
        when=(
            When(
                input_set("authEnabled"),
                "AUTH on: every read fetches the AUTH string",
                {Op.READ: ("redis.instances.getAuthString",)},
            ),
        ),
    ),
    row(
        "gcp:storage/bucket:Bucket",
        sources=(METHOD_MAP,),
        api=STORAGE_API,
        create=("storage.buckets.create",),
        read=("storage.buckets.get",),
        update=("storage.buckets.update",),
        delete=("storage.buckets.delete",),
        when=(
            When(
                input_set("forceDestroy"),
                "forceDestroy empties the bucket first",
                {Op.DELETE: ("storage.objects.list", "storage.objects.delete")},
            ),
        ),
    ),
    iam_member_row("gcp:storage/bucketIAMMember:BucketIAMMember", "storage.buckets", STORAGE_API),
    row(
        "gcp:cloudrunv2/workerPool:WorkerPool",
        sources=(METHOD_MAP, ACT_AS),
        api="run.googleapis.com",
        create=("run.workerpools.create", RUNS_AS),
        read=("run.workerpools.get",),
        update=("run.workerpools.update", RUNS_AS),
        delete=("run.workerpools.delete",),
    ),
    row(
        "gcp:logging/metric:Metric",
        sources=(METHOD_MAP,),
        api="logging.googleapis.com",
        create=("logging.logMetrics.create",),
        read=("logging.logMetrics.get",),
        update=("logging.logMetrics.update",),
        delete=("logging.logMetrics.delete",),
    ),
)

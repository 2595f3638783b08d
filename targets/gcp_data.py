"""The managed data tier of a stack's Google Cloud side: what lets Cloud Run lose an instance without
losing data, on the same contract as AWS's production profile.

A VPC that Cloud Run joins through direct VPC egress; Cloud SQL for PostgreSQL and Memorystore for Redis
on private services access, both TLS-only with the server CA handed to the app; Cloud Storage for uploads;
the stack's Cloud KMS key encrypting all three; the generated passwords and the AUTH string in Secret
Manager, readable by the runtime identity alone. The keys the clouds share keep one meaning (stack_config/
gcp.py): dbMultiAz makes the instance regional, cacheNodeCount 2+ makes Memorystore Standard (replicated).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from app.contract import ENV
from components.gcp.apis import ProjectApis
from components.gcp.cloud_run_env import DirectVpc
from components.gcp.cloud_sql import CloudSqlDatabase, CloudSqlDatabaseArgs
from components.gcp.gcs_bucket import GcsBucket, GcsBucketArgs
from components.gcp.kms import GcpKey, GcpKeyArgs
from components.gcp.memorystore import MemorystoreCache, MemorystoreCacheArgs
from components.gcp.network import SERVICE_NETWORKING, GcpNetwork, GcpNetworkArgs
from components.gcp.secrets import GcpSecrets, GcpSecretsArgs
from components.gcp.service_account import ServiceAccount
from stack_config import StackConfig
from targets.generated_secrets import GCP_DATABASE_PASSWORD as DATABASE_PASSWORD
from targets.generated_secrets import GCP_READONLY_PASSWORD as READONLY_PASSWORD
from targets.generated_secrets import GCP_REDIS_AUTH as REDIS_AUTH

COMPUTE_API = "compute.googleapis.com"
SQL_API = "sqladmin.googleapis.com"
REDIS_API = "redis.googleapis.com"
KMS_API = "cloudkms.googleapis.com"
STORAGE_API = "storage.googleapis.com"
DATA_APIS = (COMPUTE_API, SERVICE_NETWORKING, SQL_API, REDIS_API, KMS_API, STORAGE_API)
# Secret Manager secret role -> the env variable the app reads it from (Cloud Run mounts the latest).
DATA_SECRET_ENV = {
    DATABASE_PASSWORD: ENV.DATABASE_PASSWORD,
    READONLY_PASSWORD: ENV.DATABASE_READONLY_PASSWORD,
    REDIS_AUTH: ENV.REDIS_AUTH_TOKEN,
}


@dataclass
class GcpDataTier:
    network: GcpNetwork
    key: GcpKey
    database: CloudSqlDatabase
    cache: MemorystoreCache
    uploads: GcsBucket
    secrets: GcpSecrets

    @property
    def vpc(self) -> DirectVpc:
        return DirectVpc(self.network.network_id, self.network.subnet_id)

    def env(self) -> dict[str, pulumi.Input[str]]:
        """Where the stores are and the CAs that signed their certificates (certificates, not secrets)."""
        return {
            ENV.DATABASE_HOST: self.database.host,
            ENV.DATABASE_PORT: "5432",
            ENV.DATABASE_NAME: self.database.database_name,
            ENV.DATABASE_USER: self.database.user_name,
            # The instance's own CA signs its certificate alone: a verified chain is this instance.
            ENV.DATABASE_SSLMODE: "verify-ca",
            ENV.DATABASE_CA_CERT: self.database.ca_cert,
            ENV.REDIS_HOST: self.cache.host,
            ENV.REDIS_PORT: self.cache.port.apply(str),
            ENV.REDIS_TLS: "true",
            ENV.REDIS_CA_CERT: self.cache.ca_cert,
            ENV.UPLOADS_GCS_BUCKET: self.uploads.bucket_name,
        }

    def secret_env(self, *, readonly: bool = False) -> dict[str, pulumi.Output[str]]:
        """The logins, as env from Secret Manager; the read-only role's only where it is used (the
        migrations give it its login, the nightly job reads with it)."""
        roles = [DATABASE_PASSWORD, REDIS_AUTH, *([READONLY_PASSWORD] if readonly else [])]
        return {DATA_SECRET_ENV[role]: self.secrets.secret_ids[role] for role in roles}


def postgres_version(engine_version: str) -> str:
    """dbEngineVersion ("17", or "17.6") as Cloud SQL names it: the major only, Cloud SQL picks the minor."""
    return f"POSTGRES_{engine_version.partition('.')[0]}"


def build_data_tier(
    config: StackConfig,
    provider: gcp.Provider,
    apis: ProjectApis,
    runtime: ServiceAccount,
    labels: dict[str, str],
) -> GcpDataTier:
    s, base = config.settings, config.base_name
    project, region = config.gcp_project, config.gcp_region
    opts = pulumi.ResourceOptions(providers=[provider])
    network = GcpNetwork(
        f"{base}-network",
        GcpNetworkArgs(
            project,
            region,
            s.gcp_subnet_cidr,
            s.gcp_services_cidr,
            depends_on=apis.needed_by(COMPUTE_API, SERVICE_NETWORKING),
        ),
        opts=opts,
    )
    key = _key(config, provider, apis)
    sql_ready = [network.services_connection, *key.grants, *apis.needed_by(SQL_API)]
    database = CloudSqlDatabase(
        f"{base}-db",
        CloudSqlDatabaseArgs(
            project=project,
            region=region,
            database_version=postgres_version(s.db_engine_version),
            tier=s.cloud_sql_tier,
            edition=s.cloud_sql_edition,
            regional=s.db_multi_az,
            disk_gb=s.db_allocated_storage_gb,
            disk_limit_gb=s.db_max_allocated_storage_gb,
            backup_days=s.db_backup_retention_days,
            deletion_protection=s.db_deletion_protection,
            network_id=network.network_id,
            services_range=network.services_range,
            kms_key_id=key.key_id,
            labels=labels,
            depends_on=sql_ready,
        ),
        opts=opts,
    )
    cache = MemorystoreCache(
        f"{base}-cache",
        MemorystoreCacheArgs(
            project=project,
            region=region,
            tier="STANDARD_HA" if s.cache_node_count >= 2 else "BASIC",
            memory_size_gb=s.memorystore_size_gb,
            redis_version=s.memorystore_version,
            network_id=network.network_id,
            services_range=network.services_range,
            kms_key_id=key.key_id,
            deletion_protection=s.db_deletion_protection,  # the queue lives here: kept as the database is
            depends_on=[network.services_connection, *key.grants, *apis.needed_by(REDIS_API)],
        ),
        opts=opts,
    )
    uploads = GcsBucket(
        f"{base}-uploads",
        GcsBucketArgs(
            project=project,
            location=region,
            kms_key_id=key.key_id,
            object_user=runtime.member,
            expire_days=s.uploads_expire_days,
            noncurrent_days=s.noncurrent_version_expire_days,
            force_destroy=s.force_destroy_data,
            depends_on=[*key.grants, *apis.needed_by(STORAGE_API)],
        ),
        opts=opts,
    )
    secrets = GcpSecrets(
        f"{base}-data-secrets",
        GcpSecretsArgs(
            project=project,
            id_prefix=base,
            roles=list(DATA_SECRET_ENV),
            accessor_member=runtime.member,
            values={
                DATABASE_PASSWORD: database.password,
                READONLY_PASSWORD: database.readonly_password,
                REDIS_AUTH: cache.auth_string,
            },
            generated=True,
            depends_on=apis.needed_by("secretmanager.googleapis.com"),
        ),
        opts=opts,
    )
    return GcpDataTier(network, key, database, cache, uploads, secrets)


def _key(config: StackConfig, provider: gcp.Provider, apis: ProjectApis) -> GcpKey:
    """The stack's key, with Encrypter/Decrypter for the service agents of Cloud SQL, Memorystore and
    Cloud Storage."""
    project = config.gcp_project
    invoke = pulumi.InvokeOutputOptions(provider=provider)
    storage_agent = gcp.storage.get_project_service_account_output(project=project, opts=invoke)
    return GcpKey(
        f"{config.base_name}-kms",
        GcpKeyArgs(
            project,
            config.gcp_region,
            encrypters={
                "storage": storage_agent.email_address.apply(lambda email: f"serviceAccount:{email}")
            },
            agent_services={"sql": SQL_API, "redis": REDIS_API},
            depends_on=apis.needed_by(KMS_API, SQL_API, REDIS_API),
        ),
        opts=pulumi.ResourceOptions(providers=[provider]),
    )

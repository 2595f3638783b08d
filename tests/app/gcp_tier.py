"""Google Cloud's data tier on this machine, as Cloud Run sees it: PostgreSQL that accepts only TLS and a
password (Cloud SQL with ENCRYPTED_ONLY and a built-in user), Redis that speaks only TLS and wants AUTH
(Memorystore with SERVER_AUTHENTICATION), both certificates signed by a throwaway CA the app is given as
PEM, and a Cloud Storage emulator. `env` is what the GCP target hands the containers (targets/gcp_data.py).
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from app_servers import Postgres, Redis, ServerTls, free_port, start_postgres, start_redis
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from gcp_storage_emulator.server import create_server

from app.contract import ENV, READONLY_DATABASE_ROLE

APP_USER, DATABASE = "launchpad", "launchpad"
DB_PASSWORD, READER_PASSWORD = "app-password-0123456789", "reader-pw-0123456789"
REDIS_TOKEN = "auth-token-0123456789"
BUCKET = "launchpad-test-uploads"
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Authority:
    """A CA (its PEM) and a server certificate it signed for 127.0.0.1."""

    pem: str
    server: ServerTls


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def make_authority(directory: Path, common_name: str) -> Authority:
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), False)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / f"{common_name}.crt", directory / f"{common_name}.key"
    cert_path.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(_pem(key))
    key_path.chmod(0o600)
    return Authority(ca.public_bytes(serialization.Encoding.PEM).decode(), ServerTls(cert_path, key_path))


@dataclass
class GcpTier:
    postgres: Postgres
    redis: Redis
    database_ca: str
    redis_ca: str
    storage_host: str

    def env(self) -> dict[str, str]:
        """The environment the GCP target gives web, worker and jobs (secrets as Cloud Run mounts them)."""
        return {
            ENV.DEPLOYMENT_ENV: "production",
            ENV.DATABASE_HOST: "127.0.0.1",
            ENV.DATABASE_PORT: str(self.postgres.port),
            ENV.DATABASE_NAME: DATABASE,
            ENV.DATABASE_USER: APP_USER,
            ENV.DATABASE_PASSWORD: DB_PASSWORD,
            ENV.DATABASE_SSLMODE: "verify-ca",
            ENV.DATABASE_CA_CERT: self.database_ca,
            ENV.REDIS_HOST: "127.0.0.1",
            ENV.REDIS_PORT: str(self.redis.port),
            ENV.REDIS_TLS: "true",
            ENV.REDIS_AUTH_TOKEN: REDIS_TOKEN,
            ENV.REDIS_CA_CERT: self.redis_ca,
            ENV.UPLOADS_GCS_BUCKET: BUCKET,
            "STORAGE_EMULATOR_HOST": self.storage_host,
        }


def _cloud_sql_like(postgres: Postgres) -> None:
    """Cloud SQL's built-in user: a password login that may create roles (cloudsqlsuperuser), owning the
    app's database. The read-only role must log in with its password too."""
    admin = f"host=127.0.0.1 port={postgres.port} user=postgres dbname=postgres sslmode=require"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f"CREATE ROLE {APP_USER} LOGIN CREATEROLE PASSWORD '{DB_PASSWORD}' IN ROLE password_login")
        c.execute(f"CREATE ROLE {READONLY_DATABASE_ROLE} NOLOGIN IN ROLE password_login")
        c.execute(f"CREATE DATABASE {DATABASE} OWNER {APP_USER}")


def start_gcp_tier(directory: Path) -> Iterator[GcpTier]:
    database_ca, redis_ca = make_authority(directory, "cloud-sql"), make_authority(directory, "memorystore")
    postgres = start_postgres(tls=database_ca.server)
    redis = start_redis(tls=redis_ca.server, password=REDIS_TOKEN)
    storage = create_server("127.0.0.1", free_port(), in_memory=True, default_bucket=BUCKET)
    storage.start()  # serves from threads of its own
    try:
        _cloud_sql_like(postgres)
        host, port = storage._api._httpd.server_address  # the emulator has no accessor
        yield GcpTier(postgres, redis, database_ca.pem, redis_ca.pem, f"http://{host}:{port}")
    finally:
        storage.stop()
        redis.stop()
        postgres.stop()

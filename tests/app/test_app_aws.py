"""Uploads to S3 and secrets from Secrets Manager, both on moto (no AWS, no network)."""

from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest
from app_testing import db_rows
from fake_ai import FakeAI
from moto import mock_aws

from app.core.services import Overrides

BUCKET = "launchpad-uploads-test"
REGION = "us-east-1"


def boto_client(service: str):
    return boto3.client(service, region_name=REGION)


@pytest.fixture
def aws():
    with mock_aws():
        boto_client("s3").create_bucket(Bucket=BUCKET)
        yield


@pytest.fixture
def upload_client(make_client, aws):
    return make_client(
        overrides=Overrides(boto_client_factory=boto_client), uploads_bucket=BUCKET, max_upload_bytes=50_000
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body>hello</w:body></w:document>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("report.pdf", PDF, "pdf"),
        ("notes.docx", docx_bytes(), "docx"),
        ("notes.txt", "héllo wörld\n".encode(), "txt"),
    ],
)
def test_allowed_upload_lands_in_s3_with_metadata_in_postgres(
    upload_client, database_url, filename, content, kind
) -> None:
    response = upload_client.post(
        "/v1/uploads", files={"file": (filename, content, "application/octet-stream")}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kind"] == kind
    [row] = db_rows(database_url, "SELECT id, storage_key, filename, size_bytes, kind FROM uploads")
    assert (row.id, row.filename, row.size_bytes, row.kind) == (
        body["upload_id"],
        filename,
        len(content),
        kind,
    )
    assert filename not in row.storage_key  # the key is generated, never the client's name
    stored = boto_client("s3").get_object(Bucket=BUCKET, Key=row.storage_key)
    assert stored["Body"].read() == content


def test_uploads_are_encrypted_with_the_stack_key_not_sse_s3(upload_client) -> None:
    # The bucket as the stack makes it (components/aws/bucket.py): SSE-KMS with the stack key by default.
    key_arn = boto_client("kms").create_key()["KeyMetadata"]["Arn"]
    default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    boto_client("s3").put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]
        },
    )
    response = upload_client.post("/v1/uploads", files={"file": ("a.pdf", PDF, "application/pdf")})
    assert response.status_code == 201, response.text
    [key] = [o["Key"] for o in boto_client("s3").list_objects_v2(Bucket=BUCKET)["Contents"]]
    stored = boto_client("s3").head_object(Bucket=BUCKET, Key=key)
    assert (stored["ServerSideEncryption"], stored["SSEKMSKeyId"]) == ("aws:kms", key_arn)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200),  # an executable named .pdf
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip that is not a Word document
        ("notes.txt", b"text with a NUL \x00 byte"),
        ("latin1.txt", "caf\xe9".encode("latin-1")),
        ("empty.txt", b""),
    ],
)
def test_disallowed_content_is_refused_whatever_its_name(
    upload_client, database_url, filename, content
) -> None:
    response = upload_client.post("/v1/uploads", files={"file": (filename, content, "application/pdf")})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert db_rows(database_url, "SELECT id FROM uploads") == []
    assert boto_client("s3").list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0


def test_oversize_upload_is_refused_before_storage(upload_client) -> None:
    settings = upload_client.app.state.services.settings
    content = b"a" * (settings.max_upload_bytes + 1)
    response = upload_client.post("/v1/uploads", files={"file": ("big.txt", content, "text/plain")})
    assert response.status_code == 413
    assert boto_client("s3").list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0


UNCERTAIN = "Can I change the billing email on my account?"


def test_rotated_provider_key_is_picked_up_after_a_401(make_client, aws) -> None:
    secrets = boto_client("secretsmanager")
    arn = secrets.create_secret(Name="hf-key", SecretString="hf_old")["ARN"]
    accepted = {"key": "hf_old"}
    fake = FakeAI()
    fake.behaviour = {
        "huggingface": lambda request: (
            "ok" if request.headers["authorization"] == f"Bearer {accepted['key']}" else "401"
        )
    }
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport, boto_client_factory=boto_client),
        ai_providers="huggingface",
        huggingface_api_key_secret_arn=arn,
    )
    assert client.post("/v1/decisions", json={"message": UNCERTAIN}).json()["source"] == "huggingface"

    secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"api_key": "hf_new"}))
    accepted["key"] = "hf_new"
    body = client.post("/v1/decisions", json={"message": UNCERTAIN + "?"}).json()

    assert body["source"] == "huggingface"
    sent = [item.headers["authorization"] for item in fake.seen]
    assert sent == ["Bearer hf_old", "Bearer hf_old", "Bearer hf_new"]


def test_api_keys_can_come_from_a_secret(make_client, aws) -> None:
    arn = boto_client("secretsmanager").create_secret(
        Name="api-keys", SecretString='["alpha-key-1", "beta-key-2"]'
    )["ARN"]
    client = make_client(
        overrides=Overrides(boto_client_factory=boto_client), api_keys=None, api_keys_secret_arn=arn
    )
    ok = client.post("/v1/decisions", json={"message": "hello there"}, headers={"X-API-Key": "beta-key-2"})
    bad = client.post("/v1/decisions", json={"message": "hello there"}, headers={"X-API-Key": "gamma"})
    assert ok.status_code == 200
    assert bad.status_code == 401


def test_the_synced_token_stands_in_for_a_missing_provider_key(make_client, aws) -> None:
    arn = boto_client("secretsmanager").create_secret(Name="synced", SecretString="hf_synced_from_laptop")[
        "ARN"
    ]
    fake = FakeAI()
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport, boto_client_factory=boto_client),
        ai_providers="huggingface",
        synced_token_secret_arn=arn,
        synced_token_provider="huggingface",
    )
    assert client.post("/v1/decisions", json={"message": UNCERTAIN}).json()["source"] == "huggingface"
    assert [item.headers["authorization"] for item in fake.seen] == ["Bearer hf_synced_from_laptop"]


def test_a_provider_key_of_its_own_wins_over_the_synced_token(make_client, aws) -> None:
    arn = boto_client("secretsmanager").create_secret(Name="synced2", SecretString="hf_synced")["ARN"]
    fake = FakeAI()
    client = make_client(
        overrides=Overrides(ai_transport=fake.transport, boto_client_factory=boto_client),
        ai_providers="huggingface",
        huggingface_api_key="hf_own",
        synced_token_secret_arn=arn,
        synced_token_provider="huggingface",
    )
    client.post("/v1/decisions", json={"message": UNCERTAIN})
    assert [item.headers["authorization"] for item in fake.seen] == ["Bearer hf_own"]


def test_an_unreadable_key_secret_does_not_stop_the_service(make_client, aws) -> None:
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf"
    client = make_client(overrides=Overrides(boto_client_factory=boto_client), api_keys_secret_arn=missing)
    assert client.get("/health").status_code == 200
    assert client.post("/v1/decisions", json={"message": "hello there"}).status_code == 200  # env key


def test_the_synced_token_has_its_own_refresh_interval_and_other_keys_keep_theirs(aws) -> None:
    import time

    from app.contract import ENV
    from app.core.secrets import SYNCED_TOKEN, SecretReader

    sm = boto_client("secretsmanager")
    token = sm.create_secret(Name="synced-ttl", SecretString="token-1")["ARN"]
    key = sm.create_secret(Name="hf-ttl", SecretString="key-1")["ARN"]
    reader = SecretReader(
        {ENV.SYNCED_TOKEN_SECRET_ARN: token, ENV.HUGGINGFACE_API_KEY_SECRET_ARN: key},
        client_factory=lambda: boto_client("secretsmanager"),
        ttl_seconds=3600,
        ttl_overrides={SYNCED_TOKEN: 1},
    )
    assert (reader.get(SYNCED_TOKEN), reader.get(ENV.HUGGINGFACE_API_KEY)) == ("token-1", "key-1")
    sm.put_secret_value(SecretId=token, SecretString="token-2")
    sm.put_secret_value(SecretId=key, SecretString="key-2")
    time.sleep(1.1)
    assert reader.get(SYNCED_TOKEN) == "token-2"  # within its 1 s bound
    assert reader.get(ENV.HUGGINGFACE_API_KEY) == "key-1"  # until its hour, or a 401
    reader.refresh(ENV.HUGGINGFACE_API_KEY)
    assert reader.get(ENV.HUGGINGFACE_API_KEY) == "key-2"

"""The requests a stack's deployment makes on the self-managed S3 backend: reading and writing its state,
history and lock, and the state key (the stack's secrets provider, `awskms://alias/launchpad-pulumi-state`).

Read in pulumi/pulumi at 1b59498 (2026-08-21): pkg/backend/diy/store.go:39-135 (a stack's checkpoint is
`.pulumi/stacks/<project>/<stack>.json[.gz|.zst]`, its history under `.pulumi/history/<project>/<stack>/`,
backups under `.pulumi/backups/<project>/<stack>/`), lock.go:130-177 (`up` writes, then deletes,
`.pulumi/locks/<org>/<project>/<stack>/<id>.json`), backend.go:1197-1283 (preview and refresh --preview-only
take no lock), backend.go:1372 and 1455 (a dry run saves no checkpoint and no history), meta.go (every
command reads `.pulumi/meta.yaml`). The secrets provider decrypts the stack's data key with kms:Decrypt on
every run and encrypts it with kms:Encrypt when the stack is created (gocloud.dev/secrets/awskms).

The backend writes objects with the S3 server-side-encryption headers only when its URL asks for them:
gocloud.dev blob/s3blob (google/go-cloud@29ba348, s3blob.go:120-160 reads `ssetype` and `kmskeyid` from the
URL; :794-797 sets ServerSideEncryption and SSEKMSKeyId on the upload only when they were given). The state
bucket's policy refuses a PutObject without them, so the request context carries exactly what the URL sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlparse

from launchpad.access.aws_requests import Request, governing_policy
from launchpad.access.model import Op

PROJECT = "launchpad"
ORGANIZATION = "organization"  # the S3 backend's organization (offline/program.py, delivery/pulumi_cli.py)
SOURCES = ("pulumi/pulumi@1b59498 pkg/backend/diy/{store,lock,backend,meta}.go",)


def _upload_headers(backend_url: str) -> dict[str, str]:
    """The SSE condition keys a PutObject carries, from the backend URL's ssetype and kmskeyid."""
    query = parse_qs(urlparse(backend_url).query)
    headers = {}
    if query.get("ssetype"):
        headers["s3:x-amz-server-side-encryption"] = query["ssetype"][0]
    if query.get("kmskeyid"):
        headers["s3:x-amz-server-side-encryption-aws-kms-key-id"] = query["kmskeyid"][0]
    return headers


def state_requests(
    stack: str, backend_url: str, key_arn: str, policies: Mapping[str, tuple[str, Any]], ops: tuple[Op, ...]
) -> list[Request]:
    """What `pulumi up/destroy` (all ops) or `pulumi preview` (READ only) asks of the state backend."""
    bucket = urlparse(backend_url).netloc
    objects = f"arn:aws:s3:::{bucket}"
    upload = _upload_headers(backend_url)
    checkpoint = f"{objects}/.pulumi/stacks/{PROJECT}/{stack}.json"
    reads = [
        ("s3:ListBucket", objects),
        ("s3:GetObject", f"{objects}/.pulumi/meta.yaml"),
        ("s3:GetObject", checkpoint),
        ("kms:Decrypt", key_arn),
    ]
    writes = [
        ("s3:PutObject", checkpoint),
        ("s3:PutObject", f"{checkpoint}.bak"),
        (
            "s3:PutObject",
            f"{objects}/.pulumi/history/{PROJECT}/{stack}/{stack}-1765000000000000000.history.json",
        ),
        (
            "s3:PutObject",
            f"{objects}/.pulumi/history/{PROJECT}/{stack}/{stack}-1765000000000000000.checkpoint.json",
        ),
        ("s3:PutObject", f"{objects}/.pulumi/locks/{ORGANIZATION}/{PROJECT}/{stack}/0b0e5c6e.json"),
        ("s3:DeleteObject", f"{objects}/.pulumi/locks/{ORGANIZATION}/{PROJECT}/{stack}/0b0e5c6e.json"),
        ("s3:DeleteObject", checkpoint),  # `pulumi stack rm` after a destroy
        ("kms:Encrypt", key_arn),
        ("kms:GenerateDataKey", key_arn),  # S3 encrypts each object with the bucket's key (SSE-KMS)
    ]
    chosen = reads + (writes if Op.UPDATE in ops else [])
    return [
        Request(
            permission,
            resource,
            {"aws:SecureTransport": "true", **(upload if permission == "s3:PutObject" else {})},
            f"state of {stack}",
            Op.READ if (permission, resource) in reads else Op.UPDATE,
            f"state|{permission}",
            governing_policy(resource, policies),
            SOURCES,
        )
        for permission, resource in chosen
    ]

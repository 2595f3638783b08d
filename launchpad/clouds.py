"""Cloud clients for the operating commands: boto3, and Google's clients only when `gcp` is a target.

Tests hand `Clouds` fakes for the Google APIs (moto stands in for AWS through boto3 itself).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    TokenRetrievalError,
)

from launchpad.errors import OperateError

# An operator waits for these calls: seconds, not botocore's default minute, and a couple of retries.
BOTO_CONFIG = Config(connect_timeout=5, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"})
# Loggers that could print request bodies (a secret value) if someone turned on DEBUG logging.
QUIET_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer", "google", "grpc")
AWS_FIX = (
    "sign in for the stack's account: `aws sso login --profile P` and `export AWS_PROFILE=P`, "
    "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
)
NETWORK = "network"  # the field of an error that stops every call, like missing credentials
GCP_FIX = "run `gcloud auth application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS)"
CREDENTIAL_ERRORS = (
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "InvalidSignatureException",
)


def quiet_sdk_logs() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def aws_error_code(error: BaseException, default: str = "") -> str:
    """The error code of an AWS ClientError (`default` when it has none, or is another error)."""
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", default))


def _before_aws_answers(error: Exception, action: str) -> OperateError | None:
    """Failures on this side: no credentials or region, or no route to AWS."""
    if isinstance(error, NoCredentialsError | TokenRetrievalError):
        return OperateError("AWS credentials", "none found", AWS_FIX)
    if isinstance(error, NoRegionError):
        return OperateError("AWS region", "not set", "export AWS_REGION=<the stack's region>")
    if isinstance(error, EndpointConnectionError | ConnectTimeoutError):
        return OperateError(
            NETWORK,
            f"cannot reach AWS ({error}) for {action}",
            "check the network, a proxy (HTTPS_PROXY) or a VPN; nothing was checked or changed",
        )
    return None


def aws_error(error: Exception, action: str) -> OperateError:
    """An AWS failure as the operator's error: no credentials, expired ones, a denied call, or other."""
    local = _before_aws_answers(error, action)
    if local is not None:
        return local
    if isinstance(error, ClientError):
        code = aws_error_code(error, "Error")
        if code in CREDENTIAL_ERRORS:
            return OperateError("AWS credentials", f"refused ({code})", AWS_FIX)
        if "AccessDenied" in code:
            return OperateError(
                "AWS permissions",
                f"{action} was denied ({code})",
                "use a role that may do it on the stack's resources (docs/security.md lists them)",
            )
        return OperateError(action, f"AWS answered {code}", "see docs/operations.md")
    return OperateError(action, f"failed: {type(error).__name__}", "run it again; see docs/operations.md")


def _google(module: str) -> Any:
    with warnings.catch_warnings():  # google-api-core warns about Python versions on import
        warnings.simplefilter("ignore", FutureWarning)
        if module == "run":
            from google.cloud import run_v2  # noqa: PLC0415 - only stacks with the gcp target load it

            return run_v2
        from google.cloud import secretmanager  # noqa: PLC0415

        return secretmanager


def _default_gcp(kind: str) -> Any:
    import google.auth  # noqa: PLC0415
    from google.auth.exceptions import DefaultCredentialsError  # noqa: PLC0415

    try:
        google.auth.default()
    except DefaultCredentialsError:
        raise OperateError("Google credentials", "none found", GCP_FIX) from None
    if kind == "run":
        return _google("run").ServicesClient()
    return _google("secrets").SecretManagerServiceClient()


@dataclass
class Clouds:
    """Where clients come from: boto3 (moto in tests) and Google's clients (fakes in tests)."""

    gcp_factory: Callable[[str], Any] = _default_gcp
    _gcp: dict[str, Any] = field(default_factory=dict)
    _session: boto3.Session | None = None

    def aws(self, service: str, region: str) -> Any:
        if self._session is None:
            self._session = boto3.Session()
            if self._session.get_credentials() is None:
                raise OperateError("AWS credentials", "none found", AWS_FIX)
        return self._session.client(service, region_name=region, config=BOTO_CONFIG)

    def gcp(self, kind: str) -> Any:
        """`kind` is "secrets" (Secret Manager) or "run" (Cloud Run)."""
        if kind not in self._gcp:
            self._gcp[kind] = self.gcp_factory(kind)
        return self._gcp[kind]

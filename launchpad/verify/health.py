"""`/health` answers 200 over the stack's public URL, over HTTPS when the stack serves HTTPS."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request

from app import contract
from launchpad.verify.checks import Check

TIMEOUT_SECONDS = 10


def get(url: str) -> tuple[int, bytes]:
    """Status and body; a non-2xx answer is an answer, not an error."""
    request = urllib.request.Request(url, headers={"User-Agent": "launchpad-verify"})  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(  # noqa: S310 - the scheme is checked by the caller
            request, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        ) as response:
            return response.status, response.read(65_536)
    except urllib.error.HTTPError as error:
        return error.code, error.read(65_536)


def health_check(label: str, base_url: str, https_required: bool, *, private_ok: bool = False) -> Check:
    url = base_url.rstrip("/") + contract.HEALTH_PATH
    name = f"{label} {contract.HEALTH_PATH} answers 200"
    if not url.startswith(("https://", "http://")):
        return Check(name, "fail", f"{base_url!r} is not an http(s) URL")
    if https_required and not url.startswith("https://"):
        return Check(
            name, "fail", f"the stack serves HTTPS but its URL is {base_url}: check the edge outputs"
        )
    try:
        status, body = get(url)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Check(name, "fail", f"{url} unreachable: {reason}")
    if status == 200:
        return Check(name, "pass", f"200 from {url}")
    if private_ok and status in (401, 403):
        return Check(
            name, "warn", f"{status}: the service is not public; readiness is checked through its API"
        )
    return Check(name, "fail", f"{status} from {url}{_failing(body)}")


def _failing(body: bytes) -> str:
    """The app's 503 names what is down (database, redis)."""
    try:
        failing = json.loads(body).get("failing")
    except (ValueError, AttributeError):
        return ""
    return f"; failing: {', '.join(failing)}" if failing else ""

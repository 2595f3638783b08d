"""A check's result and the two ways to print a checklist: text for people, JSON for CI."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from app import contract
from launchpad.clouds import NETWORK, aws_error
from launchpad.errors import OperateError

Status = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def ai_provider_keys() -> tuple[str, ...]:
    """The AI providers' keys (app/contract.py APP_SECRETS): optional, as the chain skips a provider
    without one. Read from the table at each call (both clouds' checks use it)."""
    return tuple(secret.name for secret in contract.APP_SECRETS if secret.provider is not None)


def guarded(name: str, action: str, probe: Callable[[], Check]) -> Check:
    """Runs one check; a cloud error fails that check (naming the call), except missing credentials and
    an unreachable network, which stop the whole run (every other check would fail the same way): exit 2,
    not a stack that failed its checks."""
    try:
        return probe()
    except OperateError:
        raise
    except Exception as error:
        failed = aws_error(error, action)
        if failed.field in ("AWS credentials", NETWORK):
            raise failed from None
        return Check(name, "fail", f"{failed.problem}; fix: {failed.fix}")


def render_text(stack: str, checks: Sequence[Check]) -> str:
    lines = [f"launchpad verify --stack {stack}"]
    lines += [f"  {c.status.upper():<5} {c.name}: {c.detail}" for c in checks]
    failed = sum(c.failed for c in checks)
    lines.append(f"{len(checks)} checks, {failed} failed" + ("" if failed else ": the stack is healthy"))
    return "\n".join(lines) + "\n"


def render_json(stack: str, checks: Sequence[Check]) -> str:
    document = {
        "stack": stack,
        "ok": not any(c.failed for c in checks),
        "failed": sum(c.failed for c in checks),
        "checks": [asdict(c) for c in checks],
    }
    return json.dumps(document, indent=2) + "\n"

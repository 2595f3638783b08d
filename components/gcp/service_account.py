"""A dedicated Google service account with no roles of its own.

Whatever it may do is granted where it is needed (on one secret, on one job), never at project level,
so no basic role (owner, editor, viewer) and never the default compute account.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

_ACCOUNT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")


def check_account_id(account_id: str) -> str:
    """Raises unless `account_id` is a valid service account id; returns it."""
    if not _ACCOUNT_ID.fullmatch(account_id):
        raise ValueError(
            f"service account id {account_id!r} must be 6-30 lowercase letters, digits or hyphens, "
            "starting with a letter (shorten the stack name)"
        )
    return account_id


@dataclass
class ServiceAccountArgs:
    project: str  # the project of the account
    account_id: str  # 6-30 chars: lowercase letters, digits, hyphens; starts with a letter
    purpose: str  # its display name: what runs as it
    depends_on: Sequence[pulumi.Resource] = ()  # the IAM API's enablement


class ServiceAccount(pulumi.ComponentResource):
    email: pulumi.Output[str]
    member: pulumi.Output[str]  # "serviceAccount:<email>", as IAM bindings want it

    def __init__(
        self, name: str, args: ServiceAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        check_account_id(args.account_id)
        super().__init__("launchpad:service_account:ServiceAccount", name, None, opts)
        account = gcp.serviceaccount.Account(
            f"{name}-account",
            project=args.project,
            account_id=args.account_id,
            display_name=args.purpose[:100],
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        self.email = account.email
        self.member = account.member
        self.register_outputs({"email": self.email, "member": self.member})

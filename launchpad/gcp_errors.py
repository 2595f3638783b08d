"""Google API failures as operator errors, and the Secret Manager resource names the stack exports."""

from __future__ import annotations

from launchpad.clouds import GCP_FIX
from launchpad.errors import OperateError
from launchpad.outputs import StackOutputs


def gcp_error(error: Exception, action: str) -> OperateError:
    from google.api_core import exceptions  # noqa: PLC0415 - only stacks with the gcp target load it

    if isinstance(error, exceptions.PermissionDenied | exceptions.Unauthenticated):
        return OperateError("Google permissions", f"{action} was refused ({type(error).__name__})", GCP_FIX)
    if isinstance(error, exceptions.NotFound):
        return OperateError(action, "the resource does not exist", "run `pulumi up` for the stack")
    if isinstance(error, exceptions.GoogleAPICallError):
        return OperateError(action, f"Google answered {type(error).__name__}", "run it again")
    return OperateError(action, f"failed: {type(error).__name__}", "run it again")


def gcp_secret_name(outputs: StackOutputs, role: str) -> str | None:
    """`projects/<project>/secrets/<id>` of a role the stack keeps in Secret Manager, else None."""
    if not outputs.has_gcp:
        return None
    ids = outputs.values.get("gcp_secret_ids") or {}
    secret_id = ids.get(role) if isinstance(ids, dict) else None
    return f"projects/{outputs.values['gcp_project']}/secrets/{secret_id}" if secret_id else None

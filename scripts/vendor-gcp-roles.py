"""Copies the permissions of the predefined GCP roles the bootstrap may grant into
launchpad/access/data/gcp_roles.json, from iann0036/iam-dataset (gcp/roles/<role>.json, a daily copy of
Google's IAM roles reference). Run with the dataset's git directory:
`python scripts/vendor-gcp-roles.py /path/to/iam-dataset/.git <commit>`; rerun when a role is added."""

import json
import subprocess
import sys
from pathlib import Path

ROLES = [
    "run.admin", "run.viewer", "run.developer",
    "artifactregistry.admin", "artifactregistry.reader", "artifactregistry.writer",
    "secretmanager.admin", "secretmanager.viewer", "secretmanager.secretAccessor",
    "serviceusage.serviceUsageAdmin", "serviceusage.serviceUsageViewer",
    "iam.serviceAccountAdmin", "iam.serviceAccountUser", "iam.serviceAccountViewer",
    "monitoring.editor", "monitoring.viewer", "monitoring.alertPolicyEditor",
    "monitoring.notificationChannelEditor", "monitoring.uptimeCheckConfigEditor",
    "billing.costsManager", "billing.viewer",
    "cloudscheduler.admin", "cloudscheduler.viewer",
    "cloudsql.admin", "cloudsql.viewer", "cloudsql.editor",
    "redis.admin", "redis.viewer", "memorystore.admin", "memorystore.viewer",
    "storage.admin", "storage.bucketViewer", "storage.objectViewer",
    "cloudkms.admin", "cloudkms.viewer", "cloudkms.cryptoKeyEncrypterDecrypter",
    "compute.networkAdmin", "compute.networkViewer", "compute.securityAdmin",
    "servicenetworking.networksAdmin",
    "resourcemanager.projectIamAdmin",
    "logging.configWriter", "logging.viewer", "iam.securityReviewer",
]  # fmt: skip


def main(git_dir: str, commit: str) -> None:
    roles = {}
    for role in ROLES:
        text = subprocess.run(  # noqa: S603 - git with this script's own arguments
            ["git", f"--git-dir={git_dir}", "show", f"{commit}:gcp/roles/{role}.json"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        data = json.loads(text)
        roles[f"roles/{role}"] = {"title": data.get("title", ""), "permissions": data["includedPermissions"]}
    out = {
        "_source": f"iann0036/iam-dataset@{commit[:7]} gcp/roles/*.json (Google's roles reference)",
        "roles": roles,
    }
    target = Path(__file__).resolve().parent.parent / "launchpad" / "access" / "data" / "gcp_roles.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

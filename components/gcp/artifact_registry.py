"""An Artifact Registry Docker repository whose cleanup policy keeps only the last N image versions.

pulumi-gcp 10 gives `Repository` no defaults, so the format is set explicitly. Cleanup deletes versions
older than a week unless they are among the `keep_count` most recent, which always include the one the
service runs (it is the newest push).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

_WEEK = f"{7 * 24 * 3600}s"


@dataclass
class ArtifactRegistryArgs:
    project: str  # the project that owns the repository
    location: str  # the repository's region (beside Cloud Run)
    repository_id: str  # the repository's name in the project
    keep_count: int  # the cleanup policy always keeps this many most recent versions
    image_name: str = "app"  # the image's path inside the repository
    depends_on: Sequence[pulumi.Resource] = ()  # the Artifact Registry API's enablement


class ArtifactRegistry(pulumi.ComponentResource):
    # Artifact Registry refuses a push to the repository root ("NAME_INVALID: Missing image name"): images
    # live at <location>-docker.pkg.dev/<project>/<repository>/<image>.
    repository_url: pulumi.Output[str]  # <location>-docker.pkg.dev/<project>/<repository>
    image_url: pulumi.Output[str]  # repository_url/<image_name>: where the image is pushed

    def __init__(
        self, name: str, args: ArtifactRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if not 1 <= args.keep_count <= 100:
            raise ValueError("ArtifactRegistryArgs.keep_count must be 1-100")
        if not args.repository_id.islower() or len(args.repository_id) > 63:
            raise ValueError("ArtifactRegistryArgs.repository_id must be lowercase, at most 63 characters")
        if not re.fullmatch(r"[a-z0-9]+([._-][a-z0-9]+)*", args.image_name):
            raise ValueError("ArtifactRegistryArgs.image_name must be a lower-case image name such as app")
        super().__init__("launchpad:artifact_registry:ArtifactRegistry", name, None, opts)
        repo = gcp.artifactregistry.Repository(
            f"{name}-repo",
            project=args.project,
            location=args.location,
            repository_id=args.repository_id,
            format="DOCKER",
            description=f"{name}: app images, pushed by digest",
            cleanup_policy_dry_run=False,
            cleanup_policies=[
                gcp.artifactregistry.RepositoryCleanupPolicyArgs(
                    id="keep-most-recent",
                    action="KEEP",
                    most_recent_versions=gcp.artifactregistry.RepositoryCleanupPolicyMostRecentVersionsArgs(
                        keep_count=args.keep_count
                    ),
                ),
                gcp.artifactregistry.RepositoryCleanupPolicyArgs(
                    id="delete-older-than-a-week",
                    action="DELETE",
                    condition=gcp.artifactregistry.RepositoryCleanupPolicyConditionArgs(
                        tag_state="ANY", older_than=_WEEK
                    ),
                ),
            ],
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(args.depends_on)),
        )
        self.repository_url = repo.registry_uri
        self.image_url = repo.registry_uri.apply(lambda uri: f"{uri}/{args.image_name}")
        self.register_outputs({"repository_url": self.repository_url, "image_url": self.image_url})

"""A private ECR repository: immutable tags, scan on push, the stack key, and a lifecycle that prunes."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass
class EcrRepositoryArgs:
    kms_key_arn: pulumi.Input[str]  # encrypts the images at rest
    keep_tagged_images: int = 20  # the lifecycle keeps this many most recent tagged images
    untagged_expire_days: int = 1  # untagged images (old manifests) expire after this many days
    # Let `pulumi destroy` delete the repository with its images (short-lived stacks).
    force_delete: bool = False


def lifecycle_policy(keep_tagged_images: int, untagged_expire_days: int) -> str:
    """ECR lifecycle rules (not an IAM document): untagged layers go first, then all but the newest N."""
    return json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "description": "expire untagged images (superseded pushes, failed builds)",
                    "selection": {
                        "tagStatus": "untagged",
                        "countType": "sinceImagePushed",
                        "countUnit": "days",
                        "countNumber": untagged_expire_days,
                    },
                    "action": {"type": "expire"},
                },
                {
                    "rulePriority": 2,
                    "description": f"keep the newest {keep_tagged_images} tagged images for rollbacks",
                    "selection": {
                        "tagStatus": "tagged",
                        "tagPatternList": ["*"],
                        "countType": "imageCountMoreThan",
                        "countNumber": keep_tagged_images,
                    },
                    "action": {"type": "expire"},
                },
            ]
        },
        sort_keys=True,
    )


class EcrRepository(pulumi.ComponentResource):
    repository_url: pulumi.Output[str]
    registry_id: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: EcrRepositoryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        if args.keep_tagged_images < 1 or args.untagged_expire_days < 1:
            raise ValueError("EcrRepositoryArgs: keep at least one image and expire untagged after 1+ days")
        super().__init__("launchpad:ecr_repository:EcrRepository", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        repository = aws.ecr.Repository(
            f"{name}-repo",
            # Immutable: a tag names one image forever; task definitions pin the digest anyway.
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=args.kms_key_arn)
            ],
            force_delete=args.force_delete,
            opts=child,
        )
        aws.ecr.LifecyclePolicy(
            f"{name}-lifecycle",
            repository=repository.name,
            policy=lifecycle_policy(args.keep_tagged_images, args.untagged_expire_days),
            opts=child,
        )
        self.repository_url = repository.repository_url
        self.registry_id = repository.registry_id
        self.arn = repository.arn
        self.register_outputs(
            {"repository_url": self.repository_url, "registry_id": self.registry_id, "arn": self.arn}
        )

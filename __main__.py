"""Launchpad: one program, every stack. Stacks differ only in their Pulumi.<stack>.yaml."""

from __future__ import annotations

import pulumi

import stack_config
from components.app_image import (
    AppImage,
    AppImageArgs,
    ImageHistory,
    PinnedImage,
    RegistryTarget,
    pinned_image,
    platforms_for,
)
from targets import aws as aws_target
from targets import gcp as gcp_target
from targets import local as local_target

config = stack_config.load()  # raises one ConfigError listing every problem, before any resource exists
targets = config.settings.targets
outputs: dict[str, object] = {}
registries: list[RegistryTarget] = []

foundation = aws_target.build_foundation(config) if "aws" in targets else None
ecr = aws_target.ecr_registry(config, foundation) if foundation is not None else None
if ecr is not None:
    registries.append(ecr.target)
gcp_base = gcp_target.prepare(config) if "gcp" in targets else None
if gcp_base is not None:
    registries.append(gcp_target.registry(config, gcp_base))

# One build for every target: pushed to each registry, or loaded into the local Docker engine. A rollback
# (imageDigest set) builds nothing and runs an image the registries already hold.
image: AppImage | PinnedImage
if config.settings.image_digest:
    image = pinned_image(registries, config.settings.image_digest)
else:
    image = AppImage(
        f"{config.base_name}-image",
        AppImageArgs(
            platforms=platforms_for(config.settings.cpu_architecture, targets),
            registries=registries,
            load_locally="local" in targets,
        ),
    )
if foundation is not None and ecr is not None:
    outputs |= aws_target.foundation_outputs(foundation)
    outputs |= aws_target.deploy_compute(config, foundation, image.refs[aws_target.REGISTRY_NAME], ecr)
if gcp_base is not None:
    outputs |= gcp_target.deploy(config, gcp_base, image.refs[gcp_target.REGISTRY_NAME])
if image.local_ref is not None:
    outputs |= local_target.deploy(config, image.local_ref)
if registries:
    outputs["image_digest"] = image.digest
    outputs["image_history"] = ImageHistory(f"{config.base_name}-image-history", image.digest).digests

for key, value in outputs.items():
    pulumi.export(key, value)

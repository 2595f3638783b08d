"""Launchpad: one program, every stack. Stacks differ only in their Pulumi.<stack>.yaml."""

from __future__ import annotations

import pulumi

import stack_config
from components.app_image import AppImage, AppImageArgs, platforms_for
from targets import aws as aws_target

config = stack_config.load()  # raises one ConfigError listing every problem, before any resource exists
settings = config.settings

if "aws" in settings.targets:
    foundation = aws_target.build_foundation(config)
    ecr = aws_target.ecr_registry(config, foundation)
    image = AppImage(
        f"{config.base_name}-image",
        AppImageArgs(platforms=platforms_for(settings.cpu_architecture, settings.targets), registries=[ecr]),
        opts=foundation.opts,
    )
    outputs = aws_target.foundation_outputs(foundation) | aws_target.deploy_compute(
        config, foundation, image.refs["ecr"]
    )
    for key, value in outputs.items():
        pulumi.export(key, value)
    pulumi.export("image_digest", image.digest)

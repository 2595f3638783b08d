"""Launchpad: one program, every stack. Stacks differ only in their Pulumi.<stack>.yaml."""

from __future__ import annotations

import pulumi

import stack_config
from targets import aws as aws_target

config = stack_config.load()  # raises one ConfigError listing every problem, before any resource exists

if "aws" in config.settings.targets:
    for key, value in aws_target.deploy(config).items():
        pulumi.export(key, value)

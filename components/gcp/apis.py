"""The Google APIs a stack needs, enabled once per project and left enabled on destroy.

Disabling an API on destroy would break anything else in the project that uses it, so
`disable_on_destroy=False`; resources that need an API depend on its `Service`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp


@dataclass
class ProjectApisArgs:
    project: pulumi.Input[str]  # the project the APIs are enabled in
    services: Sequence[str]  # e.g. "run.googleapis.com"


class ProjectApis(pulumi.ComponentResource):
    services: dict[str, gcp.projects.Service]

    def __init__(self, name: str, args: ProjectApisArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        bad = [s for s in args.services if not s.endswith(".googleapis.com")]
        if bad or not args.services:
            raise ValueError(f"ProjectApisArgs.services must name *.googleapis.com APIs, got {bad or '[]'}")
        super().__init__("launchpad:gcp_apis:ProjectApis", name, None, opts)
        self.services = {
            api: gcp.projects.Service(
                f"{name}-{api.split('.')[0]}",
                project=args.project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for api in args.services
        }
        self.register_outputs({"services": {api: s.service for api, s in self.services.items()}})

    def needed_by(self, *apis: str) -> list[pulumi.Resource]:
        """The API resources to list in `depends_on` for something that calls `apis`."""
        return [self.services[api] for api in apis]

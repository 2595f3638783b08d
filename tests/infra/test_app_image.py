"""The image is built once, pushed everywhere, tagged by its context and referenced by digest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pulumi
import pytest

from components.app_image import (
    AppImage,
    AppImageArgs,
    RegistryTarget,
    build_settings,
    content_tag,
    platforms_for,
)
from offline.mocks import Recorded, RecordingMocks, RecordingMonitor
from offline.stack_files import REPO_ROOT
from tests.infra.conftest import plan_with, plan_with_gcp
from tests.infra.plan_query import Plan


def _context(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    (tmp_path / "app" / "main.py").write_text("print('v1')\n")
    return tmp_path


def test_tag_changes_exactly_when_the_build_context_changes(tmp_path: Path) -> None:
    root = _context(tmp_path)
    first = content_tag(root)
    assert content_tag(root) == first
    (root / "app" / "__pycache__").mkdir()
    (root / "app" / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"\0bytecode")
    assert content_tag(root) == first, "bytecode is not in the build context"
    (root / "app" / "main.py").write_text("print('v2')\n")
    assert content_tag(root) != first
    (root / "app" / "main.py").write_text("print('v1')\n")
    (root / "uv.lock").write_text("changed lock\n")
    assert content_tag(root) != first


def test_tag_changes_with_every_build_setting(tmp_path: Path) -> None:
    root = _context(tmp_path)

    def tag(targets: list[str], build_args: dict[str, str] | None = None) -> str:
        return content_tag(root, settings=build_settings(platforms_for("arm64", targets), build_args or {}))

    # Adding gcp to an AWS stack adds amd64: the same context under the old tag would be a second push
    # of an existing tag, which the IMMUTABLE repository refuses.
    assert tag(["aws"]) != tag(["aws", "gcp"])
    assert tag(["aws"], {"PYTHON_VERSION": "3.12"}) != tag(["aws"])
    assert tag(["aws", "gcp"]) == tag(["gcp", "aws"])


def test_the_planned_image_tag_follows_the_targets() -> None:
    aws_only = plan_with("dev", {})
    both = plan_with_gcp("dev", {})
    tags = [_image(p).inputs["tags"][0].rsplit(":", 1)[1] for p in (aws_only, both)]
    assert tags[0] != tags[1]


def _image(plan: Plan) -> Recorded:
    return plan.one("docker-build:index:Image")


@pytest.mark.parametrize(
    ("arch", "targets", "expected"),
    [
        ("arm64", ["aws"], ["linux/arm64"]),
        ("x86_64", ["aws"], ["linux/amd64"]),
        ("arm64", ["aws", "gcp"], ["linux/amd64", "linux/arm64"]),
        ("arm64", ["gcp"], ["linux/amd64"]),
        ("arm64", ["local"], ["linux/arm64"]),
    ],
)
def test_platforms_cover_every_target(arch: str, targets: list[str], expected: list[str]) -> None:
    assert platforms_for(arch, targets) == expected


def _build(args: AppImageArgs) -> tuple[RecordingMocks, dict[str, str]]:
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(
        mocks, project="launchpad", stack="test", preview=False, monitor=RecordingMonitor(mocks)
    )
    refs: dict[str, str] = {}

    @pulumi.runtime.test
    def program() -> pulumi.Output[dict[str, str]]:
        image = AppImage("app", args)
        return pulumi.Output.all(**image.refs).apply(refs.update)

    program()
    return mocks, refs


def test_one_build_pushes_to_every_registry_and_refs_pin_the_digest() -> None:
    registries = [
        RegistryTarget("ecr", "123456789012.dkr.ecr.us-east-1.amazonaws.com/launchpad-dev", "AWS", "tok"),
        RegistryTarget(
            "artifact-registry", "us-central1-docker.pkg.dev/p/launchpad", "oauth2accesstoken", "t"
        ),
    ]
    mocks, refs = _build(
        AppImageArgs(platforms=["linux/amd64", "linux/arm64"], registries=registries, tag="ctx-1")
    )
    builds = [r for r in mocks.resources if r.type == "docker-build:index:Image"]
    assert len(builds) == 1
    build = builds[0]
    assert build.inputs["push"] is True
    assert sorted(build.inputs["tags"]) == sorted(f"{r.repository_url}:ctx-1" for r in registries)
    assert {r["address"] for r in build.inputs["registries"]} == {
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "us-central1-docker.pkg.dev",
    }
    digest = build.outputs["digest"]
    assert refs == {r.name: f"{r.repository_url}@{digest}" for r in registries}
    assert all(":latest" not in ref and "@sha256:" in ref for ref in refs.values())


@pytest.mark.parametrize(
    "args",
    [
        AppImageArgs(platforms=["linux/amd64"]),  # nowhere to put it
        AppImageArgs(platforms=["linux/s390x"], load_locally=True),
        AppImageArgs(platforms=["linux/amd64", "linux/arm64"], load_locally=True),
        AppImageArgs(
            platforms=["linux/amd64"],
            registries=[RegistryTarget("ecr", "a/b", "u", "p"), RegistryTarget("ecr", "c/d", "u", "p")],
        ),
    ],
)
def test_invalid_arguments_fail_before_anything_is_built(args: AppImageArgs) -> None:
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, project="launchpad", stack="test", preview=False)
    with pytest.raises(ValueError, match="AppImageArgs"):
        AppImage("app", args)
    assert not [r for r in mocks.resources if r.type == "docker-build:index:Image"]

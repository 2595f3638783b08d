"""The app's container image: built once from `app/Dockerfile`, pushed to every registry, pinned by digest.

pulumi-docker-build rather than pulumi-docker's `Image`: it builds several platforms in one BuildKit
build (Graviton tasks on AWS and amd64 for Cloud Run from the same sources), pushes the one manifest to
several registries, and reports the digest that task definitions and Cloud Run pin.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pulumi
import pulumi_docker_build as docker_build

REPO_ROOT = Path(__file__).resolve().parent.parent
# What the root .dockerignore admits into the build context; the tag is a hash of exactly this.
CONTEXT_FILES = ("pyproject.toml", "uv.lock")
CONTEXT_DIRS = ("app",)
DOCKERFILE = "app/Dockerfile"
SUPPORTED_PLATFORMS = ("linux/amd64", "linux/arm64")
# Digests kept in the `image_history` output; ECR and Artifact Registry keep at least this many images.
IMAGE_HISTORY_LENGTH = 5


@dataclass
class RegistryTarget:
    name: str  # the key of this registry's ref in AppImage.refs, e.g. "ecr"
    repository_url: pulumi.Input[str]  # "<host>/<path>", no tag
    username: pulumi.Input[str]
    password: pulumi.Input[str]


@dataclass
class AppImageArgs:
    platforms: Sequence[str]  # linux/amd64, linux/arm64: every platform a target runs (one per stack cloud)
    # where the image is pushed, each with its credentials; empty: not pushed
    registries: Sequence[RegistryTarget] = field(default_factory=list)
    load_locally: bool = False  # build into the local Docker engine (the `local` stack); needs one platform
    # Dockerfile ARGs; they go into the tag's hash like the context's files
    build_args: Mapping[str, str] = field(default_factory=dict)
    tag: str | None = None  # defaults to a hash of the build context and the build settings
    context_root: Path = REPO_ROOT  # the build context: the repository root (the image needs uv.lock)


def context_files(root: Path) -> list[Path]:
    files = [root / name for name in CONTEXT_FILES]
    for directory in CONTEXT_DIRS:
        files += [
            p
            for p in sorted((root / directory).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
    return files


def content_tag(root: Path, files: Iterable[Path] | None = None, settings: Sequence[str] = ()) -> str:
    """A tag that changes exactly when what the build makes changes: the build context's files and the
    build's own settings (platforms, Dockerfile, build args). ECR tags are immutable: a rebuild with other
    settings under an old tag is refused ("tag invalid: The image tag ... already exists")."""
    digest = hashlib.sha256()
    for path in files if files is not None else context_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    for setting in settings:
        digest.update(b"setting\0" + setting.encode() + b"\0")
    return f"ctx-{digest.hexdigest()[:20]}"


def build_settings(platforms: Sequence[str], build_args: Mapping[str, str]) -> list[str]:
    """Every build input that is not a file of the context, in a stable order."""
    return [
        f"dockerfile={DOCKERFILE}",
        *(f"platform={p}" for p in sorted(platforms)),
        *(f"arg:{k}={v}" for k, v in sorted(build_args.items())),
    ]


def platforms_for(cpu_architecture: str, targets: Iterable[str]) -> list[str]:
    """Only what the stack's targets run: AWS and the local engine the configured CPU, Cloud Run amd64
    (a platform nobody runs is an emulated build for nothing)."""
    configured = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}[cpu_architecture]
    wanted = {"aws": configured, "local": configured, "gcp": "linux/amd64"}
    return sorted({wanted[target] for target in targets})


def _registry_host(repository_url: str) -> str:
    return repository_url.split("/", 1)[0]


class AppImage(pulumi.ComponentResource):
    digest: pulumi.Output[str]
    refs: dict[str, pulumi.Output[str]]
    local_ref: pulumi.Output[str] | None
    tag: str

    def __init__(self, name: str, args: AppImageArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:image:AppImage", name, None, opts)
        self.tag = args.tag or content_tag(
            args.context_root, settings=build_settings(args.platforms, args.build_args)
        )
        local_tag = f"launchpad-app:{self.tag}"
        tags: list[pulumi.Input[str]] = [
            pulumi.Output.from_input(r.repository_url).apply(lambda url: f"{url}:{self.tag}")
            for r in args.registries
        ]
        image = docker_build.Image(
            f"{name}-build",
            context=docker_build.BuildContextArgs(location=str(args.context_root)),
            dockerfile=docker_build.DockerfileArgs(location=str(args.context_root / DOCKERFILE)),
            platforms=[docker_build.Platform(p) for p in args.platforms],
            build_args=dict(args.build_args) or None,
            tags=[*tags, local_tag] if args.load_locally else tags,
            push=bool(args.registries),
            load=args.load_locally,
            registries=[
                docker_build.RegistryArgs(
                    address=pulumi.Output.from_input(r.repository_url).apply(_registry_host),
                    username=r.username,
                    password=pulumi.Output.secret(r.password),
                )
                for r in args.registries
            ],
            # Labels let an operator trace a running image back to the sources that made it.
            labels={"org.opencontainers.image.title": "launchpad-app", "org.launchpad.context": self.tag},
            # Previews (PR checks) must not need a Docker engine; the digest is known at `up`.
            build_on_preview=False,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.digest = image.digest
        self.refs = {
            r.name: pulumi.Output.all(r.repository_url, image.digest).apply(
                lambda parts: f"{parts[0]}@{parts[1]}"
            )
            for r in args.registries
        }
        # Derived from the build's id, so whatever runs the local tag waits for the build to finish.
        self.local_ref = image.id.apply(lambda _: local_tag) if args.load_locally else None
        self.register_outputs({"digest": self.digest, "refs": self.refs, "tag": self.tag})


@dataclass
class PinnedImage:
    """An image every registry already holds (a rollback): referenced by digest, nothing is built."""

    digest: str
    refs: dict[str, pulumi.Output[str]]
    local_ref: pulumi.Output[str] | None = None


def pinned_image(registries: Sequence[RegistryTarget], digest: str) -> PinnedImage:
    refs = {
        r.name: pulumi.Output.from_input(r.repository_url).apply(lambda url: f"{url}@{digest}")
        for r in registries
    }
    return PinnedImage(digest, refs)


def merged_history(current: str, previous: Sequence[str] | None) -> list[str]:
    """Newest first, each digest once: a redeploy of the same image changes nothing (no drift)."""
    return [current, *(d for d in previous or () if d != current)][:IMAGE_HISTORY_LENGTH]


class ImageHistory(pulumi.ComponentResource):
    """The digests this stack has run, newest first (`digests`). The previous ones come from the stack's
    own last deployment, read through a reference to itself (it sees the outputs of the last `pulumi up`),
    so the rollback (delivery/rollback.py) finds them with any backend, Pulumi Cloud or S3."""

    digests: pulumi.Output[list[str]]

    def __init__(
        self, name: str, current: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("launchpad:image:ImageHistory", name, None, opts)
        own = pulumi.StackReference(
            f"{name}-own-stack",
            stack_name=f"{pulumi.get_organization()}/{pulumi.get_project()}/{pulumi.get_stack()}",
            opts=pulumi.ResourceOptions(parent=self),
        )
        previous = own.get_output("image_history")
        self.digests = pulumi.Output.all(current, previous).apply(
            lambda known: merged_history(known[0], known[1])
        )
        self.register_outputs({"digests": self.digests})


def _validate(args: AppImageArgs) -> None:
    unsupported = [p for p in args.platforms if p not in SUPPORTED_PLATFORMS]
    if not args.platforms or unsupported:
        raise ValueError(
            f"AppImageArgs.platforms must be some of {SUPPORTED_PLATFORMS}; got {list(args.platforms)}"
        )
    if not args.registries and not args.load_locally:
        raise ValueError("AppImageArgs needs at least one registry to push to, or load_locally=True")
    if args.load_locally and len(args.platforms) != 1:
        raise ValueError("AppImageArgs.load_locally builds for one platform (the Docker engine's own)")
    names = [r.name for r in args.registries]
    if len(set(names)) != len(names):
        raise ValueError(f"AppImageArgs.registries has duplicate names {names}")

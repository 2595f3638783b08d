"""The whole system on the local Docker engine: Postgres, Valkey, migrations, web and worker.

Two networks: `data` is internal (no route out) and holds the data stores; `app` gives web and worker
egress to the AI providers. Every published port is bound to 127.0.0.1, never to all interfaces.
Migrations run as a one-shot container that must exit 0 before web and worker are created or changed;
the data stores are waited on until their health checks pass. The app image is held by a `RemoteImage`
that does not keep it locally, so the image a new build replaces is removed from the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker as docker
import pulumi_random as random

LOOPBACK = "127.0.0.1"
POSTGRES_PORT = 5432
REDIS_PORT = 6379
# The Valkey every app container reaches on the data network (no auth: the network is internal).
REDIS_URL = f"redis://redis:{REDIS_PORT}/0"
DB_NAME = DB_USER = "launchpad"
WAIT_SECONDS = 180  # first start initialises the Postgres volume; a cold pull can take a while too


@dataclass
class LocalApp:
    """How the app image runs: the port the web process listens on, its user, the paths it writes, its
    commands and health checks (from the app's contract, by targets/)."""

    port: int  # the web process's port inside the container, published on 127.0.0.1:web_port
    uid: int  # the image's unprivileged user (and group); the tmpfs mounts belong to it
    writable_paths: Sequence[str]  # the only writable paths (tmpfs) on the read-only root filesystem
    shutdown_grace_seconds: int  # how long the app drains after SIGTERM; Docker waits 2 s longer
    web_probe: Sequence[str]  # the web container's health check (argv)
    worker_probe: Sequence[str]  # the worker container's health check (argv)
    worker_command: Sequence[str]  # what the worker container runs
    migrate_command: Sequence[str]  # what the one-shot migration container runs (it must exit 0)
    environment: Mapping[str, str]  # plain variables of every app container
    database_url_env: str  # the variable that receives the URL (with password) of the stack's Postgres


@dataclass
class LocalStackArgs:
    image: pulumi.Input[str]  # the app image, built into the local engine
    app: LocalApp  # how that image runs
    postgres_image: str  # a pinned PostgreSQL image (a tag, maybe a digest)
    redis_image: str  # a pinned Valkey or Redis image
    web_port: int  # the web container's port on 127.0.0.1
    postgres_port: int  # 0 keeps Postgres unpublished
    # Optional provider keys as env (env name -> value); they stay on this machine.
    secret_env: Mapping[str, pulumi.Output[str] | None] = field(default_factory=dict)
    # Docker labels of every container, network and volume (the stack's tags)
    labels: Mapping[str, str] = field(default_factory=dict)
    # Changes on every `pulumi up`, so the migrations run again each time: a failed run is retried by the
    # next `up` instead of staying in state with its exit code.
    migration_run: str = ""


class LocalStack(pulumi.ComponentResource):
    url: pulumi.Output[str]
    migrate_exit_code: pulumi.Output[int]
    postgres_url: pulumi.Output[str] | None  # from this machine, when Postgres is published

    def __init__(self, name: str, args: LocalStackArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:local_stack:LocalStack", name, None, opts)
        self._name, self._args = name, args
        self._labels = [docker.ContainerLabelArgs(label=k, value=v) for k, v in sorted(args.labels.items())]
        self._data_net = docker.Network(
            f"{name}-data", name=f"{name}-data", internal=True, labels=self._net_labels(), opts=self._child()
        )
        self._app_net = docker.Network(
            f"{name}-app", name=f"{name}-app", labels=self._net_labels(), opts=self._child()
        )
        # Local only: the password lives in the container env and in (local) state, and never leaves the
        # machine; Postgres is reachable only on the internal network (and, if published, on loopback).
        password = random.RandomPassword(
            f"{name}-postgres-password", length=32, special=False, opts=self._child()
        )
        postgres = self._postgres(password)
        redis = self._redis()
        env = _app_env(args, password.result)
        # Built into the engine by the image build; removed from it when a new build replaces it.
        self._image = self._pull("app", args.image, keep_locally=False).image_id
        migrate = self._app(
            "migrate",
            env,
            command=args.app.migrate_command,
            after=[postgres],
            one_shot=True,
            rerun=args.migration_run,
        )
        self.migrate_exit_code = migrate.exit_code.apply(_require_success)
        # Web and worker wait for a successful migration through `depends_on` alone: an input read from the
        # migrate container, which every `up` deletes before replacing, would make the engine replace them
        # with it (pulumi/pulumi pkg/resource/deploy/step_generator.go, calculateDependentReplacements), so
        # every `up` would restart them and a failed migration would leave none running. A failed migration
        # fails this Output, so `up` stops before touching them.
        ready = self.migrate_exit_code.apply(lambda _: [postgres, redis, migrate])
        self._app("web", env, after=ready, command=None)
        self._app("worker", env, after=ready, command=args.app.worker_command)
        self.url = pulumi.Output.from_input(f"http://{LOOPBACK}:{args.web_port}")
        self.postgres_url = (
            pulumi.Output.secret(
                pulumi.Output.concat(
                    f"postgresql://{DB_USER}:", password.result, f"@{LOOPBACK}:{args.postgres_port}/{DB_NAME}"
                )
            )
            if args.postgres_port
            else None
        )
        self.register_outputs({"url": self.url, "migrate_exit_code": self.migrate_exit_code})

    def _child(self, depends_on: pulumi.Input[Sequence[pulumi.Resource]] = ()) -> pulumi.ResourceOptions:
        # Docker names are unique: a replacement must remove the old container or network first.
        return pulumi.ResourceOptions(parent=self, depends_on=depends_on, delete_before_replace=True)

    def _net_labels(self) -> list[docker.NetworkLabelArgs]:
        return [docker.NetworkLabelArgs(label=k, value=v) for k, v in sorted(self._args.labels.items())]

    def _pull(self, role: str, image: pulumi.Input[str], keep_locally: bool = True) -> docker.RemoteImage:
        # The pinned Postgres and Valkey images stay on destroy: other projects on this engine may use them.
        return docker.RemoteImage(
            f"{self._name}-{role}-image", name=image, keep_locally=keep_locally, opts=self._child()
        )

    def _postgres(self, password: random.RandomPassword) -> docker.Container:
        name, args = self._name, self._args
        volume = docker.Volume(
            f"{name}-pgdata",
            name=f"{name}-pgdata",
            labels=[docker.VolumeLabelArgs(label=k, value=v) for k, v in sorted(args.labels.items())],
            # Docker cannot relabel a volume: a tag edit would replace it, deleting the database first.
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=True, ignore_changes=["labels"]),
        )
        published = [_loopback(POSTGRES_PORT, args.postgres_port)] if args.postgres_port else []
        networks = [docker.ContainerNetworksAdvancedArgs(name=self._data_net.name, aliases=["postgres"])]
        if published:  # Docker publishes no port from an internal-only network; loopback still bounds it
            networks.append(docker.ContainerNetworksAdvancedArgs(name=self._app_net.name))
        return docker.Container(
            f"{name}-postgres",
            name=f"{name}-postgres",
            image=self._pull("postgres", args.postgres_image).image_id,
            envs=pulumi.Output.secret(password.result.apply(_postgres_env)),  # type: ignore[arg-type]
            volumes=[
                docker.ContainerVolumeArgs(volume_name=volume.name, container_path="/var/lib/postgresql/data")
            ],
            networks_advanced=networks,
            ports=published,
            # Over TCP: while a fresh volume initialises, the entrypoint's server answers on the Unix socket
            # only, and a socket check would let migrations start against it.
            healthcheck=_healthcheck(["CMD", "pg_isready", "-h", LOOPBACK, "-U", DB_USER, "-d", DB_NAME]),
            wait=True,
            wait_timeout=WAIT_SECONDS,
            restart="unless-stopped",
            labels=self._labels,
            opts=self._child(),
        )

    def _redis(self) -> docker.Container:
        cli = "valkey-cli" if "valkey" in self._args.redis_image else "redis-cli"
        return docker.Container(
            f"{self._name}-redis",
            name=f"{self._name}-redis",
            image=self._pull("redis", self._args.redis_image).image_id,
            # No auth: the store sits on the internal network only and is never published.
            networks_advanced=[
                docker.ContainerNetworksAdvancedArgs(name=self._data_net.name, aliases=["redis"])
            ],
            healthcheck=_healthcheck(["CMD", cli, "ping"]),
            wait=True,
            wait_timeout=WAIT_SECONDS,
            restart="unless-stopped",
            labels=self._labels,
            opts=self._child(),
        )

    def _app(
        self,
        role: str,
        env: pulumi.Output[list[str]],
        *,
        command: Sequence[str] | None,
        after: pulumi.Input[Sequence[pulumi.Resource]],
        one_shot: bool = False,
        rerun: str = "",
    ) -> docker.Container:
        app = self._args.app
        # Each role's own health check (the image's HEALTHCHECK is the web probe); migrations have none.
        probe = {"web": app.web_probe, "worker": app.worker_probe}.get(role)
        networks = [docker.ContainerNetworksAdvancedArgs(name=self._data_net.name)]
        if not one_shot:  # migrations need the database only; web and worker call the AI providers
            networks.append(docker.ContainerNetworksAdvancedArgs(name=self._app_net.name))
        return docker.Container(
            f"{self._name}-{role}",
            name=f"{self._name}-{role}",
            image=self._image,
            command=list(command) if command else None,
            envs=env,
            networks_advanced=networks,
            ports=[_loopback(app.port, self._args.web_port)] if role == "web" else [],
            # Each role's own check; NONE turns off the image's web HEALTHCHECK where it cannot answer.
            healthcheck=_healthcheck(["CMD", *probe])
            if probe
            else docker.ContainerHealthcheckArgs(tests=["NONE"]),
            wait=probe is not None,
            wait_timeout=WAIT_SECONDS,
            # A one-shot container runs to completion while Pulumi waits, and its exit code is kept.
            must_run=not one_shot,
            attach=one_shot,
            logs=one_shot,
            restart="no" if one_shot else "unless-stopped",
            read_only=True,
            # The app's writable paths, owned by the app user as the image's VOLUMEs are.
            tmpfs={
                path: f"rw,noexec,nosuid,size=256m,uid={app.uid},gid={app.uid},mode=1777"
                for path in app.writable_paths
            },
            capabilities=docker.ContainerCapabilitiesArgs(drops=["ALL"]),
            security_opts=["no-new-privileges:true"],
            destroy_grace_seconds=app.shutdown_grace_seconds + 2,
            labels=self._labels,
            opts=pulumi.ResourceOptions.merge(
                self._child(after), pulumi.ResourceOptions(replacement_trigger=rerun or None)
            ),
        )


def _app_env(args: LocalStackArgs, password: pulumi.Output[str]) -> pulumi.Output[list[str]]:
    plain, url_env = args.app.environment, args.app.database_url_env
    given = {name: value for name, value in args.secret_env.items() if value is not None}
    names = sorted(given)

    def render(values: list[str]) -> list[str]:
        pw, secrets = values[0], values[1:]
        url = f"postgresql://{DB_USER}:{pw}@postgres:{POSTGRES_PORT}/{DB_NAME}"
        pairs = {**plain, url_env: url, **dict(zip(names, secrets, strict=True))}
        return [f"{k}={v}" for k, v in sorted(pairs.items())]

    return pulumi.Output.secret(pulumi.Output.all(password, *(given[n] for n in names)).apply(render))


def _postgres_env(password: str) -> list[str]:
    return [f"POSTGRES_USER={DB_USER}", f"POSTGRES_DB={DB_NAME}", f"POSTGRES_PASSWORD={password}"]


def _loopback(internal: int, external: int) -> docker.ContainerPortArgs:
    return docker.ContainerPortArgs(internal=internal, external=external, ip=LOOPBACK, protocol="tcp")


def _healthcheck(test: list[str]) -> docker.ContainerHealthcheckArgs:
    return docker.ContainerHealthcheckArgs(
        tests=test, interval="5s", timeout="3s", retries=12, start_period="10s"
    )


def _require_success(code: int | None) -> int:
    if code not in (None, 0):
        raise RuntimeError(f"migrations exited with {code}; see the migrate container's logs")
    return code or 0


def _validate(args: LocalStackArgs) -> None:
    ports = [p for p in (args.web_port, args.postgres_port) if p]
    if len(set(ports)) != len(ports):
        raise ValueError("LocalStackArgs.web_port and postgres_port must differ")
    for image in (args.postgres_image, args.redis_image):
        if ":" not in image.rsplit("/", 1)[-1]:
            raise ValueError(f"{image!r} must pin a tag (no implicit :latest)")

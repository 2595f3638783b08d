"""One Fargate workload of one of three kinds: `web` (behind the ALB), `worker` (queue consumer, no
ingress) or `scheduled` (a one-shot task started on a cron by EventBridge Scheduler, `scheduled_run.py`).

Each gets its own log group, execution role (pulls the image, writes logs, reads only its `valueFrom`
secrets) and task role (only what the app does), so no service can read another's secrets. Services run on
the capacity their strategy names (`capacity.py`) and scale with `service_scaling.py`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.ecs import FARGATE_MAX_STOP_TIMEOUT
from components.aws.capacity import CapacityShare, strategy_problems
from components.aws.container_definitions import (
    APP_CONTAINER,
    ContainerSpec,
    container_definitions,
    writable_volumes,
)
from components.aws.scheduled_run import Schedule, ScheduledRun, ScheduledRunArgs
from components.aws.service_scaling import Scaling, ServiceScaling, ServiceScalingArgs, validate_scaling
from components.iam_policy import Condition, Statement, assume_role_policy, policy_json

Workload = Literal["web", "worker", "scheduled"]


@dataclass
class Container:
    image: pulumi.Input[str]  # "<repository>@sha256:<digest>"
    command: Sequence[str] | None
    environment: Mapping[str, pulumi.Input[str]]
    secrets: Mapping[str, pulumi.Input[str]]  # env var -> valueFrom; read by the execution role
    stop_timeout: int
    run_as: str  # "uid:gid", the image's unprivileged user; never root
    writable_paths: Sequence[str]  # the only paths the image writes at runtime, each a task volume
    port: int | None = None
    health_check: Sequence[str] | None = None
    migrate_command: Sequence[str] | None = None


@dataclass
class FargateServiceArgs:
    workload: Workload  # what the tasks do: serve HTTP, consume the queue, or run once on a schedule
    cluster_arn: pulumi.Input[str]  # the cluster the service (or scheduled run) starts tasks in
    cluster_name: pulumi.Input[str]  # its name, for the scaling and scheduler targets
    container: Container  # what the task runs (one app container, and web's migrate container)
    cpu: int  # task CPU units; with memory one of Fargate's sizes
    memory: int  # task memory in MiB
    cpu_architecture: Literal["ARM64", "X86_64"]  # the image's platform the tasks run on
    subnet_ids: pulumi.Input[Sequence[str]]  # private subnets behind NAT, or public ones with a public IP
    # the tasks' groups (the app's, and web's ALB targets group)
    security_group_ids: Sequence[pulumi.Input[str]]
    assign_public_ip: bool  # only where there is no NAT: the tasks reach ECR and the providers
    kms_key_arn: pulumi.Input[str]  # encrypts the log group; the roles decrypt secrets with it
    repository_arn: pulumi.Input[str]  # the ECR repository the execution role may pull from
    log_retention_days: int  # one of CloudWatch Logs' retention values
    capacity: Sequence[CapacityShare]  # where the tasks run (components/aws/capacity.py placement)
    task_statements: Sequence[Statement] = ()  # what the app itself may do
    target_group_arn: pulumi.Input[str] | None = None  # web only: the ALB target group the tasks register in
    health_check_grace_seconds: int = 60  # web only: ALB health checks count after this
    scaling: Scaling | None = None  # services only: task counts and what scales them
    schedule: Schedule | None = None  # the scheduled workload only: when it runs
    enable_exec: bool = False  # ECS Exec into the tasks (`aws ecs execute-command`), with its agent's volumes
    after: Sequence[pulumi.Resource] = ()  # what tasks wait for besides their roles (the capacity providers)


class FargateService(pulumi.ComponentResource):
    task_definition_arn: pulumi.Output[str]
    service_name: pulumi.Output[str] | None
    log_group_name: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    task_role_arn: pulumi.Output[str]

    def __init__(
        self, name: str, args: FargateServiceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _validate(args)
        super().__init__("launchpad:fargate_service:FargateService", name, None, opts)
        self._name, self._args = name, args
        self._child = pulumi.ResourceOptions(parent=self)
        # Tasks (and the scheduler) start only once their roles' policies exist: a task launched
        # before its execution role may pull the image fails, and enough failures trip the breaker.
        self._policies: list[aws.iam.RolePolicy] = []
        invoke = pulumi.InvokeOutputOptions(parent=self)
        self._account = aws.get_caller_identity_output(opts=invoke).account_id
        self._region = aws.get_region_output(opts=invoke).region
        logs = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            retention_in_days=args.log_retention_days,
            kms_key_id=args.kms_key_arn,
            opts=self._child,
        )
        execution_role = self._execution_role(logs)
        task_role = self._task_role()
        task_definition = self._task_definition(logs, execution_role, task_role)
        self.service_name = None
        if args.workload == "scheduled":
            self._schedule(task_definition, [execution_role, task_role])
        else:
            self.service_name = self._service(task_definition)
        self.task_definition_arn = task_definition.arn
        self.log_group_name = logs.name
        self.execution_role_arn = execution_role.arn
        self.task_role_arn = task_role.arn
        self.register_outputs(
            {
                "task_definition_arn": self.task_definition_arn,
                "service_name": self.service_name,
                "log_group_name": self.log_group_name,
            }
        )

    def _iam_role(self, purpose: str, service: str, statements: Sequence[Statement]) -> aws.iam.Role:
        """The IAM role `service` assumes for `purpose` (execution or task), with its inline policy."""
        created = aws.iam.Role(
            f"{self._name}-{purpose}-role",
            assume_role_policy=assume_role_policy(service, self._account),
            opts=self._child,
        )
        if statements:
            policy = aws.iam.RolePolicy(
                f"{self._name}-{purpose}-policy",
                role=created.id,
                policy=policy_json(statements),
                opts=self._child,
            )
            self._policies.append(policy)
        return created

    def _execution_role(self, logs: aws.cloudwatch.LogGroup) -> aws.iam.Role:
        args = self._args
        # "<arn>:username::" names a JSON key of the secret; the permission is on the secret itself.
        secret_arns = [
            pulumi.Output.from_input(value).apply(lambda v: ":".join(v.split(":")[:7]))
            for value in args.container.secrets.values()
        ]
        statements = [
            # GetAuthorizationToken has no resource-level permissions; the pulls are scoped below.
            Statement(sid="EcrAuth", actions=["ecr:GetAuthorizationToken"], resources=["*"]),
            Statement(
                sid="PullAppImage",
                actions=[
                    "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchCheckLayerAvailability",
                ],
                resources=[args.repository_arn],
            ),
            Statement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[logs.arn.apply(lambda arn: f"{arn}:*")],
            ),
        ]
        if secret_arns:
            statements += [
                Statement(
                    sid="ReadInjectedSecrets",
                    actions=["secretsmanager:GetSecretValue"],
                    resources=secret_arns,
                ),
                self._decrypt_via("secretsmanager"),
            ]
        return self._iam_role("execution", "ecs-tasks.amazonaws.com", statements)

    def _decrypt_via(self, service: str) -> Statement:
        return Statement(
            sid=f"DecryptVia{service.capitalize()}",
            actions=["kms:Decrypt"],
            resources=[self._args.kms_key_arn],
            conditions=[
                Condition(
                    "StringEquals",
                    "kms:ViaService",
                    [self._region.apply(lambda r: f"{service}.{r}.amazonaws.com")],
                )
            ],
        )

    def _task_role(self) -> aws.iam.Role:
        statements = list(self._args.task_statements)
        if self._args.enable_exec:
            # The SSM agent's channels; these actions have no resource-level permissions.
            statements.append(
                Statement(
                    sid="EcsExecChannels",
                    actions=[
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ],
                    resources=["*"],
                )
            )
        return self._iam_role("task", "ecs-tasks.amazonaws.com", statements)

    def _task_definition(
        self, logs: aws.cloudwatch.LogGroup, execution_role: aws.iam.Role, task_role: aws.iam.Role
    ) -> aws.ecs.TaskDefinition:
        args, c = self._args, self._args.container
        definitions = pulumi.Output.all(
            image=c.image,
            environment=pulumi.Output.all(**dict(c.environment)) if c.environment else {},
            secrets=pulumi.Output.all(**dict(c.secrets)) if c.secrets else {},
            log_group=logs.name,
            region=self._region,
        ).apply(
            lambda v: json.dumps(
                container_definitions(
                    ContainerSpec(
                        image=v["image"],
                        command=c.command,
                        environment=v["environment"],
                        secrets=v["secrets"],
                        stop_timeout=c.stop_timeout,
                        run_as=c.run_as,
                        writable_paths=c.writable_paths,
                        port=c.port,
                        health_check=c.health_check,
                        migrate_command=c.migrate_command,
                        ecs_exec=args.enable_exec,
                        log_group=v["log_group"],
                        region=v["region"],
                        stream_prefix=args.workload,
                    )
                ),
                sort_keys=True,
            )
        )
        return aws.ecs.TaskDefinition(
            f"{self._name}-task",
            family=self._name,
            container_definitions=definitions,
            cpu=str(args.cpu),
            memory=str(args.memory),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                cpu_architecture=args.cpu_architecture, operating_system_family="LINUX"
            ),
            # Task-local ephemeral storage: /tmp (and ECS Exec's agent paths when it is on).
            volumes=[
                aws.ecs.TaskDefinitionVolumeArgs(name=v)
                for v in writable_volumes(c.writable_paths, args.enable_exec)
            ],
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(self._policies)),
        )

    def _service(self, task_definition: aws.ecs.TaskDefinition) -> pulumi.Output[str]:
        args = self._args
        scaling = args.scaling
        assert scaling is not None  # checked in _validate
        web = args.workload == "web"
        service = aws.ecs.Service(
            f"{self._name}-service",
            cluster=args.cluster_arn,
            task_definition=task_definition.arn,
            # A strategy, never a launch type (ECS refuses both). Every mode names one, so switching between
            # fargate, spot and mixed changes the strategy in place, which the provider allows only with a
            # new deployment forced (terraform-provider-aws ecs/service.go, its strategy CustomizeDiff).
            capacity_provider_strategies=[
                aws.ecs.ServiceCapacityProviderStrategyArgs(
                    capacity_provider=share.provider, weight=share.weight, base=share.base
                )
                for share in args.capacity
            ],
            force_new_deployment=True,
            platform_version="LATEST",
            desired_count=scaling.desired_count,
            deployment_minimum_healthy_percent=100,
            deployment_maximum_percent=200,
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(
                enable=True, rollback=True
            ),
            # ECS moves tasks back when a zone recovers, so the spread over zones survives an outage.
            availability_zone_rebalancing="ENABLED",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=args.subnet_ids,
                security_groups=list(args.security_group_ids),
                assign_public_ip=args.assign_public_ip,
            ),
            load_balancers=_load_balancers(args),
            health_check_grace_period_seconds=args.health_check_grace_seconds if web else None,
            enable_execute_command=args.enable_exec,
            propagate_tags="SERVICE",
            wait_for_steady_state=False,
            # Autoscaling owns the count once the service exists; a deploy must not reset it.
            opts=pulumi.ResourceOptions(
                parent=self, ignore_changes=["desiredCount"], depends_on=list(args.after)
            ),
        )
        ServiceScaling(
            self._name,
            ServiceScalingArgs(cluster_name=args.cluster_name, service_name=service.name, scaling=scaling),
            opts=self._child,
        )
        return service.name

    def _schedule(self, task_definition: aws.ecs.TaskDefinition, task_roles: list[aws.iam.Role]) -> None:
        args = self._args
        assert args.schedule is not None  # checked in _validate
        ScheduledRun(
            self._name,
            ScheduledRunArgs(
                cluster_arn=args.cluster_arn,
                cluster_name=args.cluster_name,
                task_definition_arn=task_definition.arn,
                task_role_arns=[role.arn for role in task_roles],
                schedule=args.schedule,
                capacity=args.capacity,
                subnet_ids=args.subnet_ids,
                security_group_ids=args.security_group_ids,
                assign_public_ip=args.assign_public_ip,
                kms_key_arn=args.kms_key_arn,
                after=[*self._policies, *args.after],
            ),
            opts=self._child,
        )


def _load_balancers(args: FargateServiceArgs) -> list[aws.ecs.ServiceLoadBalancerArgs] | None:
    port = args.container.port
    if args.workload != "web" or port is None:
        return None
    return [
        aws.ecs.ServiceLoadBalancerArgs(
            target_group_arn=args.target_group_arn, container_name=APP_CONTAINER, container_port=port
        )
    ]


def _validate(args: FargateServiceArgs) -> None:
    c = args.container
    if not 2 <= c.stop_timeout <= FARGATE_MAX_STOP_TIMEOUT:
        raise ValueError(f"Container.stop_timeout must be 2-{FARGATE_MAX_STOP_TIMEOUT} s on Fargate")
    if args.workload == "web" and (args.target_group_arn is None or c.port is None):
        raise ValueError("a web service needs target_group_arn and a container port")
    if args.workload != "web" and (args.target_group_arn is not None or c.port is not None):
        raise ValueError(f"a {args.workload} takes no traffic: no target_group_arn, no container port")
    if (args.workload == "scheduled") != (args.schedule is not None):
        raise ValueError("a schedule is given exactly for the scheduled workload")
    if args.workload != "scheduled" and args.scaling is None:
        raise ValueError(f"a {args.workload} service needs scaling bounds")
    if args.scaling is not None:
        validate_scaling(args.scaling)
    problems = strategy_problems(args.capacity)
    if problems:
        raise ValueError("FargateServiceArgs.capacity: " + "; ".join(problems))
    if c.migrate_command and args.workload != "web":
        raise ValueError("only the web workload runs migrations before it takes traffic")

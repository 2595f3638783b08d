"""A one-shot Fargate task started on a cron by EventBridge Scheduler (ECS RunTask), on the capacity its
strategy names, with a scheduler role that may start only that task family in that cluster. The schedule
(its target and input) is encrypted with the stack's key, which the role may use to decrypt it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws.capacity import CapacityShare, strategy_problems
from components.iam_policy import Condition, Statement, assume_role_policy, policy_json
from components.naming import moved_from_parent


@dataclass
class Schedule:
    cron: str  # EventBridge Scheduler form: cron(min hour dom month dow year)
    timezone: str


@dataclass
class ScheduledRunArgs:
    cluster_arn: pulumi.Input[str]  # the cluster the run starts its task in
    cluster_name: pulumi.Input[str]  # its name, for the scheduler role's condition
    task_definition_arn: pulumi.Output[str]  # the task definition each run starts
    task_role_arns: Sequence[pulumi.Input[str]]  # the execution and task roles the scheduler hands the task
    schedule: Schedule  # when it runs (cron and time zone)
    capacity: Sequence[CapacityShare]  # the capacity provider strategy of each run
    subnet_ids: pulumi.Input[Sequence[str]]  # where the task runs (as the services do)
    security_group_ids: Sequence[pulumi.Input[str]]  # the task's groups
    assign_public_ip: bool  # only where there is no NAT
    kms_key_arn: pulumi.Input[str]  # encrypts the schedule at rest; the scheduler role decrypts with it
    after: Sequence[pulumi.Resource] = ()  # what must exist before a run can start (role policies, providers)


class ScheduledRun(pulumi.ComponentResource):
    """Named like the workload it runs, so its children keep the names they had as that one's children."""

    def __init__(self, name: str, args: ScheduledRunArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:scheduled_run:ScheduledRun", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, aliases=moved_from_parent(opts))
        invoke = pulumi.InvokeOutputOptions(parent=self)
        account = aws.get_caller_identity_output(opts=invoke).account_id
        region = aws.get_region_output(opts=invoke).region
        invoker = aws.iam.Role(
            f"{name}-scheduler-role",
            assume_role_policy=assume_role_policy("scheduler.amazonaws.com", account),
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-scheduler-policy",
            role=invoker.id,
            policy=policy_json(scheduler_statements(args, account, region)),
            opts=child,
        )
        ecs = aws.scheduler.ScheduleTargetEcsParametersArgs(
            task_definition_arn=args.task_definition_arn,
            # No launch type: RunTask takes a capacity provider strategy or a launch type, never both.
            capacity_provider_strategies=[
                aws.scheduler.ScheduleTargetEcsParametersCapacityProviderStrategyArgs(
                    capacity_provider=share.provider, weight=share.weight, base=share.base
                )
                for share in args.capacity
            ],
            platform_version="LATEST",
            task_count=1,
            propagate_tags="TASK_DEFINITION",
            network_configuration=aws.scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs(
                subnets=args.subnet_ids,
                security_groups=list(args.security_group_ids),
                assign_public_ip=args.assign_public_ip,
            ),
        )
        aws.scheduler.Schedule(
            f"{name}-schedule",
            schedule_expression=args.schedule.cron,
            schedule_expression_timezone=args.schedule.timezone,
            kms_key_arn=args.kms_key_arn,
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=args.cluster_arn,
                role_arn=invoker.arn,
                ecs_parameters=ecs,
                # A run that failed (or found no Spot capacity) is retried by the next night, not stacked up.
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(maximum_retry_attempts=0),
            ),
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[policy, *args.after])
            ),
        )
        self.register_outputs({})


def scheduler_statements(
    args: ScheduledRunArgs, account: pulumi.Input[str], region: pulumi.Input[str]
) -> list[Statement]:
    """EventBridge Scheduler may start this family in this cluster, tag what it starts, decrypt the schedule
    with the stack's key, and hand the task exactly its two roles; nothing else."""
    family_arn = args.task_definition_arn.apply(lambda arn: arn.rsplit(":", 1)[0] + ":*")
    task_arns = pulumi.Output.all(region, account, args.cluster_name).apply(
        lambda v: f"arn:aws:ecs:{v[0]}:{v[1]}:task/{v[2]}/*"
    )
    return [
        Statement(
            sid="RunNightlyTaskInCluster",
            actions=["ecs:RunTask"],
            resources=[family_arn],
            conditions=[Condition("ArnEquals", "ecs:cluster", [args.cluster_arn])],
        ),
        Statement(
            sid="TagTasksItStarts",
            actions=["ecs:TagResource"],
            resources=[task_arns],
            conditions=[Condition("StringEquals", "ecs:CreateAction", ["RunTask"])],
        ),
        # With a customer managed key, Scheduler decrypts the schedule's target with its execution role at
        # every run (scheduler/latest/UserGuide/encryption-rest.html).
        Statement(sid="DecryptTheSchedule", actions=["kms:Decrypt"], resources=[args.kms_key_arn]),
        Statement(
            sid="PassOnlyTheTaskRoles",
            actions=["iam:PassRole"],
            resources=list(args.task_role_arns),
            conditions=[Condition("StringEquals", "iam:PassedToService", ["ecs-tasks.amazonaws.com"])],
        ),
    ]


def _validate(args: ScheduledRunArgs) -> None:
    problems = strategy_problems(args.capacity)
    if not args.task_role_arns:
        problems.append("the scheduler must be allowed to pass the task's roles")
    if not args.schedule.cron.startswith("cron(") or not args.schedule.cron.endswith(")"):
        problems.append(f"schedule {args.schedule.cron!r} is not an EventBridge cron(...) expression")
    if problems:
        raise ValueError("ScheduledRunArgs: " + "; ".join(problems))

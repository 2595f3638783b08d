"""Application Auto Scaling for one ECS service: target tracking on CPU, requests or a backlog per task, and,
for a service allowed to stop entirely (minimum 0), step scaling from and to zero on the backlog.

Target tracking cannot start the first task: it sizes the service in proportion to the tasks running, and
there are none. A service at zero is therefore started by an alarm on its backlog (waiting jobs while no
consumer listens) that sets the count for that backlog, and stopped by an alarm on the backlog staying
empty for `idle_minutes`. The starting alarm reads two series published together (the backlog and its
consumers, in one record): ECS's own task counts of a service at zero may have no points at all, and the
CloudWatch documentation does not say that FILL makes points out of a series that has none; if it does
not, an alarm on them never fires. Target tracking then only adds tasks (its scale-in is off), so a busy
worker is never stopped mid-burst by a short lull.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws.alarms import watch_inputs
from components.aws.metrics import Expression, Metric, MetricCatalogue, metric_problems
from components.naming import moved_from_parent

INSIGHTS = "ECS/ContainerInsights"
MAX_FROM_ZERO_STEPS = 10  # scale from zero to at most this many tasks at once; target tracking adds more
COOLDOWN_OUT, COOLDOWN_IN = 60, 300


@dataclass
class Backlog:
    """Waiting work the service drains: a metric of queued items, the metric of the consumers listening
    (published in the same record, same namespace and dimensions), and how many items one task should hold."""

    published: MetricCatalogue  # who publishes both metrics (the app), in its namespace
    metric_name: str
    consumers_metric_name: str
    dimensions: Mapping[str, str]
    per_task: int

    @property
    def namespace(self) -> str:
        return self.published.namespace


@dataclass
class Scaling:
    min_count: int
    max_count: int
    desired_count: int
    cpu_target_percent: int | None = None
    requests_per_target: int | None = None  # ALB requests per task per minute
    request_count_label: pulumi.Input[str] | None = None
    backlog: Backlog | None = None
    idle_minutes: int = 15  # at minimum 0: the backlog stays empty this long before the last task stops


@dataclass
class ServiceScalingArgs:
    cluster_name: pulumi.Input[str]  # the cluster of the service
    service_name: pulumi.Output[str]  # the ECS service whose desired count this scales
    scaling: Scaling  # its bounds and what it follows (CPU, requests, a backlog)


class ServiceScaling(pulumi.ComponentResource):
    """Named like its service, so its children keep the names they had when the service created them."""

    def __init__(
        self, name: str, args: ServiceScalingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        validate_scaling(args.scaling)
        super().__init__("launchpad:service_scaling:ServiceScaling", name, None, opts)
        # These resources were the service component's children; the alias keeps them, not replaces them.
        self._child = pulumi.ResourceOptions(parent=self, aliases=moved_from_parent(opts))
        self._name, self._args = name, args
        s = args.scaling
        target = aws.appautoscaling.Target(
            f"{name}-scaling-target",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", args.cluster_name, "/", args.service_name),
            min_capacity=s.min_count,
            max_capacity=s.max_count,
            opts=self._child,
        )
        for policy, tracking in _tracking_configs(s, args.cluster_name, args.service_name).items():
            aws.appautoscaling.Policy(
                f"{name}-scale-on-{policy}",
                policy_type="TargetTrackingScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                target_tracking_scaling_policy_configuration=tracking,
                opts=self._child,
            )
        if s.min_count == 0:
            self._to_and_from_zero(target)
        self.register_outputs({})

    def _step_policy(
        self, role: str, target: aws.appautoscaling.Target, steps: list[Any], *, cooldown: int
    ) -> Any:
        return aws.appautoscaling.Policy(
            f"{self._name}-{role}",
            policy_type="StepScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            step_scaling_policy_configuration=aws.appautoscaling.PolicyStepScalingPolicyConfigurationArgs(
                adjustment_type="ExactCapacity",
                cooldown=cooldown,
                metric_aggregation_type="Maximum",
                step_adjustments=steps,
            ),
            opts=self._child,
        )

    def _to_and_from_zero(self, target: aws.appautoscaling.Target) -> None:
        s, backlog = self._args.scaling, self._args.scaling.backlog
        assert backlog is not None  # checked in validate_scaling
        start = self._step_policy(
            "scale-from-zero", target, from_zero_steps(backlog.per_task, s.max_count), cooldown=COOLDOWN_OUT
        )
        self._alarm(
            Trigger(
                "scale-from-zero",
                from_zero_watch(backlog),
                "GreaterThanThreshold",
                0,
                1,
                "Jobs wait and no worker listens: start as many as the backlog needs.",
            ),
            start.arn,
        )
        stop = self._step_policy(
            "scale-to-zero",
            target,
            [Step(scaling_adjustment=0, metric_interval_upper_bound="0")],
            cooldown=COOLDOWN_IN,
        )
        self._alarm(
            Trigger(
                "scale-to-zero",
                backlog_metric(backlog),
                "LessThanThreshold",
                1,
                s.idle_minutes,
                f"No job has waited for {s.idle_minutes} minutes: stop the last tasks.",
            ),
            stop.arn,
        )

    def _alarm(self, trigger: Trigger, action: pulumi.Output[str]) -> None:
        aws.cloudwatch.MetricAlarm(
            f"{self._name}-{trigger.role}-alarm",
            alarm_description=trigger.description + " Drives scaling only; the monitoring alarms notify.",
            comparison_operator=trigger.operator,
            threshold=trigger.threshold,
            evaluation_periods=trigger.minutes,
            datapoints_to_alarm=trigger.minutes,
            # No datapoint is no news: neither a reason to start a task nor proof the queue is empty.
            treat_missing_data="notBreaching",
            actions_enabled=True,
            alarm_actions=[action],
            opts=self._child,
            **watch_inputs(trigger.watch),
        )


@dataclass(frozen=True)
class Trigger:
    """The alarm that invokes a step policy: one-minute periods, every one of `minutes` breaching."""

    role: str
    watch: Metric | Expression
    operator: str
    threshold: float
    minutes: int
    description: str


Step = aws.appautoscaling.PolicyStepScalingPolicyConfigurationStepAdjustmentArgs


def from_zero_steps(per_task: int, max_count: int) -> list[Any]:
    """ExactCapacity steps over the backlog: up to `per_task` jobs start one task, up to twice that two,
    and so on up to the maximum (or MAX_FROM_ZERO_STEPS). Bounds are contiguous, as AWS requires."""
    top = min(max_count, MAX_FROM_ZERO_STEPS)
    return [
        Step(
            scaling_adjustment=tasks,
            metric_interval_lower_bound=f"{(tasks - 1) * per_task:g}",
            metric_interval_upper_bound=f"{tasks * per_task:g}" if tasks < top else None,
        )
        for tasks in range(1, top + 1)
    ]


def backlog_metric(backlog: Backlog, period: int = 60) -> Metric:
    # Every API task samples the queue: the Maximum is the queue's depth.
    return Metric(backlog.namespace, backlog.metric_name, dict(backlog.dimensions), "Maximum", period)


def consumers_metric(backlog: Backlog, period: int = 60) -> Metric:
    return Metric(
        backlog.namespace, backlog.consumers_metric_name, dict(backlog.dimensions), "Maximum", period
    )


def from_zero_watch(backlog: Backlog) -> Expression:
    """The backlog while no consumer listens, else 0: both series come from the same samples, so the
    expression has a point wherever the backlog has one."""
    return Expression(
        "IF(consumers < 1, depth, 0)",
        {"depth": backlog_metric(backlog), "consumers": consumers_metric(backlog)},
        f"{backlog.metric_name} while nothing consumes it",
    )


TrackingArgs = aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs


def _tracking_configs(
    s: Scaling, cluster_name: pulumi.Input[str], service_name: pulumi.Output[str]
) -> dict[str, TrackingArgs]:
    Predefined = (
        aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs
    )
    configs: dict[str, TrackingArgs] = {}
    if s.cpu_target_percent is not None:
        configs["cpu"] = TrackingArgs(
            target_value=s.cpu_target_percent,
            predefined_metric_specification=Predefined(
                predefined_metric_type="ECSServiceAverageCPUUtilization"
            ),
            scale_in_cooldown=COOLDOWN_IN,
            scale_out_cooldown=COOLDOWN_OUT,
        )
    if s.requests_per_target is not None:
        configs["requests"] = TrackingArgs(
            target_value=s.requests_per_target,
            predefined_metric_specification=Predefined(
                predefined_metric_type="ALBRequestCountPerTarget", resource_label=s.request_count_label
            ),
            scale_in_cooldown=COOLDOWN_IN,
            scale_out_cooldown=COOLDOWN_OUT,
        )
    if s.backlog is not None:
        configs["backlog"] = TrackingArgs(
            target_value=s.backlog.per_task,
            customized_metric_specification=_per_task_metric(s.backlog, cluster_name, service_name),
            # At minimum 0 the scale-to-zero alarm removes tasks, once the queue has stayed empty.
            disable_scale_in=s.min_count == 0,
            scale_in_cooldown=COOLDOWN_IN,
            scale_out_cooldown=COOLDOWN_OUT,
        )
    return configs


_SPEC = "PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecification"
CustomSpec = getattr(aws.appautoscaling, f"{_SPEC}Args")
MetricQuery = getattr(aws.appautoscaling, f"{_SPEC}MetricArgs")
MetricStat = getattr(aws.appautoscaling, f"{_SPEC}MetricMetricStatArgs")
MetricArgs = getattr(aws.appautoscaling, f"{_SPEC}MetricMetricStatMetricArgs")
Dimension = getattr(aws.appautoscaling, f"{_SPEC}MetricMetricStatMetricDimensionArgs")


def _per_task_metric(
    backlog: Backlog, cluster_name: pulumi.Input[str], service_name: pulumi.Output[str]
) -> Any:
    """AWS's "backlog per instance": the metric divided by running tasks, so the target is per task."""
    tasks = [
        Dimension(name="ClusterName", value=cluster_name),
        Dimension(name="ServiceName", value=service_name),
    ]

    def stat(namespace: str, name: str, dimensions: list[Any]) -> Any:
        return MetricStat(
            metric=MetricArgs(namespace=namespace, metric_name=name, dimensions=dimensions), stat="Average"
        )

    queue = [Dimension(name=k, value=v) for k, v in sorted(backlog.dimensions.items())]
    return CustomSpec(
        metrics=[
            MetricQuery(
                id="backlog",
                metric_stat=stat(backlog.namespace, backlog.metric_name, queue),
                return_data=False,
            ),
            MetricQuery(id="tasks", metric_stat=stat(INSIGHTS, "RunningTaskCount", tasks), return_data=False),
            MetricQuery(
                id="per_task",
                expression="IF(tasks > 0, backlog / tasks, backlog)",
                label=f"{backlog.metric_name} per task",
                return_data=True,
            ),
        ]
    )


def validate_scaling(s: Scaling) -> None:
    problems = []
    if not s.min_count <= s.desired_count <= s.max_count:
        problems.append("min_count <= desired_count <= max_count")
    if s.min_count == 0 and s.backlog is None:
        problems.append("a service that scales to zero needs a backlog to start it again")
    if s.backlog is not None:
        if s.backlog.per_task < 1:
            problems.append("backlog.per_task must be at least 1")
        problems += metric_problems(backlog_metric(s.backlog), s.backlog.published, alarm=True)
        problems += metric_problems(consumers_metric(s.backlog), s.backlog.published, alarm=True)
    # CloudWatch evaluates at most a day of one-minute periods.
    if not 1 <= s.idle_minutes <= 1440:
        problems.append("idle_minutes must be 1-1440")
    if problems:
        raise ValueError("Scaling: " + "; ".join(problems))
